/**
 * Checkpoint files as a run writes them: checkpoints/<size>.note and checkpoint.note (the latest),
 * the same signed note; a retry at the same size merges signatures; another tree at the same size
 * is refused (the folder holds another or an altered journal); a witness cosigns the latest, or an
 * older one without touching checkpoint.note. The journal is an in-memory stand-in (id, size, root).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cosignCheckpoint, parseCheckpoint, writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import type { Journal } from '../../../electron/core/transcript/journal';
import { leafHash, merkleRoot } from '../../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner, openNote, parseNote, parseVerifierKey } from '../../../electron/core/transcript/note';
import { tempDir } from '../../helpers/softhsm';

const { dir: root, cleanup } = tempDir('keyrite-checkpoint-');
afterAll(cleanup);

const leaves = Array.from({ length: 5 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
const journalAt = (size: number, of = leaves) => ({ ceremonyId: 'c1', size, root: () => merkleRoot(of, size) }) as unknown as Journal;
const transcript = generateNoteKey('keyrite.transcript/c1');
const witness = generateNoteKey('witness.wendy');
const read = (d: string, f: string) => readFileSync(path.join(d, f), 'utf8');

describe('writeCheckpoint', () => {
  it('writes the size\'s file and checkpoint.note, the same note over origin, size and root', async () => {
    const d = path.join(root, 'write');
    const note = await writeCheckpoint(d, journalAt(3), [keyFileSigner(transcript.signerKey)]);
    expect(read(d, 'checkpoints/000003.note')).toBe(note);
    expect(read(d, 'checkpoint.note')).toBe(note);
    const cp = parseCheckpoint(openNote(note, [parseVerifierKey(transcript.verifierKey)]).text);
    expect({ ...cp, root: Buffer.from(cp.root).toString('hex') }).toEqual({ origin: 'keyrite.transcript/c1', size: 3, root: Buffer.from(merkleRoot(leaves, 3)).toString('hex'), extensions: [] });
  });

  it('merges signatures when the same size is written again (a retry), and refuses another tree at that size', async () => {
    const d = path.join(root, 'retry');
    await writeCheckpoint(d, journalAt(4), [keyFileSigner(transcript.signerKey)]);
    const again = await writeCheckpoint(d, journalAt(4), [keyFileSigner(transcript.signerKey), keyFileSigner(witness.signerKey)]);
    expect(parseNote(again).signatures.map((s) => s.name)).toEqual(['keyrite.transcript/c1', 'witness.wendy']);
    const other = [...leaves];
    other[1] = leafHash(Buffer.from('altered'));
    await expect(writeCheckpoint(d, journalAt(4, other), [keyFileSigner(transcript.signerKey)])).rejects.toMatchObject({
      code: 'CHECKPOINT_CONFLICT',
      message: `A different checkpoint for tree size 4 already exists in ${path.join(d, 'checkpoints')}.`,
      action: expect.stringMatching(/^Stop: the transcript folder holds another ceremony's or an altered journal\./),
    });
    expect(read(d, 'checkpoints/000004.note')).toBe(again);
  });
});

describe('cosignCheckpoint', () => {
  it('says there is nothing to cosign before the first checkpoint', async () => {
    const d = path.join(root, 'none');
    await expect(cosignCheckpoint(d, [keyFileSigner(witness.signerKey)])).rejects.toMatchObject({
      code: 'CHECKPOINT_MISSING', message: `There is no checkpoint in ${d} to cosign.`, action: 'Cosign after the step has written its checkpoint.',
    });
  });

  it('cosigns the latest in both files, and an older one in its own file only', async () => {
    const d = path.join(root, 'cosign');
    const t = keyFileSigner(transcript.signerKey);
    await writeCheckpoint(d, journalAt(2), [t]);
    const latest = await writeCheckpoint(d, journalAt(5), [t]);
    const cos = await cosignCheckpoint(d, [keyFileSigner(witness.signerKey)]);
    expect(read(d, 'checkpoint.note')).toBe(cos);
    expect(read(d, 'checkpoints/000005.note')).toBe(cos);
    expect(cos.startsWith(latest)).toBe(true);
    const older = await cosignCheckpoint(d, [keyFileSigner(witness.signerKey)], 2);
    expect(read(d, 'checkpoints/000002.note')).toBe(older);
    expect(parseNote(older).signatures).toHaveLength(2);
    expect(read(d, 'checkpoint.note')).toBe(cos);
  });
});
