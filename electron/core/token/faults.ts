/**
 * Fault injection for tests: wraps the REAL pkcs11js object and throws pkcs11js's own Pkcs11Error
 * with a chosen CKR code on the Nth call of a chosen function. SoftHSM2 cannot pull a token out,
 * lock a PIN or fail a device, so this is how the typed errors for those cases are tested end to end.
 * Only the token host applies a plan, and only when the client was created with one.
 */
import { ckrCode } from './pkcs11-names';
import { pkcs11, type PKCS11 } from './pkcs11js';

export interface FaultSpec {
  /** A PKCS11 method, e.g. 'C_Login', 'C_GenerateKeyPair'. */
  fn: `C_${string}`;
  /** CKR name, e.g. 'CKR_PIN_INCORRECT'. */
  ckr: string;
  /** 1-based call number that fails (default 1); counted per function. */
  nth?: number;
  /** How many consecutive calls fail from the nth on (default 1). */
  times?: number;
}

/** Plain data, so it can be sent to the token host process. */
export interface FaultPlan {
  throws?: FaultSpec[];
  /** CKF_* token flag names OR'd into every C_GetTokenInfo result (e.g. CKF_USER_PIN_FINAL_TRY). */
  tokenFlags?: string[];
  /** Calls that take this long before the real call (a slow device), so a test can act while one is in flight. */
  slow?: { fn: `C_${string}`; ms: number }[];
}

export function withFaults(real: PKCS11, plan: FaultPlan): PKCS11 {
  const counts = new Map<string, number>();
  let extraFlags = 0;
  for (const name of plan.tokenFlags ?? []) {
    const v = (pkcs11 as unknown as Record<string, unknown>)[name];
    if (typeof v !== 'number') throw new Error(`Unknown token flag ${name} in fault plan`);
    extraFlags |= v;
  }
  for (const f of plan.throws ?? []) {
    if (ckrCode(f.ckr) === undefined) throw new Error(`Unknown CKR code ${f.ckr} in fault plan`);
  }
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const n = (counts.get(prop) ?? 0) + 1;
        counts.set(prop, n);
        for (const f of plan.throws ?? []) {
          const first = f.nth ?? 1;
          if (f.fn === prop && n >= first && n < first + (f.times ?? 1)) {
            const code = ckrCode(f.ckr) as number;
            throw new pkcs11.Pkcs11Error(`${f.ckr}:${code}`, code, prop);
          }
        }
        const slow = plan.slow?.find((x) => x.fn === prop);
        // The host is single-threaded and PKCS#11 calls block, as a slow device's would.
        if (slow) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, slow.ms);
        const result = method.apply(target, args);
        if (prop === 'C_GetTokenInfo' && extraFlags !== 0) {
          const info = result as { flags: number };
          return { ...info, flags: info.flags | extraFlags };
        }
        return result;
      };
    },
  });
}
