import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertTokenCapable, capabilityGaps } from '../../../electron/core/token/capabilities';
import { ceremonyNeeds } from '../../../electron/core/ceremony/run-capabilities';
import { parseScript } from '../../../electron/core/ceremony/load';
import { mechanismCode } from '../../../electron/core/token/pkcs11-names';
import type { MechanismView, TokenView } from '../../../electron/core/token/types';

const TEMPLATES = path.resolve(__dirname, '../../../resources/ceremonies');
const script = (name: string) => parseScript(readFileSync(path.join(TEMPLATES, `${name}.yaml`), 'utf8')).script;

function mech(name: string, min = 0, max = 0): MechanismView {
  return { name, code: mechanismCode(name)!, minKeySize: min, maxKeySize: max, flags: [] };
}

const FULL = [mech('CKM_EC_KEY_PAIR_GEN', 256, 521), mech('CKM_ECDSA', 256, 521), mech('CKM_AES_KEY_GEN', 16, 32), mech('CKM_AES_KEY_WRAP_PAD', 16, 32)];

function token(mechanisms: MechanismView[], over: Partial<TokenView> = {}): TokenView {
  return {
    label: 't', serial: '1', model: 'm', manufacturer: 'Acme', mechanisms, algorithms: mechanisms.some((m) => m.name === 'CKM_EC_KEY_PAIR_GEN') ? ['ec-p256', 'ec-p384', 'ec-p521'] : [], rehearsal: false,
    flags: { loginRequired: true, tokenInitialized: true, rng: true, writeProtected: false, userPinInitialized: true, userPinCountLow: false, userPinFinalTry: false, userPinLocked: false, userPinToBeChanged: false, soPinCountLow: false, soPinFinalTry: false, soPinLocked: false, soPinToBeChanged: false },
    ...over,
  };
}

describe('capability check', () => {
  it('reads what each template asks of its token', () => {
    expect(ceremonyNeeds(script('root-keygen'))).toEqual({ generates: ['ec-p384'], signsWith: ['ec-p384'], wraps: true });
    expect(ceremonyNeeds(script('recovery'))).toMatchObject({ generates: [], wraps: false, unwraps: 'ec-p384' });
    expect(ceremonyNeeds(script('sign-crl'))).toMatchObject({ generates: [], signsWith: ['ec-p384'], wraps: false });
    // The KSK signs the DNSKEY RRset on the token: its signing mechanism is asked for too.
    expect(ceremonyNeeds(script('sign-dnskey'))).toMatchObject({ generates: [], signsWith: ['ec-p384'], wraps: false });
    expect(ceremonyNeeds(script('sign-tuf-root')).signsWith).toEqual([script('sign-tuf-root').key.algorithm]);
    expect(ceremonyNeeds(script('rotate'))).toMatchObject({ generates: ['ec-p384'], wraps: true });
  });

  it('passes a token with every mechanism, and names each one that is missing', () => {
    expect(capabilityGaps(ceremonyNeeds(script('root-keygen')), token(FULL))).toEqual([]);
    const noWrap = capabilityGaps(ceremonyNeeds(script('root-keygen')), token(FULL.filter((m) => m.name !== 'CKM_AES_KEY_WRAP_PAD')));
    expect(noWrap).toEqual([{ missing: 'CKM_AES_KEY_WRAP_PAD', reason: expect.stringMatching(/wrap the private key for its backup/) }]);
    const noRecover = capabilityGaps(ceremonyNeeds(script('recovery')), token(FULL.filter((m) => m.name !== 'CKM_AES_KEY_WRAP_PAD')));
    expect(noRecover.map((g) => g.missing)).toEqual(['CKM_AES_KEY_WRAP_PAD']);
    const noEc = capabilityGaps(ceremonyNeeds(script('root-keygen')), token(FULL.filter((m) => m.name !== 'CKM_EC_KEY_PAIR_GEN')));
    expect(noEc.map((g) => g.missing)).toEqual(['CKM_EC_KEY_PAIR_GEN']);
  });

  it('refuses a token without a user PIN or write-protected, and applies measured quirks by manufacturer', () => {
    const flags = { ...token(FULL).flags, userPinInitialized: false, writeProtected: true };
    expect(capabilityGaps(ceremonyNeeds(script('sign-crl')), token(FULL, { flags })).map((g) => g.missing)).toEqual(['CKF_USER_PIN_INITIALIZED', 'CKF_WRITE_PROTECTED']);
    const nss = token(FULL, { manufacturer: 'Mozilla Foundation' });
    expect(capabilityGaps(ceremonyNeeds(script('root-keygen')), nss).map((g) => g.missing)).toEqual(['CKA_EXTRACTABLE', 'CKA_LOCAL', 'CKA_COPYABLE']);
    // A restored key could leave NSS as well, whatever its algorithm.
    expect(capabilityGaps(ceremonyNeeds(script('recovery')), nss).map((g) => g.missing)).toEqual(['CKA_EXTRACTABLE', 'CKA_COPYABLE']);
    expect(capabilityGaps({ ...ceremonyNeeds(script('recovery')), unwraps: 'rsa-4096' }, nss).map((g) => g.missing)).toEqual(['CKA_EXTRACTABLE', 'CKA_COPYABLE']);
    // Signing with a key already there asks nothing NSS lacks.
    expect(capabilityGaps(ceremonyNeeds(script('sign-crl')), nss)).toEqual([]);
  });

  it('throws TOKEN_CAPABILITY_MISSING listing every gap', () => {
    expect(() => assertTokenCapable(ceremonyNeeds(script('root-keygen')), token([]))).toThrow(expect.objectContaining({ code: 'TOKEN_CAPABILITY_MISSING', message: expect.stringMatching(/CKM_EC_KEY_PAIR_GEN[\s\S]*CKM_ECDSA[\s\S]*CKM_AES_KEY_GEN[\s\S]*CKM_AES_KEY_WRAP_PAD/) }));
  });
});
