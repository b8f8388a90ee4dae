/**
 * The token layer's public shape. Everything here is plain data that survives structured clone
 * (token host process <-> caller). Byte strings are Uint8Array. No secret is ever part of a
 * returned value except readSecretValue's, whose only caller is the backup code.
 *
 * Implemented by TokenClient (client.ts), which forwards each call to the token host process.
 * lockKey's and signMany's detailed answers: results.ts.
 */
import type { KeyLockResult } from './results';
import type { CertificateObjectView, CertificateQuery } from './certificate-objects';

export type { KeyLockResult, LockAttribute, LockStep, SignBatchFailure } from './results';
export type { CertificateObjectView, CertificateQuery } from './certificate-objects';

export type KeyAlgorithm = 'rsa-3072' | 'rsa-4096' | 'ec-p256' | 'ec-p384' | 'ec-p521' | 'ed25519';

export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ['rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519'];

export type SignatureScheme =
  | 'rsa-pkcs1-sha256' | 'rsa-pkcs1-sha384' | 'rsa-pkcs1-sha512'
  | 'rsa-pss-sha256' | 'rsa-pss-sha384' | 'rsa-pss-sha512'
  | 'ecdsa-sha256' | 'ecdsa-sha384' | 'ecdsa-sha512'
  | 'ed25519';

/** Finds a token by label or serial: slot ids change after init (SoftHSM2) or re-plugging. */
export interface TokenSelector {
  label?: string;
  serial?: string;
}

export interface TokenFlags {
  loginRequired: boolean;
  tokenInitialized: boolean;
  rng: boolean;
  writeProtected: boolean;
  userPinInitialized: boolean;
  userPinCountLow: boolean;
  userPinFinalTry: boolean;
  userPinLocked: boolean;
  userPinToBeChanged: boolean;
  soPinCountLow: boolean;
  soPinFinalTry: boolean;
  soPinLocked: boolean;
  soPinToBeChanged: boolean;
}

export interface MechanismView {
  /** PKCS#11 name, e.g. CKM_ECDSA_SHA384. */
  name: string;
  code: number;
  minKeySize: number;
  maxKeySize: number;
  /** CKF_* names without prefix: SIGN, VERIFY, GENERATE_KEY_PAIR, WRAP, UNWRAP, ... */
  flags: string[];
}

export interface TokenView {
  label: string;
  serial: string;
  model: string;
  manufacturer: string;
  flags: TokenFlags;
  mechanisms: MechanismView[];
  /** Key pair algorithms this token can generate and sign with (from its mechanism list). */
  algorithms: KeyAlgorithm[];
  /** True for SoftHSM2: a rehearsal token, never a production one. */
  rehearsal: boolean;
  /** C_GetTokenInfo firmwareVersion and hardwareVersion, major.minor (recorded as provenance). */
  firmwareVersion?: string;
  hardwareVersion?: string;
}

export interface SlotView {
  slotId: string;
  description: string;
  manufacturer: string;
  hardwareSlot: boolean;
  removable: boolean;
  tokenPresent: boolean;
  token?: TokenView;
  /** Which PKCS#11 module lists it, where the app has more than one (card-modules.ts). */
  module?: string;
}

export interface ModuleInfo {
  path: string;
  library: string;
  manufacturer: string;
  cryptokiVersion: string;
}

/** A key object on a token, named the way a person and pkcs11-tool name it. */
export interface KeyRef {
  /** CKA_ID as lowercase hex. */
  id: string;
  label: string;
}

export type KeyClass = 'private' | 'public' | 'secret';

export interface KeyObjectView extends KeyRef {
  class: KeyClass;
  keyType: string;
  onToken: boolean;
}

export interface KeyPairSpec {
  algorithm: KeyAlgorithm;
  label: string;
  /** Pre-chosen CKA_ID (hex), written to the transcript in the intent entry before generation. */
  id: string;
  /** Extractable only when a wrapped backup is requested; sensitive always. */
  extractableForBackup: boolean;
  /**
   * A ceremony's own key: also made CKA_COPYABLE=FALSE (nothing needs a copy), and, when it is not
   * extractable for a backup, CKA_MODIFIABLE=FALSE as well (its attributes are final at birth; a
   * key made for a backup must stay modifiable until lockKey clears CKA_EXTRACTABLE).
   */
  finalAttributes?: boolean;
  /**
   * 'sign' (default): CKA_SIGN only. 'decrypt': for a custodian's card key that opens shares
   * encrypted to it: an RSA key gets CKA_DECRYPT only (RSA-OAEP), an EC key CKA_DERIVE only (ECDH).
   */
  usage?: 'sign' | 'decrypt';
}

export interface GeneratedKeyPair extends KeyRef {
  algorithm: KeyAlgorithm;
  /** SubjectPublicKeyInfo, DER. */
  spki: Uint8Array;
}

/** Attributes read back from the private key as proof of how it was made. */
export interface KeyProof {
  local: boolean;
  sensitive: boolean;
  alwaysSensitive: boolean;
  extractable: boolean;
  neverExtractable: boolean;
  /** e.g. CKM_EC_KEY_PAIR_GEN */
  keyGenMechanism: string;
  token: boolean;
  private: boolean;
  sign: boolean;
  decrypt: boolean;
  unwrap: boolean;
  /** PKCS#11 v2.40 attributes, absent when the token does not report them (an older token). */
  copyable?: boolean;
  modifiable?: boolean;
  wrapWithTrusted?: boolean;
}

export interface SecretKeySpec {
  label: string;
  id: string;
  /** false: a session object, gone when the session closes. */
  onToken: boolean;
  /** Whether CKA_VALUE may be read (needed only for the backup's wrapping key before it is split). */
  extractable: boolean;
}

export interface UnwrapSpec {
  algorithm: KeyAlgorithm;
  label: string;
  id: string;
  /** Keep the restored key extractable (needed to back it up again); default false. */
  extractable: boolean;
  /**
   * The key's SPKI (e.g. from the backup file). When given, the matching public key object is
   * created beside the restored private key, so exportPublicKey and pkcs11-tool see a whole key pair.
   */
  publicKey?: Uint8Array;
}

export interface LoginOptions {
  /** Never logged, never kept after C_Login returns. */
  pin: string;
  userType?: 'user' | 'so';
}

export type SessionId = string;

/** The async API every caller uses. Each method maps to one request to the token host. */
export interface TokenApi {
  moduleInfo(): Promise<ModuleInfo>;
  listSlots(): Promise<SlotView[]>;
  openSession(token: TokenSelector, login?: LoginOptions): Promise<SessionId>;
  closeSession(session: SessionId): Promise<void>;
  generateKeyPair(session: SessionId, spec: KeyPairSpec): Promise<GeneratedKeyPair>;
  findKeys(session: SessionId, query: { id?: string; label?: string; class?: KeyClass }): Promise<KeyObjectView[]>;
  readKeyProof(session: SessionId, key: KeyRef): Promise<KeyProof>;
  exportPublicKey(session: SessionId, key: KeyRef): Promise<Uint8Array>;
  /** Signs data (the token hashes it). ECDSA returns DER (X.509/OpenSSL form); use signRaw for r||s. */
  sign(session: SessionId, key: KeyRef, scheme: SignatureScheme, data: Uint8Array): Promise<Uint8Array>;
  /**
   * Signs every message with one key in ONE host call (one message, one loop, one reply): for bulk
   * work. Resolves to the signatures in the messages' order, each as `sign` would return it; an
   * empty batch resolves to [] without touching the key.
   * Errors: a problem with the whole batch (closed session, unknown scheme, key missing or of the
   * wrong type) is the error `sign` gives, and nothing was signed. A failure at item i rejects with
   * SIGN_BATCH_ITEM_FAILED (or SIGN_BATCH_ITEM_INVALID for an item that is not bytes), whose
   * details are SignBatchFailure: the signatures of items 0..i-1 are in `signed`, none is dropped;
   * items after i were not signed.
   */
  signMany(session: SessionId, key: KeyRef, scheme: SignatureScheme, messages: Uint8Array[]): Promise<Uint8Array[]>;
  generateSecretKey(session: SessionId, spec: SecretKeySpec): Promise<KeyRef>;
  importSecretKey(session: SessionId, spec: SecretKeySpec, value: Uint8Array): Promise<KeyRef>;
  readSecretValue(session: SessionId, key: KeyRef): Promise<Uint8Array>;
  /** RFC 5649 (CKM_AES_KEY_WRAP_PAD, or the token's own mechanism for it: adapter/vendor-quirks.ts) over the private key's PKCS#8 encoding. */
  wrapKey(session: SessionId, wrappingKey: KeyRef, key: KeyRef): Promise<Uint8Array>;
  unwrapKey(session: SessionId, wrappingKey: KeyRef, wrapped: Uint8Array, spec: UnwrapSpec): Promise<KeyRef>;
  /**
   * Locks a private key in the token: CKA_EXTRACTABLE, then CKA_COPYABLE, then CKA_MODIFIABLE (last,
   * since it freezes the others) set to FALSE with C_SetAttributeValue, each where still TRUE.
   * Fails with KEY_LOCK_REFUSED when CKA_EXTRACTABLE stays TRUE; the other two are best effort
   * (the result says which the token refused). Idempotent: a locked key is left as it is.
   */
  lockKey(session: SessionId, key: KeyRef): Promise<KeyLockResult>;
  /** RSA-OAEP (SHA-256) decryption on the token: opens a share encrypted to a custodian's card key. */
  decrypt(session: SessionId, key: KeyRef, mechanism: 'rsa-oaep-sha256', data: Uint8Array): Promise<Uint8Array>;
  /**
   * ECDH on the token with an EC private key made for decryption (CKA_DERIVE): the raw shared secret
   * Z (the x-coordinate) with `peerPoint`, an uncompressed point on the key's curve. Opens a share
   * encrypted to a custodian's EC card key.
   */
  deriveSharedSecret(session: SessionId, key: KeyRef, peerPoint: Uint8Array): Promise<Uint8Array>;
  destroyObject(session: SessionId, key: KeyRef, keyClass: KeyClass): Promise<void>;
  generateRandom(session: SessionId, length: number): Promise<Uint8Array>;
  /** The X.509 certificate objects (CKO_CERTIFICATE) with this CKA_ID and/or label, and their CKA_VALUE; read only. */
  readCertificates(session: SessionId, query: CertificateQuery): Promise<CertificateObjectView[]>;
}
