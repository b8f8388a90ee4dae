/**
 * readCertificates on SoftHSM2 through the token host: the X.509 certificate objects another tool
 * wrote (pkcs11-tool, with ykcs11's attestation labels and ids) come back by CKA_ID and/or label
 * with their exact CKA_VALUE; an exact label is not a prefix; keys are never listed.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { readPivAttestationObjects } from '../../../electron/core/attestation/ykcs11-objects';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';
import { derOf, listCertObjects, VECTORS, writeCertObject, type TokenAt } from '../attestation/token-certs';

const DEVICE_LABEL = 'X.509 Certificate for PIV Attestation';
const SLOT_9C_LABEL = 'X.509 Certificate for PIV Attestation 9c';

describe('readCertificates: certificate objects and their CKA_VALUE', () => {
  const tmp = tempDir('keyrite-certs-');
  let client: TokenClient;
  let session: string;
  let at: TokenAt;

  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'certs');
    at = { modulePath: token.modulePath, label: 'certs', pin: USER_PIN, env: token.env };
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'certs' }, { pin: USER_PIN });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  it('finds none on a token that holds none, and never lists a key', async () => {
    expect(await client.readCertificates(session, {})).toEqual([]);
    await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'not-a-cert', id: 'c0de01', extractableForBackup: false });
    expect(await client.readCertificates(session, { id: 'c0de01' })).toEqual([]);
    expect(await client.readCertificates(session, {})).toEqual([]);
  });

  it('returns the objects pkcs11-tool wrote, by id and by exact label, with their DER bytes', async () => {
    const v = path.join(VECTORS, '14833186');
    writeCertObject(at, path.join(v, 'key_cert.pem'), SLOT_9C_LABEL, '02', tmp.dir);
    writeCertObject(at, path.join(v, 'device_cert.pem'), DEVICE_LABEL, '19', tmp.dir);
    // ykcs11 also shows the slot's ordinary certificate under the key's id: the label tells them apart.
    writeCertObject(at, path.join(VECTORS, '13078782', 'key_cert.pem'), 'X.509 Certificate for Digital Signature', '02', tmp.dir);
    expect(listCertObjects(at)).toContain(SLOT_9C_LABEL);

    const byId = await client.readCertificates(session, { id: '02' });
    expect(byId.map((c) => c.label).sort()).toEqual(['X.509 Certificate for Digital Signature', SLOT_9C_LABEL]);
    const [slot] = await client.readCertificates(session, { id: '02', label: SLOT_9C_LABEL });
    expect(slot).toMatchObject({ id: '02', label: SLOT_9C_LABEL, onToken: true });
    expect(Buffer.from(slot!.der).equals(derOf(path.join(v, 'key_cert.pem')))).toBe(true);

    // "X.509 Certificate for PIV Attestation" is the device certificate only, not every label it begins.
    const device = await client.readCertificates(session, { label: DEVICE_LABEL });
    expect(device.map((c) => c.id)).toEqual(['19']);
    expect(Buffer.from(device[0]!.der).equals(derOf(path.join(v, 'device_cert.pem')))).toBe(true);
    expect(await client.readCertificates(session, { id: '19', label: SLOT_9C_LABEL })).toEqual([]);
    expect(await client.readCertificates(session, {})).toHaveLength(3);
  });

  it('finds a YubiKey\'s PIV attestation as ykcs11 shows it, and refuses two for one key (ATTESTATION_TOKEN_AMBIGUOUS)', async () => {
    const read = (q: { id?: string; label?: string }) => client.readCertificates(session, q);
    const found = await readPivAttestationObjects(read, '02');
    expect(found.key).toMatchObject({ label: SLOT_9C_LABEL, slot: '9c', id: '02' });
    expect(found.device).toMatchObject({ label: DEVICE_LABEL, id: '19' });
    expect(await readPivAttestationObjects(read, '03')).toEqual({ device: found.device });
    writeCertObject(at, path.join(VECTORS, '13078782', 'key_cert.pem'), 'X.509 Certificate for PIV Attestation 9a', '02', tmp.dir);
    await expect(readPivAttestationObjects(read, '02')).rejects.toMatchObject({ code: 'ATTESTATION_TOKEN_AMBIGUOUS' });
  });

  it('refuses an id that is not lowercase hex (KEY_ID_INVALID)', async () => {
    await expect(client.readCertificates(session, { id: '9C' })).rejects.toMatchObject({ code: 'KEY_ID_INVALID' });
  });
});
