/** Entry data for the crash test, a pure function of seq so the parent can check every entry. */
export function crashEntryData(seq: number): { n: number; pad: string } {
  // Sizes from a few bytes to 64 KiB, so some kills land in the middle of a large write.
  const len = seq % 7 === 3 ? 65_536 : seq % 5 === 1 ? 20_000 : (seq * 37) % 300;
  return { n: seq, pad: String.fromCharCode(97 + (seq % 26)).repeat(len) };
}
