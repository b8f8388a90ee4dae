/**
 * A transcript that promises its key ends locked (ceremony.start `promises: ['key-locked']`, written by
 * the runner for every type that makes or restores a key) is INVALID when it seals without a
 * key.locked entry showing that key read back not extractable. A transcript that promises nothing
 * (written before promises were recorded) is held to nothing new.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { writeCeremony, softwareRootKey, type CeremonyFixture } from './ceremony-fixture';

const tmp = tempDir('keyrite-verify-promises-');
afterAll(() => tmp.cleanup());

function fileSigner(name: string) {
  const k = generateNoteKey(name);
  return keyFileSigner(k.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string };
}

let n = 0;
async function verdict(over: Pick<CeremonyFixture, 'promises' | 'lock' | 'end' | 'destroyed'>) {
  const dir = path.join(tmp.dir, `c${n++}`);
  const ceremonyId = `promise-${n}`;
  const { journal } = await writeCeremony(dir, {
    ceremonyId, transcriptSigner: fileSigner(`keyrite.transcript/${ceremonyId}`), witnesses: [{ name: 'Wendy', signer: fileSigner('witness/wendy') }],
    makeRootKey: softwareRootKey, ...over,
  });
  await journal.close();
  const r = await verifyTranscript(dir);
  return { valid: r.valid, codes: r.failure ? [r.failure.code] : [], messages: r.failure ? [r.failure.message] : [] };
}

describe('the key-locked promise', () => {
  it('holds: the key made is locked and read back not extractable before the seal (VALID)', async () => {
    expect(await verdict({ promises: ['key-locked'], lock: { extractable: false } })).toMatchObject({ valid: true, codes: [] });
  });

  it('broken: sealed with no key.locked at all is INVALID (KEY_NOT_LOCKED), naming the key', async () => {
    const r = await verdict({ promises: ['key-locked'] });
    expect(r.valid).toBe(false);
    expect(r.codes).toEqual(['KEY_NOT_LOCKED']);
    expect(r.messages[0]).toContain('a0b1c2d3');
  });

  it('broken: a lock whose read-back still says extractable does not count', async () => {
    expect(await verdict({ promises: ['key-locked'], lock: { extractable: true } })).toMatchObject({ valid: false, codes: ['KEY_NOT_LOCKED'] });
  });

  it('broken: a lock whose read-back does not say CKA_EXTRACTABLE at all does not count', async () => {
    expect(await verdict({ promises: ['key-locked'], lock: {} })).toMatchObject({ valid: false, codes: ['KEY_NOT_LOCKED'] });
  });

  it('broken: a lock of another key does not count', async () => {
    expect(await verdict({ promises: ['key-locked'], lock: { id: 'ffff0000', extractable: false } })).toMatchObject({ valid: false, codes: ['KEY_NOT_LOCKED'] });
  });

  it('a transcript that promises nothing (written before promises were recorded) is not held to it', async () => {
    expect(await verdict({})).toMatchObject({ valid: true, codes: [] });
  });

  it('is held at the seal only: an unfinished or aborted ceremony, or one that destroyed its key, is not failed for it', async () => {
    for (const over of [{ end: 'open' as const }, { end: 'aborted' as const }, { destroyed: true }]) {
      const r = await verdict({ promises: ['key-locked'], ...over });
      expect(r.codes, JSON.stringify(over)).not.toContain('KEY_NOT_LOCKED');
    }
  });
});
