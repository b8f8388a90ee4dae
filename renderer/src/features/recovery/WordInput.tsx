import { useEffect, useId, useRef, useState } from 'react';
import type { WordCheck } from '../../api';
import { checkShareWord } from '../../store';

export interface WordInputProps {
  /** 1-based position in the share, as printed on the share sheet. */
  position: number;
  value: string;
  onChange: (value: string) => void;
  /** Set when main refused the share because of this word (checksum names it). */
  refused?: string | null;
  autoFocus?: boolean;
}

/**
 * One share word. Checked against the word list as it is typed: an unknown word is flagged at
 * once, a unique 4-letter prefix completes to the full word. Never spell-checked or autocompleted
 * by the browser (its dictionary must not learn share words).
 */
export function WordInput({ position, value, onChange, refused, autoFocus }: WordInputProps) {
  const [checked, setChecked] = useState<{ input: string; result: WordCheck | null } | null>(null);
  const latest = useRef(0);
  const id = useId();
  const noteId = useId();

  const typed = value.trim().toLowerCase();
  useEffect(() => {
    const mine = ++latest.current;
    if (typed === '') return;
    void checkShareWord(typed).then((result) => { if (mine === latest.current) setChecked({ input: typed, result }); });
  }, [typed]);
  // A check answers one input; while the next answer is on its way, nothing stale is shown.
  const check = checked && checked.input === typed ? checked.result : null;

  const unknown = check?.unknown === true;
  const invalid = unknown || Boolean(refused);
  let note: string | null = null;
  if (refused) note = refused;
  else if (unknown) note = 'Not a share word';
  else if (check?.word && check.word !== value.trim().toLowerCase()) note = `= ${check.word}`;
  else if (check && !check.word && check.suggestions.length > 0) note = `${check.suggestions.slice(0, 3).join(', ')}${check.suggestions.length > 3 ? '…' : ''}`;

  return (
    <div className={`word${invalid ? ' word--invalid' : ''}${check?.word && !invalid ? ' word--ok' : ''}`} data-testid={`word-${position}`}>
      <label htmlFor={id} className="word__label">Word {position}</label>
      <input id={id} className="word__input" type="text" value={value} inputMode="text" maxLength={16}
        autoComplete="off" autoCorrect="off" autoCapitalize="off" spellCheck={false} autoFocus={autoFocus}
        aria-invalid={invalid || undefined} aria-describedby={note ? noteId : undefined}
        onChange={(e) => {
          const v = e.target.value.replace(/\s+/g, '');
          onChange(v);
        }}
        onBlur={() => { if (check?.word && check.word !== value) onChange(check.word); }} />
      <p id={noteId} className="word__note" aria-live="polite">
        {note ? <>{invalid ? <span aria-hidden="true">✕ </span> : check?.word ? <span aria-hidden="true">✓ </span> : null}{note}</> : '\u00a0'}
      </p>
    </div>
  );
}
