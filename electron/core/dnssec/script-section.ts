/** The `dnssec` section of a sign-dnskey script: the DNSKEY RRset to sign and the validity windows. */
import { z } from 'zod';

const instant = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'expected a UTC time like 2027-01-01T00:00:00Z');

export const dnssecWindowSchema = z.strictObject({ inception: instant, expiration: instant })
  .refine((w) => Date.parse(w.expiration) > Date.parse(w.inception), { message: 'expiration must come after inception' })
  // RRSIG times are 32-bit serial numbers (RFC 4034 3.1.5): a window of 68 years or more is ambiguous.
  .refine((w) => Date.parse(w.expiration) - Date.parse(w.inception) < 2 ** 31 * 1000, { message: 'a window must be shorter than 68 years' });

export const dnssecSectionSchema = z.strictObject({
  /** The zone's DNSKEY RRset as zone-file text (the KSK and the ZSKs to be trusted), relative to the script. */
  dnskeySet: z.string().min(1),
  /** One RRSIG per window, all made in this ceremony (as the IANA root ceremony signs a quarter's bundles). */
  windows: z.array(dnssecWindowSchema).min(1).max(64)
    .refine((ws) => new Set(ws.map((w) => `${w.inception}/${w.expiration}`)).size === ws.length, { message: 'a window is listed twice' }),
  /** The KSK's key tag as agreed before the day; when given, the set's KSK must have it. */
  keyTag: z.number().int().min(0).max(65535).optional(),
});

export type DnssecSection = z.infer<typeof dnssecSectionSchema>;
