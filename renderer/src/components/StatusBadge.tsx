import { Icon, type IconName } from './Icon';

export type Status = 'ok' | 'failed' | 'warning' | 'pending' | 'running' | 'info' | 'skipped';

const ICONS: Record<Status, IconName> = {
  ok: 'check',
  failed: 'cross',
  warning: 'warning',
  pending: 'clock',
  running: 'spinner',
  info: 'info',
  skipped: 'dash',
};

/** Status as icon and words, never colour alone. */
export function StatusBadge({ status, children, className }: { status: Status; children: string; className?: string }) {
  return (
    <span className={`badge badge-${status}${className ? ` ${className}` : ''}`}>
      <Icon name={ICONS[status]} className={status === 'running' ? 'spin' : undefined} />
      <span>{children}</span>
    </span>
  );
}
