/** Dates shown unambiguously to a room of people from several countries: ISO order, UTC named. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toISOString().slice(0, 10);
}

/**
 * Hex in groups of four, as it is read aloud and compared with paper, also inside a line ("keyid
 * 3f2a…: reason"): every run of 16 or more hex digits that stands alone. Grouped, a long hash wraps between groups,
 * never with one character alone on the last line.
 */
export function groupHexRuns(text: string): string {
  // A run stands alone (space-separated), so hex inside base64 or a note key (name+hash+key) is left as it is.
  return text.replace(/(?<=^|\s)[0-9a-f]{16,}(?=$|[\s:,;)])/gi, (hex) => hex.replace(/(.{4})(?=.)/g, '$1 '));
}
