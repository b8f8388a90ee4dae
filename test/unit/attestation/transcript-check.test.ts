/**
 * The offline re-check of recorded attestations, on Sigstore's real YubiKey chains: what the
 * ceremony's copy of Keyrite concluded is recomputed from the certificates and the generated key.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkAttestations } from '../../../electron/core/attestation/transcript-check';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';

const V = '/work/shared/vectors/attestation/yubikey-piv';
const pem = (serial: string, f: string) => readFileSync(`${V}/${serial}/${f}`, 'utf8');
const spkiB64 = (serial: string) => pem(serial, 'pubkey.pem').replace(/-----[A-Z ]+-----|\s+/g, '');
const fp = (serial: string) => createHash('sha256').update(Buffer.from(spkiB64(serial), 'base64')).digest('hex');

function entry(seq: number, kind: string, data: unknown): JournalEntry {
  return { v: 1, seq, time: '2026-12-07T00:00:00.000Z', ceremony: 'c', kind, step: 's', actor: { role: 'system', name: 'keyrite' }, data, prev: '0'.repeat(64) };
}

function transcript(keyOf: string, keyCertOf: string, deviceCertOf: string, recorded: { serial: number; firmware: string }) {
  return [
    entry(0, 'key.generated', { label: 'root', id: '01', algorithm: 'ec-p256', spki: spkiB64(keyOf), fingerprint: fp(keyOf), fingerprintWords: [], proof: {} }),
    entry(1, 'attestation.verified', { key: { label: 'root', fingerprint: fp(keyOf) }, keyCert: pem(keyCertOf, 'key_cert.pem'), deviceCert: pem(deviceCertOf, 'device_cert.pem'), result: recorded, rootSource: 'vendor' }),
  ];
}

describe('re-checking recorded attestations', () => {
  it('verifies a genuine chain to the shipped Yubico root for the generated key', async () => {
    const r = await checkAttestations(transcript('14833186', '14833186', '14833186', { serial: 14833186, firmware: '5.4.3' }), [0, 100]);
    expect(r.failure).toBeUndefined();
    expect(r.facts[0]).toMatchObject({ status: 'verified', serial: 14833186, firmware: '5.4.3', root: { source: 'vendor', subject: 'CN=Yubico PIV Root CA Serial 263751' } });
  });

  it('fails a recorded "verified" whose device certificate is another YubiKey\'s, naming the link', async () => {
    const r = await checkAttestations(transcript('14833186', '14833186', '13078782', { serial: 14833186, firmware: '5.4.3' }), [0, 100]);
    expect(r.failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: 1, offset: 100 });
    expect(r.failure?.message).toMatch(/key-cert <- device-cert/);
  });

  it('fails an attestation of a key the transcript did not generate', async () => {
    const entries = transcript('14833186', '13078782', '13078782', { serial: 13078782, firmware: '5.2.6' });
    (entries[1]!.data as { key: { fingerprint: string } }).key.fingerprint = fp('14833186');
    const r = await checkAttestations(entries, [0, 100]);
    expect(r.failure?.message).toMatch(/public-key = key-cert/);
  });

  it('fails recorded device facts that the certificates do not carry', async () => {
    const r = await checkAttestations(transcript('14833186', '14833186', '14833186', { serial: 99, firmware: '5.7.4' }), [0, 100]);
    expect(r.failure).toMatchObject({ code: 'ATTESTATION_INVALID' });
    expect(r.failure?.message).toMatch(/serial 99 firmware 5\.7\.4.*serial 14833186 firmware 5\.4\.3/);
  });

  describe('certificates read from the token', () => {
    const sha = (t: string) => createHash('sha256').update(t, 'utf8').digest('hex');
    const source = { from: 'token', keyCert: { label: 'X.509 Certificate for PIV Attestation 9c', id: '02', file: 'attestation/key_cert.pem' }, deviceCert: { label: 'X.509 Certificate for PIV Attestation', id: '19', file: 'attestation/device_cert.pem' } };
    function fromToken(publishedKeyCert: string | undefined) {
      const [gen, att] = transcript('14833186', '14833186', '14833186', { serial: 14833186, firmware: '5.4.3' });
      (att!.data as Record<string, unknown>).source = source;
      const published = [
        ...(publishedKeyCert === undefined ? [] : [entry(1, 'file.published', { file: 'attestation/key_cert.pem', sha256: sha(publishedKeyCert), bytes: publishedKeyCert.length })]),
        entry(2, 'file.published', { file: 'attestation/device_cert.pem', sha256: sha(pem('14833186', 'device_cert.pem')), bytes: 1 }),
      ];
      return [gen!, ...published, { ...att!, seq: 3 }];
    }

    it('holds the recorded certificates to the files published before them, and says they came from the token', async () => {
      const r = await checkAttestations(fromToken(pem('14833186', 'key_cert.pem')), [0, 10, 20, 30]);
      expect(r.failure).toBeUndefined();
      expect(r.facts[0]).toMatchObject({ status: 'verified', source: 'token', serial: 14833186 });
    });

    it('fails when the published file is another certificate, or was never published', async () => {
      const other = await checkAttestations(fromToken(pem('13078782', 'key_cert.pem')), [0, 10, 20, 30]);
      expect(other.failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: 3 });
      expect(other.failure?.message).toMatch(/not attestation\/key_cert\.pem as published in entry 1/);
      const none = await checkAttestations(fromToken(undefined), [0, 20, 30]);
      expect(none.failure?.message).toMatch(/no earlier file\.published entry records that file/);
    });

    it('reports certificates recorded without a source as given in files', async () => {
      const r = await checkAttestations(transcript('14833186', '14833186', '14833186', { serial: 14833186, firmware: '5.4.3' }), [0, 100]);
      expect(r.facts[0]?.source).toBe('files');
    });
  });
});
