import type { CeremonyNeed } from '../../api';
import { useStore, stepError } from '../../store';
import { ShareEntry } from './ShareEntry';

/** Share entry inside a recovery or reshare ceremony: the runner takes each share as a step input. */
export function CeremonyShareEntry({ need }: { need: Extract<CeremonyNeed, { kind: 'share-input' }> }) {
  const busy = useStore((s) => s.runBusy);
  const error = useStore(stepError);
  const submit = useStore((s) => s.submitInput);
  return (
    <div className="rec-in-ceremony">
      <p className="cer-h3" data-testid="recovery-progress">{need.received} of {need.needed} shares accepted</p>
      <progress className="cer-progress__bar" max={need.needed} value={need.received} aria-label="Shares accepted" />
      {need.accepted && need.accepted.length > 0 && (
        <ul className="rec-accepted" data-testid="recovery-accepted" aria-label="Shares accepted so far">
          {need.accepted.map((a) => <li key={a.index}>{a.custodian}'s share (#{a.index}) accepted</li>)}
        </ul>
      )}
      <ShareEntry key={need.received} who={`Share ${need.received + 1}`} wordCount={need.wordCount} busy={busy} error={error}
        onSubmit={(share) => submit({ kind: 'share-input', share })} />
    </div>
  );
}
