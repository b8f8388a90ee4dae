/**
 * The `keyrite` command's build (`npm run build` runs it after electron-vite): electron/cli/main.ts
 * bundled to out/cli/keyrite.js for plain Node, so the CLI runs built JavaScript with no TypeScript
 * loader. Commands stay in their own chunks (loaded when named), dependencies stay in node_modules,
 * and every file lands flat in out/cli/. The CLI forks the token host the app runs, out/main/token-host.js.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const outRoot = resolve(process.env.KEYRITE_OUT_DIR ?? 'out');

export default defineConfig({
  logLevel: 'warn',
  build: {
    ssr: resolve('electron/cli/main.ts'),
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
      output: { format: 'es', entryFileNames: 'keyrite.js', chunkFileNames: '[name]-[hash].js' },
    },
  },
});
