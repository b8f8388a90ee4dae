/**
 * The printable ceremony report: one self-contained HTML page (inline CSS, no scripts, no external
 * resources) that the people in the room read, check against the screen, and sign by hand.
 * It carries the verifier keys an auditor later passes to `keyrite verify --trusted-key`.
 */
import type { VerificationReport } from './verify-types';
import { describeShareOutcome, shareOutcome } from './share-outcome';
import { evidenceSectionsHtml } from '../provenance/evidence-html';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const CSS = `
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; color: #000; background: #fff; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; }
h2 { font-size: 12pt; margin: 14pt 0 4pt; border-bottom: 1px solid #000; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
th, td { border: 1px solid #555; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eee; }
tr, .keep { break-inside: avoid; }
.mono { font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 9pt; word-break: break-all; }
.verdict { border: 2px solid #000; padding: 6pt; font-weight: bold; margin: 8pt 0; }
.invalid { background: #fdd; }
.sig td { height: 16mm; }
.kv th { width: 32%; font-weight: normal; }
.words { font-size: 11pt; letter-spacing: .02em; }
.rehearsal { border: 4px double #000; padding: 6pt; margin: 0 0 8pt; font-size: 14pt; font-weight: bold; text-align: center; letter-spacing: .08em; }
@media screen { body { padding: 12px; } }
`;

function table(head: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p>None.</p>';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** A two-column table of label and value, with no header row. */
function kv(rows: [string, string][]): string {
  return `<table class="kv"><tbody>${rows.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

/** Said at the top of a rehearsal's report (and in its title), so a printed page cannot pass for a real ceremony. */
const REHEARSAL_BANNER = '<div class="rehearsal" role="note">REHEARSAL: not a real ceremony. The token and every key, share and signature here are throwaway.</div>';

export function renderReportHtml(r: VerificationReport, opts: { generatedAt: Date }): string {
  const title = r.script ? `${r.script.title}` : 'Ceremony transcript';
  const f = r.failure;
  const verdict = f
    ? `<div class="verdict invalid">INVALID: [${esc(f.code)}] ${esc(f.message)}</div>`
    : '<div class="verdict">VALID: the transcript is intact, signed, complete and in the script\'s order.</div>';
  const latest = r.checkpoints[r.checkpoints.length - 1];
  const people = r.participants.length > 0 ? r.participants : r.witnesses.map((w) => ({ role: 'witness', name: w.name }));
  const parts: string[] = [
    ...(r.rehearsal ? [REHEARSAL_BANNER] : []),
    `<h1>${r.rehearsal ? 'REHEARSAL: ' : ''}${esc(title)}</h1>`,
    `<p>Ceremony <span class="mono">${esc(r.ceremonyId ?? '-')}</span>${r.script ? `, script <span class="mono">${esc(r.script.id)}</span> (${esc(r.script.type)})` : ''}.<br>`,
    `From ${esc(r.started ?? '-')} to ${esc(r.ended ?? '-')} (UTC). Report made ${esc(opts.generatedAt.toISOString())}.</p>`,
    verdict,
    '<h2>Transcript</h2>',
    kv([
      ['Entries', esc(r.entries)],
      ['Merkle root (SHA-256, RFC 6962)', `<span class="mono">${esc(r.root ?? '-')}</span>`],
      ['Latest signed checkpoint', latest ? `size ${esc(latest.size)}, root <span class="mono">${esc(latest.root)}</span>` : '-'],
      ['Script SHA-256', `<span class="mono">${esc(r.script?.sha256 ?? '-')}</span>`],
      ['Policy SHA-256', `<span class="mono">${esc(r.policySha256 ?? '-')}</span>`],
      ['Steps', `${esc(r.steps.completed.length)} of ${esc(r.steps.expected.length)} completed in order: ${esc(r.steps.completed.join(', '))}`],
    ]),
    '<h2>Keys</h2>',
    ...r.keys.map((k) => `<div class="keep">${kv([
      ['Label / CKA_ID', `${esc(k.label)} / <span class="mono">${esc(k.id)}</span>`],
      ['Algorithm', esc(k.algorithm)],
      ['Public key SHA-256', `<span class="mono">${esc(k.fingerprint)}</span>`],
      ['Read aloud', `<span class="words">${esc(k.fingerprintWords.join(' '))}</span>`],
      ['Proven attributes', esc(Object.entries(k.proof).map(([a, v]) => `${a}=${String(v)}`).join(', '))],
      ['Token', esc(k.token ? `${k.token.label} (serial ${k.token.serial})` : '-')],
    ])}</div>`),
    ...evidenceSectionsHtml(r, esc),
    '<h2>Transcript keys</h2>',
    '<p>The key marked "in force" signs the latest checkpoints: it is the transcript key auditors compare and pass as --trusted-key.</p>',
    table(['Transcript key', 'Where', 'Signs', 'Verifier key'], (r.transcriptKeys ?? []).map((k) => [
      k.inForce ? '<strong>in force</strong>' : 'retired',
      esc(k.source === 'token' ? `token${k.token ? ` ${k.token.label} (serial ${k.token.serial})` : ''}${k.ckaId ? `, CKA_ID ${k.ckaId}` : ''}` : 'key file (destroyed)'),
      esc(k.untilSeq !== undefined ? `entries ${k.fromSeq} to ${k.untilSeq} (handed over)` : `from entry ${k.fromSeq}`),
      `<span class="mono">${esc(k.key)}</span>`,
    ])),
    '<h2>Checkpoint signers (give these to auditors as --trusted-key)</h2>',
    table(['Role', 'Verifier key', 'Checkpoints signed'], r.signers.map((s) => [esc(s.role), `<span class="mono">${esc(s.key)}</span>`, esc(s.checkpointsSigned)])),
    '<h2>Backup shares</h2>',
    ...r.shares.map((s) => `<p>${esc(s.k)}-of-${esc(s.n)}, split <span class="mono">${esc(s.splitId)}</span></p>` + table(
      ['Share', 'Custodian', 'Fingerprint', 'Delivery', 'Checked'],
      s.shares.map((sh) => {
        const o = shareOutcome(s, sh.index);
        const file = o.file ? `<br>file ${esc(o.file.name)}<br><span class="mono">sha256 ${esc(o.file.sha256)}</span>` : '';
        return [esc(sh.index), esc(sh.custodian), `<span class="mono">${esc(sh.fingerprint)}</span>`, `${esc(o.medium ?? 'paper')}${file}`, esc(describeShareOutcome(o))];
      }),
    )),
    ...(r.shares.length === 0 ? ['<p>None.</p>'] : []),
    '<h2>Certificates</h2>',
    table(['Subject', 'Serial', 'SHA-256'], r.certificates.map((c) => [esc(c.subject), esc(c.serial), `<span class="mono">${esc(c.sha256)}</span>`])),
    '<h2>Witnesses</h2>',
    table(['Witness', 'Attestations', 'Checkpoints cosigned'], r.witnesses.map((w) => [esc(w.name), esc(w.attestations.map((a) => `${a.step}: ${a.statement}`).join('; ')), esc(w.checkpointsCosigned)])),
    '<h2>Deviations and exceptions</h2>',
    table(['Entry', 'Step', 'Kind', 'Detail'], r.exceptions.map((x) => [esc(x.seq), esc(x.step), esc(x.kind), esc(x.detail)])),
    ...(r.warnings.length ? ['<h2>Notes</h2>', `<ul>${r.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`] : []),
    '<h2>Signatures of the people in the room</h2>',
    '<p>By signing I confirm that the figures above match what was shown on screen during the ceremony.</p>',
    `<table class="sig"><thead><tr><th>Role</th><th>Name</th><th>Signature</th><th>Date</th></tr></thead><tbody>${people
      .map((p) => `<tr><td>${esc(p.role)}</td><td>${esc(p.name)}</td><td></td><td></td></tr>`)
      .join('')}</tbody></table>`,
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${r.rehearsal ? 'REHEARSAL - ' : ''}${esc(title)} - ${esc(r.ceremonyId ?? '')}</title>
<style>${CSS}</style></head>
<body>
${parts.join('\n')}
</body></html>
`;
}
