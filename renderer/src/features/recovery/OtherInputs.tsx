import { useId, useState } from 'react';
import type { ShareInput } from '../../api';
import { Button } from '../../components';

const block = (e: { preventDefault(): void }) => e.preventDefault();

/** QR (a scanner types its text into the field) and an age share file with its passphrase. */
export function OtherInputs({ mode, busy, onSubmit }: { mode: 'qr' | 'age-file'; busy: boolean; onSubmit: (input: ShareInput) => Promise<void> }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState<{ fileName: string; content: string } | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const a = useId();
  const b = useId();

  function submit() {
    const p = passphrase;
    setPassphrase('');
    if (mode === 'qr') void onSubmit({ kind: 'qr', text: text.trim() });
    else if (file) void onSubmit({ kind: 'age-file', fileName: file.fileName, content: file.content, passphrase: p });
  }
  const ready = mode === 'qr' ? text.trim() !== '' : file !== null && passphrase !== '';

  return (
    <form className="cer-form" onSubmit={(e) => { e.preventDefault(); submit(); }}>
      {mode === 'qr' ? (
        <div className="field">
          <label htmlFor={a} className="field-label">Scan the QR code on the share sheet (the scanner types it here)</label>
          <input id={a} className="field-input mono" type="text" value={text} autoComplete="off" spellCheck={false} onChange={(e) => setText(e.target.value)} />
        </div>
      ) : (
        <>
          <div className="field">
            <label htmlFor={a} className="field-label">Share file (.age)</label>
            <input id={a} className="cer-file" type="file" accept=".age,.txt"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((content) => setFile({ fileName: f.name, content })); }} />
          </div>
          <div className="field">
            <label htmlFor={b} className="field-label">Passphrase of the file</label>
            <input id={b} className="field-input" type="password" value={passphrase} autoComplete="off" spellCheck={false} onCopy={block} onCut={block} onChange={(e) => setPassphrase(e.target.value)} />
          </div>
        </>
      )}
      <Button type="submit" variant="primary" disabled={busy || !ready}>Add this share</Button>
    </form>
  );
}
