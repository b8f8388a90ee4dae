import type { SlotView } from '../../api';

type Token = NonNullable<SlotView['token']>;

/** Which software implementation a rehearsal token is, by its manufacturer (as the token layer decides `rehearsal`). */
export function softwareTokenName(t: Pick<Token, 'manufacturer'>): string {
  return t.manufacturer.startsWith('Mozilla Foundation') ? 'NSS softokn' : 'SoftHSM2';
}

/** "is a software token (SoftHSM2)", "are software tokens (SoftHSM2, NSS softokn)". */
export function softwareTokensPhrase(tokens: readonly Pick<Token, 'manufacturer'>[]): string {
  const names = [...new Set(tokens.map(softwareTokenName))].join(', ');
  return tokens.length === 1 ? `is a software token (${names})` : `are software tokens (${names})`;
}
