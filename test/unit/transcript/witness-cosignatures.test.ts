/**
 * What the report says each witness cosigned (verify.ts): the count of checkpoints signed by that
 * witness's own key, the one recorded with them at ceremony start; never another witness's count,
 * and never a key's whose name happens to be the witness's name.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyFileSigner, generateNoteKey, parseNote, signNote } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { admin, okSteps, smallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-witness-cosignatures-');
afterAll(() => tmp.cleanup());

describe('each witness\'s cosignatures', () => {
  it('two witnesses are counted apart: one cosigned both checkpoints, the other only the newest', async () => {
    const wendy = generateNoteKey('witness/wendy');
    const walter = generateNoteKey('witness/walter');
    const participants = [admin, { role: 'witness', name: 'Wendy', verifierKey: wendy.verifierKey }, { role: 'witness', name: 'Walter', verifierKey: walter.verifierKey }];
    const t = await smallTranscript(tmp.dir, [...okSteps.slice(0, 2), 'checkpoint', ...okSteps.slice(2)], {
      start: { participants }, extraSigners: [keyFileSigner(wendy.signerKey), keyFileSigner(walter.signerKey)],
    });
    // The first checkpoint again, without Walter.
    const first = path.join(t.dir, 'checkpoints', '000003.note');
    writeFileSync(first, await signNote(parseNote(readFileSync(first, 'utf8')).text, [keyFileSigner(t.transcriptKey.signerKey), keyFileSigner(wendy.signerKey)]));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy', 2], ['Walter', 1]]);
  });

  it('a witness with no key cosigned nothing, even when another witness\'s key bears their name', async () => {
    const wendy = generateNoteKey('witness/wendy');
    const participants = [admin, { role: 'witness', name: 'witness/wendy' }, { role: 'witness', name: 'Wendy', verifierKey: wendy.verifierKey }];
    const t = await smallTranscript(tmp.dir, okSteps, { start: { participants }, extraSigners: [keyFileSigner(wendy.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['witness/wendy', 0], ['Wendy', 1]]);
  });
});
