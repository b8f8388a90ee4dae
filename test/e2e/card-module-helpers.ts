/** Card modules in the e2e specs: a second SoftHSM2 store behind its own copy of the library. */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseCardModules, type CardModule } from '../../electron/core/token/card-modules';
import { createTokenClient, type TokenClient } from '../../electron/core/token/client';
import { createRehearsalToken, type RehearsalToken } from '../../electron/core/token/rehearsal';
import type { TokenApi } from '../../electron/core/token/types';

export const CARD_LIB = 'libkeyrite-cards-pkcs11.so';

/** A card module for openWithRunner: its description and a client of it the test already holds (for listing). */
export interface TestCardModule {
  module: CardModule;
  client: TokenApi;
}

/**
 * A card module nothing of which is reachable through the ceremony's module: the SoftHSM2 library
 * copied under another name, with its own store (SOFTHSM2_CONF) holding the given cards. The caller
 * closes `client` (a host of that module).
 */
export async function makeCardModule(root: string, softhsmLibrary: string, cards: { label: string; pin: string }[]): Promise<TestCardModule & { client: TokenClient; cards: RehearsalToken[] }> {
  const libDir = path.join(root, 'cards-lib');
  mkdirSync(libDir, { recursive: true });
  const lib = path.join(libDir, CARD_LIB);
  copyFileSync(softhsmLibrary, lib);
  const made: RehearsalToken[] = [];
  for (const c of cards) made.push(await createRehearsalToken({ dir: path.join(root, 'cards'), label: c.label, pin: c.pin, soPin: '97531864' }));
  const env = made[0]!.env;
  return { module: { ...parseCardModules(lib)[0]!, env }, client: createTokenClient({ modulePath: lib, env }), cards: made };
}
