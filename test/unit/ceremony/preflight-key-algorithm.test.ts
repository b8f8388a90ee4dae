/**
 * Pre-flight's mechanisms check asks the token for the algorithm of the key the ceremony makes,
 * restores or signs with, as its type says. sign-dnskey signs with its KSK on the token, and was
 * left out of the hard-coded list the check used before the types said it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { runPreflight } from '../../../electron/core/ceremony/preflight';
import type { SlotView, TokenApi, TokenView } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-preflight-alg-');
afterAll(() => tmp.cleanup());
const policy = parsePolicy(readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')).policy;
const script = (name: string) => parseScript(readFileSync(path.join(ROOT, 'resources/ceremonies', `${name}.yaml`), 'utf8')).script;

/** A token with the script's label that lists only RSA key pairs (the templates' keys are EC P-384). */
function rsaOnlyToken(label: string): TokenApi {
  const token = { label, serial: '1', model: 'm', manufacturer: 'Acme', mechanisms: [], algorithms: ['rsa-3072'], rehearsal: true, flags: {} } as unknown as TokenView;
  const slot: SlotView = { slotId: '0', description: 'fake', manufacturer: 'Acme', hardwareSlot: false, removable: false, tokenPresent: true, token };
  return { listSlots: async () => [slot], openSession: async () => 1, findKeys: async () => [], closeSession: async () => undefined } as unknown as TokenApi;
}

async function mechanisms(name: string) {
  const s = script(name);
  const view = await runPreflight(s, { tokens: rsaOnlyToken(s.token.label!), airGapProbe: async () => [], rehearsal: true, dataDir: tmp.dir, policy });
  return view.checks.find((c) => c.id === 'mechanisms')!;
}

describe('pre-flight: the algorithm of the key the ceremony uses', () => {
  it.each(['sign-dnskey', 'sign-crl', 'sign-artifact', 'sign-intermediate', 'root-keygen'])('%s: a token without its key algorithm fails the check', async (name) => {
    expect(await mechanisms(name)).toMatchObject({ status: 'fail', detail: expect.stringContaining('ec-p384 key pairs') });
  });

  it.each(['destroy', 'check-up'])('%s: uses no key pair on the token, so its algorithm is not asked for', async (name) => {
    expect(await mechanisms(name)).toMatchObject({ status: 'pass' });
  });
});
