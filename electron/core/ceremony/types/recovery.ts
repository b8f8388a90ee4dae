/** recovery: the key rebuilt from its custodians' shares and unwrapped into a (new) token. */
import { defineCeremonyType, scriptObject } from './define';
import { wrappedKeyRule } from './key-rules';

export const recovery = defineCeremonyType({
  type: 'recovery',
  schema: scriptObject('recovery', ['targetToken', 'backup']),
  steps: ['air-gap-check', 'login', 'recover', 'seal'],
  needsPriorRun: true,
  newKey: { field: 'key', how: 'restored' },
  policyRules: [wrappedKeyRule],
});
