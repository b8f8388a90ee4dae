import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { KeyriteError } from '../../core/util/errors';
import { buildInventory, type Inventory } from '../../core/lifecycle/inventory';
import { assertFolder } from './input-files';
import { dueItems, dueWithin, parseDays, type DueItem } from '../../core/lifecycle/due';
import { loadPolicyFile } from '../../core/ceremony/load';
import { defaultPolicyPath } from '../../core/ceremony/paths';

function describeDue(items: DueItem[], now: Date, days: number): string {
  const out = [`Falling due within ${days} days of ${now.toISOString().slice(0, 10)}:`];
  for (const i of items) {
    const flag = i.overdue ? 'OVERDUE' : i.due ? 'DUE NOW' : 'due';
    out.push(`  ${i.dueFrom.slice(0, 10)}  ${flag.padEnd(7)}  ${i.kind.padEnd(18)} ${i.key.label}: ${i.what}; deadline ${i.deadline.slice(0, 10)}`);
  }
  if (items.length === 0) out.push('  nothing');
  return out.join('\n') + '\n';
}

const HELP: CommandHelp = {
  usage: ['inventory DIR [--json] [--now DATE] [--due DAYS [--policy FILE]]'],
  description: [
    'Every key, its NIST SP 800-57 state and the date of each transition, class, custodians, backups, certificates and rotation due date, derived by verifying every ceremony transcript under DIR. Invalid transcripts are listed and not used.',
    'Exit status: 0 all transcripts valid, 1 some transcript invalid (still listed), 2 unusable input.',
  ],
  options: [
    { name: '--json', text: 'print the inventory as JSON' },
    { name: '--now DATE', text: 'judge rotation due/overdue at this date (default: today)' },
    { name: '--due DAYS', text: 'list only what falls due within DAYS (e.g. 60d): CRL re-signing (a lead time before nextUpdate, crlResignLeadDays of the key\'s class), certificate expiry, rotation' },
    { name: '--policy FILE', text: 'the policy giving the lead times (default: resources/policy/default.yaml)' },
  ],
};

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '-';
}

function human(inv: Inventory): string {
  const out: string[] = [];
  for (const k of inv.keys) {
    out.push(`${k.label}  [${k.state.toUpperCase()}]  ${k.algorithm}, class ${k.class}, CKA_ID ${k.id}`);
    out.push(`  fingerprint  ${k.fingerprint}`);
    out.push(`  states       ${k.history.map((h) => `${h.state} ${day(h.date)} (${h.ceremony})`).join(' -> ') || '-'}`);
    out.push(`  custodians   ${k.custodians.join(', ') || '-'}`);
    for (const b of k.backups) out.push(`  backup       split ${b.splitId} ${b.k}-of-${b.n} ${b.status} (${b.ceremony}, ${day(b.date)})`);
    for (const c of k.certificates) out.push(`  certificate  ${c.subject} serial ${c.serial} ${c.role}${c.notAfter ? ` until ${day(c.notAfter)}` : ''}`);
    for (const s of k.signed) out.push(`  signed       ${s.what} (${s.ceremony}, ${day(s.date)})`);
    for (const c of k.custodians) {
      const last = k.checkUps.filter((u) => u.custodian === c).at(-1);
      if (last) out.push(`  check-up     ${c}: ${last.ok ? 'share matches' : `WRONG SHARE (${last.error ?? ''})`} (${last.ceremony}, ${day(last.date)})`);
    }
    for (const t of k.tokens) out.push(`  token        ${t.label} serial ${t.serial} (${t.ceremony})`);
    if (k.rotationDue) out.push(`  rotation     due ${day(k.rotationDue)}${k.rotationOverdue ? '  OVERDUE' : ''}`);
    if (k.successor) out.push(`  successor    ${k.successor}`);
    out.push('');
  }
  const bad = inv.transcripts.filter((t) => !t.valid);
  out.push(`${inv.keys.length} key(s) from ${inv.transcripts.length - bad.length} valid transcript(s).`);
  for (const t of bad) out.push(`NOT USED  ${t.dir}: ${t.failure}`);
  return out.join('\n') + '\n';
}

export const command: CliCommand = {
  name: 'inventory',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCli('inventory', argv, { json: { type: 'boolean' }, now: { type: 'string' }, due: { type: 'string' }, policy: { type: 'string' } }, { allowPositionals: true });
    if (values.help) return showHelp(io, HELP);
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw usageError('inventory', 'Give one folder of ceremony transcripts.');
    const now = values.now ? new Date(values.now) : new Date();
    if (Number.isNaN(now.getTime())) throw new KeyriteError('USAGE', `--now "${values.now}" is not a date.`, { action: 'Use YYYY-MM-DD.' });
    await assertFolder(dir, 'Give the folder that holds the ceremony folders, e.g. keyrite inventory ~/ceremonies.');
    const inv = await buildInventory(dir, { now });
    if (values.due !== undefined) {
      const days = parseDays(values.due);
      if (days === undefined) throw new KeyriteError('USAGE', `--due "${values.due}" is not a number of days.`, { action: 'Use e.g. --due 60d.' });
      const { policy } = loadPolicyFile(values.policy ?? defaultPolicyPath());
      const due = dueWithin(dueItems(inv, { now, policy }), now, days);
      io.stdout.write(values.json ? JSON.stringify({ now: now.toISOString(), withinDays: days, due }, null, 2) + '\n' : describeDue(due, now, days));
      return inv.transcripts.every((t) => t.valid) ? 0 : 1;
    }
    io.stdout.write(values.json ? JSON.stringify(inv, null, 2) + '\n' : human(inv));
    return inv.transcripts.every((t) => t.valid) ? 0 : 1;
  },
};
