/**
 * Key pairs on NSS softokn, a second real PKCS#11 implementation, through the in-process host
 * (token/adapter/keys.ts): an algorithm the token does not list is refused before the token is asked,
 * and the proof of a key says only what the token proves. NSS keeps neither CKA_KEY_GEN_MECHANISM nor
 * CKA_COPYABLE nor CKA_WRAP_WITH_TRUSTED (docs/TOKEN.md): the proof says 'UNAVAILABLE' and leaves the
 * v2.40 flags out rather than guess them, so a policy rule on them fails instead of passing.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { PKCS11_INIT_ARGS_ENV } from '../../../electron/core/token/host-protocol';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { createNssRehearsalToken } from '../../../electron/core/token/rehearsal-nss';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { tempDir } from '../../helpers/softhsm';
import { certificateTemplate, openRawToken } from './raw-token';

const PIN = '482913';
const tmp = tempDir('keyrite-key-templates-nss-');
afterAll(() => tmp.cleanup());

describe('key pairs on NSS softokn (in-process token host)', () => {
  let client: TokenClient;
  let session: string;
  let token: RehearsalToken;
  beforeAll(async () => {
    token = await createNssRehearsalToken({ dir: tmp.dir, label: 'nss-templates', pin: PIN });
    client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner: inProcessSpawner() });
    session = await client.openSession({ label: 'nss-templates' }, { pin: PIN });
  });
  afterAll(async () => { await client?.close(); });

  it('Ed25519, which NSS does not list: MECHANISM_INVALID naming it and what to do; nothing made', async () => {
    const err = await client.generateKeyPair(session, { algorithm: 'ed25519', label: 'nss-ed', id: 'ed01', extractableForBackup: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'MECHANISM_INVALID', message: 'This token does not list the mechanisms for ed25519 keys.',
      action: expect.stringContaining('keyrite tokens'), details: { algorithm: 'ed25519' },
    });
    expect(await client.findKeys(session, { id: 'ed01' })).toEqual([]);
    expect(await client.findKeys(session, { label: 'nss-ed' })).toEqual([]);
  });

  it('an EC key: never extractable, and a proof that leaves out what NSS does not keep', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'nss-ec', id: 'ec01', extractableForBackup: false });
    const proof = await client.readKeyProof(session, key);
    expect(proof).toEqual({
      local: false, sensitive: true, alwaysSensitive: true, extractable: false, neverExtractable: true, keyGenMechanism: 'UNAVAILABLE',
      token: true, private: true, sign: true, decrypt: false, unwrap: false, modifiable: true,
    });
    expect(proof).not.toHaveProperty('copyable');
    expect(proof).not.toHaveProperty('wrapWithTrusted');
    expect(await client.exportPublicKey(session, key)).toEqual(key.spki);
    expect((await client.findKeys(session, { id: 'ec01' })).map((k) => `${k.class} ${k.keyType} ${k.label}`).sort()).toEqual(['private CKK_EC nss-ec', 'public CKK_EC nss-ec']);
  });

  it('a ceremony key (CKA_COPYABLE=FALSE asked) that NSS cannot make: the typed error names C_GenerateKeyPair, outcome unknown; nothing made', async () => {
    const err = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'nss-final', id: 'ec02', extractableForBackup: false, finalAttributes: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'GENERAL_ERROR', details: { ckr: 'CKR_GENERAL_ERROR', function: 'C_GenerateKeyPair', outcomeUnknown: true } });
    expect(await client.findKeys(session, { id: 'ec02' })).toEqual([]);
  });

  it('an RSA key without its public object, beside a certificate of the same id and label: the public key is still read from the private key', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'rsa-3072', label: 'nss-rsa', id: 'ad01', extractableForBackup: false });
    await client.destroyObject(session, key, 'public');
    // The PKCS#11 convention: a certificate under its key's id and label (here any certificate: only its object matters).
    const der = execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null', '-subj', '/CN=nss-rsa', '-days', '1', '-outform', 'DER'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const raw = openRawToken(token.modulePath, token.label, token.env[PKCS11_INIT_ARGS_ENV]);
    try {
      raw.create(certificateTemplate(der, key.id, key.label));
    } finally {
      raw.close();
    }
    expect((await client.findKeys(session, { id: key.id })).map((k) => k.class)).toEqual(['private']);
    expect(await client.exportPublicKey(session, key)).toEqual(key.spki);
  });
});
