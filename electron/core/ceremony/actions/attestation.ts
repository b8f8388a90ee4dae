/**
 * verify-attestation: the device vouches that it generated the ceremony's key. The slot's and the
 * device's attestation certificates come from OUT/attestation/ when the administrator put them
 * there (yubico-piv-tool -a attest -s SLOT; -a read-certificate -s f9), else from the token itself:
 * the certificate objects ykcs11 shows (attestation/ykcs11-objects.ts), published into
 * OUT/attestation/ as those same files and journaled with their SHA-256. The chain is checked to
 * the vendor root shipped with Keyrite and the attested key must be the key generated here. A
 * token that cannot attest (SoftHSM2, most HSMs through PKCS#11) is recorded as such, plainly;
 * policy can require attestation for a key class, and then the step does not pass without it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { KeyriteError, isKeyriteError } from '../../util/errors';
import { PUBLIC_FILE_MODE } from '../../util/fs-durable';
import { certPemOf, certSha256, verifyPivAttestation } from '../../attestation/verify-piv';
import { readPivAttestationObjects, YKCS11_DEVICE_CERT, type TokenCertObject } from '../../attestation/ykcs11-objects';
import { ATTESTATION_DIR, ATTESTATION_KINDS, DEVICE_CERT_FILE, KEY_CERT_FILE, REHEARSAL_ROOT_FILE, type AttestationAbsentData, type AttestationRefusedData, type AttestationSource, type AttestationVerifiedData } from '../../attestation/entries';
import { publishFile } from '../publish-file';
import type { KeyInfo } from '../run-facts';
import type { ActionHandler, RunRead, JournalAppend, TokenSession } from '../step-context';
import { subjectKey } from './keygen';

type Ctx = RunRead & JournalAppend & TokenSession;

function readPem(file: string): string {
  return certPemOf(new Uint8Array(readFileSync(file)));
}

function tokenName(ctx: RunRead): string {
  const t = ctx.facts.token;
  return t ? `${t.manufacturer ? `${t.manufacturer} ` : ''}${t.model ?? 'token'} ${t.label} (serial ${t.serial})` : 'The token';
}

type Found = { certs: { keyCert: string; deviceCert: string; source: AttestationSource } } | { none: string };

/** The key's and the device's attestation certificates from the token, published as the files; or why there are none. */
async function fromToken(ctx: Ctx, key: KeyInfo, dir: string): Promise<Found> {
  const found = await readPivAttestationObjects((q) => ctx.token().readCertificates(ctx.session(), q), key.id);
  const what = tokenName(ctx);
  const noVendor = 'nothing from the device\'s vendor proves the key was generated on it. The evidence is the token\'s own attributes (CKA_LOCAL) and the witnesses.';
  if (!found.key) {
    const why = found.device
      ? `it shows its device attestation certificate ("${YKCS11_DEVICE_CERT.label}") but no attestation for the key (CKA_ID ${key.id}): a YubiKey attests only keys generated on it, so this key was imported or is in another slot`
      : `it shows no certificate object "X.509 Certificate for PIV Attestation <slot>" with the key's CKA_ID ${key.id}, nor a device attestation certificate, and no file was put in ${ATTESTATION_DIR}/`;
    return { none: `${what} gave no attestation certificate for ${key.label}: ${why}; ${noVendor}` };
  }
  if (!found.device) {
    throw new KeyriteError('ATTESTATION_TOKEN_INCOMPLETE', `${what} shows the attestation of ${key.label} ("${found.key.label}") but not the device certificate that signs it ("${YKCS11_DEVICE_CERT.label}", CKA_ID ${YKCS11_DEVICE_CERT.id}): the chain cannot be checked.`, {
      action: `Read the device certificate with yubico-piv-tool -a read-certificate -s f9 into ${path.join(dir, DEVICE_CERT_FILE)}, and the key's with -a attest into ${path.join(dir, KEY_CERT_FILE)}, then continue.`,
    });
  }
  await mkdir(dir, { recursive: true });
  const publish = async (obj: TokenCertObject, name: string) => {
    const pem = certPemOf(obj.der);
    const file = path.posix.join(ATTESTATION_DIR, name);
    await publishFile(ctx, file, pem, { mode: PUBLIC_FILE_MODE });
    return { pem, ref: { label: obj.label, id: obj.id, file } };
  };
  const k = await publish(found.key, KEY_CERT_FILE);
  const d = await publish(found.device, DEVICE_CERT_FILE);
  return { certs: { keyCert: k.pem, deviceCert: d.pem, source: { from: 'token', keyCert: k.ref, deviceCert: d.ref } } };
}

export const verifyAttestationStep: ActionHandler<Ctx> = {
  // The certificates may have to be read from the token; the key was made there in this run.
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const keyRef = { label: key.label, fingerprint: key.fingerprint };
    const dir = path.join(ctx.outDir, ATTESTATION_DIR);
    const keyFile = path.join(dir, KEY_CERT_FILE), deviceFile = path.join(dir, DEVICE_CERT_FILE);
    const required = ctx.policy.classes[ctx.script.key.class]?.attestationRequired === true;
    const have = [existsSync(keyFile), existsSync(deviceFile)];
    if (have[0] !== have[1]) {
      throw new KeyriteError('INPUT_ATTESTATION_INCOMPLETE', `Only one of ${KEY_CERT_FILE} and ${DEVICE_CERT_FILE} is in ${dir}.`, { action: 'Put both certificates read from the device there, then continue.' });
    }
    const got: Found = have[0]
      ? { certs: { keyCert: readPem(keyFile), deviceCert: readPem(deviceFile), source: { from: 'files' } } }
      : await fromToken(ctx, key, dir);
    if ('none' in got) {
      if (required) {
        throw new KeyriteError('ATTESTATION_REQUIRED', `Policy requires a vendor attestation for ${ctx.script.key.class} keys, and ${got.none}`, {
          action: `Read the attestation off the device into ${dir} (${KEY_CERT_FILE}: yubico-piv-tool -a attest -s SLOT; ${DEVICE_CERT_FILE}: -a read-certificate -s f9), then continue; a token that cannot attest cannot hold a key of this class.`,
        });
      }
      const t = ctx.facts.token;
      const data: AttestationAbsentData = { key: keyRef, ...(t ? { token: t } : {}), reason: got.none };
      await ctx.append({ kind: ATTESTATION_KINDS.absent, data });
      return { performed: [{ label: 'Attestation', value: `NONE: ${got.none}` }], data: { attested: false } };
    }
    const { keyCert, deviceCert, source } = got.certs;
    const rehearsalRoot = path.join(dir, REHEARSAL_ROOT_FILE);
    const extraRoots = ctx.rehearsal && existsSync(rehearsalRoot) ? [readFileSync(rehearsalRoot, 'utf8')] : [];
    let result;
    try {
      result = await verifyPivAttestation({ keyCertPem: keyCert, deviceCertPem: deviceCert, publicKey: new Uint8Array(Buffer.from(key.spki, 'base64')), extraRoots });
    } catch (e) {
      if (isKeyriteError(e) && !e.code.startsWith('INPUT')) {
        const data: AttestationRefusedData = { key: keyRef, keyCert, deviceCert, source, error: e.toData() };
        await ctx.append({ kind: ATTESTATION_KINDS.refused, data });
      }
      throw e;
    }
    const rootSource = extraRoots.some((r) => certSha256(r) === result.root.sha256) ? 'rehearsal' : 'vendor';
    const data: AttestationVerifiedData = { key: keyRef, keyCert, deviceCert, source, result, rootSource };
    await ctx.append({ kind: ATTESTATION_KINDS.verified, data });
    return {
      performed: [
        { label: 'Attestation', value: `VERIFIED: ${key.label} was generated on YubiKey serial ${result.serial ?? '?'} (firmware ${result.firmware ?? '?'})${rootSource === 'rehearsal' ? ' under the REHEARSAL root' : ''}` },
        { label: 'Read from', value: source.from === 'token' ? `the token: "${source.keyCert.label}" and "${source.deviceCert.label}", published as ${source.keyCert.file} and ${source.deviceCert.file}` : `the files in ${ATTESTATION_DIR}/` },
        { label: 'Policy', value: `PIN ${result.pinPolicy ?? '?'}, touch ${result.touchPolicy ?? '?'}${result.formFactor ? `, ${result.formFactor}` : ''}` },
        ...result.advisories.map((a) => ({ label: `Advisory ${a.id}`, value: a.summary })),
      ],
      data: { attested: true },
    };
  },
};
