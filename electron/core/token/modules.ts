/**
 * Where vendors install their PKCS#11 modules. `findModules` says which are present on this machine;
 * a path the user gives is always tried too. To support a new device, add its paths here
 * (docs/TOKEN.md, "Adding a module path").
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SOFTHSM2_MODULE_PATHS } from './rehearsal';

export interface KnownModule {
  /** Short stable name, e.g. 'yubihsm2'. */
  id: string;
  vendor: string;
  product: string;
  paths: readonly string[];
}

const LIB_DIRS = ['/usr/lib', '/usr/lib64', '/usr/local/lib', '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/opt/homebrew/lib'];
const inLibDirs = (...names: string[]): string[] => LIB_DIRS.flatMap((d) => names.map((n) => path.join(d, n)));

export const KNOWN_MODULES: readonly KnownModule[] = [
  { id: 'softhsm2', vendor: 'OpenDNSSEC', product: 'SoftHSM2 (rehearsal tokens)', paths: SOFTHSM2_MODULE_PATHS },
  { id: 'opensc', vendor: 'OpenSC', product: 'OpenSC (PIV, OpenPGP and other smart cards)', paths: [...inLibDirs('opensc-pkcs11.so', 'pkcs11/opensc-pkcs11.so'), '/Library/OpenSC/lib/opensc-pkcs11.so'] },
  { id: 'yubihsm2', vendor: 'Yubico', product: 'YubiHSM 2', paths: [...inLibDirs('pkcs11/yubihsm_pkcs11.so', 'yubihsm_pkcs11.so'), '/usr/local/lib/pkcs11/yubihsm_pkcs11.dylib'] },
  { id: 'ykcs11', vendor: 'Yubico', product: 'YubiKey PIV (ykcs11)', paths: [...inLibDirs('libykcs11.so', 'libykcs11.so.2'), '/usr/local/lib/libykcs11.dylib'] },
  { id: 'luna', vendor: 'Thales', product: 'Luna Network/PCIe/USB HSM', paths: ['/usr/safenet/lunaclient/lib/libCryptoki2_64.so', '/usr/lib/libCryptoki2_64.so'] },
  { id: 'nshield', vendor: 'Entrust', product: 'nShield', paths: ['/opt/nfast/toolkits/pkcs11/libcknfast.so'] },
  { id: 'cloudhsm', vendor: 'AWS', product: 'CloudHSM', paths: ['/opt/cloudhsm/lib/libcloudhsm_pkcs11.so', '/opt/cloudhsm/lib/libcloudhsm_pkcs11_standard.so'] },
  { id: 'utimaco', vendor: 'Utimaco', product: 'CryptoServer / u.trust GP HSM', paths: ['/opt/utimaco/lib/libcs_pkcs11_R3.so', '/opt/utimaco/lib/libcs_pkcs11_R2.so', '/usr/lib/libcs_pkcs11_R3.so'] },
];

export interface ModuleCandidate {
  id: string;
  vendor: string;
  product: string;
  /** The first path that exists, or the first known path when none does. */
  path: string;
  present: boolean;
  /** Given with --module rather than known. */
  userGiven: boolean;
}

export function findModules(extraPaths: readonly string[] = [], exists: (p: string) => boolean = existsSync): ModuleCandidate[] {
  const known = KNOWN_MODULES.map((m) => {
    const found = m.paths.find((p) => exists(p));
    return { id: m.id, vendor: m.vendor, product: m.product, path: found ?? m.paths[0] ?? '', present: found !== undefined, userGiven: false };
  });
  const given = [...new Set(extraPaths.map((p) => path.resolve(p)))].map((abs) => {
    // A given path that is a known module keeps its name, so it is listed (and read) once.
    const k = KNOWN_MODULES.find((m) => m.paths.includes(abs));
    return { id: k?.id ?? 'user', vendor: k?.vendor ?? '', product: k?.product ?? path.basename(abs), path: abs, present: exists(abs), userGiven: true };
  });
  const givenPaths = new Set(given.map((g) => g.path));
  return [...given, ...known.filter((k) => !(k.present && givenPaths.has(k.path)))];
}
