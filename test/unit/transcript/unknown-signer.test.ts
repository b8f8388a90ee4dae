/**
 * A signature line from a key the transcript does not know is reported by the verifier, wherever
 * it is: in checkpoints/<size>.note, and in checkpoint.note alone (where a forger would add one to
 * the file an auditor reads first). It is never counted as a witness.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cosignNote, generateNoteKey, keyFileSigner, parseVerifierKey } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { writeCeremony, softwareRootKey } from './ceremony-fixture';

const tmp = tempDir('keyrite-unknown-signer-');
const good = path.join(tmp.dir, 'good');
afterAll(() => tmp.cleanup());

beforeAll(async () => {
  const t = generateNoteKey('keyrite.transcript/c-unknown');
  const w = generateNoteKey('witness/wendy');
  const { journal } = await writeCeremony(good, {
    ceremonyId: 'c-unknown',
    transcriptSigner: keyFileSigner(t.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string },
    witnesses: [{ name: 'Wendy', signer: keyFileSigner(w.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string } }],
    makeRootKey: softwareRootKey,
  });
  await journal.close();
});

describe('a signature by an unknown key', () => {
  it('added to checkpoint.note only is reported, and not counted as a signer', async () => {
    const before = await verifyTranscript(good);
    expect(before.valid).toBe(true);
    expect(before.unknownSigners).toEqual([]);
    const copy = path.join(tmp.dir, 'forged');
    cpSync(good, copy, { recursive: true });
    const mallory = generateNoteKey('witness/mallory');
    const file = path.join(copy, 'checkpoint.note');
    writeFileSync(file, await cosignNote(readFileSync(file, 'utf8'), [keyFileSigner(mallory.signerKey)]));
    const r = await verifyTranscript(copy);
    const id = parseVerifierKey(mallory.verifierKey);
    const named = r.unknownSigners.find((u) => u.startsWith(`${id.name}+`));
    expect(named, JSON.stringify(r.unknownSigners)).toBeDefined();
    expect(r.signers.map((s) => s.name)).not.toContain(id.name);
  });
});
