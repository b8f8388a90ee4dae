/**
 * Share words reach the renderer only one way: `ceremony/reveal-share` for the custodian being
 * handed the laptop, while their share is on offer. A root-keygen rehearsal on SoftHSM2 runs through
 * the app's handler table (requests schema-checked, as from the renderer). At every share hand-off
 * every other custodian (and the same custodian once the share is put away) is refused; at the end,
 * no reply but each custodian's own reveal and no pushed event holds any of the share's words, QR
 * or encoding, and neither does the transcript.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CeremonyView, RevealedShare } from '../../../electron/contract/index';
import type { HandlerTable, Result } from '../../../electron/contract/index';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import type { RunInput } from '../../../electron/core/ceremony/run-types';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-share-secrecy-');
afterAll(() => tmp.cleanup());
const CUSTODIANS = ['Carol', 'Dan', 'Erin', 'Frank', 'Grace'];
// Every custodian on paper: the hand-off this test is about (file and token deliveries never show words).
const scriptText = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8').replace('{ name: Frank, delivery: file }', '{ name: Frank, delivery: paper }');

describe('share words in the app', () => {
  it('are revealed only to the custodian being handed the laptop, and appear in no other reply, event or file', async () => {
    const dataDir = path.join(tmp.dir, 'app');
    const token = await createRehearsalToken({ dir: path.join(dataDir, 'token'), label: 'keyrite-rehearsal', pin: '123456' });
    const events: string[] = [];
    const table: HandlerTable = createHandlerTable({
      dataDir, app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] },
      emit: (channel, payload) => { events.push(`${channel} ${JSON.stringify(payload)}`); },
      ceremony: { tokens: defaultTokenFactory, tokenEnv: token.env, rehearsal: true, airGapProbe: async () => [], defaultPolicyText: readFileSync(defaultPolicyPath(), 'utf8') },
    });
    const replies: { channel: string; req: unknown; text: string }[] = [];
    const call = async (channel: string, req?: unknown): Promise<Result<unknown>> => {
      const r = await invokeChannel(table, channel, req);
      replies.push({ channel, req, text: JSON.stringify(r) });
      return r;
    };
    const ok = <T>(r: Result<unknown>): T => {
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.value as T;
    };

    let v = ok<CeremonyView>(await call('ceremony/load', { fileName: 'root-keygen.yaml', text: scriptText }));
    const revealed = new Map<string, RevealedShare>();
    const refusals: string[] = [];
    const answer = (): RunInput => {
      const need = v.need;
      switch (need.kind) {
        case 'confirm': return { kind: 'confirm', who: 'Alice Admin' };
        case 'pin': return { kind: 'pin', pin: '123456' };
        case 'attest': return { kind: 'attest', witness: need.witnesses.find((w) => !need.attested.includes(w))! };
        case 'show-share': return { kind: 'share-shown', custodian: need.custodian };
        case 'verify-share': return { kind: 'verify-share', custodian: need.custodian, words: need.positions.map((p) => revealed.get(need.custodian)!.words[p - 1]!) };
        default: throw new Error(`unexpected need ${need.kind}`);
      }
    };
    for (let guard = 0; v.need.kind !== 'done' && guard < 200; guard++) {
      const need = v.need;
      if (need.kind === 'show-share') {
        for (const other of CUSTODIANS.filter((c) => c !== need.custodian)) {
          const r = await call('ceremony/reveal-share', { custodian: other });
          refusals.push(r.ok ? `${other} got ${need.custodian}'s turn` : r.error.code);
        }
        revealed.set(need.custodian, ok<RevealedShare>(await call('ceremony/reveal-share', { custodian: need.custodian })));
      }
      v = ok<CeremonyView>(await call('ceremony/submit', answer()));
      expect(v.error).toBeNull();
      if (need.kind === 'show-share') {
        // Shown and put away: not even its own custodian sees it again during the word check.
        expect(v.need).toMatchObject({ kind: 'verify-share', custodian: need.custodian });
        const again = await call('ceremony/reveal-share', { custodian: need.custodian });
        refusals.push(again.ok ? `${need.custodian} saw the share again after it was put away` : again.error.code);
      }
    }
    expect(v.need.kind).toBe('done');
    expect([...revealed.keys()]).toEqual(CUSTODIANS);
    expect(refusals).toEqual(Array.from({ length: CUSTODIANS.length * CUSTODIANS.length }, () => 'SHARE_NOT_OFFERED'));

    // Each share's secret forms: two consecutive words (as JSON or as text), the QR, the encoded share.
    const ownReveal = (custodian: string) => (x: { channel: string; req: unknown }) =>
      x.channel === 'ceremony/reveal-share' && (x.req as { custodian: string }).custodian === custodian;
    const transcript = readFileSync(path.join(v.outDir, 'transcript.jsonl'), 'utf8');
    for (const [custodian, share] of revealed) {
      // The first 8 words (88 bits) carry the envelope's public header (version, ceremony tag, split,
      // k, n), the same for every share of the split; from word 9 on every word carries share bits.
      const w = share.words.slice(8);
      expect(w.length).toBeGreaterThan(20);
      const needles = [
        ...w.slice(1).map((word, i) => `${w[i]}","${word}`),
        ...w.slice(1).map((word, i) => `${w[i]} ${word}`),
        // The QR's module pattern: its longest path data (the frame and colours are the same in every QR).
        [...share.qrSvg.matchAll(/ d="([^"]+)"/g)].map((m) => m[1]!).sort((a, b) => b.length - a.length)[0]!,
      ];
      const own = replies.filter(ownReveal(custodian)).filter((x) => x.text.includes('"ok":true'));
      expect(own, custodian).toHaveLength(1);
      expect(own[0]!.text).toContain(`"${w[0]}","${w[1]}"`); // the needles find the words where they are
      const others = [...replies.filter((x) => !own.includes(x)).map((x) => `${x.channel} ${x.text}`), ...events, transcript];
      expect(others.length).toBeGreaterThan(50);
      for (const text of others) for (const needle of needles) expect(text.includes(needle), `${custodian}'s share in: ${text.slice(0, 120)}`).toBe(false);
    }
    ok(await call('ceremony/close'));
  }, 180_000);
});
