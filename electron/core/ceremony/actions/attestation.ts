/**
 * verify-attestation: the device vouches that it generated the ceremony's key. The administrator
 * reads the slot's and the device's attestation certificates off the YubiKey into OUT/attestation/
 * (yubico-piv-tool -a attest -s SLOT; -a read-certificate -s f9); the chain is checked to the
 * vendor root shipped with Keyrite and the attested key must be the key generated here. A token
 * that cannot attest (SoftHSM2, most HSMs through PKCS#11) is recorded as such, plainly; policy
 * can require attestation for a key class, and then the step does not pass without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError, isKeyriteError } from '../../util/errors';
import { certPemOf, certSha256, verifyPivAttestation } from '../../attestation/verify-piv';
import { ATTESTATION_DIR, ATTESTATION_KINDS, DEVICE_CERT_FILE, KEY_CERT_FILE, REHEARSAL_ROOT_FILE, type AttestationAbsentData, type AttestationRefusedData, type AttestationVerifiedData } from '../../attestation/entries';
import type { ActionHandler, RunRead, JournalAppend } from '../step-context';
import { subjectKey } from './keygen';

function readPem(file: string): string {
  return certPemOf(new Uint8Array(readFileSync(file)));
}

export const verifyAttestationStep: ActionHandler<RunRead & JournalAppend> = {
  needsSession: false,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const keyRef = { label: key.label, fingerprint: key.fingerprint };
    const dir = path.join(ctx.outDir, ATTESTATION_DIR);
    const keyFile = path.join(dir, KEY_CERT_FILE), deviceFile = path.join(dir, DEVICE_CERT_FILE);
    const required = ctx.policy.classes[ctx.script.key.class]?.attestationRequired === true;
    const have = [existsSync(keyFile), existsSync(deviceFile)];
    if (!have[0] && !have[1]) {
      const t = ctx.facts.token;
      const what = t ? `${t.manufacturer ? `${t.manufacturer} ` : ''}${t.model ?? 'token'} ${t.label} (serial ${t.serial})` : 'The token';
      const reason = `${what} gave no attestation certificate for ${key.label}: nothing from the device's vendor proves the key was generated on it. The evidence is the token's own attributes (CKA_LOCAL) and the witnesses.`;
      if (required) {
        throw new KeyriteError('ATTESTATION_REQUIRED', `Policy requires a vendor attestation for ${ctx.script.key.class} keys, and ${reason}`, {
          action: `Read the attestation off the device into ${dir} (${KEY_CERT_FILE}: yubico-piv-tool -a attest -s SLOT; ${DEVICE_CERT_FILE}: -a read-certificate -s f9), then continue; a token that cannot attest cannot hold a key of this class.`,
        });
      }
      const data: AttestationAbsentData = { key: keyRef, ...(t ? { token: t } : {}), reason };
      await ctx.append({ kind: ATTESTATION_KINDS.absent, data });
      return { performed: [{ label: 'Attestation', value: `NONE: ${reason}` }], data: { attested: false } };
    }
    if (!have[0] || !have[1]) {
      throw new KeyriteError('INPUT_ATTESTATION_INCOMPLETE', `Only one of ${KEY_CERT_FILE} and ${DEVICE_CERT_FILE} is in ${dir}.`, { action: 'Put both certificates read from the device there, then continue.' });
    }
    const keyCert = readPem(keyFile), deviceCert = readPem(deviceFile);
    const rehearsalRoot = path.join(dir, REHEARSAL_ROOT_FILE);
    const extraRoots = ctx.rehearsal && existsSync(rehearsalRoot) ? [readFileSync(rehearsalRoot, 'utf8')] : [];
    let result;
    try {
      result = await verifyPivAttestation({ keyCertPem: keyCert, deviceCertPem: deviceCert, publicKey: new Uint8Array(Buffer.from(key.spki, 'base64')), extraRoots });
    } catch (e) {
      if (isKeyriteError(e) && !e.code.startsWith('INPUT')) {
        const data: AttestationRefusedData = { key: keyRef, keyCert, deviceCert, error: e.toData() };
        await ctx.append({ kind: ATTESTATION_KINDS.refused, data });
      }
      throw e;
    }
    const rootSource = extraRoots.some((r) => certSha256(r) === result.root.sha256) ? 'rehearsal' : 'vendor';
    const data: AttestationVerifiedData = { key: keyRef, keyCert, deviceCert, result, rootSource };
    await ctx.append({ kind: ATTESTATION_KINDS.verified, data });
    return {
      performed: [
        { label: 'Attestation', value: `VERIFIED: ${key.label} was generated on YubiKey serial ${result.serial ?? '?'} (firmware ${result.firmware ?? '?'})${rootSource === 'rehearsal' ? ' under the REHEARSAL root' : ''}` },
        { label: 'Policy', value: `PIN ${result.pinPolicy ?? '?'}, touch ${result.touchPolicy ?? '?'}${result.formFactor ? `, ${result.formFactor}` : ''}` },
        ...result.advisories.map((a) => ({ label: `Advisory ${a.id}`, value: a.summary })),
      ],
      data: { attested: true },
    };
  },
};

