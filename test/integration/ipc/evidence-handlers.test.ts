/**
 * The handler table with the real core services (as Electron main and the e2e harness bind it) on a
 * sign-crl rehearsal (root-keygen first, into prior/): inventory/list carries the due dates the CLI
 * lists, in order, each with its key and ceremony; audit/verify carries the provenance
 * ceremony.start recorded and the attestation status.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { createHandlerTable } from '../../../electron/core/ipc/handlers';
import { createCoreServices } from '../../../electron/core/ipc/services';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-evidence-ipc-');
afterAll(() => tmp.cleanup());
const out = path.join(tmp.dir, 'crl');
const DAY = 86_400_000;

const table = () => createHandlerTable({
  ...createCoreServices({ dataDir: tmp.dir }),
  dataDir: tmp.dir,
  app: { version: '0.0.0', platform: 'linux', rehearsal: true },
  tokens: { listSlots: async () => [] },
});

beforeAll(async () => {
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'sign-crl.yaml'), outDir: out, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'sign-crl.rehearsal.yaml') });
}, 240_000);

describe('evidence through the handler table', () => {
  it('inventory/list gives the due dates in order: CRL re-signing a lead time before nextUpdate, then the root certificate expiry', async () => {
    const crlEntries = readJournalEntries(path.join(out, 'transcript.jsonl'));
    const crl = crlEntries.find((e) => e.kind === 'crl.issued')!.data as { nextUpdate: string; crlNumber: number };
    const prior = readJournalEntries(path.join(out, 'prior', 'transcript.jsonl'));
    const notAfter = (prior.find((e) => e.kind === 'certificate.issued')!.data as { notAfter: string }).notAfter;
    const r = await table()['inventory/list']();
    if (!r.ok) throw new Error(r.error.message);
    const due = r.value.due!;
    const dueFroms = due.map((d) => d.dueFrom);
    expect([...dueFroms].sort()).toEqual(dueFroms);
    const crlItem = due.find((d) => d.kind === 'crl-next-update')!;
    expect(crlItem).toMatchObject({
      title: 'CRL re-signing', keyLabel: 'example-root-2026', ceremony: crlEntries[0]!.ceremony, status: 'upcoming',
      deadline: new Date(crl.nextUpdate).toISOString(), dueFrom: new Date(new Date(crl.nextUpdate).getTime() - 14 * DAY).toISOString(),
    });
    const certItem = due.find((d) => d.kind === 'certificate-expiry')!;
    expect(certItem).toMatchObject({ title: 'Certificate expiry', ceremony: prior[0]!.ceremony, deadline: new Date(notAfter).toISOString() });
    expect(due.indexOf(crlItem)).toBeLessThan(due.indexOf(certItem));
  });

  it('audit/verify gives the recorded provenance and says the SoftHSM2 key has no attestation', async () => {
    const start = readJournalEntries(path.join(out, 'prior', 'transcript.jsonl'))[0]!.data as { provenance: { keyrite: { code: { sha256: string; words: string[] } }; module: { sha256: string } } };
    const r = await table()['audit/verify']({ dir: path.join(out, 'prior') });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.verdict).toBe('verified');
    expect(r.value.provenance).toMatchObject({ recorded: true, codeDigest: start.provenance.keyrite.code.sha256, codeWords: start.provenance.keyrite.code.words });
    expect(r.value.provenance!.facts.find((f) => f.label === 'Module SHA-256')?.value).toBe(start.provenance.module.sha256);
    expect(r.value.attestations?.map((a) => a.status)).toEqual(['absent']);
  });
});
