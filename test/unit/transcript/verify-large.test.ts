/**
 * Large transcripts: lines are decoded a window of whole lines at a time (one string per file would
 * pass V8's string limit and crash with exit 1); the findings do not depend on the window.
 * (Over the size limit: test/integration/cli/verify-too-large.test.ts.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { scanTranscript } from '../../../electron/core/transcript/verify-entries';
import { tempDir } from '../../helpers/softhsm';
import { writeCeremony, softwareRootKey } from './ceremony-fixture';

const tmp = tempDir('keyrite-verify-large-');
const good = path.join(tmp.dir, 'good');

beforeAll(async () => {
  const t = generateNoteKey('keyrite.transcript/c-large');
  const w = generateNoteKey('witness/wendy');
  const { journal } = await writeCeremony(good, {
    ceremonyId: 'c-large',
    transcriptSigner: keyFileSigner(t.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string },
    witnesses: [{ name: 'Wendy', signer: keyFileSigner(w.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string } }],
    makeRootKey: softwareRootKey,
  });
  await journal.close();
});
afterAll(() => tmp.cleanup());

describe('scanTranscript decodes in windows of whole lines', () => {
  it('gives the same entries, leaves and offsets whatever the window (smaller than one line, a few lines, the whole file)', () => {
    const buf = readFileSync(path.join(good, 'transcript.jsonl'));
    const whole = scanTranscript(buf, undefined);
    expect(whole.failure).toBeUndefined();
    expect(whole.entries.length).toBeGreaterThan(5);
    for (const size of [7, 300, 1000, buf.length]) {
      const windowed = scanTranscript(buf, undefined, size);
      expect(windowed.failure).toBeUndefined();
      expect(windowed.entries).toEqual(whole.entries);
      expect(windowed.leaves).toEqual(whole.leaves);
      expect(windowed.offsets).toEqual(whole.offsets);
    }
  });

  it('names the same first bad entry in any window, for a non-ASCII byte and for a torn end', () => {
    const buf = readFileSync(path.join(good, 'transcript.jsonl'));
    const at = buf.indexOf(0x0a, buf.indexOf(0x0a) + 1) + 10;
    const changed = Buffer.from(buf);
    changed[at] = 0xe9;
    const torn = buf.subarray(0, buf.length - 1);
    for (const bad of [changed, torn]) {
      const whole = scanTranscript(bad, undefined);
      expect(whole.failure).toBeDefined();
      for (const size of [7, 300]) expect(scanTranscript(bad, undefined, size).failure).toEqual(whole.failure);
    }
  });
});
