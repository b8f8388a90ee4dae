/**
 * Child for the lock kill test: runs `keyrite ceremony run` (runHeadless, the command's own entry)
 * with a token whose lockKey stops at a chosen point and tells the parent, which then SIGKILLs this
 * process. `before`: the lock's intent is journaled, the token untouched. `after`: the token has
 * locked the key, its result is not journaled.
 */
import { Readable } from 'node:stream';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';

const [scriptFile, outDir, mode] = process.argv.slice(2) as [string, string, 'before' | 'after'];
const hang = () => new Promise<never>(() => undefined);

await runHeadless({
  scriptFile, outDir, rehearsal: true,
  io: { stdout: process.stdout, stderr: process.stderr, stdin: Readable.from([]) },
  tokenFactory: async (o) => {
    const api = await defaultTokenFactory(o);
    return {
      ...api,
      lockKey: async (...a) => {
        if (mode === 'after') await api.lockKey(...a);
        process.send?.({ at: `lock-${mode}` });
        return hang();
      },
    };
  },
});
