/**
 * Serves a built renderer folder on 127.0.0.1 (a random port) for Chromium. Read-only, no
 * directory listing, paths confined to the folder; the CSP travels as a header as in Electron.
 */
import { createServer, type Server } from 'node:http';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export const RENDERER_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'none'", "object-src 'none'", "form-action 'none'", "frame-ancestors 'none'", "base-uri 'none'",
].join('; ');

export interface StaticServer {
  url: string;
  close(): Promise<void>;
}

export async function serveDir(root: string): Promise<StaticServer> {
  const base = path.resolve(root);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.resolve(base, `.${urlPath === '/' ? '/index.html' : urlPath}`);
      if (req.method !== 'GET' || (file !== base && !file.startsWith(base + path.sep))) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await fsp.readFile(file);
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-security-policy': RENDERER_CSP,
          'cache-control': 'no-store',
        });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
