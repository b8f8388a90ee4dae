import { generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CeremonyNeed, CeremonyView, RevealedShare } from '../../../electron/contract/index';
import type { CeremonyRun } from '../../../electron/core/ceremony/run-types';
import { createHandlerTable, type HandlerDeps } from '../../../electron/core/ipc/handlers';
import type { PrintService, ShareSheet } from '../../../electron/core/ipc/print-handlers';
import { generateNoteKey, keyFileSigner, parseVerifierKey, verifierKeyFor } from '../../../electron/core/transcript/note';
import { tempDir } from '../../helpers/softhsm';
import { writeCeremony } from '../transcript/ceremony-fixture';

// The run itself is faked below; the script and policy only have to pass ceremony/load's checks.
const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const POLICY = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');

const REAL_WORDS = ['abandon', 'ability', 'able', 'about', 'above', 'absent'];

class FakePrinter implements PrintService {
  sheets: ShareSheet[] = [];
  reports: Array<{ html: string; ceremonyId?: string }> = [];
  constructor(private readonly dialogAnswer: 'ok' | 'cancel' = 'ok') {}
  async printShareSheet(sheet: ShareSheet): Promise<boolean> {
    this.sheets.push(sheet);
    return this.dialogAnswer === 'ok';
  }
  async saveShareSheetPdf(sheet: ShareSheet) {
    this.sheets.push(sheet);
    return this.dialogAnswer === 'ok' ? { saved: true as const, path: '/chosen/share.pdf' } : { saved: false as const };
  }
  async printReport(html: string): Promise<boolean> {
    this.reports.push({ html });
    return this.dialogAnswer === 'ok';
  }
  async saveReportPdf(html: string, ceremonyId: string) {
    this.reports.push({ html, ceremonyId });
    return this.dialogAnswer === 'ok' ? { saved: true as const, path: '/chosen/report.pdf' } : { saved: false as const };
  }
}

type Fact = CeremonyView['steps'][number]['facts'][number];
const KEYGEN_FACTS: Fact[] = [{ label: 'Fingerprint (SHA-256)', value: 'ab'.repeat(32), mono: true }, { label: 'Read aloud', value: 'aardvark absurd', mono: true }];

function view(need: CeremonyNeed, stepFacts: Fact[][] = [KEYGEN_FACTS]): CeremonyView {
  return {
    runId: 'r1', ceremonyId: 'print-test', title: 'Print test', purpose: 'p', type: 'root-keygen', rehearsal: true, outDir: '/tmp/x',
    participants: [], current: 0, need, error: null, deviations: [], handedOff: [],
    steps: stepFacts.map((facts, index) => ({
      id: `s${index}`, index, action: 'generate-key', instruction: 'i', status: 'done', irreversible: true, attest: [], attested: [], facts,
    })),
  };
}

/** A run parked at a share hand-off, as the real runner is during a backup step. */
function fakeRun(need: CeremonyNeed, stepFacts?: Fact[][]): CeremonyRun {
  const offered: RevealedShare = { custodian: 'Bob', words: REAL_WORDS, qrSvg: '<svg xmlns="http://www.w3.org/2000/svg"/>', fingerprint: 'share-fp-1', delivery: 'paper' };
  return {
    view: () => view(need, stepFacts),
    submit: async () => view(need, stepFacts),
    revealShare: async (custodian) => {
      if (custodian !== offered.custodian || need.kind !== 'show-share') throw new Error('not offered');
      return { ...offered, words: [...offered.words] };
    },
    recordDeviation: async () => view(need),
    on: () => () => undefined,
    close: async () => undefined,
  };
}

async function tableWithRun(need: CeremonyNeed, print?: PrintService, stepFacts?: Fact[][]) {
  const deps: HandlerDeps = {
    dataDir: '/nonexistent/keyrite-data',
    app: { version: '1', platform: 'linux', rehearsal: true },
    tokens: { listSlots: async () => [] },
    ceremony: { tokens: async () => { throw new Error('unused'); }, rehearsal: true, openRun: async () => fakeRun(need, stepFacts) },
  };
  if (print) deps.print = print;
  const table = createHandlerTable(deps);
  const loaded = await table['ceremony/load']({ fileName: 'root-keygen.yaml', text: SCRIPT, policyText: POLICY });
  return { table, loaded };
}

const SHOW_BOB: CeremonyNeed = { kind: 'show-share', custodian: 'Bob', delivery: 'paper', position: 1, total: 2 };

describe('print channels', () => {
  it('answers SERVICE_UNAVAILABLE with an action when no print service is wired (browser harness)', async () => {
    const table = createHandlerTable({ dataDir: '/nonexistent', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });
    for (const r of [await table['print/report']({ dir: '/some/folder', output: 'print' }), await table['print/share-sheet']({ custodian: 'Bob', output: 'pdf' })]) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('SERVICE_UNAVAILABLE');
        expect(r.error.action).toMatch(/desktop app/);
      }
    }
  });

  it('refuses requests outside the schema before any printing', async () => {
    const printer = new FakePrinter();
    const table = createHandlerTable({ dataDir: '/x', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, print: printer });
    const bad: Array<[keyof typeof table, unknown]> = [
      ['print/report', { dir: 'relative/folder', output: 'print' }],
      ['print/report', { dir: '/abs', output: 'fax' }],
      ['print/report', { dir: '/abs', output: 'print', html: '<h1>forged</h1>' }],
      ['print/share-sheet', { custodian: '', output: 'print' }],
      ['print/share-sheet', { custodian: 'Bob' }],
    ];
    for (const [channel, req] of bad) {
      const r = await (table[channel] as (x: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)(req);
      expect(r.ok, `${channel} ${JSON.stringify(req)}`).toBe(false);
      expect(r.error?.code).toBe('REQUEST_INVALID');
    }
    expect(printer.sheets).toHaveLength(0);
    expect(printer.reports).toHaveLength(0);
  });

  it('builds the share sheet from the run, never from words in the request', async () => {
    const printer = new FakePrinter();
    const { table, loaded } = await tableWithRun(SHOW_BOB, printer);
    expect(loaded.ok).toBe(true);
    const forged = await (table['print/share-sheet'] as (x: unknown) => Promise<{ ok: boolean; error?: { code: string } }>)({ custodian: 'Bob', output: 'print', words: ['zoo', 'zoo'] });
    expect(forged.error?.code).toBe('REQUEST_INVALID');
    expect(printer.sheets).toHaveLength(0);

    expect(await table['print/share-sheet']({ custodian: 'Bob', output: 'print' })).toEqual({ ok: true, value: { done: true, path: null } });
    const sheet = printer.sheets[0];
    expect(sheet?.words).toEqual(REAL_WORDS);
    expect(sheet?.custodian).toBe('Bob');
    expect(sheet?.ceremonyId).toBe('print-test');
    expect(sheet?.shareLabel).toBe('Share 1 of 2');
    expect(sheet?.qrSvg).toContain('<svg');
    expect(sheet?.fingerprints).toEqual([
      { label: 'Key fingerprint (SHA-256)', hex: 'ab'.repeat(32), words: 'aardvark absurd' },
      { label: 'Share fingerprint', hex: 'share-fp-1', words: '' },
    ]);
    expect(await table['print/share-sheet']({ custodian: 'Bob', output: 'pdf' })).toEqual({ ok: true, value: { done: true, path: '/chosen/share.pdf' } });
  });

  it('refuses a sheet for a custodian whose share is not on offer', async () => {
    const printer = new FakePrinter();
    const { table } = await tableWithRun(SHOW_BOB, printer);
    const r = await table['print/share-sheet']({ custodian: 'Cy', output: 'print' });
    expect(r.ok ? null : r.error.code).toBe('SHARE_NOT_OFFERED');
    expect(printer.sheets).toHaveLength(0);
  });

  it('refuses a sheet when no ceremony is open, and when the script sends the share to a token', async () => {
    const printer = new FakePrinter();
    const none = createHandlerTable({ dataDir: '/x', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, print: printer });
    const r1 = await none['print/share-sheet']({ custodian: 'Bob', output: 'print' });
    expect(r1.ok ? null : r1.error.code).toBe('SHARE_NOT_OFFERED');
    const { table } = await tableWithRun({ ...SHOW_BOB, delivery: 'token' }, printer);
    const r2 = await table['print/share-sheet']({ custodian: 'Bob', output: 'print' });
    expect(r2.ok ? null : r2.error.code).toBe('SHARE_DELIVERY_TOKEN');
    expect(printer.sheets).toHaveLength(0);
  });

  it('says why there is no sheet, and when a sheet can be printed, to the room', async () => {
    const printer = new FakePrinter();
    const { table } = await tableWithRun(SHOW_BOB, printer);
    expect(await table['print/share-sheet']({ custodian: 'Cy', output: 'print' })).toEqual({
      ok: false,
      error: { code: 'SHARE_NOT_OFFERED', message: 'It is not Cy\'s turn to receive a share, so there is no sheet to print.', action: 'Print the sheet during the hand-off, while the ceremony shows this custodian\'s share.' },
    });
    // Bob's turn to verify his share, not to receive it: still no sheet.
    const verifying = await tableWithRun({ kind: 'verify-share', custodian: 'Bob', delivery: 'paper', positions: [3, 9], wordCount: 37 }, printer);
    expect(await verifying.table['print/share-sheet']({ custodian: 'Bob', output: 'print' })).toMatchObject({ ok: false, error: { code: 'SHARE_NOT_OFFERED' } });
    const token = await tableWithRun({ ...SHOW_BOB, delivery: 'token' }, printer);
    expect(await token.table['print/share-sheet']({ custodian: 'Bob', output: 'print' })).toEqual({
      ok: false,
      error: { code: 'SHARE_DELIVERY_TOKEN', message: 'The script says Bob\'s share goes onto their token, not paper.', action: 'Follow the script: encrypt the share to the custodian\'s token, or record a deviation first.' },
    });
    const none = createHandlerTable({ dataDir: '/x', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });
    expect(await none['print/report']({ dir: '/some/folder', output: 'print' })).toEqual({
      ok: false,
      error: { code: 'SERVICE_UNAVAILABLE', message: 'Printing is not available in this build of Keyrite.', action: 'Print from the Keyrite desktop app; here, save the report as HTML and print that file.' },
    });
    expect(printer.sheets).toHaveLength(0);
  });

  it('puts the key fingerprint from whichever step recorded it on the sheet, its words only when read aloud was recorded', async () => {
    const printer = new FakePrinter();
    const later: Fact[][] = [[{ label: 'Token', value: 'keyrite-rehearsal' }], [{ label: 'Algorithm', value: 'ec-p384' }, { label: 'Fingerprint (SHA-256)', value: 'cd'.repeat(32), mono: true }, { label: 'Token', value: 'x' }]];
    await (await tableWithRun(SHOW_BOB, printer, later)).table['print/share-sheet']({ custodian: 'Bob', output: 'print' });
    expect(printer.sheets[0]?.fingerprints).toEqual([
      { label: 'Key fingerprint (SHA-256)', hex: 'cd'.repeat(32), words: '' },
      { label: 'Share fingerprint', hex: 'share-fp-1', words: '' },
    ]);
    await (await tableWithRun(SHOW_BOB, printer, [[{ label: 'Token', value: 'keyrite-rehearsal' }]])).table['print/share-sheet']({ custodian: 'Bob', output: 'print' });
    expect(printer.sheets[1]?.fingerprints).toEqual([{ label: 'Share fingerprint', hex: 'share-fp-1', words: '' }]);
    await (await tableWithRun(SHOW_BOB, printer, [[{ label: 'Fingerprint (SHA-256)', value: 'ef'.repeat(32), mono: true }]])).table['print/share-sheet']({ custodian: 'Bob', output: 'print' });
    expect(printer.sheets[2]?.fingerprints[0]).toEqual({ label: 'Key fingerprint (SHA-256)', hex: 'ef'.repeat(32), words: '' });
  });

  it('reports a cancelled dialog as not done, with nothing saved', async () => {
    const { table } = await tableWithRun(SHOW_BOB, new FakePrinter('cancel'));
    expect(await table['print/share-sheet']({ custodian: 'Bob', output: 'pdf' })).toEqual({ ok: true, value: { done: false, path: null } });
  });
});

describe('print/report over a real transcript', () => {
  const tmp = tempDir('keyrite-print-report-');
  const dir = path.join(tmp.dir, 'root-2026');
  beforeAll(async () => {
    const signer = (name: string) => keyFileSigner(generateNoteKey(name).signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string };
    const { journal } = await writeCeremony(dir, {
      ceremonyId: 'root-2026', transcriptSigner: signer('keyrite.transcript/root-2026'), witnesses: [{ name: 'Wendy', signer: signer('witness/wendy') }],
      makeRootKey: async (id) => {
        const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
        const spki = publicKey.export({ format: 'der', type: 'spki' });
        const vk = verifierKeyFor('keyrite.root/root-2026', 'keyrite.spki/v1', spki);
        const v = parseVerifierKey(vk);
        return {
          signer: { name: v.name, keyHash: v.keyHash, verifierKey: vk, sign: async (m: Uint8Array) => new Uint8Array(sign('sha384', m, privateKey)) },
          spki, algorithm: 'ec-p384', label: 'root-2026', id, proof: { local: true, sensitive: true, extractable: false, neverExtractable: true },
        };
      },
    });
    await journal.close();
  });
  afterAll(() => tmp.cleanup());

  it('prints the report main renders from the folder, and saves it as PDF under the ceremony id', async () => {
    const printer = new FakePrinter();
    const table = createHandlerTable({ dataDir: '/x', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, print: printer });
    expect(await table['print/report']({ dir, output: 'print' })).toEqual({ ok: true, value: { done: true, path: null } });
    expect(printer.reports[0]?.html).toContain('VALID: the transcript is intact');
    expect(printer.reports[0]?.html).not.toContain('<script');
    expect(await table['print/report']({ dir, output: 'pdf' })).toEqual({ ok: true, value: { done: true, path: '/chosen/report.pdf' } });
    expect(printer.reports[1]?.ceremonyId).toBe('root-2026');
  });

  it('refuses a folder without a transcript with the verifier\'s own error', async () => {
    const printer = new FakePrinter();
    const table = createHandlerTable({ dataDir: '/x', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, print: printer });
    const r = await table['print/report']({ dir: tmp.dir, output: 'print' });
    expect(r.ok ? null : r.error.code).toBe('INPUT_NO_TRANSCRIPT');
    expect(printer.reports).toHaveLength(0);
  });
});
