/**
 * The printable ceremony report (report.html): what ran, who attested, deviations, outputs.
 * Self-contained HTML (no script, no external reference) so it prints the same anywhere.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../util/fs-durable';
import type { JournalEntry } from '../transcript/entry-kinds';
import type { RunView } from './run-types';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

export async function writeReport(outDir: string, entries: readonly JournalEntry[], view: RunView): Promise<void> {
  const keys = entries.filter((e) => e.kind === 'key.generated').map((e) => e.data as { label: string; algorithm: string; fingerprint: string; fingerprintWords: string[] });
  const certs = entries.filter((e) => e.kind === 'certificate.issued').map((e) => e.data as { subject: string; serial: string; sha256: string; file?: string });
  const steps = view.steps.map((s) => `<tr><td>${s.index + 1}</td><td>${esc(s.id)}</td><td>${esc(s.instruction)}</td><td>${esc(s.status)}</td><td>${esc(s.attested.join(', '))}</td><td>${s.facts.map((f) => `${esc(f.label)}: ${esc(f.value)}`).join('<br>')}</td></tr>`).join('\n');
  const devs = view.deviations.map((d) => `<li>${esc(d.time)} — step ${esc(d.step)} — ${esc(d.who)}: ${esc(d.why)}</li>`).join('') || '<li>none</li>';
  const lastLeaf = entries.length;
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${esc(view.title)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;padding:4px;vertical-align:top}.mono{font-family:monospace}</style></head><body>
<h1>${esc(view.title)}</h1>
<p>${esc(view.purpose)}</p>
<p>Ceremony <span class="mono">${esc(view.ceremonyId)}</span>, type ${esc(view.type)}${view.rehearsal ? ' — <strong>REHEARSAL (SoftHSM2), not a production ceremony</strong>' : ''}. ${lastLeaf} transcript entries.</p>
<h2>Participants</h2><ul>${view.participants.map((p) => `<li>${esc(p.name)} (${esc(p.role)})</li>`).join('')}</ul>
<h2>Keys</h2><ul>${keys.map((k) => `<li>${esc(k.label)} (${esc(k.algorithm)}) SHA-256 <span class="mono">${esc(k.fingerprint)}</span><br><span class="mono">${esc(k.fingerprintWords.join(' '))}</span></li>`).join('') || '<li>none generated</li>'}</ul>
<h2>Certificates</h2><ul>${certs.map((c) => `<li>${esc(c.file ?? '')} ${esc(c.subject)} serial <span class="mono">${esc(c.serial)}</span> SHA-256 <span class="mono">${esc(c.sha256)}</span></li>`).join('') || '<li>none</li>'}</ul>
<h2>Steps</h2><table><tr><th>#</th><th>id</th><th>instruction</th><th>status</th><th>attested by</th><th>facts</th></tr>
${steps}</table>
<h2>Deviations</h2><ul>${devs}</ul>
<p>Verify with <span class="mono">keyrite verify ${esc(path.basename(outDir))}</span>. Transcript SHA-256 of the last entry line: <span class="mono">${createHash('sha256').update(JSON.stringify(entries[entries.length - 1] ?? {})).digest('hex')}</span></p>
</body></html>
`;
  await writeFileAtomic(path.join(outDir, 'report.html'), html);
}
