import type { KeyState } from '../../api';
import type { Status } from '../../components';

/** NIST SP 800-57 Part 1 state names as people in the room say them. */
export const KEY_STATE_LABELS: Record<KeyState, string> = {
  'pre-activation': 'Pre-activation',
  active: 'Active',
  suspended: 'Suspended',
  deactivated: 'Deactivated',
  compromised: 'Compromised',
  destroyed: 'Destroyed',
};

export const KEY_STATE_STATUS: Record<KeyState, Status> = {
  'pre-activation': 'pending',
  active: 'ok',
  suspended: 'warning',
  deactivated: 'skipped',
  compromised: 'failed',
  destroyed: 'skipped',
};
