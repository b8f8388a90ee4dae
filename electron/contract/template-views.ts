/**
 * The start screen's gallery: the ceremony script templates Keyrite ships (resources/ceremonies),
 * read and checked in main (`templates/list`); the renderer never reads files. Types only.
 */

/** A template's rehearsal inputs (`<name>.rehearsal.yaml`, what `keyrite ceremony run --rehearsal` answers with). */
export interface TemplateRehearsalView {
  fileName: string;
  /** The template a rehearsal runs first because this ceremony needs its key (the inputs file's `prior`), else null. */
  prior: string | null;
}

/** One bundled template, as a card: what it does, its key, its split, and its text to load as if picked. */
export interface TemplateView {
  /** File name in resources/ceremonies, e.g. `root-keygen.yaml`. */
  fileName: string;
  title: string;
  purpose: string;
  type: string;
  /** e.g. `ec-p384`. */
  algorithm: string;
  keyLabel: string;
  /** `k-of-n`, null without a backup. */
  split: string | null;
  witnesses: number;
  /** The ceremony works on a key made in an earlier run (its type says so). */
  needsPriorRun: boolean;
  rehearsal: TemplateRehearsalView | null;
  /** Files beside the template that it reads (a CSR, a manifest, TUF metadata...). */
  inputFiles: string[];
  /** The script's exact text: choosing the card loads it as a picked file. */
  text: string;
}
