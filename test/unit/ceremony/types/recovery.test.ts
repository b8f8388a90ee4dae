import { describe, expect, it } from 'vitest';
import { assertScriptWithinPolicy } from '../../../../electron/core/ceremony/load';
import { load, policyRefusal, requiredStepTests, rootPolicy, templateData } from './helpers';

/** The recovery template, backed up again at the end to five custodians. */
function withBackup() {
  const data = templateData('recovery');
  data.participants = [...(data.participants as object[]), { name: 'Frank', role: 'custodian' }, { name: 'Grace', role: 'custodian' }];
  data.backup = { k: 3, n: 5, custodians: ['Carol', 'Dan', 'Erin', 'Frank', 'Grace'].map((name) => ({ name, delivery: 'paper' })) };
  data.steps.splice(data.steps.length - 1, 0, { id: 'backup', action: 'backup', instruction: 'Back the restored key up again.' });
  return data;
}

describe('recovery', () => {
  requiredStepTests('recovery', 'recovery', ['air-gap-check', 'login', 'recover', 'seal'], ['targetToken', 'backup']);

  it('is not required to back the restored key up, nor to attest it', () => {
    expect(() => assertScriptWithinPolicy(load(templateData('recovery')), rootPolicy((c) => { c.attestationRequired = true; }))).not.toThrow();
  });

  it('neverExtractable cannot be required of a restored key the script backs up again (POLICY_ATTRIBUTES)', () => {
    expect(() => assertScriptWithinPolicy(load(withBackup()), rootPolicy())).not.toThrow();
    const r = policyRefusal(withBackup(), rootPolicy((c) => { c.requiredAttributes = [...(c.requiredAttributes as string[]), 'neverExtractable']; }));
    expect(r.issues).toEqual([expect.objectContaining({ path: 'steps', code: 'POLICY_ATTRIBUTES' })]);
  });
});
