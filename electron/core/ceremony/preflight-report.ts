/**
 * What pre-flight (preflight.ts) reports: each check of the room before any transcript exists, and
 * whether the ceremony may start. The contract shows these types to the load screen as they are.
 */
export type PreflightCheckId = 'token' | 'labels' | 'mechanisms' | 'air-gap' | 'witnesses' | 'custody';

/** One pre-flight check on the load screen. `blocked`: cannot be checked until an earlier one passes. */
export interface PreflightCheck {
  id: PreflightCheckId;
  title: string;
  status: 'pass' | 'fail' | 'blocked' | 'info';
  detail: string;
  /** What to do when it fails. */
  action?: string;
  /** Air gap only: what allows an override (rehearsal mode or the policy), null when nothing does. */
  overrideAllowedBy?: 'rehearsal' | 'policy' | null;
}

/** The room checked before any transcript exists (electron/core/ceremony/preflight.ts). */
export interface PreflightReport {
  checks: PreflightCheck[];
  /** Every check passed (or is only information). */
  ready: boolean;
  /** Only the air gap fails, and an override is allowed: Start once the administrator records it. */
  overridable: boolean;
}
