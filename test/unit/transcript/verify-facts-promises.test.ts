/**
 * What the entries say (collectFacts, the walk verifyTranscript runs): the script's steps ran
 * completely and in order, every irreversible intent has its result, only witnesses the script
 * names attest, a recorded fingerprint is its key's, nothing follows the seal; and the facts an
 * auditor reports (keys and their lock, shares and their checks, certificates, signed records,
 * deviations and exceptions). The earliest failure by entry is the one reported.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { collectFacts } from '../../../electron/core/transcript/verify-facts';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';

const admin = { role: 'administrator', name: 'Ada' };
type E = { kind: string; step?: string; data?: unknown; actor?: { role: string; name: string } };
const start = (steps: unknown[] = ['a', 'b'], participants: unknown[] = [admin, { role: 'witness', name: 'Wendy' }, { role: 'custodian', name: 'Carol' }]): E => ({ kind: 'ceremony.start', step: '-', data: { steps, participants } });

/** Entries numbered from 0, each at byte offset 100 * seq. */
function facts(list: E[]) {
  const entries = list.map((e, seq) => ({ v: 1, seq, time: '', ceremony: 'c', prev: '', kind: e.kind, step: e.step ?? '-', actor: e.actor ?? admin, data: e.data ?? {} }) as unknown as JournalEntry);
  return collectFacts(entries, entries.map((e) => e.seq * 100));
}
const run = (step: string, ...middle: E[]): E[] => [{ kind: 'step.start', step }, ...middle.map((m) => ({ step, ...m })), { kind: 'step.result', step, data: { outcome: 'ok' } }];
const sealed: E = { kind: 'ceremony.sealed', step: '-' };
const complete = (...middle: E[]) => [start(), ...run('a', ...middle), ...run('b'), sealed];

describe('steps: complete and in the script\'s order', () => {
  it('a complete, sealed run has no failure and no warning; its steps are listed', () => {
    const r = facts(complete());
    expect(r.failure).toBeUndefined();
    expect(r.facts.steps).toEqual({ expected: ['a', 'b'], completed: ['a', 'b'] });
    expect(r.facts.sealed).toBe(true);
    expect(r.facts.warnings).toEqual([]);
  });

  it('a transcript that does not begin with ceremony.start is INVALID, and nothing after is read', () => {
    const r = facts([{ kind: 'step.start', step: 'a' }, start()]);
    expect(r.failure).toEqual({ code: 'START_MISSING', seq: 0, offset: 0, message: 'The transcript does not begin with a ceremony.start entry.' });
    expect(r.facts.steps.expected).toEqual([]);
  });

  it('steps that are not text are left out of the script\'s list; no steps at all is an empty list', () => {
    expect(facts([start(['a', 7, null, 'b']), ...run('a'), ...run('b'), sealed]).facts.steps.expected).toEqual(['a', 'b']);
    expect(facts([{ kind: 'ceremony.start', step: '-', data: { steps: 'a' } }, sealed]).facts.steps.expected).toEqual([]);
  });

  it('an entry for a step the script does not have is STEP_UNKNOWN at its seq and offset', () => {
    const r = facts([start(), ...run('a'), { kind: 'step.note', step: 'zz' }, ...run('b'), sealed]);
    expect(r.failure).toEqual({ code: 'STEP_UNKNOWN', actual: 'zz', seq: 3, offset: 300, message: 'Entry 3 is for step "zz", which is not in the script.' });
  });

  it('a step started before the one before it completed is STEP_OUT_OF_ORDER, naming the step expected', () => {
    const r = facts([start(), { kind: 'step.start', step: 'b' }]);
    expect(r.failure).toEqual({ code: 'STEP_OUT_OF_ORDER', expected: 'a', actual: 'b', seq: 1, offset: 100, message: 'Entry 1 (step.start) is for step "b" but the script\'s next step was "a".' });
    for (const kind of ['step.intent', 'step.result']) expect(facts([start(), { kind, step: 'b', data: { outcome: 'ok' } }]).failure).toMatchObject({ code: 'STEP_OUT_OF_ORDER', seq: 1 });
  });

  it('a step run again after all steps are done is STEP_OUT_OF_ORDER ("none")', () => {
    const r = facts([start(), ...run('a'), ...run('b'), { kind: 'step.start', step: 'a' }]);
    expect(r.failure).toMatchObject({ code: 'STEP_OUT_OF_ORDER', expected: '(none: all steps were done)', actual: 'a', message: 'Entry 5 (step.start) is for step "a" but the script\'s next step was "(none)".' });
  });

  it('another entry for a later step that has not started is out of order; for the current or an earlier step it is not', () => {
    const r = facts([start(), { kind: 'step.start', step: 'a' }, { kind: 'step.note', step: 'b' }]);
    expect(r.failure).toEqual({ code: 'STEP_OUT_OF_ORDER', expected: 'a', actual: 'b', seq: 2, offset: 200, message: 'Entry 2 (step.note) is for step "b", which had not started yet.' });
    const ok = facts([start(), ...run('a', { kind: 'step.note' }), { kind: 'step.start', step: 'b' }, { kind: 'step.note', step: 'a' }, { kind: 'step.result', step: 'b', data: { outcome: 'ok' } }, sealed]);
    expect(ok.failure).toBeUndefined();
    // After the last step, a note for it is fine too.
    expect(facts([start(['a']), ...run('a'), { kind: 'step.note', step: 'a' }, sealed]).failure).toBeUndefined();
  });

  it('a step counts as done once: a second ok result does not complete the next step', () => {
    const r = facts([start(), ...run('a'), { kind: 'step.result', step: 'a', data: { outcome: 'ok' } }, sealed]);
    expect(r.facts.steps.completed).toEqual(['a']);
    expect(r.failure?.code).not.toBe('STEPS_INCOMPLETE');
  });

  it('sealed before every step completed is STEPS_INCOMPLETE at the seal, naming the first step not done and how many after it', () => {
    const r = facts([start(['a', 'b', 'c']), ...run('a'), sealed]);
    expect(r.failure).toEqual({ code: 'STEPS_INCOMPLETE', expected: 'b', actual: '(sealed)', seq: 3, offset: 300, message: 'The ceremony was sealed at entry 3 before step "b" (and 1 after it) completed.' });
  });

  it('a transcript that ends before its steps are done is STEPS_INCOMPLETE after its last entry, and warns it was not sealed', () => {
    const r = facts([start(['a', 'b', 'c']), ...run('a')]);
    expect(r.failure).toEqual({ code: 'STEPS_INCOMPLETE', seq: 3, expected: 'b', message: 'The transcript ends after entry 2 with step "b" not done (2 of 3 steps missing).' });
    expect(r.facts.warnings).toEqual(['The ceremony was not sealed (no ceremony.sealed entry).']);
    const open = facts([start(), ...run('a'), ...run('b')]);
    expect(open.failure).toBeUndefined();
    expect(open.facts.sealed).toBe(false);
    expect(open.facts.warnings).toEqual(['The ceremony was not sealed (no ceremony.sealed entry).']);
  });

  it('an entry after the seal is ENTRY_AFTER_SEAL', () => {
    const r = facts([...complete(), { kind: 'step.note', step: '-' }]);
    expect(r.failure).toEqual({ code: 'ENTRY_AFTER_SEAL', actual: 'step.note', seq: 6, offset: 600, message: 'Entry 6 (step.note) was written after the ceremony was sealed.' });
  });

  it('results: skipped completes the step and is an exception; failed does not complete it; defaults say FAILED', () => {
    const r = facts([start(), { kind: 'step.start', step: 'a' }, { kind: 'step.result', step: 'a', data: { outcome: 'failed', error: { code: 'E1', message: 'boom' } } }, { kind: 'step.result', step: 'a', data: { outcome: 'failed' } }, { kind: 'step.result', step: 'a', data: { outcome: 'skipped' } }, ...run('b'), sealed]);
    expect(r.failure).toBeUndefined();
    expect(r.facts.steps.completed).toEqual(['a', 'b']);
    expect(r.facts.exceptions).toEqual([
      { seq: 2, step: 'a', kind: 'failed', detail: 'E1: boom' },
      { seq: 3, step: 'a', kind: 'failed', detail: 'FAILED: step failed' },
      { seq: 4, step: 'a', kind: 'skipped', detail: 'Step "a" was skipped.' },
    ]);
  });
});

describe('irreversible operations: every intent has its result', () => {
  it('an intent with no result is INTENT_WITHOUT_RESULT at the intent, naming the operation', () => {
    const r = facts(complete({ kind: 'step.intent', data: { opId: 'op1', operation: 'generateKeyPair' } }));
    expect(r.failure).toEqual({ code: 'INTENT_WITHOUT_RESULT', seq: 2, offset: 200, message: 'Entry 2 announced an irreversible operation (generateKeyPair) with no result recorded after it.' });
  });

  it('its result closes it, ok or not; a failed one is an exception with its error (FAILED by default); neither completes the step', () => {
    const r = facts(complete(
      { kind: 'step.intent', data: { opId: 'op1', operation: 'wrap' } }, { kind: 'step.result', data: { opId: 'op1', outcome: 'failed', error: { code: 'CKR_X', message: 'no' } } },
      { kind: 'step.intent', data: { opId: 'op2', operation: 'wrap' } }, { kind: 'step.result', data: { opId: 'op2', outcome: 'failed' } },
      { kind: 'step.intent', data: { opId: 'op3', operation: 'wrap' } }, { kind: 'step.result', data: { opId: 'op3', outcome: 'ok' } },
    ));
    expect(r.failure).toBeUndefined();
    expect(r.facts.exceptions).toEqual([
      { seq: 3, step: 'a', kind: 'operation-failed', detail: 'CKR_X: no' },
      { seq: 5, step: 'a', kind: 'operation-failed', detail: 'FAILED: operation failed' },
    ]);
    expect(r.facts.steps.completed).toEqual(['a', 'b']);
  });

  it('the result of another operation does not close it', () => {
    const r = facts(complete({ kind: 'step.intent', data: { opId: 'op1', operation: 'x' } }, { kind: 'step.result', data: { opId: 'op2', outcome: 'ok' } }));
    expect(r.failure).toMatchObject({ code: 'INTENT_WITHOUT_RESULT', seq: 2 });
  });

  it('the earliest failure is reported: an open intent before a later failure wins, a failure before the intent wins', () => {
    const intent = { kind: 'step.intent', step: 'a', data: { opId: 'op1', operation: 'x' } };
    const stranger = { kind: 'step.attest', step: 'a', data: { witness: 'Mallory' } };
    expect(facts([start(), { kind: 'step.start', step: 'a' }, intent, stranger]).failure).toMatchObject({ code: 'INTENT_WITHOUT_RESULT', seq: 2 });
    expect(facts([start(), { kind: 'step.start', step: 'a' }, stranger, intent]).failure).toMatchObject({ code: 'ATTESTER_NOT_IN_SCRIPT', seq: 2 });
    expect(facts([start(), { kind: 'step.start', step: 'a' }, stranger, { ...stranger, data: { witness: 'Eve' } }]).failure).toMatchObject({ actual: 'Mallory' });
  });
});

describe('witnesses', () => {
  it('only a witness the script names attests; by its witness field, or by the actor\'s name without one', () => {
    const r = facts(complete({ kind: 'step.attest', data: { witness: 'Wendy', statement: 'seen' } }, { kind: 'step.attest', actor: { role: 'witness', name: 'Wendy' }, data: { statement: 'again' } }));
    expect(r.failure).toBeUndefined();
    expect(r.facts.witnesses).toEqual([{ name: 'Wendy', attestations: [{ seq: 2, step: 'a', statement: 'seen' }, { seq: 3, step: 'a', statement: 'again' }], checkpointsCosigned: 0 }]);
  });

  it('an attestation by someone the script does not list as a witness is ATTESTER_NOT_IN_SCRIPT (a custodian is not a witness)', () => {
    const r = facts(complete({ kind: 'step.attest', data: { witness: 'Carol', statement: 'seen' } }));
    expect(r.failure).toEqual({ code: 'ATTESTER_NOT_IN_SCRIPT', actual: 'Carol', expected: 'Wendy', seq: 2, offset: 200, message: 'Entry 2 is an attestation by "Carol", who is not a witness in the script.' });
    expect(r.facts.witnesses.map((w) => w.name)).toEqual(['Wendy']);
    const two = facts([start(['a'], [{ role: 'witness', name: 'W1' }, { role: 'witness', name: 'W2' }]), { kind: 'step.start', step: 'a' }, { kind: 'step.attest', step: 'a', data: { witness: 'X' } }]);
    expect(two.failure?.expected).toBe('W1, W2');
  });
});

describe('key facts', () => {
  const spki = Buffer.from('a public key');
  const fp = createHash('sha256').update(spki).digest('hex');
  const key = (over: Record<string, unknown> = {}): E => ({ kind: 'key.generated', data: { label: 'root', id: '01', algorithm: 'ec-p384', spki: spki.toString('base64'), fingerprint: fp, fingerprintWords: ['w1', 7], proof: { extractable: false }, ...over } });

  it('records the key as the room saw it; a fingerprint in capitals still matches', () => {
    const r = facts(complete(key({ token: { label: 'HSM', serial: '9' } }), key({ fingerprint: fp.toUpperCase(), fingerprintWords: 'x', id: '02' })));
    expect(r.failure).toBeUndefined();
    expect(r.facts.keys).toEqual([
      { seq: 2, label: 'root', id: '01', algorithm: 'ec-p384', fingerprint: fp, fingerprintWords: ['w1', '7'], fingerprintMatches: true, proof: { extractable: false }, spki: spki.toString('base64'), token: { label: 'HSM', serial: '9' } },
      { seq: 3, label: 'root', id: '02', algorithm: 'ec-p384', fingerprint: fp.toUpperCase(), fingerprintWords: [], fingerprintMatches: true, proof: { extractable: false }, spki: spki.toString('base64') },
    ]);
  });

  it('a recorded fingerprint that is not the SHA-256 of the recorded key is KEY_FINGERPRINT_MISMATCH', () => {
    const r = facts(complete(key({ fingerprint: 'ab'.repeat(32) })));
    expect(r.failure).toEqual({ code: 'KEY_FINGERPRINT_MISMATCH', expected: fp, actual: 'ab'.repeat(32), seq: 2, offset: 200, message: `Entry 2: the recorded fingerprint of key "root" is not the SHA-256 of its recorded public key (${fp}).` });
    expect(r.facts.keys[0]?.fingerprintMatches).toBe(false);
  });

  it('a lock is recorded on the last key with its id; a lock of an unknown id on none', () => {
    const r = facts(complete(key(), key({ label: 'again' }), { kind: 'key.locked', data: { id: '01', proof: { extractable: false } } }, { kind: 'key.locked', data: { id: '99', proof: {} } }));
    expect(r.facts.keys.map((k) => k.locked)).toEqual([undefined, { seq: 4, proof: { extractable: false } }]);
  });
});

describe('shares, certificates, signed records', () => {
  it('a split and every check and delivery of its shares, in order; a failed check is an exception', () => {
    const r = facts(complete(
      { kind: 'share.verified', data: { custodian: 'Early', index: 1, ok: true } },
      { kind: 'backup.created', data: { splitId: 's1', k: '2', n: 3, shares: [{ custodian: 'Carol', index: 1 }] } },
      { kind: 'share.verified', data: { custodian: 'Carol', index: 1, ok: false } },
      { kind: 'share.verified', data: { custodian: 'Carol', index: 1, ok: 'yes', method: 'words' } },
      { kind: 'share.delivered', data: { custodian: 'Carol', index: 1, medium: 'file', fileName: 'c.age', sha256: 'ff' } },
      { kind: 'backup.created', data: { splitId: 's2', k: 2, n: 2, shares: 'none' } },
      { kind: 'share.verified', data: { custodian: 'Dan', index: 2, ok: true, method: 'file' } },
    ));
    expect(r.facts.shares).toEqual([
      { seq: 3, splitId: 's1', k: 2, n: 3, shares: [{ custodian: 'Carol', index: 1 }], verified: [{ custodian: 'Carol', index: 1, ok: false }, { custodian: 'Carol', index: 1, ok: false, method: 'words' }], delivered: [{ custodian: 'Carol', index: 1, medium: 'file', fileName: 'c.age', sha256: 'ff' }] },
      { seq: 7, splitId: 's2', k: 2, n: 2, shares: [], verified: [{ custodian: 'Dan', index: 2, ok: true, method: 'file' }], delivered: [] },
    ]);
    expect(r.facts.exceptions).toEqual([
      { seq: 4, step: 'a', kind: 'share-rejected', detail: 'Share 1 of Carol did not verify.' },
      { seq: 5, step: 'a', kind: 'share-rejected', detail: 'Share 1 of Carol did not verify.' },
    ]);
  });

  it('certificates, DNSSEC records signed and TUF roots signed are listed with their figures', () => {
    const r = facts(complete(
      { kind: 'certificate.issued', data: { subject: 'CN=R', serial: '0a', sha256: 'cc' } },
      { kind: 'dnskey.signed', data: { owner: 'example.', rrsetSha256: 'dd', keyTag: '257', algorithm: 14, windows: [{ inception: 'i1', expiration: 'e1' }] } },
      { kind: 'dnskey.signed', data: { owner: 'b.', rrsetSha256: 'ee', keyTag: 1, algorithm: 8 } },
      { kind: 'tuf.root-signed', data: { version: '3', signedSha256: 'tt', signatures: [{}, {}], threshold: { met: true, previous: { root: 'r2', version: 2, threshold: 1, needed: 1, met: true }, new: { version: 3 } } } },
      { kind: 'tuf.root-signed', data: { version: 4, signedSha256: 'uu' } },
      { kind: 'tuf.root-signed', data: { version: 5, signedSha256: 'vv', signatures: [], threshold: { met: 'yes', new: { root: 'r5', version: 5, threshold: 2, needed: 1, met: 'yes' } } } },
    ));
    expect(r.facts.certificates).toEqual([{ seq: 2, subject: 'CN=R', serial: '0a', sha256: 'cc' }]);
    expect(r.facts.signedRecords).toEqual([
      { seq: 3, owner: 'example.', rrsetSha256: 'dd', keyTag: 257, algorithm: 14, windows: [{ inception: 'i1', expiration: 'e1' }] },
      { seq: 4, owner: 'b.', rrsetSha256: 'ee', keyTag: 1, algorithm: 8, windows: [] },
    ]);
    expect(r.facts.signedMetadata).toEqual([
      { seq: 5, type: 'tuf-root', version: 3, signedSha256: 'tt', signatures: 2, thresholds: [{ root: 'r2', version: 2, threshold: 1, needed: 1, met: true }], met: true },
      { seq: 6, type: 'tuf-root', version: 4, signedSha256: 'uu', signatures: 0, thresholds: [], met: false },
      { seq: 7, type: 'tuf-root', version: 5, signedSha256: 'vv', signatures: 0, thresholds: [{ root: 'r5', version: 5, threshold: 2, needed: 1, met: false }], met: false },
    ]);
    expect(facts(complete()).facts.signedRecords).toBeUndefined();
  });

  it('deviations are listed (with the action taken, when recorded) and counted as exceptions', () => {
    const r = facts(complete({ kind: 'deviation', data: { who: 'Ada', why: 'printer jammed', action: 'printer B' } }, { kind: 'deviation', data: { who: 'Ada', why: 5 } }));
    expect(r.facts.deviations).toEqual([{ seq: 2, step: 'a', who: 'Ada', why: 'printer jammed', action: 'printer B' }, { seq: 3, step: 'a', who: 'Ada', why: '5' }]);
    expect(r.facts.exceptions).toEqual([{ seq: 2, step: 'a', kind: 'deviation', detail: 'Ada: printer jammed' }, { seq: 3, step: 'a', kind: 'deviation', detail: 'Ada: 5' }]);
  });
});

describe('edges of the walk', () => {
  it('entries of a transcript without ceremony.start are not read as facts', () => {
    const r = facts([{ kind: 'key.generated', step: 'a', data: { spki: '', fingerprint: '' } }, { kind: 'deviation', data: { who: 'x', why: 'y' } }]);
    expect(r.failure?.code).toBe('START_MISSING');
    expect(r.facts.keys).toEqual([]);
    expect(r.facts.deviations).toEqual([]);
  });

  it('a step the script names twice is due at its first place', () => {
    const r = facts([start(['a', 'b', 'a']), ...run('a')]);
    expect(r.facts.steps.completed).toEqual(['a']);
    expect(r.failure).toMatchObject({ code: 'STEPS_INCOMPLETE', expected: 'b' });
  });

  it('a completed step that runs again (start, intent or result) is STEP_OUT_OF_ORDER', () => {
    for (const kind of ['step.start', 'step.intent', 'step.result']) {
      const r = facts([start(), ...run('a'), { kind: 'step.start', step: 'b' }, { kind, step: 'a', data: { outcome: 'ok', opId: 'o' } }]);
      expect(r.failure, kind).toMatchObject({ code: 'STEP_OUT_OF_ORDER', seq: 4, expected: 'b', actual: 'a' });
    }
  });

  it('the ceremony.start entry is not held to the script\'s steps', () => {
    const r = facts([{ kind: 'ceremony.start', step: 'zz', data: { steps: ['a'] } }, ...run('a'), sealed]);
    expect(r.failure).toBeUndefined();
  });

  it('two witnesses\' attestations are kept apart', () => {
    const r = facts([start(['a'], [{ role: 'witness', name: 'W1' }, { role: 'witness', name: 'W2' }]), ...run('a', { kind: 'step.attest', data: { witness: 'W2', statement: 's2' } }, { kind: 'step.attest', data: { witness: 'W1', statement: 's1' } }), sealed]);
    expect(r.facts.witnesses).toEqual([{ name: 'W1', attestations: [{ seq: 3, step: 'a', statement: 's1' }], checkpointsCosigned: 0 }, { name: 'W2', attestations: [{ seq: 2, step: 'a', statement: 's2' }], checkpointsCosigned: 0 }]);
  });

  it('a key recorded without label or proof has empty ones; a delivery before any split is not pinned on one', () => {
    const spki = Buffer.from('k');
    const r = facts(complete({ kind: 'share.delivered', data: { custodian: 'C', index: 1 } }, { kind: 'key.generated', data: { spki: spki.toString('base64'), fingerprint: createHash('sha256').update(spki).digest('hex'), proof: null } }));
    expect(r.facts.keys[0]).toMatchObject({ label: '', id: '', algorithm: '', proof: {} });
    expect(r.facts.shares).toEqual([]);
  });
});
