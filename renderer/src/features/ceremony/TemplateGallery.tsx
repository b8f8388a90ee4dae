import { useEffect, useState } from 'react';
import type { ErrorData, TemplateView } from '../../api';
import { Button, Loading, StatusBadge } from '../../components';
import { callKeyrite, useFields } from '../../store';
import { ErrorAlert } from './ErrorAlert';

/** The ceremony each template runs, as a person says it. */
const TYPE_LABELS: Record<string, string> = {
  'root-keygen': 'Root key generation',
  recovery: 'Recovery from shares',
  reshare: 'New shares',
  'sign-intermediate': 'Certificate signing',
  'sign-crl': 'CRL signing',
  'sign-artifact': 'Artifact signing',
  rotate: 'Key rotation',
  destroy: 'Key destruction',
  'check-up': 'Share check-up',
  'sign-dnskey': 'DNSKEY signing',
  'sign-tuf-root': 'TUF root signing',
};

function priorRun(t: TemplateView): string {
  if (!t.needsPriorRun) return 'Not needed: makes its own key';
  return t.rehearsal?.prior ? `Needed (rehearse ${t.rehearsal.prior} first)` : 'Needed';
}

/**
 * The templates Keyrite ships (resources/ceremonies, listed by main through `templates/list`).
 * Choosing one loads it exactly as a picked file: main checks it, and the summary and pre-flight
 * follow as for any script.
 */
export function TemplateGallery({ onChosen }: { onChosen: () => void }) {
  const [templates, setTemplates] = useState<TemplateView[] | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const { pickedScript: picked, pickScript } = useFields('pickedScript', 'pickScript');
  useEffect(() => {
    void callKeyrite((api) => api.listTemplates()).then((r) => {
      if (r.ok) setTemplates(r.value); else setError(r.error);
    });
  }, []);

  const choose = (t: TemplateView) => {
    onChosen();
    void pickScript({ fileName: t.fileName, text: t.text });
  };
  return (
    <section className="cer-templates" aria-labelledby="cer-templates-title">
      <h2 id="cer-templates-title" className="cer-h2">Or start from a template Keyrite ships</h2>
      <p className="cer-hint">Each is a complete script: rehearse it as it is, or adapt it, agree it and sign it on paper before the day.</p>
      {error ? <ErrorAlert error={error} title="The templates could not be listed" /> : null}
      {templates === null && !error ? <Loading label="Listing the templates…" /> : null}
      {templates ? (
        <ul className="cer-templates__grid" aria-label="Ceremony templates">
          {templates.map((t) => {
            const chosen = picked?.fileName === t.fileName && picked.text === t.text;
            return (
              <li key={t.fileName} className={`cer-template${chosen ? ' cer-template--chosen' : ''}`} data-template={t.fileName}>
                <div className="cer-template__head">
                  <h3 className="cer-template__title">{t.title}</h3>
                  {chosen ? <StatusBadge status="ok">Chosen</StatusBadge> : null}
                </div>
                <p className="cer-template__file cer-mono">{t.fileName}</p>
                <p className="cer-template__purpose">{t.purpose}</p>
                <dl className="cer-template__facts">
                  <div><dt>Ceremony</dt><dd>{TYPE_LABELS[t.type] ?? t.type}</dd></div>
                  <div><dt>Key</dt><dd className="cer-mono">{t.algorithm}</dd></div>
                  <div><dt>Backup</dt><dd>{t.split ?? 'none'}</dd></div>
                  <div><dt>Earlier run</dt><dd>{priorRun(t)}</dd></div>
                  {t.inputFiles.length > 0 ? <div><dt>Reads</dt><dd className="cer-mono">{t.inputFiles.map((f) => <span key={f} className="cer-template__input">{f}</span>)}</dd></div> : null}
                </dl>
                <Button variant={chosen ? 'quiet' : 'secondary'} className="cer-template__use" onClick={() => choose(t)} aria-label={`Use this template: ${t.title}`}>
                  Use this template
                </Button>
              </li>
            );
          })}
        </ul>
      ) : null}
    </section>
  );
}
