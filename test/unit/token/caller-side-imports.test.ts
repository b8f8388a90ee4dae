/**
 * The vendor modules that run in the caller's process (CLI, app main, pre-flight) must never reach
 * the native pkcs11js module, which lives only in the token host: followed here through every
 * value import (type-only imports are erased and do not count).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');

function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'(\.[^']+)'/gm)) out.push(m[1]!);
  return out;
}

function reach(start: string): string[] {
  const seen = new Set<string>();
  const todo = [path.join(ROOT, start)];
  while (todo.length > 0) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const rel of valueImports(f)) {
      const base = path.resolve(path.dirname(f), rel);
      const file = [`${base}.ts`, path.join(base, 'index.ts')].find((x) => existsSync(x));
      if (file) todo.push(file);
    }
  }
  return [...seen].map((f) => path.relative(ROOT, f));
}

describe('caller-side vendor modules never load pkcs11js', () => {
  it.each([
    'electron/core/token/capabilities.ts',
    'electron/core/ceremony/run-capabilities.ts',
    'electron/core/token/pkcs11-uri.ts',
    'electron/core/token/rehearsal-kinds.ts',
    'electron/core/token/pin-source.ts',
    'electron/core/ceremony/headless.ts',
  ])('%s', (file) => {
    const reached = reach(file);
    expect(reached.length).toBeGreaterThan(0);
    expect(reached).not.toContain('electron/core/token/pkcs11js.ts');
  });

  it('the check would see it: the host server does reach pkcs11js', () => {
    expect(reach('electron/core/token/host-server.ts')).toContain('electron/core/token/pkcs11js.ts');
  });
});
