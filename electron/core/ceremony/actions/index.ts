import type { StepAction } from '../script-schema';
import type { ActionHandler } from '../step-context';
import { airGapCheck, confirmStep, deactivateStep, loginStep } from './basic';
import { crossSign, exportPublicKey, generateKey, readProof, selfSignRoot } from './keygen';
import { backupStep, reshareStep } from './backup';
import { recoverStep } from './recover';
import { destroyKeys, signArtifact, signCertificate, signCrl } from './signing';
import { sealStep } from './seal';
import { verifyAttestationStep } from './attestation';
import { checkUpStep } from './check-up';
import { signDnskey } from './dnssec';
import { signTufRootStep } from './tuf';

export const HANDLERS: Record<StepAction, ActionHandler> = {
  confirm: confirmStep, 'air-gap-check': airGapCheck, login: loginStep, 'generate-key': generateKey, 'read-proof': readProof,
  'export-public-key': exportPublicKey, 'self-sign-root': selfSignRoot, backup: backupStep, recover: recoverStep, reshare: reshareStep,
  'sign-certificate': signCertificate, 'sign-crl': signCrl, 'sign-artifact': signArtifact, 'cross-sign': crossSign,
  deactivate: deactivateStep, 'destroy-keys': destroyKeys, seal: sealStep, 'verify-attestation': verifyAttestationStep, 'check-up': checkUpStep,
  'sign-dnskey': signDnskey, 'sign-tuf-root': signTufRootStep,
};
