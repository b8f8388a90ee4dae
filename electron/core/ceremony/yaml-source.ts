import { isMap, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import { z } from 'zod';
import { KeyriteError } from '../util/errors';
import { loneSurrogatePath } from '../util/unicode';

/** One problem found in a YAML file, located by its YAML path and line so a person can fix it. */
export interface SourceIssue {
  /** e.g. `backup.custodians[2].delivery` */
  path: string;
  line: number;
  column: number;
  message: string;
  code: string;
}

export interface ParsedYaml {
  doc: Document;
  lines: LineCounter;
  value: unknown;
  file: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Parses YAML text keeping node ranges; syntax errors come back as issues with their line. */
export function parseYamlSource(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const pos = lines.linePos(e.pos[0]);
      return { path: '(syntax)', line: pos.line, column: pos.col, message: e.message.split('\n')[0] ?? e.message, code: 'YAML_SYNTAX' };
    });
    throw new KeyriteError('YAML_INVALID', `${file} is not valid YAML:\n${renderIssues(issues, file)}`, {
      action: 'Fix the YAML syntax at the line shown.',
      details: { issues },
    });
  }
  // Keyrite's files need no anchors or aliases; refusing them is simpler than bounding an alias bomb.
  const issues: SourceIssue[] = [];
  visit(doc, {
    Alias(_, node) {
      const pos = lines.linePos(node.range?.[0] ?? 0);
      issues.push({ path: '(syntax)', line: pos.line, column: pos.col, message: `alias *${node.source} is not allowed (write the value out in full)`, code: 'YAML_ALIAS' });
    },
  });
  if (issues.length > 0) throw yamlInvalid(issues, file, 'Write each value out in full: scripts, inputs and policy files take no anchors (&) or aliases (*).');
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 0 }) as unknown;
  } catch (e) {
    throw yamlInvalid([{ path: '(syntax)', line: 1, column: 1, message: (e as Error).message, code: 'YAML_SYNTAX' }], file, 'Fix the YAML so that it holds plain values only.');
  }
  const lone = loneSurrogatePath(value);
  if (lone) {
    throw yamlInvalid([{ path: lone, line: 1, column: 1, message: 'holds an escaped lone surrogate (such as \\ud800), not Unicode text', code: 'YAML_NOT_TEXT' }], file, 'Remove the \\u escape of a lone surrogate: every string must be Unicode text.');
  }
  return { doc, lines, value, file };
}

function yamlInvalid(issues: SourceIssue[], file: string, action: string): KeyriteError {
  return new KeyriteError('YAML_INVALID', `${file} is not valid YAML:\n${renderIssues(issues, file)}`, { action, details: { issues } });
}

/** Finds the closest node for a path: the deepest existing one, so a missing field points at its parent. */
export function locate(parsed: ParsedYaml, path: readonly PropertyKey[], key?: string): { line: number; column: number } {
  let node: unknown = parsed.doc.contents;
  let offset = (node as Node | null)?.range?.[0] ?? 0;
  const steps = key === undefined ? path : [...path, key];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const isLast = i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === step);
      if (!pair) break;
      const keyNode = pair.key as Node | null;
      // The key names an unknown field; the value holds a wrong value.
      if (isLast && key !== undefined && keyNode?.range) { offset = keyNode.range[0]; break; }
      const valueNode = pair.value as Node | null;
      offset = valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? offset;
      node = valueNode;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  const pos = parsed.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

export function renderIssues(issues: readonly SourceIssue[], file: string): string {
  return issues.map((i) => `  ${file}:${i.line}:${i.column}  ${i.path}: ${i.message}`).join('\n');
}

/** Turns zod issues into located issues; an unknown key is reported at the key itself. */
export function zodIssues(parsed: ParsedYaml, error: z.ZodError): SourceIssue[] {
  const out: SourceIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const pos = locate(parsed, issue.path, key);
        out.push({ path: formatPath([...issue.path, key]), ...pos, message: `unknown field "${key}"`, code: 'UNKNOWN_FIELD' });
      }
      continue;
    }
    const pos = locate(parsed, issue.path);
    out.push({ path: formatPath(issue.path), ...pos, message: issue.message, code: issue.code === 'invalid_type' ? 'WRONG_TYPE' : 'INVALID_VALUE' });
  }
  return out;
}
