/**
 * Standard exports from a sign-crl rehearsal (which first rehearses root-keygen into OUT/prior):
 * the inventory as a CycloneDX 1.6 CBOM validated against the official JSON schema (as shipped by
 * @cyclonedx/cyclonedx-library, checked with ajv), and the transcript as SIEM JSON lines that
 * round-trip to the signed Merkle root, where an edited, dropped or re-labelled event fails.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from '../ceremony/helpers';
import { keyrite } from '../../helpers/keyrite-cli';

const tmp = tempDir('keyrite-exports-');
afterAll(() => tmp.cleanup());
const out = path.join(tmp.dir, 'crl');

function cyclonedxValidator() {
  const schemas = path.join(path.dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
  const load = (f: string) => JSON.parse(readFileSync(path.join(schemas, f), 'utf8'));
  // The schema's own formats beyond ajv-formats (IRIs, international e-mail) are not used by a CBOM.
  const ajv = new Ajv({ strict: false, allErrors: true, formats: { 'iri-reference': true, 'idn-email': true } });
  addFormats(ajv);
  // The library's copies name each other by their file names; serve them under those names.
  for (const f of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) ajv.addSchema({ ...load(f), $id: `http://cyclonedx.org/schema/${f}` });
  return ajv.compile(load('bom-1.6.SNAPSHOT.schema.json'));
}

beforeAll(async () => {
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'sign-crl.yaml'), outDir: out, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'sign-crl.rehearsal.yaml') });
}, 240_000);

describe('keyrite export cbom', () => {
  it('writes a CBOM that the CycloneDX 1.6 schema accepts, with state, dates, fingerprint and securedBy', async () => {
    const file = path.join(tmp.dir, 'cbom.json');
    const r = await keyrite('export', 'cbom', tmp.dir, '--out', file);
    expect(r.code, r.stderr).toBe(0);
    const bom = JSON.parse(readFileSync(file, 'utf8'));
    const validate = cyclonedxValidator();
    expect(validate(bom), JSON.stringify(validate.errors, null, 1)).toBe(true);
    const inv = JSON.parse((await keyrite('inventory', tmp.dir, '--json')).stdout);
    const key = inv.keys[0];
    const priv = bom.components.find((c: { 'bom-ref': string }) => c['bom-ref'] === `crypto/key/${key.fingerprint}/private`);
    expect(priv.cryptoProperties.relatedCryptoMaterialProperties).toMatchObject({ type: 'private-key', state: key.state, id: key.id, securedBy: { mechanism: 'HSM' }, creationDate: key.history[0].date, algorithmRef: 'crypto/algorithm/ec-p384' });
    const pub = bom.components.find((c: { 'bom-ref': string }) => c['bom-ref'] === `crypto/key/${key.fingerprint}/public`);
    expect(pub.hashes).toEqual([{ alg: 'SHA-256', content: key.fingerprint }]);
    expect(bom.components.some((c: { cryptoProperties: { assetType: string } }) => c.cryptoProperties.assetType === 'certificate')).toBe(true);
    // The validator is not a rubber stamp: a state outside SP 800-57's is refused.
    priv.cryptoProperties.relatedCryptoMaterialProperties.state = 'retired';
    expect(validate(bom)).toBe(false);
  });
});

describe('keyrite export siem', () => {
  let events: string[];
  const check = async (lines: string[]) => {
    const f = path.join(tmp.dir, `siem-${Math.random().toString(36).slice(2)}.jsonl`);
    writeFileSync(f, lines.join(''));
    return keyrite('export', 'siem', '--check', f, out);
  };

  beforeAll(async () => {
    const r = await keyrite('export', 'siem', out);
    expect(r.code, r.stderr).toBe(0);
    events = r.stdout.split('\n').filter(Boolean).map((l) => `${l}\n`);
  });

  it('keeps every entry, its seq and hash, and round-trips to the signed Merkle root', async () => {
    const transcript = readFileSync(path.join(out, 'transcript.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(events.length).toBe(transcript.length);
    const first = JSON.parse(events[3]!);
    expect(first).toMatchObject({ event: { sequence: 3, dataset: 'keyrite.transcript' }, keyrite: { entry: transcript[3] } });
    expect(first.event.hash).toMatch(/^[0-9a-f]{64}$/);
    const r = await check(events);
    expect(r.code, r.stdout).toBe(0);
    const verify = JSON.parse((await keyrite('verify', out, '--json')).stdout);
    expect(r.stdout).toContain(`Merkle root ${verify.checkpoints.at(-1).root}`);
  });

  it('fails an export whose entry was edited, whose outer field was edited, or that lost an event', async () => {
    const edited = [...events];
    const e = JSON.parse(edited[5]!);
    const entry = JSON.parse(e.keyrite.entry);
    entry.actor.name = 'Mallory';
    e.keyrite.entry = JSON.stringify(entry);
    e.user.name = 'Mallory';
    e.event.hash = '0'.repeat(64);
    edited[5] = JSON.stringify(e) + '\n';
    const r1 = await check(edited);
    expect(r1.code).toBe(1);
    expect(r1.stdout).toMatch(/DOES NOT MATCH: event 5/);

    const relabelled = [...events];
    const e2 = JSON.parse(relabelled[2]!);
    e2.user.name = 'Someone Else';
    relabelled[2] = JSON.stringify(e2) + '\n';
    expect((await check(relabelled)).stdout).toMatch(/DOES NOT MATCH: event 2 .*a field was edited/);

    const dropped = events.filter((_, i) => i !== events.length - 1);
    const r3 = await check(dropped);
    expect(r3.code).toBe(1);
    expect(r3.stdout).toMatch(/the signed checkpoint covers \d+ entries/);
  });
});
