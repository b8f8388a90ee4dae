import { useEffect, useId, useState } from 'react';
import type { ErrorData, ShareInput } from '../../api';
import { Button } from '../../components';
import { TokenPinField } from '../ceremony/TokenPinField';
import { useFields, tokenOptionText } from '../../store';

/**
 * A share encrypted to the custodian's own token key: they pick the share file, their token and
 * type its PIN. Main logs in once, decrypts on the token and closes the session; the PIN is
 * cleared here as soon as it is sent.
 */
export function TokenShareInput({ busy, error, onSubmit }: { busy: boolean; error: ErrorData | null; onSubmit: (input: ShareInput) => Promise<void> }) {
  const { shareTokens: tokens, shareTokensError: tokensError, loadShareTokens: loadTokens } = useFields('shareTokens', 'shareTokensError', 'loadShareTokens');
  const [file, setFile] = useState<{ fileName: string; content: string } | null>(null);
  const [serial, setSerial] = useState('');
  const [pin, setPin] = useState('');
  const fileId = useId();
  const tokenId = useId();

  useEffect(() => { void loadTokens(); }, [loadTokens]);
  // The only token present is the obvious choice; with several the custodian picks theirs.
  const chosen = serial !== '' ? serial : tokens?.length === 1 ? tokens[0]?.serial ?? '' : '';
  const ready = file !== null && chosen !== '' && pin !== '';

  function submit() {
    if (!file || chosen === '') return;
    const p = pin;
    setPin('');
    void onSubmit({ kind: 'token', fileName: file.fileName, content: file.content, tokenSerial: chosen, pin: p });
  }

  return (
    <form className="cer-form" aria-label="Share on my token" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <p className="cer-hint">For a share encrypted to your own card or token: choose the share file, your token, and type its PIN. Others look away.</p>
      <div className="field">
        <label htmlFor={fileId} className="field-label">Share file for my token (.json)</label>
        <input id={fileId} className="cer-file" type="file" accept=".json,.age,.txt,application/json"
          onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((content) => setFile({ fileName: f.name, content })); }} />
      </div>
      <div className="field">
        <label htmlFor={tokenId} className="field-label">My token</label>
        <select id={tokenId} className="field-input" value={chosen} onChange={(e) => setSerial(e.target.value)} disabled={tokens === null}>
          <option value="">{tokens === null ? 'Looking for tokens…' : tokens.length === 0 ? 'No token found: insert yours' : 'Choose your token'}</option>
          {(tokens ?? []).map((t) => <option key={t.serial} value={t.serial}>{tokenOptionText(t)}</option>)}
        </select>
        <Button type="button" variant="secondary" onClick={() => { void loadTokens(); }}>Look for tokens again</Button>
        {tokensError ? <p className="field-error" role="alert">{tokensError.message} {tokensError.action}</p> : null}
      </div>
      <TokenPinField label="PIN of my token" name="token-share-pin" value={pin}
        hint="Used for one login to decrypt the share on your token; never stored or written anywhere."
        error={error} disabled={busy} onChange={(e) => setPin(e.target.value)} />
      <Button type="submit" variant="primary" disabled={busy || !ready}>Open and add this share</Button>
    </form>
  );
}
