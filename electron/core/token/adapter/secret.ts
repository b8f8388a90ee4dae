/** AES-256 keys for the backup, and wrapping/unwrapping private keys with CKM_AES_KEY_WRAP_PAD (RFC 5649). */
import { KeyriteError } from '../../util/errors';
import { pkcs11, type Template } from '../pkcs11js';
import type { KeyRef, SecretKeySpec, SessionId, UnwrapSpec } from '../types';
import { ALGORITHMS } from './algorithms';
import { keyTemplate, validHexId, type AdapterContext } from './context';
import { assertUnused } from './keys';
import { publicKeyAttributes } from './public-key';
import { wrapQuirks } from './vendor-quirks';

function secretTemplate(spec: SecretKeySpec): Template {
  return [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_SECRET_KEY },
    { type: pkcs11.CKA_KEY_TYPE, value: pkcs11.CKK_AES },
    { type: pkcs11.CKA_TOKEN, value: spec.onToken },
    { type: pkcs11.CKA_PRIVATE, value: true },
    { type: pkcs11.CKA_LABEL, value: spec.label },
    { type: pkcs11.CKA_ID, value: Buffer.from(spec.id, 'hex') },
    { type: pkcs11.CKA_SENSITIVE, value: !spec.extractable },
    { type: pkcs11.CKA_EXTRACTABLE, value: spec.extractable },
    { type: pkcs11.CKA_WRAP, value: true },
    { type: pkcs11.CKA_UNWRAP, value: true },
    { type: pkcs11.CKA_ENCRYPT, value: false },
    { type: pkcs11.CKA_DECRYPT, value: false },
  ];
}

export function generateSecretKey(ctx: AdapterContext, id: SessionId, spec: SecretKeySpec): KeyRef {
  const s = ctx.session(id);
  validHexId(spec.id);
  assertUnused(ctx, s.handle, spec);
  const template = [...secretTemplate(spec), { type: pkcs11.CKA_VALUE_LEN, value: 32 }];
  ctx.call('C_GenerateKey', () => ctx.p.C_GenerateKey(s.handle, { mechanism: pkcs11.CKM_AES_KEY_GEN }, template));
  return { id: spec.id, label: spec.label };
}

export function importSecretKey(ctx: AdapterContext, id: SessionId, spec: SecretKeySpec, value: Uint8Array): KeyRef {
  const s = ctx.session(id);
  validHexId(spec.id);
  if (value.length !== 32) {
    throw new KeyriteError('SECRET_KEY_LENGTH', `An AES-256 key is 32 bytes; this one is ${value.length}.`, { action: 'Check that the shares were combined from the right backup.' });
  }
  assertUnused(ctx, s.handle, spec);
  const template = [...secretTemplate(spec), { type: pkcs11.CKA_VALUE, value: Buffer.from(value) }];
  ctx.call('C_CreateObject', () => ctx.p.C_CreateObject(s.handle, template));
  return { id: spec.id, label: spec.label };
}

export function readSecretValue(ctx: AdapterContext, id: SessionId, key: KeyRef): Uint8Array {
  const s = ctx.session(id);
  const h = ctx.findKey(s.handle, key, 'secret');
  try {
    const v = ctx.readAttributes(s.handle, h, [pkcs11.CKA_VALUE]).get(pkcs11.CKA_VALUE);
    return new Uint8Array(v ?? Buffer.alloc(0));
  } catch (e) {
    if (e instanceof KeyriteError && e.details?.ckr === 'CKR_ATTRIBUTE_SENSITIVE') {
      throw new KeyriteError('KEY_UNEXTRACTABLE', `The value of secret key "${key.label}" cannot be read: it was made sensitive.`, {
        action: 'Only a wrapping key made as extractable for the backup can be read out to be split.',
      });
    }
    throw e;
  }
}

/** RFC 5649 on every token: CKM_AES_KEY_WRAP_PAD, or what the token calls it (vendor-quirks.ts). */
export function wrapKey(ctx: AdapterContext, id: SessionId, wrappingKey: KeyRef, key: KeyRef): Uint8Array {
  const s = ctx.session(id);
  const wk = ctx.findKey(s.handle, wrappingKey, 'secret');
  const k = ctx.findKey(s.handle, key, 'private');
  const mechanism = { mechanism: wrapQuirks(ctx, s.slot).wrapMechanism };
  const out = ctx.call('C_WrapKey', () => ctx.p.C_WrapKey(s.handle, mechanism, wk, k, Buffer.alloc(16384)));
  return new Uint8Array(out);
}

export function unwrapKey(ctx: AdapterContext, id: SessionId, wrappingKey: KeyRef, wrapped: Uint8Array, spec: UnwrapSpec): KeyRef {
  const s = ctx.session(id);
  validHexId(spec.id);
  const a = ALGORITHMS[spec.algorithm];
  if (!a) throw new KeyriteError('KEY_ALGORITHM_UNSUPPORTED', `Unknown key algorithm "${String(spec.algorithm)}".`, { action: 'Use the algorithm recorded in the backup file.' });
  // Built before anything is written, so a mismatched public key leaves the token untouched.
  const pubAttrs = spec.publicKey ? publicKeyAttributes(spec.publicKey, spec.algorithm) : undefined;
  const quirks = wrapQuirks(ctx, s.slot);
  const extras = quirks.unwrapExtras(spec.algorithm, spec.publicKey);
  assertUnused(ctx, s.handle, spec);
  const wk = ctx.findKey(s.handle, wrappingKey, 'secret');
  const common: Template = [
    { type: pkcs11.CKA_TOKEN, value: true },
    { type: pkcs11.CKA_LABEL, value: spec.label },
    { type: pkcs11.CKA_ID, value: Buffer.from(spec.id, 'hex') },
  ];
  const template: Template = [
    ...common,
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY },
    { type: pkcs11.CKA_KEY_TYPE, value: a.keyType },
    { type: pkcs11.CKA_PRIVATE, value: true },
    { type: pkcs11.CKA_SENSITIVE, value: true },
    { type: pkcs11.CKA_EXTRACTABLE, value: spec.extractable },
    { type: pkcs11.CKA_SIGN, value: true },
    { type: pkcs11.CKA_DECRYPT, value: false },
    { type: pkcs11.CKA_UNWRAP, value: false },
    // A restored key is never copied (where the token knows CKA_COPYABLE: else the proof shows it absent,
    // and the policy's notCopyable fails); kept extractable (to be backed up again) it stays modifiable until locked.
    ...(quirks.noCopyable ? [] : [{ type: pkcs11.CKA_COPYABLE, value: false }]),
    ...(spec.extractable ? [] : [{ type: pkcs11.CKA_MODIFIABLE, value: false }]),
    ...extras,
  ];
  let priv;
  try {
    priv = ctx.call('C_UnwrapKey', () => ctx.p.C_UnwrapKey(s.handle, { mechanism: quirks.wrapMechanism }, wk, Buffer.from(wrapped), template));
  } catch (e) {
    // Some modules (SoftHSM2) answer a wrong wrapping key with CKR_GENERAL_ERROR. Unwrap creates at most
    // this one object, so looking for it settles the outcome: if it is absent, nothing happened.
    if (e instanceof KeyriteError && e.code === 'GENERAL_ERROR' && ctx.findObjects(s.handle, keyTemplate({ id: spec.id })).length === 0) {
      throw new KeyriteError('UNWRAP_FAILED', 'The token could not unwrap the key; nothing was created on the token.', {
        action: 'Most often the wrapping key is wrong: check that the shares belong to this backup and the backup file is intact. If they do, try another token.',
        details: { ckr: e.details?.ckr, function: 'C_UnwrapKey', outcomeUnknown: false },
      });
    }
    throw e;
  }
  if (pubAttrs) {
    const pub: Template = [...common, { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PUBLIC_KEY }, { type: pkcs11.CKA_PRIVATE, value: false }, { type: pkcs11.CKA_VERIFY, value: true }, ...pubAttrs];
    try {
      ctx.call('C_CreateObject', () => ctx.p.C_CreateObject(s.handle, pub));
    } catch (e) {
      // Leave no half-restored key pair behind: the caller retries the whole unwrap.
      ctx.p.C_DestroyObject(s.handle, priv);
      throw e;
    }
  }
  return { id: spec.id, label: spec.label };
}
