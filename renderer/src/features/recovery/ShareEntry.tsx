import { Button } from '../../components';
import { useId, useState } from 'react';
import type { ErrorData, ShareInput } from '../../api';
import { ErrorAlert } from '../ceremony/ErrorAlert';
import { OtherInputs } from './OtherInputs';
import { TokenShareInput } from './TokenShareInput';
import { wrongWordNumber } from './share-errors';
import { WordInput } from './WordInput';

type Mode = 'words' | 'qr' | 'age-file' | 'token';

const MODES: { mode: Mode; label: string }[] = [
  { mode: 'words', label: 'Words from the share sheet' },
  { mode: 'qr', label: 'QR code (scanner)' },
  { mode: 'age-file', label: 'Encrypted share file' },
  { mode: 'token', label: 'Share on my token' },
];

export interface ShareEntryProps {
  who: string;
  wordCount: number;
  busy: boolean;
  error: ErrorData | null;
  onSubmit: (input: ShareInput) => Promise<boolean>;
  /** Offer "Share on my token" (the Recovery screen opens it; a ceremony run does not take it yet). */
  tokenInput?: boolean;
}

/** One share, entered by its custodian in any form the core accepts; refused shares say why. */
export function ShareEntry({ who, wordCount, busy, error, onSubmit, tokenInput = false }: ShareEntryProps) {
  const [mode, setMode] = useState<Mode>('words');
  const [words, setWords] = useState<string[]>(() => Array.from({ length: wordCount }, () => ''));
  const name = useId();
  const wrong = wrongWordNumber(error);

  async function send(input: ShareInput) {
    // Cleared once accepted, so the next custodian never sees the previous share's words.
    if (await onSubmit(input)) setWords(Array.from({ length: wordCount }, () => ''));
  }

  return (
    <div className="rec-entry">
      <fieldset className="rec-modes">
        <legend className="field-label">{who}: how is the share given?</legend>
        {MODES.filter((m) => tokenInput || m.mode !== 'token').map((m) => (
          <label key={m.mode} className={`rec-mode${mode === m.mode ? ' rec-mode--on' : ''}`}>
            <input type="radio" name={name} value={m.mode} checked={mode === m.mode} onChange={() => setMode(m.mode)} />
            {m.label}
          </label>
        ))}
      </fieldset>
      {error ? <ErrorAlert error={error} title={wrong !== null ? `Word ${wrong} is wrong` : error.code === 'PIN_INCORRECT' ? 'Wrong PIN' : 'Share refused'} /> : null}
      {mode === 'words' ? (
        <form className="cer-form" aria-label="Share words" onSubmit={(e) => { e.preventDefault(); void send({ kind: 'words', words: words.map((w) => w.trim().toLowerCase()) }); }}>
          <p className="cer-hint">Type each word, or just its first four letters. Unknown words are marked at once.</p>
          <div className="cer-word-grid">
            {words.map((w, i) => (
              <WordInput key={i} position={i + 1} value={w} autoFocus={i === 0}
                refused={wrong === i + 1 ? 'Wrong word: check the sheet' : null}
                onChange={(v) => setWords((ws) => ws.map((x, j) => (j === i ? v : x)))} />
            ))}
          </div>
          <Button type="submit" variant="primary" disabled={busy || words.some((w) => w.trim() === '')}>Add this share</Button>
        </form>
      ) : mode === 'token' ? <TokenShareInput busy={busy} error={error} onSubmit={send} />
        : <OtherInputs mode={mode} busy={busy} onSubmit={send} />}
    </div>
  );
}
