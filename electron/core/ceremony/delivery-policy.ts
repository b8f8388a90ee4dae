/**
 * The policy's share-delivery rule (policy-schema.ts `shareDelivery`), checked at load with the other
 * policy rules (load.ts policyIssues): each custodian the rule refuses is named at their script line.
 */
import { describeRecipientKind, parseAgeRecipient } from '../shares/age-recipient';
import type { KeyClassPolicy } from './policy-schema';
import type { CeremonyScript } from './script-schema';

export interface DeliveryPolicyIssue {
  path: (string | number)[];
  message: string;
  code: 'POLICY_SHARE_DELIVERY';
}

export function shareDeliveryIssues(script: CeremonyScript, cls: KeyClassPolicy): DeliveryPolicyIssue[] {
  if (!cls.shareDelivery?.requirePostQuantum || !script.backup) return [];
  const issues: DeliveryPolicyIssue[] = [];
  script.backup.custodians.forEach((c, i) => {
    const refuse = (field: string, why: string) => issues.push({
      path: ['backup', 'custodians', i, field],
      message: `${c.name}'s share ${why}; policy requires post-quantum delivery for ${script.key.class} keys: delivery age-recipient with their age1pq1... recipient (mlkem768x25519)`,
      code: 'POLICY_SHARE_DELIVERY',
    });
    if (c.delivery !== 'age-recipient') return refuse('delivery', `goes by ${c.delivery}`);
    const r = c.ageRecipient === undefined ? undefined : parseAgeRecipient(c.ageRecipient);
    if (r && 'kind' in r && r.kind !== 'mlkem768x25519') refuse('recipient', `is encrypted to an ${describeRecipientKind(r.kind)} recipient`);
  });
  return issues;
}
