/** `keyrite ceremony --help`: shared by the command and its `run` subcommand (loaded lazily). */
export const HELP = `keyrite ceremony — check or run a ceremony script

  keyrite ceremony check SCRIPT [--policy FILE]
      Validate the script (schema, consistency) and check it against the policy
      (default: resources/policy/default.yaml). Exit 0 if it may run, 1 if refused.

  keyrite ceremony run SCRIPT --out DIR [--policy FILE] [--inputs FILE] [--rehearsal] [--from DIR] [--custody-dir DIR]
                     [--card-module PATH]... [--pin-source file:PATH|prompt] [--rehearsal-token softhsm|nss|tpm]
      Run the ceremony headlessly. PINs, attestations and share inputs come from the inputs file
      or TTY prompts. --rehearsal provisions a SoftHSM2 token in DIR/token and reads the
      template's rehearsal inputs (<script>.rehearsal.yaml) when --inputs is not given.
      --from DIR: the folder of a previous run whose key (and token) this ceremony uses.
      Running again with the same --out resumes an interrupted run from its journal.
      Custodians with delivery file or token get their share as an encrypted file, written to
      --custody-dir DIR (default DIR/custody) and opened again at once to prove it works: file
      asks the custodian's passphrase (hidden; rehearsals: sharePassphrases in the inputs file),
      token opens it on the custodian's token (its PIN from pins by token label, else asked).
      Witnesses whose key the script records cosign the final checkpoint: the inputs file's
      witnessKeys gives each one's signer key file (a path), else it is asked on the TTY;
      witnessTokens names the token (by label) of each witness who cosigns on their own token
      (PIN from pins by that label, else asked hidden).
      --rehearsal-token softhsm|nss|tpm: the kind of throwaway token a rehearsal makes (default
      softhsm; nss: an NSS softokn database made with certutil; tpm: tpm2-pkcs11 on a swtpm the run
      starts in DIR/token and stops when it ends). Before any step the token's mechanisms,
      flags and measured quirks are checked against what the script asks; a token that falls
      short is refused naming what is missing (TOKEN_CAPABILITY_MISSING), nothing done.
      --pin-source file:PATH|prompt: where the ceremony token's PIN comes from instead of the
      inputs file (RFC 7512 pin-source form): a file only you can read (chmod 600; others' read
      access is refused), or prompt to be asked hidden. A script never carries a PIN.
      --card-module PATH (repeatable): the PKCS#11 library of custodians' or witnesses' own tokens
      when it is not the script's module (e.g. OpenSC for YubiKeys next to an HSM). Their tokens
      are looked for on the script's module first, then on each card module in order.
      The per-ceremony transcript key file is destroyed at the handover to a token key (tokens
      with Ed25519) or at the seal: the sealed folder holds no secret.

  keyrite ceremony witness-key --name NAME --out FILE
      Make a witness's Ed25519 cosigning key: the signer key goes to FILE (mode 0600, never
      replaced; keep it on the witness's own medium), the verifier key is printed for the
      script (participants: - { name: NAME, role: witness, key: <printed key> }).

  keyrite ceremony witness-key --name NAME --token LABEL [--module PATH] [--pin-file F]
      Make the witness's cosigning key on their own token instead: sign-only, non-extractable,
      labelled keyrite-witness-<name>; Ed25519 when the token offers it, else EC P-256. When a
      key with that label is already there it is reused. Prints the verifier key for the script.
      --module: the token's PKCS#11 module (default: SoftHSM2). PIN from --pin-file, else asked
      without echo. At the seal the witness cosigns on that token (app: "Cosign with my token";
      headless: witnessTokens in the inputs file), reached through the ceremony token's module or
      a card module (--card-module; the app: KEYRITE_CARD_MODULES).

  keyrite ceremony custodian-key --name NAME --token LABEL [--module PATH] [--algorithm ALG] [--pin-file F]
      Make a custodian's share key on their own token before the day (for delivery: token):
      decrypt-only, non-extractable, labelled keyrite-share-<name>; reused when already there.
      ALG: ec-p256 (default where offered; shares by ECDH), ec-p384, rsa-3072 or rsa-4096
      (RSA-OAEP). Prints the key's fingerprint (hex and words, for the custodian to read at the
      hand-off) and the custodian's entry for the script's backup.custodians, public key inline.
`;
