export interface KeyValueItem {
  label: string;
  value: string;
  mono?: boolean;
}

/** Label/value pairs (a <dl>); long values wrap rather than overflow. */
export function KeyValue({ items, className }: { items: KeyValueItem[]; className?: string }) {
  return (
    <dl className={`kv${className ? ` ${className}` : ''}`}>
      {items.map((it) => (
        <div className="kv-row" key={it.label}>
          <dt>{it.label}</dt>
          <dd className={it.mono ? 'mono wrap-anywhere' : undefined}>{it.value}</dd>
        </div>
      ))}
    </dl>
  );
}
