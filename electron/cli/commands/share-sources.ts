/**
 * How `keyrite recover` and `keyrite reshare` take the old shares: each --share file (an age file
 * opened with the passphrase or, made for the custodian's age recipient, with their --age-identity; a card file on the custodian's card) or, without --share, shares typed
 * on the terminal until k are in. Each is checked as it comes; a refused one is named and skipped.
 */
import type { CliIo } from '../command';
import { ageIdentitiesFromCli, CARD_CLI_OPTIONS, cardFromCli, prompt, promptShareWords, readSecretFile, readShareFile } from '../../core/shares/cli-input';
import type { ShareEnvelope } from '../../core/shares/envelope';
import type { RecoverySession } from '../../core/shares/recovery';
import type { VerifiedShare } from '../../core/shares/share-input';
import { KeyriteError } from '../../core/util/errors';

/** The options both commands take: the backup, where the shares come from, and the card that opens card share files. */
export const SHARE_SOURCE_OPTIONS = {
  backup: { type: 'string' },
  share: { type: 'string', multiple: true },
  'passphrase-file': { type: 'string' },
  'age-identity': { type: 'string', multiple: true },
  ...CARD_CLI_OPTIONS,
} as const;

export interface ShareSourceValues {
  share?: string[];
  'passphrase-file'?: string;
  'age-identity'?: string[];
  'card-module'?: string;
  'card-token'?: string;
  'card-key'?: string;
  'card-pin-file'?: string;
}

export interface ShareWording {
  /** What follows "accepted NAME: " for a share taken. */
  accepted: (v: VerifiedShare) => string;
  /** The terminal's question for the next typed share. */
  typed: () => string;
}

export async function collectShares(session: RecoverySession, values: ShareSourceValues, io: CliIo, say: ShareWording): Promise<void> {
  const passFile = values['passphrase-file'];
  const passphrase = passFile ? () => readSecretFile(passFile, 'passphrase file') : () => prompt(io, 'Age passphrase: ', { hidden: true });
  const take = async (name: string, load: () => Promise<ShareEnvelope>) => {
    try {
      const v = session.add({ envelope: await load() });
      io.stdout.write(`accepted ${name}: ${say.accepted(v)}\n`);
    } catch (e) {
      if (!(e instanceof KeyriteError) || e.code.startsWith('INPUT') || e.code === 'USAGE') throw e;
      io.stdout.write(`refused  ${name}: ${e.message} [${e.code}]\n`);
    }
  };
  const card = cardFromCli(values, io);
  try {
    const files = values.share ?? [];
    if (files.length > 0) {
      const identity = ageIdentitiesFromCli(values['age-identity']);
      for (const f of files) await take(f, () => readShareFile(f, passphrase, card?.open, identity));
    } else {
      let attempt = 1;
      while (!session.progress.complete) await take(`typed share ${attempt++}`, () => promptShareWords(io, say.typed()));
    }
  } finally {
    await card?.close();
  }
}
