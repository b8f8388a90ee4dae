/** Who acts in a run: the administrator, a participant's role, and the PIN need put to the administrator. */
import { REHEARSAL_USER_PIN } from '../token/rehearsal';
import type { RunNeed } from './run-view';
import type { CeremonyScript } from './script-schema';

/** The actor of entries Keyrite itself writes. */
export const SYSTEM = { role: 'system', name: 'keyrite' };

export function administratorOf(script: CeremonyScript): string {
  return script.participants.find((p) => p.role === 'administrator')?.name ?? 'administrator';
}

export function actorOf(script: CeremonyScript, name: string): { role: string; name: string } {
  return { role: script.participants.find((x) => x.name === name)?.role ?? 'administrator', name };
}

/** The administrator logs in to the script's token (the rehearsal token's throwaway PIN shown in a rehearsal). */
export function pinNeed(script: CeremonyScript, rehearsal: boolean): RunNeed {
  const t = script.token;
  return { kind: 'pin', who: administratorOf(script), token: t.label ?? t.serial ?? '', userType: 'user', tries: null, ...(rehearsal ? { rehearsalPin: REHEARSAL_USER_PIN } : {}) };
}
