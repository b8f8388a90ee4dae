/**
 * What a drop on the start screen holds: the ceremony script, and its policy when it has its own.
 * Only the file names and the top-level keys are looked at, to tell the two apart; main checks both
 * (ceremony/validate), so a file that is not YAML, or not a script, gets the refusal a picked file
 * would get.
 */
import type { ErrorData } from '../api';

export interface DroppedFile {
  fileName: string;
  text: string;
}

export type DropSorted = { script: DroppedFile; policy: DroppedFile | null } | { error: ErrorData };

/** A policy file's own top-level key (resources/policy/*.yaml), where a script has `steps`. */
function looksLikePolicy(text: string): boolean {
  return /^classes\s*:/m.test(text) && !/^steps\s*:/m.test(text);
}

export function sortDroppedFiles(files: readonly DroppedFile[]): DropSorted {
  if (files.length === 0) {
    return { error: { code: 'DROP_EMPTY', message: 'Nothing that can be read was dropped.', action: 'Drop the ceremony script file itself (a .yaml file), or choose it below.' } };
  }
  if (files.length > 2) {
    return { error: { code: 'DROP_TOO_MANY', message: `${files.length} files were dropped; the start screen takes the ceremony script and, if it has its own, its policy.`, action: 'Drop the script alone, or the script and its policy together.' } };
  }
  const policies = files.filter((f) => looksLikePolicy(f.text));
  const scripts = files.filter((f) => !looksLikePolicy(f.text));
  if (scripts.length === 1) return { script: scripts[0]!, policy: policies[0] ?? null };
  if (scripts.length === 0) {
    return { error: { code: 'DROP_NO_SCRIPT', message: `${files.map((f) => f.fileName).join(' and ')} ${files.length === 1 ? 'is a policy' : 'are policies'}: no ceremony script was dropped.`, action: 'Drop the ceremony script too, or choose it below.' } };
  }
  return { error: { code: 'DROP_TWO_SCRIPTS', message: `Both ${files[0]!.fileName} and ${files[1]!.fileName} look like ceremony scripts; one ceremony runs one script.`, action: 'Drop the one script agreed for this ceremony (with its policy, if it has its own).' } };
}
