import type { HelpRow } from '../help';

/** The options of `keyrite shares`, `recover` and `reshare` that say where backup shares come from. */
export const SHARE_FILE_ROWS: readonly HelpRow[] = [
  { name: '--share FILE', text: 'a share file (words sheet, QR text, or age file); repeat for several. Without --share, each share is typed on the terminal (words hidden).' },
  { name: '--passphrase-file F', text: 'passphrase for age share files (otherwise asked on the terminal)' },
];

/** A custodian's age identity, for share files made for their age recipient (recover, reshare). */
export const AGE_IDENTITY_ROW: HelpRow = {
  name: '--age-identity F',
  text: 'a custodian\'s age identity file (age-keygen\'s format, X25519 or post-quantum AGE-SECRET-KEY-PQ-1...) for share files made for their age recipient; repeat',
};

/** The card that opens share files encrypted to a custodian's token key (core/shares/cli-input.ts, CARD_CLI_OPTIONS). */
export const CARD_ROWS: readonly HelpRow[] = [
  { name: '--card-module PATH', text: 'for share files encrypted to a custodian\'s token key: that card\'s PKCS#11 module' },
  { name: '--card-token LABEL', text: 'the card\'s token label' },
  { name: '--card-key LABEL', text: 'the label of the custodian\'s key on the card' },
  { name: '--card-pin-file F', text: 'the card\'s PIN (first line); otherwise asked on the terminal' },
];
