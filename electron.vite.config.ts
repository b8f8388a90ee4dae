import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { build, type Plugin } from 'vite';

// Tests build into their own folder (KEYRITE_OUT_DIR) so they never race `npm run build` over out/.
const outRoot = resolve(process.env.KEYRITE_OUT_DIR ?? 'out');

const EMPTY_ROOT = '<div id="root"></div>';

/**
 * Puts the first screen, Home, prerendered, into the built index.html's #root (issue #17): builds
 * renderer/src/prerender.tsx for Node (a Vite SSR build, so the app's CSS imports resolve), calls
 * its renderHome, and main.tsx hydrates the markup. Only HTML goes in: no inline script or style,
 * so the page's CSP stays as it is. The e2e harness (test/e2e/build-renderer.ts) uses it too.
 */
export function prerenderHome(): Plugin {
  // The renderer build's own root (renderer/), whatever the working folder of whoever builds.
  let root = '';
  return {
    name: 'keyrite-prerender-home',
    apply: 'build',
    configResolved(config) {
      root = config.root;
    },
    async transformIndexHtml(html) {
      if (!html.includes(EMPTY_ROOT)) throw new Error(`renderer/index.html has no ${EMPTY_ROOT} to prerender Home into.`);
      const dir = mkdtempSync(join(tmpdir(), 'keyrite-prerender-'));
      try {
        await build({
          configFile: false,
          root,
          logLevel: 'warn',
          plugins: [react()],
          define: { 'process.env.NODE_ENV': JSON.stringify('production') },
          // Everything bundled: the built file is imported from a temp folder with no node_modules.
          ssr: { noExternal: true },
          build: {
            ssr: join(root, 'src/prerender.tsx'),
            outDir: dir,
            emptyOutDir: true,
            minify: false,
            // .mjs: ES modules whatever the importer's loader (Playwright's treats a bare .js as CommonJS).
            rollupOptions: { output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
          },
        });
        const entry = (await import(pathToFileURL(join(dir, 'prerender.mjs')).href)) as { renderHome: () => Promise<string> };
        return html.replace(EMPTY_ROOT, `<div id="root">${await entry.renderHome()}</div>`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

const RENDERER = {
  root: resolve('renderer'),
  build: {
    outDir: resolve(outRoot, 'renderer'),
    emptyOutDir: true,
    // electron-vite turns minification off unless asked; the shipped renderer is minified (issue #17).
    minify: true,
    rollupOptions: { input: resolve('renderer/index.html') },
  },
  plugins: [react(), prerenderHome()],
};

export default defineConfig({
  main: {
    build: {
      outDir: resolve(outRoot, 'main'),
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          // The token host runs in an Electron utilityProcess: PKCS#11 calls block, and a crashing
          // vendor module must not take the ceremony down.
          'token-host': resolve('electron/core/token/host-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(outRoot, 'preload'),
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The shell's tests build main and preload only (KEYRITE_SKIP_RENDERER=1): they check the shell,
  // and must not fail because a screen is half-written.
  ...(process.env.KEYRITE_SKIP_RENDERER === '1' ? {} : { renderer: RENDERER }),
});
