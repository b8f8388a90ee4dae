import { Icon } from './Icon';

/** A reserved-height loading line, so content replacing it does not push the page around. */
export function Loading({ label }: { label: string }) {
  return (
    <p className="loading" role="status">
      <Icon name="spinner" className="spin" />
      <span>{label}</span>
    </p>
  );
}
