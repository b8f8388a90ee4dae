/**
 * Every `--help` of the keyrite command has one shape, drawn here from data each command gives:
 *
 *   Usage: keyrite <command> ...        (one line per form, aligned)
 *          keyrite <command> ...
 *
 *   What the command does (paragraphs).
 *
 *   Options:
 *     --flag VALUE   what it does          (one two-column list, aligned)
 *
 * Commands say what they are; how it looks is decided once, so no help drifts into its own style.
 */

/** One row of a two-column list: an option (or, for the top level, a command) and what it does. */
export interface HelpRow {
  /** e.g. `--out DIR`, `-h, --help`, or a command's name. */
  name: string;
  text: string;
}

export interface CommandHelp {
  /** Each form of the command after `keyrite `, e.g. `tokens [--module PATH]... [--json]`. */
  usage: readonly string[];
  /** Paragraphs, wrapped to the width. */
  description: readonly string[];
  /** The top level's list of commands, shown before the options. */
  commands?: readonly HelpRow[];
  /** The command's options; `-h, --help` is added to every list. */
  options: readonly HelpRow[];
}

const WIDTH = 100;
const USAGE_PREFIX = 'Usage: ';
/** A name longer than this puts its text on the next line, so one long flag does not push every row right. */
const MAX_NAME = 24;
const HELP_ROW: HelpRow = { name: '-h, --help', text: 'show this help' };

/** Words of `text` in lines of at most `width` (a word longer than the width stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** A usage form's words, each bracketed or parenthesised group kept whole (an option stays with its value). */
function usageUnits(form: string): string[] {
  const units: string[] = [];
  let depth = 0;
  let unit = '';
  for (const ch of form) {
    if (ch === ' ' && depth === 0) {
      if (unit !== '') units.push(unit);
      unit = '';
      continue;
    }
    if (ch === '[' || ch === '(') depth++;
    if (ch === ']' || ch === ')') depth--;
    unit += ch;
  }
  if (unit !== '') units.push(unit);
  return units;
}

/** A usage form; a long one continues deeper, broken between whole options only. */
function usageLines(form: string, first: boolean): string[] {
  const lead = first ? USAGE_PREFIX : ' '.repeat(USAGE_PREFIX.length);
  const indent = ' '.repeat(USAGE_PREFIX.length + 4);
  const lines = [`${lead}keyrite`];
  for (const unit of usageUnits(form)) {
    const last = lines[lines.length - 1]!;
    if (last.length + 1 + unit.length > WIDTH && last.trim() !== 'keyrite') lines.push(`${indent}${unit}`);
    else lines[lines.length - 1] = `${last} ${unit}`;
  }
  return lines;
}

/** Two aligned columns: names padded to `col`, texts wrapped beside them. */
function renderRows(rows: readonly HelpRow[], col: number): string[] {
  const indent = ' '.repeat(2 + col + 2);
  const out: string[] = [];
  for (const r of rows) {
    const text = wrap(r.text, WIDTH - indent.length);
    if (r.name.length > col) out.push(`  ${r.name}`, ...text.map((l) => `${indent}${l}`));
    else out.push(...text.map((l, i) => (i === 0 ? `  ${r.name.padEnd(col)}  ${l}` : `${indent}${l}`)));
  }
  return out;
}

/** The one formatter of every `keyrite ... --help`. */
export function renderHelp(h: CommandHelp): string {
  const out = h.usage.flatMap((form, i) => usageLines(form, i === 0));
  for (const p of h.description) out.push('', ...wrap(p, WIDTH));
  const options = [...h.options, HELP_ROW];
  // Commands and options share one column, so the page reads as one table.
  const col = Math.min(MAX_NAME, Math.max(...[...(h.commands ?? []), ...options].map((r) => r.name.length)));
  if (h.commands?.length) out.push('', 'Commands:', ...renderRows(h.commands, col));
  out.push('', 'Options:', ...renderRows(options, col));
  return `${out.join('\n')}\n`;
}
