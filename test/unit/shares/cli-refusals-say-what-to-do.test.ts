/**
 * Each refusal of the share commands' input says what to do next (the action a person reads under
 * the error): an unreadable file, a share file whose secret was not given (age passphrase, age
 * identity, card), no terminal for a prompt, --card-* options given in part.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateKeyPairSync } from 'node:crypto';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { afterAll, describe, expect, it } from 'vitest';
import { cardFromCli, prompt, readShareFile } from '../../../electron/core/shares/cli-input';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encryptShareToRecipient } from '../../../electron/core/shares/age-recipient';
import { encryptShareToTokenKey } from '../../../electron/core/shares/token-file';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'keyrite-cli-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const share = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);

function saved(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('share files', () => {
  it('an unreadable file: check the path and permissions', async () => {
    await expect(readShareFile(join(dir, 'absent'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', action: 'Check the path and permissions.' });
    await expect(readShareFile(dir)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: `Cannot read the share file ${dir}: EISDIR.` });
  });

  it('a share file whose secret was not given says which option gives it', async () => {
    const e = await share;
    const age = saved('pass.age', await encryptShareToPassphrase(e, 'correct horse battery', { scryptLogN: 10 }));
    await expect(readShareFile(age)).rejects.toMatchObject({ code: 'SHARE_FORMAT', action: 'Give --passphrase-file, or run on a terminal to be asked.' });
    const recipient = await identityToRecipient(await generateIdentity());
    const toRecipient = saved('recipient.age', (await encryptShareToRecipient(e, recipient)).text);
    await expect(readShareFile(toRecipient)).rejects.toMatchObject({
      code: 'SHARE_FORMAT', message: `${toRecipient} is an age file to the custodian's age recipient and no identity was given.`, action: 'Give the custodian\'s identity file with --age-identity.',
    });
    const spki = new Uint8Array(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' }));
    const card = saved('card.json', encryptShareToTokenKey(e, spki));
    await expect(readShareFile(card)).rejects.toMatchObject({
      code: 'SHARE_FORMAT', message: `${card} is encrypted to a custodian's token key and no card was given.`,
      action: 'Give --card-module, --card-token and --card-key (and --card-pin-file), or use the custodian\'s other copy.',
    });
  });
});

describe('options and terminal', () => {
  it('no terminal for a prompt: pass the value as a file option', async () => {
    await expect(prompt({ stdin: new PassThrough(), stderr: new PassThrough() }, 'Passphrase: ')).rejects.toMatchObject({
      code: 'INPUT_NOT_A_TTY', action: 'Pass the value as a file option (see --help).',
    });
  });

  it('--card-* in part names the three that go together', () => {
    expect(() => cardFromCli({ 'card-module': 'm.so', 'card-key': 'k' }, { stdin: new PassThrough(), stderr: new PassThrough() })).toThrow(expect.objectContaining({
      code: 'USAGE', message: '--card-module, --card-token and --card-key go together.', action: 'Give all three (see --help).',
    }));
  });
});
