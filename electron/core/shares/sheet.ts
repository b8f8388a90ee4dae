import { encodeShareWords } from './words';
import { shareFingerprint, type ShareEnvelope } from './envelope';

export interface ShareSheetInfo {
  custodian: string;
  ceremonyId: string;
  /** 1-based share number. */
  index: number;
}

/**
 * The words share file / printed sheet. Lines starting with '#' are notes for people; everything
 * else is the numbered words, read back by wordsFromText and by resources/tools/combine-shares.py.
 */
export function formatShareSheet(e: ShareEnvelope, info: ShareSheetInfo): string {
  const words = encodeShareWords(e);
  const lines = [
    '# Keyrite backup share. SECRET: keep it where only you can reach it.',
    `# custodian: ${info.custodian}`,
    `# ceremony: ${info.ceremonyId}`,
    `# share ${info.index} of ${e.n}; ${e.k} shares rebuild the key; split ${e.splitId}`,
    `# fingerprint: ${shareFingerprint(e)}`,
    `# ${words.length} words; typing the first 4 letters of each is enough.`,
  ];
  for (let i = 0; i < words.length; i += 4) {
    lines.push(words.slice(i, i + 4).map((w, j) => `${String(i + j + 1).padStart(2, ' ')}. ${w.padEnd(9, ' ')}`).join(' ').trimEnd());
  }
  return lines.join('\n') + '\n';
}
