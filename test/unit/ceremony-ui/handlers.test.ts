import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScriptIssueView } from '../../../electron/contract/index';
import { createCeremonyHandlers } from '../../../electron/core/ipc/ceremony-handlers';
import { runFolderName } from '../../../electron/core/ipc/ceremony-services';
import { checkShareWord } from '../../../electron/core/ipc/recovery-handlers';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const TEMPLATE = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const POLICY = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');

describe('checkShareWord', () => {
  it('completes a unique 4-letter prefix and accepts the whole word', () => {
    expect(checkShareWord('aban')).toEqual({ word: 'abandon', suggestions: [], unknown: false });
    expect(checkShareWord('Abandon ')).toEqual({ word: 'abandon', suggestions: [], unknown: false });
  });
  it('suggests completions for a short prefix and flags what no word starts with', () => {
    const short = checkShareWord('zo');
    expect(short.word).toBeNull();
    expect(short.suggestions).toContain('zone');
    expect(short.unknown).toBe(false);
    expect(checkShareWord('qqqz').unknown).toBe(true);
    expect(checkShareWord('abandonx').unknown).toBe(true);
    expect(checkShareWord('').unknown).toBe(false);
  });
});

describe('ceremony handlers', () => {
  const handlers = createCeremonyHandlers({ dataDir: '/nonexistent', ceremony: undefined });

  it('summarises a valid script checked against the policy', async () => {
    const r = await handlers['ceremony/validate']({ fileName: 'root-keygen.yaml', text: TEMPLATE, policyText: POLICY });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.ceremonyId).toBe('root-2026');
      expect(r.value.stepCount).toBe(9);
      expect(r.value.participants.filter((p) => p.role === 'custodian')).toHaveLength(5);
      expect(r.value.needsPriorRun).toBe(false);
    }
  });

  it('says which types start from an earlier run\'s folder, from the type definitions (the start screen asks for it)', async () => {
    for (const [template, needs] of [['recovery', true], ['sign-dnskey', true], ['sign-tuf-root', true], ['destroy', true]] as const) {
      const text = readFileSync(path.join(ROOT, `resources/ceremonies/${template}.yaml`), 'utf8');
      const r = await handlers['ceremony/validate']({ fileName: `${template}.yaml`, text, policyText: POLICY });
      expect(r.ok ? r.value.needsPriorRun : r.error.message).toBe(needs);
    }
  });

  it('refuses an invalid script with each problem located by YAML path and line', async () => {
    const bad = TEMPLATE.replace('  label: example-root-2026\n', '  label: example-root-2026\n  extractible: true\n');
    const line = bad.split('\n').indexOf('  extractible: true') + 1;
    const r = await handlers['ceremony/validate']({ fileName: 'bad.yaml', text: bad, policyText: POLICY });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('SCRIPT_INVALID');
      const issues = r.error.details?.issues as ScriptIssueView[];
      expect(issues).toContainEqual(expect.objectContaining({ path: 'key.extractible', line, code: 'UNKNOWN_FIELD' }));
    }
  });

  it('refuses a script that breaks the policy', async () => {
    const r = await handlers['ceremony/validate']({ fileName: 'root.yaml', text: TEMPLATE.replace('  k: 3\n', '  k: 2\n'), policyText: POLICY });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('SCRIPT_POLICY_VIOLATION');
  });

  it('says plainly when no runner is configured or no ceremony is open', async () => {
    const load = await handlers['ceremony/load']({ fileName: 'root.yaml', text: TEMPLATE, policyText: POLICY });
    expect(load.ok ? null : load.error.code).toBe('CEREMONY_UNAVAILABLE');
    const submit = await handlers['ceremony/submit']({ kind: 'confirm', who: 'Alice Admin' });
    expect(submit.ok ? null : submit.error.code).toBe('CEREMONY_NOT_OPEN');
    const reveal = await handlers['ceremony/reveal-share']({ custodian: 'Carol' });
    expect(reveal.ok ? null : reveal.error.code).toBe('CEREMONY_NOT_OPEN');
    expect(await handlers['ceremony/view']()).toEqual({ ok: true, value: null });
  });

  it('refuses a backup file that is not one, and a share before any backup', async () => {
    const bad = await handlers['recovery/start']({ backupFileName: 'backup.json', backupText: '{"format":"other"}' });
    expect(bad.ok ? null : bad.error.code).toBe('BACKUP_FORMAT');
    const share = await handlers['recovery/add-share']({ kind: 'words', words: ['abandon'] });
    expect(share.ok ? null : share.error.code).toBe('RECOVERY_NOT_OPEN');
  });

  it('names ceremony folders by id and UTC time, sortable and distinct per second', () => {
    expect(runFolderName('root-2026', new Date('2026-11-28T20:55:42.123Z'))).toBe('root-2026-20261128T205542Z');
  });
});

describe('through the handler table', () => {
  it('parses requests with the ceremony schemas before any handler runs, never echoing a PIN', async () => {
    const table = createHandlerTable({ dataDir: '/nonexistent', app: { version: 't', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });
    const r = await invokeChannel(table, 'ceremony/submit', { kind: 'pin', pin: 'SECRET-PIN-123', extra: 1 });
    expect(r.ok).toBe(false);
    expect(JSON.stringify(r)).not.toContain('SECRET-PIN-123');
    const w = await invokeChannel(table, 'recovery/check-word', { input: 'aban' });
    expect(w).toEqual({ ok: true, value: { word: 'abandon', suggestions: [], unknown: false } });
  });
});

describe('ceremony/load and the policy', () => {
  it('gives the runner the policy file text itself, so `keyrite verify --policy FILE` can match its hash', async () => {
    const seen: { policyText?: string }[] = [];
    const handlers = createCeremonyHandlers({
      dataDir: '/nonexistent',
      ceremony: {
        tokens: {} as never,
        rehearsal: true,
        defaultPolicyText: POLICY,
        openRun: async (opts) => {
          seen.push({ policyText: opts.policyText });
          throw new Error('stop here: only the options are under test');
        },
      },
    });
    const custom = `${POLICY}\n# a comment changes the file's hash, not its meaning\n`;
    await handlers['ceremony/load']({ fileName: 'root.yaml', text: TEMPLATE, policyText: custom });
    await handlers['ceremony/load']({ fileName: 'root.yaml', text: TEMPLATE });
    expect(seen.map((s) => s.policyText)).toEqual([custom, POLICY]);
  });

  it('gives the runner the app\'s card modules, so people\'s tokens behind them are found', async () => {
    const seen: unknown[] = [];
    const cardModules = [{ name: 'OpenSC', path: '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so' }];
    const handlers = createCeremonyHandlers({
      dataDir: '/nonexistent',
      ceremony: {
        tokens: {} as never, rehearsal: true, defaultPolicyText: POLICY, cardModules,
        openRun: async (opts) => {
          seen.push(opts.cardModules);
          throw new Error('stop here: only the options are under test');
        },
      },
    });
    await handlers['ceremony/load']({ fileName: 'root.yaml', text: TEMPLATE });
    expect(seen).toEqual([cardModules]);
  });
});
