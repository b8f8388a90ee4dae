import { useState } from 'react';
import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useFields, useStore, stepError } from '../../store';
import { WordInput } from '../recovery/WordInput';
import { wrongWordNumbers } from '../recovery/share-errors';

type VerifyNeed = Extract<CeremonyNeed, { kind: 'verify-share' }>;

/** The custodian reads chosen words back from their sheet: proof the sheet is right before they leave. */
export function VerifyShare({ need }: { need: VerifyNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const error = useStore(stepError);
  const [words, setWords] = useState<string[]>(() => need.positions.map(() => ''));
  const wrong = wrongWordNumbers(error);
  const filled = words.every((w) => w.trim() !== '');
  return (
    <form className="cer-form cer-verify" aria-label={`Check ${need.custodian}'s share`}
      onSubmit={(e) => { e.preventDefault(); void submit({ kind: 'verify-share', custodian: need.custodian, words: words.map((w) => w.trim().toLowerCase()) }); }}>
      <p className="cer-pass__title">{need.custodian}, check your sheet</p>
      <p className="cer-lead">Type these words from your share sheet (the first four letters are enough). Keyrite checks them against your share.</p>
      <div className="cer-word-grid">
        {need.positions.map((p, i) => (
          <WordInput key={p} position={p} value={words[i] ?? ''} autoFocus={i === 0}
            refused={wrong.includes(p) ? 'Does not match your share' : null}
            onChange={(v) => setWords((ws) => ws.map((w, j) => (j === i ? v : w)))} />
        ))}
      </div>
      <Button type="submit" variant="primary" disabled={busy || !filled}>Check my share</Button>
    </form>
  );
}
