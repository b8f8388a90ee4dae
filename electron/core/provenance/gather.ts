/**
 * Provenance recorded in ceremony.start: which Keyrite ran (version and the digest of its code),
 * which PKCS#11 module (its file's SHA-256), which token (C_GetTokenInfo), on which system, booted
 * from which media. Gathering never stops a ceremony: what cannot be read is recorded as such.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TokenApi, TokenSelector } from '../token/types';
import { digestCodeFolder, runningCodeFolder, type CodeDigest } from './code-digest';

export interface Provenance {
  keyrite: { version: string; code: CodeDigest | { error: string } };
  module: { path: string; sha256?: string; error?: string };
  token: { label: string; serial: string; manufacturer: string; model: string; firmware?: string; hardware?: string } | { error: string };
  os: { platform: string; release: string; kernel: string; distribution?: string; arch: string; node: string; electron?: string };
  /** SHA-256 of the boot media, as the administrator gave it (script bootMediaSha256). */
  bootMedia?: { sha256: string; source: string };
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function keyriteVersion(parent: string): string {
  try {
    return String((JSON.parse(readFileSync(path.join(parent, 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

/** The running Keyrite's version (package.json beside its code). */
export function runningKeyriteVersion(): string {
  return keyriteVersion(runningCodeFolder().parent);
}

function distribution(): string | undefined {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

export function systemProvenance(): Provenance['os'] {
  const d = distribution();
  return {
    platform: process.platform, release: os.release(), kernel: os.version(), arch: process.arch, node: process.versions.node,
    ...(d ? { distribution: d } : {}), ...(process.versions.electron ? { electron: process.versions.electron } : {}),
  };
}

export function fileSha256(file: string): { path: string; sha256?: string; error?: string } {
  try {
    return { path: file, sha256: createHash('sha256').update(readFileSync(file)).digest('hex') };
  } catch (e) {
    return { path: file, error: message(e) };
  }
}

export interface GatherInput {
  /** The PKCS#11 module's file, or an error saying why it is not known. */
  modulePath: string | { error: string };
  /** Opens (or returns) the run's token API; called once. */
  tokenApi: () => Promise<TokenApi>;
  selector: TokenSelector;
  bootMediaSha256?: string;
}

export async function gatherProvenance(input: GatherInput): Promise<Provenance> {
  const where = runningCodeFolder();
  let code: Provenance['keyrite']['code'];
  try {
    code = digestCodeFolder(where.parent, where.folder);
  } catch (e) {
    code = { error: `the code folder ${path.join(where.parent, where.folder)} cannot be read: ${message(e)}` };
  }
  let token: Provenance['token'];
  try {
    const slots = await (await input.tokenApi()).listSlots();
    const t = slots.map((s) => s.token).find((v) => v && ((input.selector.serial && v.serial === input.selector.serial) || (input.selector.label && v.label === input.selector.label)));
    token = t
      ? { label: t.label, serial: t.serial, manufacturer: t.manufacturer, model: t.model, ...(t.firmwareVersion ? { firmware: t.firmwareVersion } : {}), ...(t.hardwareVersion ? { hardware: t.hardwareVersion } : {}) }
      : { error: `no token ${input.selector.label ?? input.selector.serial} was present when the ceremony started` };
  } catch (e) {
    token = { error: `the token could not be listed: ${message(e)}` };
  }
  return {
    keyrite: { version: keyriteVersion(where.parent), code },
    module: typeof input.modulePath === 'string' ? fileSha256(input.modulePath) : { path: '-', error: input.modulePath.error },
    token,
    os: systemProvenance(),
    ...(input.bootMediaSha256 ? { bootMedia: { sha256: input.bootMediaSha256, source: 'script bootMediaSha256' } } : {}),
  };
}
