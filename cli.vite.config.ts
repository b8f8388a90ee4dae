/**
 * The `keyrite` command's build (`npm run build` runs it after electron-vite): electron/cli/main.ts
 * bundled to out/cli/keyrite.js (and the UI harness to out/cli/ui-harness.js) for plain Node, so
 * neither needs a TypeScript loader. Commands stay in their own chunks (loaded when named), dependencies stay in node_modules,
 * and every file lands flat in out/cli/. The CLI forks the token host the app runs, out/main/token-host.js.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const outRoot = resolve(process.env.KEYRITE_OUT_DIR ?? 'out');

export default defineConfig({
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: resolve(outRoot, 'cli'),
    emptyOutDir: true,
    target: 'node22',
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      // A module both imported and lazily imported just stays where it is: not worth a warning per build.
      onwarn(warning, warn) {
        if (warning.code !== 'INEFFECTIVE_DYNAMIC_IMPORT') warn(warning);
      },
      input: {
        keyrite: resolve('electron/cli/main.ts'),
        // `npm start`'s fallback without an Electron binary: the renderer in Chromium over the real core.
        'ui-harness': resolve('scripts/ui-harness.ts'),
      },
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
