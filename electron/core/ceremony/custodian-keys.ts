/**
 * A custodian's share key on their own token, made before the day (`keyrite ceremony custodian-key`):
 * decrypt-only, never extractable, labelled for them. Its public key goes into the script as the
 * custodian's `recipient`, so the script's hash commits to it; at the ceremony their share is
 * encrypted to it (RSA-OAEP, or ECDH for an EC key) and opened on that token with their PIN.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import type { KeyAlgorithm, SessionId, TokenApi } from '../token/types';
import { recipientKeyProblem, recipientOf } from './custodian-recipient';

/** Algorithms a share key may have; the first the token offers is the default. */
export const CUSTODIAN_KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['ec-p256', 'ec-p384', 'rsa-3072', 'rsa-4096'];

export function custodianKeyLabel(name: string): string {
  return `keyrite-share-${name.replace(/[\s+\u2014/]+/g, '-')}`;
}

export interface CustodianKey {
  label: string;
  /** PEM SubjectPublicKeyInfo, as the script's recipient.publicKey takes it. */
  publicKeyPem: string;
  spkiSha256: string;
  words: string;
  created: boolean;
}

function pemOf(spki: Uint8Array): string {
  return createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
}

/**
 * Makes the custodian's share key on the logged-in token, or reuses the one already labelled for
 * them (checked to be a key a share can be encrypted to).
 */
export async function ensureCustodianTokenKey(api: TokenApi, session: SessionId, name: string, offered: readonly KeyAlgorithm[], algorithm?: KeyAlgorithm): Promise<CustodianKey> {
  const label = custodianKeyLabel(name);
  const [existing] = await api.findKeys(session, { label, class: 'private' });
  let pem: string;
  let created = false;
  if (existing) {
    pem = pemOf(await api.exportPublicKey(session, { id: existing.id, label: existing.label }));
    const problem = recipientKeyProblem(pem);
    if (problem) {
      throw new KeyriteError('CUSTODIAN_KEY_UNSUITABLE', `The key labelled ${label} on this token cannot receive shares: ${problem}.`, { action: 'Remove or relabel that key, then run the command again.' });
    }
  } else {
    const alg = algorithm ?? CUSTODIAN_KEY_ALGORITHMS.find((a) => offered.includes(a));
    if (!alg || !CUSTODIAN_KEY_ALGORITHMS.includes(alg)) {
      throw new KeyriteError('KEY_ALGORITHM_UNSUPPORTED', `This token offers none of ${CUSTODIAN_KEY_ALGORITHMS.join(', ')} for a share key.`, {
        action: 'Use another token, or export an existing RSA (2048 bits or more) or EC key from it and put its PEM in the script.',
      });
    }
    const key = await api.generateKeyPair(session, { algorithm: alg, label, id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'decrypt' });
    pem = pemOf(key.spki);
    created = true;
  }
  const { facts } = recipientOf({ publicKey: pem });
  return { label, publicKeyPem: pem, spkiSha256: facts.spkiSha256, words: facts.words, created };
}

/** The custodian's entry for the script's backup.custodians, indented as the templates have it. */
export function recipientYaml(name: string, key: Pick<CustodianKey, 'label' | 'publicKeyPem'>, tokenLabel: string): string {
  return `    - name: ${name}
      delivery: token
      recipient:
        keyLabel: ${key.label}
        token: { label: ${tokenLabel} }
        publicKey: |
${key.publicKeyPem.trim().split('\n').map((l) => `          ${l}`).join('\n')}
`;
}
