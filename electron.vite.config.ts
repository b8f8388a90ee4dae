import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

// Tests build into their own folder (KEYRITE_OUT_DIR) so they never race `npm run build` over out/.
const outRoot = resolve(process.env.KEYRITE_OUT_DIR ?? 'out');

const RENDERER = {
  root: resolve('renderer'),
  build: {
    outDir: resolve(outRoot, 'renderer'),
    emptyOutDir: true,
    // electron-vite turns minification off unless asked; the shipped renderer is minified (issue #17).
    minify: true,
    rollupOptions: { input: resolve('renderer/index.html') },
  },
  plugins: [react()],
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
