/** Key pairs: generation under Keyrite's policy, the proof attributes, the public key, find and destroy. */
import { KeyriteError } from '../../util/errors';
import { keyNotFound } from '../errors';
import { keyTypeName, mechanismName } from '../pkcs11-names';
import { pkcs11, type Handle, type Template } from '../pkcs11js';
import type { GeneratedKeyPair, KeyClass, KeyObjectView, KeyPairSpec, KeyProof, KeyRef, SessionId } from '../types';
import { ALGORITHMS, algorithmsFor } from './algorithms';
import { bool, CLASS_CODES, keyTemplate, ulong, validHexId, type AdapterContext } from './context';
import { ecSpki, rsaSpki } from './public-key';
import { mechanisms } from './slots';

/** Refuses a label or id already on the token: a ceremony must never produce two keys answering to one name. */
export function assertUnused(ctx: AdapterContext, session: Handle, key: KeyRef): void {
  if (ctx.findObjects(session, keyTemplate({ label: key.label })).length > 0) {
    throw new KeyriteError('KEY_LABEL_IN_USE', `The token already holds an object labelled "${key.label}".`, {
      action: 'Choose another label. Keyrite never reuses a key label on a token.',
      details: { label: key.label },
    });
  }
  if (ctx.findObjects(session, keyTemplate({ id: key.id })).length > 0) {
    throw new KeyriteError('KEY_ID_IN_USE', `The token already holds an object with id ${key.id}.`, {
      action: 'Choose a fresh random id.',
      details: { id: key.id },
    });
  }
}

export function generateKeyPair(ctx: AdapterContext, id: SessionId, spec: KeyPairSpec): GeneratedKeyPair {
  const s = ctx.session(id);
  validHexId(spec.id);
  const a = ALGORITHMS[spec.algorithm];
  if (!a) throw new KeyriteError('KEY_ALGORITHM_UNSUPPORTED', `Unknown key algorithm "${String(spec.algorithm)}".`, { action: 'Use one of rsa-3072, rsa-4096, ec-p256, ec-p384, ec-p521, ed25519.' });
  const usage = spec.usage ?? 'sign';
  if (usage === 'decrypt' && a.keyType !== pkcs11.CKK_RSA && a.keyType !== pkcs11.CKK_EC) {
    throw new KeyriteError('KEY_USAGE_UNSUPPORTED', 'Only RSA and EC (NIST curve) keys can be made for decryption.', { action: 'Choose rsa-3072, rsa-4096, ec-p256 or ec-p384 for a decryption key.' });
  }
  // An RSA key opens shares by decrypting (OAEP); an EC key by agreeing a secret (ECDH).
  const ecdh = usage === 'decrypt' && a.keyType === pkcs11.CKK_EC;
  if (!algorithmsFor(mechanisms(ctx, s.slot)).includes(spec.algorithm)) {
    throw new KeyriteError('MECHANISM_INVALID', `This token does not list the mechanisms for ${spec.algorithm} keys.`, {
      action: 'Choose an algorithm the token offers (keyrite tokens lists them).',
      details: { algorithm: spec.algorithm },
    });
  }
  assertUnused(ctx, s.handle, spec);
  const common: Template = [
    { type: pkcs11.CKA_TOKEN, value: true },
    { type: pkcs11.CKA_LABEL, value: spec.label },
    { type: pkcs11.CKA_ID, value: Buffer.from(spec.id, 'hex') },
    { type: pkcs11.CKA_KEY_TYPE, value: a.keyType },
  ];
  const pub: Template = [
    ...common,
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PUBLIC_KEY },
    { type: pkcs11.CKA_PRIVATE, value: false },
    { type: pkcs11.CKA_VERIFY, value: usage === 'sign' },
    { type: pkcs11.CKA_ENCRYPT, value: usage === 'decrypt' && !ecdh },
    { type: pkcs11.CKA_WRAP, value: false },
  ];
  if (a.keyType === pkcs11.CKK_RSA) {
    pub.push({ type: pkcs11.CKA_MODULUS_BITS, value: a.bits }, { type: pkcs11.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) });
  } else if (a.ecParams) {
    pub.push({ type: pkcs11.CKA_EC_PARAMS, value: a.ecParams });
  }
  const priv: Template = [
    ...common,
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY },
    { type: pkcs11.CKA_PRIVATE, value: true },
    { type: pkcs11.CKA_SENSITIVE, value: true },
    { type: pkcs11.CKA_EXTRACTABLE, value: spec.extractableForBackup },
    { type: pkcs11.CKA_SIGN, value: usage === 'sign' },
    { type: pkcs11.CKA_DECRYPT, value: usage === 'decrypt' && !ecdh },
    { type: pkcs11.CKA_UNWRAP, value: false },
    { type: pkcs11.CKA_DERIVE, value: ecdh },
  ];
  if (spec.finalAttributes) {
    priv.push({ type: pkcs11.CKA_COPYABLE, value: false });
    // A key kept extractable for its backup must stay modifiable until lockKey clears CKA_EXTRACTABLE.
    if (!spec.extractableForBackup) priv.push({ type: pkcs11.CKA_MODIFIABLE, value: false });
  }
  ctx.call('C_GenerateKeyPair', () => ctx.p.C_GenerateKeyPair(s.handle, { mechanism: a.genMechanism }, pub, priv));
  const ref = { id: spec.id, label: spec.label };
  return { ...ref, algorithm: spec.algorithm, spki: exportPublicKey(ctx, id, ref) };
}

export function readKeyProof(ctx: AdapterContext, id: SessionId, key: KeyRef): KeyProof {
  const s = ctx.session(id);
  const h = ctx.findKey(s.handle, key, 'private');
  const attrs = [
    pkcs11.CKA_LOCAL, pkcs11.CKA_SENSITIVE, pkcs11.CKA_ALWAYS_SENSITIVE, pkcs11.CKA_EXTRACTABLE, pkcs11.CKA_NEVER_EXTRACTABLE,
    pkcs11.CKA_KEY_GEN_MECHANISM, pkcs11.CKA_TOKEN, pkcs11.CKA_PRIVATE, pkcs11.CKA_SIGN, pkcs11.CKA_DECRYPT, pkcs11.CKA_UNWRAP,
    pkcs11.CKA_COPYABLE, pkcs11.CKA_MODIFIABLE, pkcs11.CKA_WRAP_WITH_TRUSTED,
  ];
  const v = ctx.readAttributes(s.handle, h, attrs, { lenient: true });
  const genMech = ulong(v.get(pkcs11.CKA_KEY_GEN_MECHANISM));
  return {
    local: bool(v.get(pkcs11.CKA_LOCAL)),
    sensitive: bool(v.get(pkcs11.CKA_SENSITIVE)),
    alwaysSensitive: bool(v.get(pkcs11.CKA_ALWAYS_SENSITIVE)),
    extractable: bool(v.get(pkcs11.CKA_EXTRACTABLE)),
    neverExtractable: bool(v.get(pkcs11.CKA_NEVER_EXTRACTABLE)),
    // CK_UNAVAILABLE_INFORMATION (all ones) for a key that was not generated on the token.
    keyGenMechanism: genMech < 0 || genMech >= 0xffffffff ? 'UNAVAILABLE' : mechanismName(genMech),
    token: bool(v.get(pkcs11.CKA_TOKEN)),
    private: bool(v.get(pkcs11.CKA_PRIVATE)),
    sign: bool(v.get(pkcs11.CKA_SIGN)),
    decrypt: bool(v.get(pkcs11.CKA_DECRYPT)),
    unwrap: bool(v.get(pkcs11.CKA_UNWRAP)),
    // Left out, not guessed, where the token does not report them: a lock is never assumed.
    ...optionalFlag('copyable', v.get(pkcs11.CKA_COPYABLE)),
    ...optionalFlag('modifiable', v.get(pkcs11.CKA_MODIFIABLE)),
    ...optionalFlag('wrapWithTrusted', v.get(pkcs11.CKA_WRAP_WITH_TRUSTED)),
  };
}

function optionalFlag<K extends 'copyable' | 'modifiable' | 'wrapWithTrusted'>(name: K, buf: Buffer | undefined): Partial<Record<K, boolean>> {
  return buf === undefined ? {} : ({ [name]: bool(buf) } as Partial<Record<K, boolean>>);
}

/** SPKI DER from the public key object; for RSA, from the private key's public half when no public object exists. */
export function exportPublicKey(ctx: AdapterContext, id: SessionId, key: KeyRef): Uint8Array {
  const s = ctx.session(id);
  const pubs = ctx.findObjects(s.handle, keyTemplate(key, 'public'));
  const handle = pubs[0] ?? ctx.findObjects(s.handle, keyTemplate(key, 'private'))[0];
  if (!handle) throw keyNotFound(key, 'public key');
  const keyType = ulong(ctx.readAttributes(s.handle, handle, [pkcs11.CKA_KEY_TYPE]).get(pkcs11.CKA_KEY_TYPE));
  if (keyType === pkcs11.CKK_RSA) {
    const v = ctx.readAttributes(s.handle, handle, [pkcs11.CKA_MODULUS, pkcs11.CKA_PUBLIC_EXPONENT]);
    return rsaSpki(v.get(pkcs11.CKA_MODULUS) ?? Buffer.alloc(0), v.get(pkcs11.CKA_PUBLIC_EXPONENT) ?? Buffer.alloc(0));
  }
  if (pubs.length === 0) throw keyNotFound(key, 'public key');
  const v = ctx.readAttributes(s.handle, handle, [pkcs11.CKA_EC_PARAMS, pkcs11.CKA_EC_POINT]);
  return ecSpki(v.get(pkcs11.CKA_EC_PARAMS) ?? Buffer.alloc(0), v.get(pkcs11.CKA_EC_POINT) ?? Buffer.alloc(0)).spki;
}

const CLASS_NAMES = new Map<number, KeyClass>(Object.entries(CLASS_CODES).map(([k, v]) => [v, k as KeyClass]));

export function findKeys(ctx: AdapterContext, id: SessionId, query: { id?: string; label?: string; class?: KeyClass }): KeyObjectView[] {
  const s = ctx.session(id);
  if (query.id !== undefined) validHexId(query.id);
  const handles = ctx.findObjects(s.handle, keyTemplate(query, query.class));
  const views: KeyObjectView[] = [];
  for (const h of handles) {
    // The class first, alone: a data object has no CKA_ID or CKA_KEY_TYPE, and asking for them fails the read.
    const cls = CLASS_NAMES.get(ulong(ctx.readAttributes(s.handle, h, [pkcs11.CKA_CLASS]).get(pkcs11.CKA_CLASS)));
    if (!cls) continue; // certificates and data objects are not keys
    const v = ctx.readAttributes(s.handle, h, [pkcs11.CKA_ID, pkcs11.CKA_LABEL, pkcs11.CKA_TOKEN, pkcs11.CKA_KEY_TYPE]);
    views.push({
      id: (v.get(pkcs11.CKA_ID) ?? Buffer.alloc(0)).toString('hex'),
      label: (v.get(pkcs11.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
      class: cls,
      keyType: keyTypeName(ulong(v.get(pkcs11.CKA_KEY_TYPE))),
      onToken: bool(v.get(pkcs11.CKA_TOKEN)),
    });
  }
  return views;
}

export function destroyObject(ctx: AdapterContext, id: SessionId, key: KeyRef, keyClass: KeyClass): void {
  const s = ctx.session(id);
  ctx.withKey(s.handle, key, keyClass, (h) => {
    ctx.call('C_DestroyObject', () => ctx.p.C_DestroyObject(s.handle, h));
    ctx.forgetHandle(s.handle, h);
  });
  ctx.forgetKey(s.handle, key, keyClass);
}
