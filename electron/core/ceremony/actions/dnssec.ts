/**
 * sign-dnskey: the KSK signs the zone's DNSKEY RRset once per validity window (RRSIGs in
 * dnskey.signed) and the parent gets the DS (ds.txt). The set is refused before any signature
 * unless the ceremony's key is its KSK; every key in it is shown with tag, flags and algorithm.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../../util/errors';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import { PUBLIC_FILE_MODE } from '../../util/fs-durable';
import { verifySignature } from '../../token/verify';
import { parseDnskeyRrset } from '../../dnssec/records';
import { findCeremonyKsk, signDnskeyRrset } from '../../dnssec/ksk-signing';
import { publishFile } from '../publish-file';
import { keyRefOf, type ActionHandler, type RunRead, type JournalAppend, type TokenSession } from '../step-context';
import { subjectKey } from './keygen';

export const DNSKEY_SIGNED_KIND = ENTRY_KINDS.dnskeySigned;

export const signDnskey: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const section = ctx.script.dnssec!;
    const file = path.resolve(ctx.scriptDir, section.dnskeySet);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new KeyriteError('INPUT_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { action: 'Check dnssec.dnskeySet in the script (relative to the script).' });
    }
    const rrset = parseDnskeyRrset(text);
    const spki = new Uint8Array(Buffer.from(key.spki, 'base64'));
    const ksk = findCeremonyKsk(rrset, spki, key.algorithm, section.keyTag);
    const windows = section.windows.map((w) => ({ inception: new Date(w.inception), expiration: new Date(w.expiration) }));
    const signed = await signDnskeyRrset(rrset, ksk, windows,
      (data) => ctx.token().sign(ctx.session(), keyRefOf(key), ksk.scheme, data),
      (data, sig) => verifySignature(spki, ksk.scheme, data, sig));
    await publishFile(ctx, 'dnskey.signed', signed.signedText, { mode: PUBLIC_FILE_MODE });
    await publishFile(ctx, 'ds.txt', signed.dsText, { mode: PUBLIC_FILE_MODE });
    await ctx.append({ kind: DNSKEY_SIGNED_KIND, data: {
      owner: ksk.record.owner, rrsetSha256: signed.rrsetSha256, keyTag: ksk.tag, algorithm: ksk.algorithm, keyFingerprint: key.fingerprint,
      keys: ksk.listing, windows: signed.rrsigs.map((r) => ({ inception: r.inception, expiration: r.expiration })),
      ds: signed.dsText.trim(), files: ['dnskey.signed', 'ds.txt'],
    } });
    return { performed: [
      ...ksk.listing.map((l) => ({ label: `DNSKEY ${l.tag}`, value: `${l.role}, flags ${l.flags}, algorithm ${l.algorithm}${l.ceremonyKey ? ' (this ceremony\'s key)' : ''}`, mono: true })),
      { label: 'RRset SHA-256', value: signed.rrsetSha256, mono: true },
      ...signed.rrsigs.map((r) => ({ label: 'RRSIG', value: `valid ${r.inception} to ${r.expiration}, key tag ${ksk.tag}`, mono: true })),
      { label: 'DS', value: signed.dsText.trim(), mono: true },
      { label: 'Files', value: 'dnskey.signed, ds.txt' },
    ] };
  },
};
