/**
 * The report's evidence sections: provenance (what ran, on what) and device attestations, so the
 * people in the room read the code digest aloud from paper and an auditor can recompute it.
 */
import type { VerificationReport } from '../transcript/verify-types';

type Esc = (s: unknown) => string;

function rows(esc: Esc, list: [string, string][]): string {
  return `<table class="kv"><tbody>${list.map(([k, v]) => `<tr><th scope="row">${esc(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>`;
}

const mono = (esc: Esc, s: unknown) => `<span class="mono">${esc(s)}</span>`;

export function evidenceSectionsHtml(r: VerificationReport, esc: Esc): string[] {
  const out: string[] = ['<h2>Provenance</h2>'];
  const p = r.provenance;
  if (!p) out.push('<p>None recorded.</p>');
  else {
    const c = p.keyrite.code;
    const t = p.token;
    out.push(rows(esc, [
      ['Keyrite version', esc(p.keyrite.version)],
      ['Code SHA-256', 'sha256' in c ? `${mono(esc, c.sha256)} (${esc(c.folder)}/, ${esc(c.files)} files)` : `not recorded: ${esc(c.error)}`],
      ['Code, read aloud', 'words' in c ? `<span class="words">${esc(c.words.join(' '))}</span>` : '-'],
      ['Recompute with', 'recompute' in c ? mono(esc, c.recompute) : '-'],
      ['PKCS#11 module', `${esc(p.module.path)}<br>${p.module.sha256 ? mono(esc, `sha256 ${p.module.sha256}`) : esc(`not hashed: ${p.module.error ?? ''}`)}`],
      ['Token (C_GetTokenInfo)', 'error' in t ? esc(`not read: ${t.error}`) : esc(`${t.manufacturer} ${t.model}, serial ${t.serial}, label ${t.label}, firmware ${t.firmware ?? '?'}, hardware ${t.hardware ?? '?'}`)],
      ['System', esc(`${p.os.distribution ?? p.os.platform}; kernel ${p.os.release} (${p.os.kernel}), ${p.os.arch}; Node ${p.os.node}${p.os.electron ? `, Electron ${p.os.electron}` : ''}`)],
      ['Boot media SHA-256', p.bootMedia ? mono(esc, p.bootMedia.sha256) : 'not given'],
    ]));
  }
  out.push('<h2>Device attestation</h2>');
  const atts = r.attestations ?? [];
  if (atts.length === 0) out.push('<p>No verify-attestation step in this ceremony.</p>');
  for (const a of atts) {
    const detail = a.status === 'verified'
      ? `VERIFIED again by this report: YubiKey serial ${a.serial ?? '?'}, firmware ${a.firmware ?? '?'}, slot ${a.slot ?? '?'}, PIN ${a.pinPolicy ?? '?'}, touch ${a.touchPolicy ?? '?'}; root ${a.root?.subject ?? '?'}${a.root?.source === 'auditor' ? ' (given by the auditor, not a vendor root)' : ''}${(a.advisories ?? []).map((x) => `; ADVISORY ${x.id}: ${x.summary}`).join('')}`
      : `${a.status === 'absent' ? 'NONE' : 'REFUSED'}: ${a.reason ?? ''}`;
    out.push(rows(esc, [[`${a.key.label} (entry ${a.seq})`, esc(detail)]]));
  }
  if ((r.checkUps ?? []).length > 0) {
    out.push('<h2>Share check-up</h2>');
    out.push(rows(esc, (r.checkUps ?? []).map((c): [string, string] => [`${c.custodian} (entry ${c.seq})`, esc(c.ok ? 'share matches the backup' : `WRONG SHARE: ${c.error?.message ?? ''}`)])));
  }
  return out;
}
