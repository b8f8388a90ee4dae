import type { ReactNode } from 'react';
import type { ErrorData } from '../api';
import { Banner } from './Banner';

/** A KeyriteError as people read it: what went wrong, what to do, and the code to look up. */
export function ErrorBanner({ error, title, actions }: { error: ErrorData; title?: string; actions?: ReactNode }) {
  return (
    <Banner tone="danger" title={title ?? error.message} live="alert" actions={actions}>
      {title ? <p>{error.message}</p> : null}
      {error.action ? <p>{error.action}</p> : null}
      <p className="error-code">Error code <code>{error.code}</code></p>
    </Banner>
  );
}
