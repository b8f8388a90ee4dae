import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { appWitnessCosigner } from '../../../electron/core/ipc/ceremony-services';
import { generateNoteKey } from '../../../electron/core/transcript/note-keys';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-witness-cosigner-');
afterAll(() => tmp.cleanup());

const wendy = generateNoteKey(witnessKeyName('Wendy Witness'));
const other = generateNoteKey(witnessKeyName('Wendy Witness'));
const w = { name: 'Wendy Witness', verifierKey: wendy.verifierKey };
const file = (name: string, text: string) => {
  const p = path.join(tmp.dir, name);
  writeFileSync(p, text);
  return p;
};

describe('the app\'s witness cosigner', () => {
  it('asks the picker for that witness and gives the signer of the recorded key', async () => {
    const asked: string[] = [];
    const keyFile = file('wendy.key', `${wendy.signerKey}\n`);
    const signer = await appWitnessCosigner(async (name) => { asked.push(name); return keyFile; })(w);
    expect(asked).toEqual(['Wendy Witness']);
    expect(signer.verifierKey).toBe(wendy.verifierKey);
  });

  it('says which witness cancelled (WITNESS_KEY_NOT_CHOSEN)', async () => {
    await expect(appWitnessCosigner(async () => null)(w)).rejects.toMatchObject({ code: 'WITNESS_KEY_NOT_CHOSEN', details: { witness: 'Wendy Witness' }, action: expect.stringContaining('Wendy Witness') });
  });

  it('refuses a missing file, a verifier key given as the key file, and another key under the same name, each naming the witness', async () => {
    const pick = (p: string) => appWitnessCosigner(async () => p)(w);
    await expect(pick(path.join(tmp.dir, 'absent.key'))).rejects.toMatchObject({ code: 'WITNESS_KEY_UNREADABLE', details: { witness: 'Wendy Witness' } });
    await expect(pick(file('public.key', `${wendy.verifierKey}\n`))).rejects.toMatchObject({ code: 'WITNESS_KEY_INVALID', details: { witness: 'Wendy Witness' } });
    const refused = pick(file('other.key', `${other.signerKey}\n`));
    await expect(refused).rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' } });
    // The refusal names the keys by name and id only, never their material.
    const message = await refused.catch((e: Error) => e.message);
    for (const k of [wendy, other]) expect(message).not.toContain(k.signerKey.split('+')[4]);
  });
});
