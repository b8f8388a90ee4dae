/**
 * The one converter from a share as entered on a screen (the IPC contract's ShareInput) to the
 * shares domain's ShareInput, used by the recovery channels and by the run's share steps.
 */
import { describe, expect, it } from 'vitest';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encodeShareWords } from '../../../electron/core/shares/index';
import { decodeShareInput, enteredShareToInput, type OpenShareOnToken } from '../../../electron/core/shares/share-input';
import { softBackup } from './fixtures';

const neverOnToken: OpenShareOnToken = async () => {
  throw new Error('the token must not be used');
};

describe('enteredShareToInput', () => {
  it('passes words and a QR payload through, unopened', async () => {
    expect(await enteredShareToInput({ kind: 'words', words: ['a', 'b'] }, neverOnToken)).toEqual({ words: ['a', 'b'] });
    expect(await enteredShareToInput({ kind: 'qr', text: 'KEYRITE1:X' }, neverOnToken)).toEqual({ qr: 'KEYRITE1:X' });
  });

  it('opens an age file with its passphrase, and refuses a wrong one', async () => {
    const { shares } = await softBackup();
    const share = shares[0]!;
    const content = await encryptShareToPassphrase(share, 'correct horse battery', { scryptLogN: 10 });
    const input = await enteredShareToInput({ kind: 'age-file', fileName: 'a.age', content, passphrase: 'correct horse battery' }, neverOnToken);
    expect(encodeShareWords(decodeShareInput(input))).toEqual(encodeShareWords(share));
    await expect(enteredShareToInput({ kind: 'age-file', fileName: 'a.age', content, passphrase: 'wrong passphrase' }, neverOnToken)).rejects.toMatchObject({ name: 'KeyriteError' });
  });

  it('checks a token share file before asking the token, then hands serial, PIN and file to the opener', async () => {
    const asked: unknown[] = [];
    const opener: OpenShareOnToken = async (...args) => {
      asked.push(args);
      throw new Error('unreachable');
    };
    await expect(enteredShareToInput({ kind: 'token', fileName: 's.txt', content: 'not a share file', tokenSerial: '0a1b', pin: '123456' }, opener)).rejects.toMatchObject({ name: 'KeyriteError' });
    expect(asked).toEqual([]);
  });
});
