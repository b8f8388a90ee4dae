/**
 * What the load screen shows about a script before anything runs: its problems, its summary and
 * the room's pre-flight checks. Types only.
 */
import type { ParticipantView } from './ceremony-views';

/** One problem in a script or policy file, located so the administrator can fix it. */
export interface ScriptIssueView {
  /** YAML path, e.g. `backup.custodians[2].delivery`. */
  path: string;
  line: number;
  column: number;
  message: string;
  code: string;
}

export type { PreflightCheck as PreflightCheckView, PreflightCheckId, PreflightReport as PreflightView } from '../core/ceremony/preflight-report';

export interface ScriptSummary {
  ceremonyId: string;
  title: string;
  purpose: string;
  type: string;
  participants: ParticipantView[];
  stepCount: number;
  /** The ceremony works on a key made in an earlier run, so it starts from that run's folder (its type says so). */
  needsPriorRun: boolean;
  /**
   * What the administrator compares with the signed paper script before starting (absent from
   * summaries made before these existed): the key, the token, the split, the policy and both hashes.
   */
  facts?: {
    algorithm: string;
    keyLabel: string;
    keyClass: string;
    token: string;
    /** `k-of-n`, null without a backup. */
    split: string | null;
    witnesses: number;
    policyName: string;
    /** SHA-256 of the policy text as recorded in the transcript's ceremony.start. */
    policySha256: string;
    /** SHA-256 of the script's exact bytes, as recorded in the transcript. */
    scriptSha256: string;
  };
}
