import { Button } from '../../components';
import { useId, useState } from 'react';
import type { ShareInput } from '../../../../electron/contract/ceremony';

const block = (e: { preventDefault(): void }) => e.preventDefault();

/** QR (a scanner types its text), age file with passphrase, and share on the custodian's token. */
export function OtherInputs({ mode, busy, onSubmit }: { mode: 'qr' | 'age-file' | 'token'; busy: boolean; onSubmit: (input: ShareInput) => Promise<void> }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ fileName: string; content: string } | null>(null);
  const [secret, setSecret] = useState('');
  const [token, setToken] = useState('');
  const a = useId();
  const b = useId();

  function submit() {
    const s = secret;
    setSecret('');
    if (mode === 'qr') void onSubmit({ kind: 'qr', text: text.trim() });
    else if (mode === 'age-file' && file) void onSubmit({ kind: 'age-file', fileName: file.fileName, content: file.content, passphrase: s });
    else if (mode === 'token') void onSubmit({ kind: 'token', token: token.trim(), pin: s });
  }
  const ready = mode === 'qr' ? text.trim() !== '' : mode === 'age-file' ? file !== null && secret !== '' : token.trim() !== '' && secret !== '';

  return (
    <form className="cer-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      {mode === 'qr' ? (
        <div className="field">
          <label htmlFor={a} className="field-label">Scan the QR code on the share sheet (the scanner types it here)</label>
          <input id={a} className="field-input mono" type="text" value={text} autoComplete="off" spellCheck={false} onChange={(e) => setText(e.target.value)} />
        </div>
      ) : null}
      {mode === 'age-file' ? (
        <>
          <div className="field">
            <label htmlFor={a} className="field-label">Share file (.age)</label>
            <input id={a} className="cer-file" type="file" accept=".age,.txt"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((content) => setFile({ fileName: f.name, content })); }} />
          </div>
          <div className="field">
            <label htmlFor={b} className="field-label">Passphrase of the file</label>
            <input id={b} className="field-input" type="password" value={secret} autoComplete="off" spellCheck={false} onCopy={block} onCut={block} onChange={(e) => setSecret(e.target.value)} />
          </div>
        </>
      ) : null}
      {mode === 'token' ? (
        <>
          <div className="field">
            <label htmlFor={a} className="field-label">Label of your token</label>
            <input id={a} className="field-input" type="text" value={token} autoComplete="off" spellCheck={false} onChange={(e) => setToken(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={b} className="field-label">PIN of your token</label>
            <input id={b} className="field-input" type="password" value={secret} autoComplete="off" spellCheck={false} onCopy={block} onCut={block} onChange={(e) => setSecret(e.target.value)} />
          </div>
        </>
      ) : null}
      <Button type="submit" variant="primary" disabled={busy || !ready}>Add this share</Button>
    </form>
  );
}
