import type { CommandHelp } from '../help';

/** `keyrite ceremony --help`: shared by the command and its `run` subcommand (loaded lazily). */
export const HELP: CommandHelp = {
  usage: [
    'ceremony check SCRIPT [--policy FILE]',
    'ceremony run SCRIPT --out DIR [--policy FILE] [--inputs FILE] [--rehearsal [--rehearsal-token softhsm|nss|tpm]] [--from DIR] [--custody-dir DIR] [--card-module PATH]... [--pin-source file:PATH|prompt]',
    'ceremony witness-key --name NAME (--out FILE | --token LABEL [--module PATH] [--pin-file F])',
    'ceremony custodian-key --name NAME --token LABEL [--module PATH] [--algorithm ALG] [--pin-file F]',
  ],
  description: [
    'check: validates the script (schema, consistency) and checks it against the policy. Exit 0 if it may run, 1 if refused, 2 unusable input.',
    'run: runs the ceremony headlessly. PINs, attestations and share inputs come from the inputs file or TTY prompts. Running again with the same --out resumes an interrupted run from its journal. Before any step the token\'s mechanisms, flags and measured quirks are checked against what the script asks; a token that falls short is refused naming what is missing (TOKEN_CAPABILITY_MISSING), nothing done.',
    'Custodians with delivery file or token get their share as an encrypted file, written to the custody folder and opened again at once to prove it works: file asks the custodian\'s passphrase (hidden; rehearsals: sharePassphrases in the inputs file), token opens it on the custodian\'s token (its PIN from pins by token label, else asked).',
    'Witnesses whose key the script records cosign the final checkpoint: the inputs file\'s witnessKeys gives each one\'s signer key file (a path), else it is asked on the TTY; witnessTokens names the token (by label) of each witness who cosigns on their own token (PIN from pins by that label, else asked hidden). The per-ceremony transcript key file is destroyed at the handover to a token key (tokens with Ed25519) or at the seal: the sealed folder holds no secret.',
    'witness-key: makes a witness\'s cosigning key. With --out, an Ed25519 key whose signer key goes to FILE (mode 0600, never replaced; keep it on the witness\'s own medium). With --token, a key on the witness\'s own token: sign-only, non-extractable, labelled keyrite-witness-<name>; Ed25519 when the token offers it, else EC P-256; reused when one with that label is there. At the seal the witness cosigns on that token (app: "Cosign with my token"; headless: witnessTokens), reached through the ceremony token\'s module or a card module. Prints the verifier key for the script (participants: - { name: NAME, role: witness, key: <printed key> }).',
    'custodian-key: makes a custodian\'s share key on their own token before the day (for delivery: token): decrypt-only, non-extractable, labelled keyrite-share-<name>; reused when already there. Prints the key\'s fingerprint (hex and words, for the custodian to read at the hand-off) and the custodian\'s entry for the script\'s backup.custodians, public key inline.',
  ],
  options: [
    { name: '--policy FILE', text: 'check, run: the policy (default: resources/policy/default.yaml)' },
    { name: '--out DIR', text: 'run: the ceremony folder (transcript, exports, custody files)' },
    { name: '--inputs FILE', text: 'run: the inputs file (administrator, PINs by token label, attestations, witness keys and tokens)' },
    { name: '--rehearsal', text: 'run: provision a throwaway token in DIR/token and read the template\'s rehearsal inputs (<script>.rehearsal.yaml) when --inputs is not given' },
    { name: '--rehearsal-token KIND', text: 'run: the kind of throwaway token a rehearsal makes: softhsm (default), nss (an NSS softokn database made with certutil) or tpm (tpm2-pkcs11 on a swtpm the run starts in DIR/token and stops when it ends)' },
    { name: '--from DIR', text: 'run: the folder of a previous run whose key (and token) this ceremony uses' },
    { name: '--custody-dir DIR', text: 'run: where share files for custodians with delivery file or token are written (default DIR/custody)' },
    { name: '--card-module PATH', text: 'run: the PKCS#11 library of custodians\' or witnesses\' own tokens when it is not the script\'s module (e.g. OpenSC for YubiKeys next to an HSM); repeatable. Their tokens are looked for on the script\'s module first, then on each card module in order.' },
    { name: '--pin-source SRC', text: 'run: where the ceremony token\'s PIN comes from instead of the inputs file (RFC 7512 pin-source form): file:PATH, a file only you can read (chmod 600; others\' read access is refused), or prompt to be asked hidden. A script never carries a PIN.' },
    { name: '--name NAME', text: 'witness-key, custodian-key: the person the key is for' },
    { name: '--out FILE', text: 'witness-key: where the Ed25519 signer key is written' },
    { name: '--token LABEL', text: 'witness-key, custodian-key: the person\'s own token' },
    { name: '--module PATH', text: 'witness-key, custodian-key: the token\'s PKCS#11 module (default: SoftHSM2)' },
    { name: '--algorithm ALG', text: 'custodian-key: ec-p256 (default where offered; shares by ECDH), ec-p384, rsa-3072 or rsa-4096 (RSA-OAEP)' },
    { name: '--pin-file F', text: 'witness-key, custodian-key: the token\'s PIN (first line); otherwise asked without echo' },
  ],
};
