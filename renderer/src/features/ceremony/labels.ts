/** Names a person reads for the script's actions and roles. */
export const ACTION_LABELS: Record<string, string> = {
  confirm: 'Manual check',
  'air-gap-check': 'Air-gap check',
  login: 'Log in to the token',
  'generate-key': 'Generate the key',
  'read-proof': 'Prove how the key was made',
  'export-public-key': 'Export the public key',
  'self-sign-root': 'Root certificate',
  backup: 'Back up and hand out shares',
  recover: 'Recover from shares',
  reshare: 'New shares for new custodians',
  'sign-certificate': 'Sign the certificate',
  'sign-crl': 'Sign the CRL',
  'sign-artifact': 'Sign the artifact',
  'cross-sign': 'Cross-sign',
  deactivate: 'Deactivate the old key',
  'destroy-keys': 'Destroy the keys',
  seal: 'Seal the transcript',
  'verify-attestation': 'Verify the device attestation',
  'check-up': 'Check each custodian\'s share',
  'sign-dnskey': 'Sign the DNSKEY RRset',
  'sign-tuf-root': 'Sign the TUF root',
};

export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

export const ROLE_LABELS: Record<string, string> = {
  administrator: 'Administrator',
  witness: 'Witness',
  custodian: 'Custodian',
  auditor: 'Auditor',
};
