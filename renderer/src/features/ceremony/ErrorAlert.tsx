import { useEffect, useRef } from 'react';
import type { ErrorData } from '../../api';
import { Button, ErrorBanner } from '../../components';

/**
 * A refusal or failure: what is wrong, what to do, and the code to look up. Located script issues
 * are listed separately, so only the message's first line is shown here.
 */
export function ErrorAlert({ error, title, onDismiss }: { error: ErrorData; title?: string; onDismiss?: () => void }) {
  const first = (error.message.split('\n')[0] ?? error.message).replace(/:\s*$/, '.');
  const shown: ErrorData = { ...error, message: first };
  const box = useRef<HTMLDivElement>(null);
  // The alert sits under the form: scroll it into view only when it is off screen (no layout moves).
  useEffect(() => { box.current?.scrollIntoView?.({ block: 'nearest' }); }, [error.code, error.message]);
  return (
    <div className="cer-alert" data-code={error.code} ref={box}>
      <ErrorBanner error={shown} title={title} actions={onDismiss ? <Button variant="quiet" onClick={onDismiss}>Dismiss</Button> : undefined} />
    </div>
  );
}
