import { describe, expect, it } from 'vitest';
import { load, noKeyRuleTests, refusal, requiredStepTests, templateData } from './helpers';

describe('sign-intermediate', () => {
  requiredStepTests('sign-intermediate', 'sign-intermediate', ['air-gap-check', 'login', 'sign-certificate', 'seal'], ['certificate', 'signing']);
  noKeyRuleTests('sign-intermediate');

  it('the OCSP responder template is a sign-intermediate script', () => {
    expect(load(templateData('sign-ocsp-responder')).script).toMatchObject({ type: 'sign-intermediate', certificate: { profile: 'ocsp-responder' } });
  });

  it('needs the CSR to certify (MISSING_SECTION at signing)', () => {
    const data = templateData('sign-intermediate');
    delete (data.signing as Record<string, unknown>).csr;
    expect(refusal(() => load(data)).issues).toEqual([expect.objectContaining({ path: 'signing', code: 'MISSING_SECTION', message: 'sign-certificate needs signing.csr' })]);
  });
});
