/**
 * The printed report the people in the room sign: every figure they check against the screen is on
 * it, under its label; text from the transcript is escaped (a name cannot inject markup); the
 * verdict says INVALID with the failure's code and message; a rehearsal says so at the top and in
 * the title; the page is self-contained (no scripts, nothing fetched) and prints on A4.
 */
import { describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../../electron/core/transcript/report-html';
import type { VerificationReport } from '../../../electron/core/transcript/verify-types';

const at = new Date('2026-02-03T04:05:06.007Z');

function report(over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    valid: true, dir: '/x', ceremonyId: 'cer-1', entries: 42, root: 'r00t'.repeat(16), warnings: [],
    script: { id: 'root-ca', title: 'Root CA <2026>', type: 'root-key-generation', sha256: 'sc'.repeat(32) },
    participants: [{ role: 'administrator', name: 'Ada' }, { role: 'witness', name: 'Wendy' }],
    started: '2026-02-01T10:00:00Z', ended: '2026-02-01T11:00:00Z', policySha256: 'po'.repeat(32),
    steps: { expected: ['check-room', 'generate-key', 'seal'], completed: ['check-room', 'generate-key'] },
    checkpoints: [{ file: 'checkpoints/000003.note', size: 3, root: 'aa'.repeat(32), signedBy: [], unknownSigners: [] }, { file: 'checkpoints/000009.note', size: 9, root: 'bb'.repeat(32), signedBy: [], unknownSigners: [] }],
    signers: [{ name: 'keyrite.transcript/cer-1', keyHash: 'h', key: 'keyrite.transcript/cer-1+abcd+AAAA', role: 'transcript', source: 'entry 0', trustedByAuditor: false, checkpointsSigned: 7 }],
    unknownSigners: [],
    transcriptKeys: [
      { key: 'vk-file', source: 'file', fromSeq: 0, untilSeq: 12, inForce: false },
      { key: 'vk-token', source: 'token', fromSeq: 13, inForce: true, ckaId: 'c1d2', token: { label: 'HSM A', serial: '77' } },
      { key: 'vk-bare', source: 'token', fromSeq: 20, inForce: false },
    ],
    keys: [{ seq: 4, label: 'root-2026', id: 'a0b1', algorithm: 'ec-p384', fingerprint: 'fp'.repeat(32), fingerprintWords: ['aardvark', 'absurd'], fingerprintMatches: true, proof: { extractable: false, sensitive: true }, spki: 'AAAA', token: { label: 'HSM A', serial: '77' } }],
    shares: [{
      seq: 6, splitId: '5f1e', k: 2, n: 3,
      shares: [{ custodian: 'Carol', index: 1, fingerprint: 'fc', medium: 'file' }, { custodian: 'Dan', index: 2, fingerprint: 'fd' }] as VerificationReport['shares'][number]['shares'],
      verified: [{ custodian: 'Carol', index: 1, ok: true, method: 'file' }], delivered: [{ custodian: 'Carol', index: 1, medium: 'file', fileName: 'carol.age', sha256: 'c5'.repeat(32) }],
    }],
    certificates: [{ seq: 8, subject: 'CN=Root & Co', serial: '0a', sha256: 'ce'.repeat(32) }],
    witnesses: [{ name: 'Wendy', attestations: [{ seq: 5, step: 'generate-key', statement: 'I saw it.' }, { seq: 7, step: 'seal', statement: 'Sealed.' }], checkpointsCosigned: 3 }],
    deviations: [],
    exceptions: [{ seq: 10, step: 'seal', kind: 'deviation', detail: 'Printer "B" jammed' }],
    sealed: true,
    ...over,
  };
}
const render = (over: Partial<VerificationReport> = {}) => renderReportHtml(report(over), { generatedAt: at });
/** The cells of the row whose header is `label` (a two-column key/value table). */
const row = (html: string, label: string) => new RegExp(`<tr><th scope="row">${label.replace(/[()/]/g, '\\$&')}</th><td>(.*?)</td></tr>`).exec(html)?.[1];

describe('the printed report', () => {
  it('is one self-contained page: no scripts, nothing fetched, a CSP that allows inline style only, A4', () => {
    const html = render();
    expect(html.startsWith('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">')).toBe(true);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">');
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:/i);
    expect(html).toContain('@page { size: A4; margin: 18mm 16mm; }');
    expect(html).toContain('.rehearsal { border: 4px double #000;');
    expect(html.trimEnd().endsWith('</body></html>')).toBe(true);
  });

  it('says who, what and when, with the time it was made', () => {
    const html = render();
    expect(html).toContain('<title>Root CA &lt;2026&gt; - cer-1</title>');
    expect(html).toContain('<h1>Root CA &lt;2026&gt;</h1>');
    expect(html).toContain('<p>Ceremony <span class="mono">cer-1</span>, script <span class="mono">root-ca</span> (root-key-generation).<br>');
    expect(html).toContain('From 2026-02-01T10:00:00Z to 2026-02-01T11:00:00Z (UTC). Report made 2026-02-03T04:05:06.007Z.</p>');
    const bare = render({ script: undefined, ceremonyId: undefined, started: undefined, ended: undefined, root: undefined, policySha256: undefined, checkpoints: [] });
    expect(bare).toContain('<title>Ceremony transcript - </title>');
    expect(bare).toContain('<p>Ceremony <span class="mono">-</span>.<br>');
    expect(bare).toContain('From - to - (UTC).');
    expect(row(bare, 'Merkle root (SHA-256, RFC 6962)')).toBe('<span class="mono">-</span>');
    expect(row(bare, 'Latest signed checkpoint')).toBe('-');
    expect(row(bare, 'Script SHA-256')).toBe('<span class="mono">-</span>');
    expect(row(bare, 'Policy SHA-256')).toBe('<span class="mono">-</span>');
  });

  it('gives the verdict: VALID, or INVALID with the failure\'s code and message, escaped', () => {
    expect(render()).toContain('<div class="verdict">VALID: the transcript is intact, signed, complete and in the script\'s order.</div>');
    const bad = render({ valid: false, failure: { code: 'FILE_CHANGED', message: 'a <b> was "changed"' } });
    expect(bad).toContain('<div class="verdict invalid">INVALID: [FILE_CHANGED] a &lt;b&gt; was &quot;changed&quot;</div>');
    expect(bad).not.toContain('VALID: the transcript is intact');
  });

  it('lists the transcript figures: entries, root, the latest checkpoint, script and policy hashes, steps completed', () => {
    const html = render();
    expect(row(html, 'Entries')).toBe('42');
    expect(row(html, 'Merkle root (SHA-256, RFC 6962)')).toBe(`<span class="mono">${'r00t'.repeat(16)}</span>`);
    expect(row(html, 'Latest signed checkpoint')).toBe(`size 9, root <span class="mono">${'bb'.repeat(32)}</span>`);
    expect(row(html, 'Script SHA-256')).toBe(`<span class="mono">${'sc'.repeat(32)}</span>`);
    expect(row(html, 'Policy SHA-256')).toBe(`<span class="mono">${'po'.repeat(32)}</span>`);
    expect(row(html, 'Steps')).toBe('2 of 3 completed in order: check-room, generate-key');
  });

  it('shows each key as the room read it: label, id, algorithm, fingerprint, words, proven attributes, token', () => {
    const html = render();
    expect(row(html, 'Label / CKA_ID')).toBe('root-2026 / <span class="mono">a0b1</span>');
    expect(row(html, 'Algorithm')).toBe('ec-p384');
    expect(row(html, 'Public key SHA-256')).toBe(`<span class="mono">${'fp'.repeat(32)}</span>`);
    expect(row(html, 'Read aloud')).toBe('<span class="words">aardvark absurd</span>');
    expect(row(html, 'Proven attributes')).toBe('extractable=false, sensitive=true');
    expect(row(html, 'Token')).toBe('HSM A (serial 77)');
    expect(row(render({ keys: [{ ...report().keys[0]!, token: undefined }] }), 'Token')).toBe('-');
    expect(html).toContain('<div class="keep"><table class="kv">');
  });

  it('names the transcript keys: the one in force, where each is, what it signs, its verifier key', () => {
    const html = render();
    expect(html).toContain('<tr><td>retired</td><td>key file (destroyed)</td><td>entries 0 to 12 (handed over)</td><td><span class="mono">vk-file</span></td></tr>');
    expect(html).toContain('<tr><td><strong>in force</strong></td><td>token HSM A (serial 77), CKA_ID c1d2</td><td>from entry 13</td><td><span class="mono">vk-token</span></td></tr>');
    expect(html).toContain('<tr><td>retired</td><td>token</td><td>from entry 20</td><td><span class="mono">vk-bare</span></td></tr>');
    expect(html).toContain('<thead><tr><th>Transcript key</th><th>Where</th><th>Signs</th><th>Verifier key</th></tr></thead>');
    expect(render({ transcriptKeys: undefined })).toContain('<h2>Transcript keys</h2>\n<p>The key marked "in force" signs the latest checkpoints: it is the transcript key auditors compare and pass as --trusted-key.</p>\n<p>None.</p>');
  });

  it('lists the checkpoint signers to give auditors, with how many checkpoints each signed', () => {
    expect(render()).toContain('<tr><td>transcript</td><td><span class="mono">keyrite.transcript/cer-1+abcd+AAAA</span></td><td>7</td></tr>');
  });

  it('lists the backup split and what became of each share (medium, file, check)', () => {
    const html = render();
    expect(html).toContain('<p>2-of-3, split <span class="mono">5f1e</span></p>');
    expect(html).toContain(`<tr><td>1</td><td>Carol</td><td><span class="mono">fc</span></td><td>file<br>file carol.age<br><span class="mono">sha256 ${'c5'.repeat(32)}</span></td><td>verified (file opened with the passphrase)</td></tr>`);
    expect(html).toContain('<tr><td>2</td><td>Dan</td><td><span class="mono">fd</span></td><td>paper</td><td>not verified</td></tr>');
    expect(render({ shares: [] })).toContain('<h2>Backup shares</h2>\n<p>None.</p>\n<h2>Certificates</h2>');
    expect(html).not.toContain('<h2>Backup shares</h2>\n<p>None.</p>');
  });

  it('lists certificates, witnesses with their attestations, exceptions, and the people who sign, all escaped', () => {
    const html = render();
    expect(html).toContain(`<tr><td>CN=Root &amp; Co</td><td>0a</td><td><span class="mono">${'ce'.repeat(32)}</span></td></tr>`);
    expect(html).toContain('<tr><td>Wendy</td><td>generate-key: I saw it.; seal: Sealed.</td><td>3</td></tr>');
    expect(html).toContain('<tr><td>10</td><td>seal</td><td>deviation</td><td>Printer &quot;B&quot; jammed</td></tr>');
    expect(html).toContain('<tr><td>administrator</td><td>Ada</td><td></td><td></td></tr><tr><td>witness</td><td>Wendy</td><td></td><td></td></tr>');
    expect(html).toContain('<table class="sig"><thead><tr><th>Role</th><th>Name</th><th>Signature</th><th>Date</th></tr></thead>');
    expect(render({ participants: [{ role: 'x', name: "O'Brien" }] })).toContain('<td>O&#39;Brien</td>');
  });

  it('without participants recorded, the witnesses sign', () => {
    expect(render({ participants: [] })).toContain('<tbody><tr><td>witness</td><td>Wendy</td><td></td><td></td></tr></tbody>');
  });

  it('has a Notes section only when there are warnings', () => {
    expect(render()).not.toContain('<h2>Notes</h2>');
    expect(render({ warnings: ['a <w>', 'b'] })).toContain('<h2>Notes</h2>\n<ul><li>a &lt;w&gt;</li><li>b</li></ul>');
  });

  it('has its sections in order, each table with its header row and its rows one after another', () => {
    const html = render({ warnings: ['w'] });
    expect([...html.matchAll(/<h2>(.*?)<\/h2>/g)].map((m) => m[1])).toEqual([
      'Transcript', 'Keys', 'Provenance', 'Device attestation', 'Transcript keys', 'Checkpoint signers (give these to auditors as --trusted-key)', 'Backup shares', 'Certificates', 'Witnesses', 'Deviations and exceptions', 'Notes', 'Signatures of the people in the room',
    ]);
    for (const head of [['Role', 'Verifier key', 'Checkpoints signed'], ['Share', 'Custodian', 'Fingerprint', 'Delivery', 'Checked'], ['Subject', 'Serial', 'SHA-256'], ['Witness', 'Attestations', 'Checkpoints cosigned'], ['Entry', 'Step', 'Kind', 'Detail']]) {
      expect(html).toContain(`<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody><tr><td>`);
    }
    expect(html).toContain('<h2>Transcript</h2>\n<table class="kv"><tbody><tr><th scope="row">Entries</th><td>42</td></tr><tr><th scope="row">Merkle root');
    expect(html).toContain('<h2>Keys</h2>\n<div class="keep">');
    expect(html).toContain('</td></tr><tr><td><strong>in force</strong></td>');
    expect(html).toContain('</tbody></table>\n<h2>Notes</h2>');
    expect(html).toContain('<h2>Signatures of the people in the room</h2>\n<p>By signing I confirm that the figures above match what was shown on screen during the ceremony.</p>\n<table class="sig">');
    // No warnings: the exceptions table runs straight into the signatures.
    expect(render()).toContain('<td>Printer &quot;B&quot; jammed</td></tr></tbody></table>\n<h2>Signatures of the people in the room</h2>');
    // Shares listed: no "None." under them.
    expect(html).toMatch(/<h2>Backup shares<\/h2>\n<p>2-of-3[^]*?<\/table>\n<h2>Certificates<\/h2>/);
    // A real ceremony's page starts with its heading.
    expect(html).toContain('<body>\n<h1>Root CA');
  });

  it('a rehearsal says so in a banner at the top and in the title and heading; a real ceremony does not', () => {
    const html = render({ rehearsal: true });
    expect(html).toContain('<body>\n<div class="rehearsal" role="note">REHEARSAL: not a real ceremony. The token and every key, share and signature here are throwaway.</div>\n<h1>REHEARSAL: Root CA &lt;2026&gt;</h1>');
    expect(html).toContain('<title>REHEARSAL - Root CA &lt;2026&gt; - cer-1</title>');
    expect(render()).not.toContain('REHEARSAL');
  });
});
