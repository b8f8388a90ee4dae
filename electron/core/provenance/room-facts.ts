/** What the room reads aloud at the air-gap check: the digest of the Keyrite that is running. */
import type { StepFact } from '../ceremony/engine';
import type { Provenance } from './gather';

export function codeDigestFacts(p: Provenance | undefined): StepFact[] {
  if (!p) return [];
  const c = p.keyrite.code;
  if (!('sha256' in c)) return [{ label: 'Keyrite code', value: `digest not recorded: ${c.error}` }];
  return [
    { label: `Keyrite ${p.keyrite.version} code SHA-256 (${c.folder}/, ${c.files} files)`, value: c.sha256, mono: true },
    { label: 'Read aloud and compare with the published release', value: c.words.join(' '), mono: true },
  ];
}
