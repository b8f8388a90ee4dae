import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_CSP, PRINT_CSP, createAppProtocolHandler, isAppUrl, routeAppRequest } from '../../../electron/main/protocol';

const root = mkdtempSync(join(tmpdir(), 'keyrite-proto-'));
mkdirSync(join(root, 'assets'));
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Keyrite</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
const secretOutside = join(root, '..', 'outside.txt');

describe('routeAppRequest', () => {
  it('serves the index for the root and files under the app folder', () => {
    expect(routeAppRequest('app://keyrite/', root)).toEqual({ kind: 'file', path: join(root, 'index.html') });
    expect(routeAppRequest('app://keyrite/assets/app.js', root)).toEqual({ kind: 'file', path: join(root, 'assets', 'app.js') });
  });

  it.each([
    'app://keyrite/../outside.txt',
    'app://keyrite/%2e%2e/outside.txt',
    'app://keyrite/assets/%2e%2e%2f%2e%2e%2foutside.txt',
    'app://keyrite/..%5coutside.txt',
    'app://keyrite/a%00b',
    'app://other/index.html',
    'https://keyrite/index.html',
    'app://keyrite/print/not-an-id',
  ])('refuses %s', (url) => {
    const route = routeAppRequest(url, root);
    if (route.kind === 'file') expect(route.path.startsWith(root + '/')).toBe(true);
    else expect(route.kind).toBe('refused');
  });

  it('routes print documents by their random id', () => {
    expect(routeAppRequest('app://keyrite/print/0123456789abcdef0123456789abcdef', root)).toEqual({ kind: 'print', id: '0123456789abcdef0123456789abcdef' });
  });

  it('knows its own origin', () => {
    expect(isAppUrl('app://keyrite/index.html')).toBe(true);
    expect(isAppUrl('app://keyrite.evil/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
  });
});

describe('app protocol handler', () => {
  const docs = new Map([['0123456789abcdef0123456789abcdef', '<p>share</p>']]);
  const handler = createAppProtocolHandler({ rootDir: root, readFile: (p) => readFile(p), printDocument: (id) => docs.get(id) });

  it('serves app files with the CSP and nosniff headers', async () => {
    const res = await handler(new Request('app://keyrite/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('Keyrite');
  });

  it('serves print documents from memory under the script-free print CSP', async () => {
    const res = await handler(new Request('app://keyrite/print/0123456789abcdef0123456789abcdef'));
    expect(res.headers.get('content-security-policy')).toBe(PRINT_CSP);
    expect(PRINT_CSP).not.toContain('script-src');
    expect(PRINT_CSP).toContain("default-src 'none'");
    expect(await res.text()).toBe('<p>share</p>');
    expect((await handler(new Request('app://keyrite/print/ffffffffffffffffffffffffffffffff'))).status).toBe(404);
  });

  it('answers 404 for missing files and files outside the folder, 405 for anything but GET', async () => {
    writeFileSync(secretOutside, 'secret');
    expect((await handler(new Request('app://keyrite/missing.js'))).status).toBe(404);
    expect((await handler(new Request('app://keyrite/%2e%2e/outside.txt'))).status).toBe(404);
    expect((await handler(new Request('app://keyrite/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('keeps the renderer CSP closed to the network', () => {
    expect(APP_CSP).toContain("default-src 'none'");
    expect(APP_CSP).toContain("connect-src 'none'");
    expect(APP_CSP).not.toMatch(/https?:|ws:|\*/);
  });
});
