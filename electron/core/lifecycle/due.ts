/**
 * What falls due, from the inventory: the next CRL (its nextUpdate, re-signing due a lead time
 * before it, from the policy of the key's class), certificate expiry (notAfter), and rotation.
 * Destroyed and compromised keys owe nothing; only each key's latest CRL counts.
 */
import type { Policy } from '../ceremony/policy-schema';
import type { Inventory, KeyRecord } from './inventory';

export type DueKind = 'crl-next-update' | 'certificate-expiry' | 'rotation' | 'share-check-up';

export interface DueItem {
  kind: DueKind;
  key: { label: string; fingerprint: string; class: string };
  /** The hard date: nextUpdate, notAfter, or the rotation date (ISO). */
  deadline: string;
  /** When the work falls due: the deadline less the lead time. */
  dueFrom: string;
  what: string;
  /** The ceremony that set the date (the CRL's, the certificate's, the last check-up's, ...). */
  ceremony: string;
  /** now >= dueFrom */
  due: boolean;
  /** now > deadline */
  overdue: boolean;
}

const DAY = 86_400_000;
const DEFAULT_CRL_LEAD_DAYS = 14;

/** "60d" or "60" -> 60 days; undefined when not a number of days. */
export function parseDays(text: string): number | undefined {
  const m = /^(\d+)d?$/.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

function item(k: KeyRecord, kind: DueKind, deadline: string, leadDays: number, what: string, now: Date, ceremony: string): DueItem {
  const end = new Date(deadline).getTime();
  const from = new Date(end - leadDays * DAY);
  return { kind, key: { label: k.label, fingerprint: k.fingerprint, class: k.class }, deadline: new Date(end).toISOString(), dueFrom: from.toISOString(), what, ceremony, due: now.getTime() >= from.getTime(), overdue: now.getTime() > end };
}

/** Every date a live key owes, sorted by when it falls due. */
export function dueItems(inv: Inventory, opts: { now: Date; policy?: Policy }): DueItem[] {
  const out: DueItem[] = [];
  for (const k of inv.keys) {
    if (k.state === 'destroyed' || k.state === 'compromised') continue;
    const lead = opts.policy?.classes[k.class]?.crlResignLeadDays ?? DEFAULT_CRL_LEAD_DAYS;
    const crl = [...k.crls].sort((a, b) => a.thisUpdate.localeCompare(b.thisUpdate)).at(-1);
    if (crl) out.push(item(k, 'crl-next-update', crl.nextUpdate, lead, `CRL number ${crl.crlNumber} expires (nextUpdate); sign CRL ${crl.crlNumber + 1} from ${lead} days before`, opts.now, crl.ceremony));
    for (const c of k.certificates) {
      if (c.notAfter) out.push(item(k, 'certificate-expiry', c.notAfter, 0, `certificate ${c.subject} (serial ${c.serial}, ${c.role}) expires (notAfter)`, opts.now, c.ceremony));
    }
    const checkUpDays = opts.policy?.classes[k.class]?.checkUpDays;
    const current = k.backups.filter((b) => b.status === 'current').at(-1);
    if (checkUpDays && current) out.push(...checkUpItems(k, current, checkUpDays, opts.now));
    if (k.rotationDue) out.push(item(k, 'rotation', k.rotationDue, 0, `rotation of ${k.label} (every ${k.rotationPeriodDays} days)`, opts.now, k.history.at(-1)?.ceremony ?? k.ceremonies.at(-1) ?? '?'));
  }
  return out.sort((a, b) => a.dueFrom.localeCompare(b.dueFrom));
}

/**
 * Each current custodian's next check-up: checkUpDays after their last passed check-up of the
 * current split (or after the split was handed out). A last check-up that failed is due at once.
 */
function checkUpItems(k: KeyRecord, split: KeyRecord['backups'][number], days: number, now: Date): DueItem[] {
  return split.custodians.map((c) => {
    const last = k.checkUps.filter((u) => u.custodian === c && u.splitId === split.splitId).at(-1);
    if (last && !last.ok) return item(k, 'share-check-up', last.date, 0, `${c}'s share was WRONG at the check-up of ${last.date.slice(0, 10)}: check again or reshare`, now, last.ceremony);
    const since = last?.date ?? split.date;
    const deadline = new Date(new Date(since).getTime() + days * DAY).toISOString();
    return item(k, 'share-check-up', deadline, 0, `${c}'s share check-up (every ${days} days; last ${last ? `passed ${since.slice(0, 10)}` : `none since the split of ${since.slice(0, 10)}`})`, now, last?.ceremony ?? split.ceremony);
  });
}

/** The items falling due within `days` of now (including those already due or overdue). */
export function dueWithin(items: DueItem[], now: Date, days: number): DueItem[] {
  const limit = now.getTime() + days * DAY;
  return items.filter((i) => new Date(i.dueFrom).getTime() <= limit);
}
