/**
 * What a custodian typing a share at recovery learns from an error, through the handler table
 * (`recovery/start`, `recovery/add-share`, requests schema-checked as from the renderer). One wrong
 * word: its position is named, and neither the word the sheet has nor the one typed is anywhere in
 * the reply (error messages and details may be logged). A share whose header claims another k or n
 * than the backup's split is refused, even though its words check out.
 */
import { describe, expect, it } from 'vitest';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import type { HandlerTable, Result } from '../../../electron/contract/index';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { serializeBackupFile } from '../../../electron/core/shares/backup-file';
import { makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { signBackup, softBackup } from '../shares/fixtures';

/** A backup split 3-of-5, signed as the root key would sign it (a software P-384 key stands in). */
async function signedBackup() {
  const { backup, shares } = await softBackup();
  return { text: serializeBackupFile(signBackup(backup)), shares };
}

function table(): HandlerTable {
  return createHandlerTable({ dataDir: '/nonexistent', app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });
}

async function started() {
  const t = table();
  const { text, shares } = await signedBackup();
  const r = await invokeChannel(t, 'recovery/start', { backupFileName: 'backup.json', backupText: text });
  expect(r).toMatchObject({ ok: true, value: { k: 3, n: 5 } });
  return { add: (words: string[]) => invokeChannel(t, 'recovery/add-share', { kind: 'words', words }), shares };
}

const errorOf = (r: Result<unknown>) => {
  if (r.ok) throw new Error('expected the share to be refused');
  return r.error;
};

describe('a share typed at recovery with one wrong word', () => {
  it('names the position and never the right or the typed word', async () => {
    const { add, shares } = await started();
    const words = encodeShareWords(shares[1] as ShareEnvelope);
    // Positions across the share: in the header, the share bytes and the check words at the end.
    // The reply's own wording uses words that are also on the BIP-39 list; a share's words are never in it.
    const wording = new Set(['check', 'error', 'other', 'share', 'word', 'wrong']);
    const shapes = new Set<string>();
    for (const pos of [2, 17, words.length - 1]) {
      const right = words[pos]!;
      const typed = [...words];
      const wrong = wordlist[(wordlist.indexOf(right) + 977) % 2048]!;
      typed[pos] = wrong;
      const r = await add(typed);
      const err = errorOf(r);
      expect(err.code).toBe('SHARE_CHECKSUM');
      expect(err.details).toEqual({ wordIndex: pos + 1 });
      expect(err.message).toBe(`Word ${pos + 1} looks wrong; every other word checks out.`);
      expect(err.action).toBe(`Check word ${pos + 1} against the share sheet.`);
      const reply = JSON.stringify(r);
      for (const w of [right, wrong]) if (!wording.has(w)) expect(reply, `${w} at ${pos + 1}`).not.toMatch(new RegExp(`\\b${w}\\b`, 'i'));
      shapes.add(reply.replace(/\d+/g, '#'));
    }
    // Every refusal reads the same but for the position: nothing of the share's words is in any of them.
    expect(shapes.size).toBe(1);
    // Nothing was taken in, and the right words are accepted afterwards.
    expect(await add(words)).toMatchObject({ ok: true, value: { accepted: [{ ordinal: 1, x: 2 }] } });
  });
});

describe('a share whose header disagrees with the backup', () => {
  for (const [what, k, n] of [['k', 2, 5], ['n', 3, 4]] as const) {
    it(`is refused when its ${what} differs, though its words check out`, async () => {
      const { add, shares } = await started();
      const real = shares[0] as ShareEnvelope;
      const forged = makeEnvelope({ ceremonyTag: real.ceremonyTag, splitId: real.splitId, k, n, share: real.share });
      const err = errorOf(await add(encodeShareWords(forged)));
      expect(err.code).toBe('SHARE_WRONG_SPLIT');
      expect(err.message).toBe(`This share says ${k}-of-${n}; the backup is 3-of-5.`);
      expect(await add(encodeShareWords(real))).toMatchObject({ ok: true, value: { accepted: [{ ordinal: 1, custodian: 'alice', x: 1 }] } });
    });
  }
});
