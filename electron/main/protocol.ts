/**
 * The app's own `app://keyrite/` scheme. The renderer and the print views are served from it, so
 * every page has a known origin the lockdown and the IPC sender check can compare against, and no
 * page is ever loaded from file:// (which would give it read access to the disk) or from a server.
 */
import { normalize, join, sep, extname } from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'keyrite';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const PRINT_PATH_PREFIX = '/print/';

/** Passed to protocol.registerSchemesAsPrivileged before the app is ready. */
export const PRIVILEGED_SCHEMES = [
  {
    scheme: APP_SCHEME,
    // standard + secure give the scheme a real origin and a secure context; ES module scripts
    // (Vite's output) are fetched through the Fetch API, hence supportFetchAPI.
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false, stream: false },
  },
] as const;

/** CSP of the renderer: same as renderer/index.html's meta tag, sent as a header so it cannot be dropped. */
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** Print views are static documents built in main: no script at all, inline styles, QR codes as data: images. */
export const PRINT_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "object-src 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type AppRoute =
  | { kind: 'file'; path: string }
  | { kind: 'print'; id: string }
  | { kind: 'refused'; reason: string };

/** True for URLs of the app's own origin (scheme and host both match). */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
}

/**
 * Maps an app:// URL to a file under rootDir or to an in-memory print document. Anything outside
 * the root (../, encoded separators, another host) is refused.
 */
export function routeAppRequest(url: string, rootDir: string): AppRoute {
  if (!isAppUrl(url)) return { kind: 'refused', reason: 'not the app origin' };
  const { pathname } = new URL(url);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'refused', reason: 'bad encoding' };
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused', reason: 'bad path' };
  if (decoded.startsWith(PRINT_PATH_PREFIX)) {
    const id = decoded.slice(PRINT_PATH_PREFIX.length);
    return /^[0-9a-f]{32}$/.test(id) ? { kind: 'print', id } : { kind: 'refused', reason: 'bad print id' };
  }
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = normalize(rootDir);
  const full = normalize(join(root, relative));
  if (!full.startsWith(root.endsWith(sep) ? root : root + sep)) return { kind: 'refused', reason: 'outside the app folder' };
  return { kind: 'file', path: full };
}

export interface ProtocolDeps {
  rootDir: string;
  readFile(path: string): Promise<Uint8Array>;
  /** Print documents live only in memory (a share sheet is never written to disk to be shown). */
  printDocument(id: string): string | undefined;
}

function securityHeaders(csp: string, contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** The protocol.handle handler, written against the Fetch API's Request/Response only. */
export function createAppProtocolHandler(deps: ProtocolDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405 });
    const route = routeAppRequest(request.url, deps.rootDir);
    if (route.kind === 'refused') return new Response(null, { status: 404 });
    if (route.kind === 'print') {
      const html = deps.printDocument(route.id);
      if (html === undefined) return new Response(null, { status: 404 });
      return new Response(html, { status: 200, headers: securityHeaders(PRINT_CSP, 'text/html; charset=utf-8') });
    }
    try {
      const body = await deps.readFile(route.path);
      return new Response(new Uint8Array(body), { status: 200, headers: securityHeaders(APP_CSP, contentTypeFor(route.path)) });
    } catch {
      return new Response(null, { status: 404 });
    }
  };
}
