#!/usr/bin/env python3
"""Rebuild a Keyrite backup's AES-256 wrapping key from k share files, without Keyrite.

Standard library only (Python 3.8+), so it can be read in full and run on an offline machine.

    python3 combine-shares.py [--backup backup.json] [--write-wrapped wrapped.bin]
                              [--write-spki recorded-spki.der] SHARE.txt SHARE.txt ...

Each SHARE.txt is a Keyrite words share sheet: lines starting with '#' are notes, the rest are the
37 numbered BIP-39 words (whole words or their first 4 letters). A file share, once decrypted with
`age -d`, is the 48 envelope bytes themselves: the script reads those too. The script prints the wrapping key
as 64 hex digits on stdout, which is what `openssl enc -id-aes256-wrap-pad -K` takes.

With --backup it also checks the rebuilt key against the commitment recorded in backup.json, and
can write the wrapped private key (--write-wrapped) and the recorded public key (--write-spki) as
binary files for openssl. The formats are described in docs/SHARES.md.
"""
import argparse
import base64
import hashlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# SHA-256 of the official BIP-39 English list (bitcoin/bips, bip-0039/english.txt).
WORDLIST_SHA256 = "2f5eed53a4727b4bf8880d8f3f199efc90e58503646d9ff8eff3a2ed3b24dbda"

ENVELOPE_BYTES = 48   # version, ceremony tag (4), split id (4), k, n, share (33), checksum (4)
DATA_WORDS = 35       # ceil(48 * 8 / 11): 384 bits plus one zero padding bit
SHARE_WORDS = DATA_WORDS + 2


def fail(msg):
    sys.stderr.write("combine-shares: " + msg + "\n")
    sys.exit(1)


def load_wordlist():
    path = os.path.join(HERE, "bip39-english.txt")
    with open(path, "rb") as f:
        raw = f.read()
    if hashlib.sha256(raw).hexdigest() != WORDLIST_SHA256:
        fail(path + " is not the BIP-39 English word list")
    words = raw.decode("ascii").split()
    # Every BIP-39 English word is identified by its first 4 letters.
    return {w[:4]: i for i, w in enumerate(words)}, words


# --- GF(2^11): the two check words at the end of a share (Reed-Solomon, polynomial x^11+x^2+1) ---

def gf2048_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        b >>= 1
        a <<= 1
        if a & 0x800:
            a ^= 0x805
    return r


def words_check(values):
    """True when sum(c_i) == 0 and sum(c_i * alpha^i) == 0 in GF(2^11), alpha = x = 2."""
    s0 = 0
    s1 = 0
    power = 1
    for v in values:
        s0 ^= v
        s1 ^= gf2048_mul(v, power)
        power = gf2048_mul(power, 2)
    return s0 == 0 and s1 == 0


# --- share sheet -> envelope ---

def read_bytes(path, what):
    """The file's bytes, or a one-line error naming the file (never a traceback)."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        fail("%s: no such file (expected %s)" % (path, what))
    except OSError as e:
        fail("%s: cannot read %s: %s" % (path, what, e.strerror or e))


def read_share(path, prefixes, words):
    raw = read_bytes(path, "a share: the custodian's words sheet, or their decrypted age file")
    if raw.startswith(b"age-encryption.org/") or raw.startswith(b"-----BEGIN AGE ENCRYPTED FILE-----"):
        fail("%s is an age file: decrypt it first (age -d -o SHARE %s, with the custodian's passphrase)" % (path, path))
    if len(raw) == ENVELOPE_BYTES and raw[0] == 1:
        # What `age -d` gives for a file share: the 48 envelope bytes themselves.
        return parse_envelope(path, raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        fail("%s: neither a words sheet nor a %d-byte share envelope" % (path, ENVELOPE_BYTES))
    tokens = []
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        for tok in line.replace(",", " ").replace(";", " ").split():
            if tok.rstrip(".):").isdigit():
                continue  # the word numbers on the sheet
            tokens.append(tok.lower())
    if len(tokens) != SHARE_WORDS:
        fail("%s: expected %d words, found %d" % (path, SHARE_WORDS, len(tokens)))
    values = []
    for n, tok in enumerate(tokens, 1):
        idx = prefixes.get(tok[:4])
        if idx is None or not words[idx].startswith(tok) or len(tok) < min(4, len(words[idx])):
            fail("%s: word %d is not in the word list" % (path, n))
        values.append(idx)
    if not words_check(values):
        fail("%s: the words do not check out (a word is wrong or two are swapped)" % path)
    # 35 data words of 11 bits, big-endian, then drop the single padding bit.
    bits = 0
    for v in values[:DATA_WORDS]:
        bits = (bits << 11) | v
    pad = DATA_WORDS * 11 - ENVELOPE_BYTES * 8
    if bits & ((1 << pad) - 1):
        fail("%s: padding bits are not zero" % path)
    return parse_envelope(path, (bits >> pad).to_bytes(ENVELOPE_BYTES, "big"))


def parse_envelope(path, env):
    if env[0] != 1:
        fail("%s: unknown envelope version %d" % (path, env[0]))
    if hashlib.sha256(env[:44]).digest()[:4] != env[44:48]:
        fail("%s: envelope checksum does not match" % path)
    return {
        "path": path,
        "ceremony_tag": env[1:5].hex(),
        "split_id": env[5:9].hex(),
        "k": env[9],
        "n": env[10],
        "y": env[11:43],   # 32 bytes: the share's value for each byte of the key
        "x": env[43],      # the share's x coordinate
    }


# --- GF(2^8) Lagrange interpolation, the field of shamir-secret-sharing (and HashiCorp Vault):
#     AES polynomial x^8 + x^4 + x^3 + x + 1 (0x11b). Addition is XOR. ---

def gf256_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        b >>= 1
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
    return r


def gf256_inv(a):
    # a^254 = a^-1, since every non-zero a satisfies a^255 = 1.
    r = 1
    for _ in range(254):
        r = gf256_mul(r, a)
    return r


def combine(shares):
    """Value at x = 0 of the polynomial through the shares, byte by byte (Lagrange)."""
    xs = [s["x"] for s in shares]
    secret = bytearray(32)
    for i, si in enumerate(shares):
        # basis_i(0) = prod_{j != i} x_j / (x_i - x_j); minus is XOR in GF(2^8).
        basis = 1
        for j, xj in enumerate(xs):
            if j != i:
                basis = gf256_mul(basis, gf256_mul(xj, gf256_inv(xs[i] ^ xj)))
        for b in range(32):
            secret[b] ^= gf256_mul(si["y"][b], basis)
    return bytes(secret)


def main():
    ap = argparse.ArgumentParser(description="Rebuild a Keyrite backup wrapping key from share files.")
    ap.add_argument("--backup", help="backup.json: check the rebuilt key against its commitment")
    ap.add_argument("--write-wrapped", help="write the wrapped private key (RFC 5649 blob) here")
    ap.add_argument("--write-spki", help="write the recorded public key (DER SPKI) here")
    ap.add_argument("shares", nargs="+", help="share files (words)")
    args = ap.parse_args()

    prefixes, words = load_wordlist()
    shares = [read_share(p, prefixes, words) for p in args.shares]
    first = shares[0]
    for s in shares:
        if (s["ceremony_tag"], s["split_id"], s["k"], s["n"]) != (first["ceremony_tag"], first["split_id"], first["k"], first["n"]):
            fail("%s is from a different backup or split than %s" % (s["path"], first["path"]))
    if len({s["x"] for s in shares}) != len(shares):
        fail("the same share was given twice")
    if len(shares) < first["k"]:
        fail("%d shares given; this split needs %d" % (len(shares), first["k"]))
    key = combine(shares[: first["k"]])

    if args.backup:
        try:
            backup = json.loads(read_bytes(args.backup, "backup.json").decode("utf-8"))
        except ValueError:
            fail("%s is not a Keyrite backup file (not JSON)" % args.backup)
        if not isinstance(backup, dict) or "split" not in backup or "sealed" not in backup:
            fail("%s is not a Keyrite backup file" % args.backup)
        if backup["split"]["id"] != first["split_id"]:
            fail("the shares are from split %s, the backup file's split is %s" % (first["split_id"], backup["split"]["id"]))
        tag = b"keyrite.backup.v1 wrapping-key-commitment"
        if hashlib.sha256(tag + b"\x00" + key).hexdigest() != backup["sealed"]["wrapping"]["keyCommitment"]:
            fail("the rebuilt key does not match the backup's commitment: a share is wrong")
        if args.write_wrapped:
            with open(args.write_wrapped, "wb") as f:
                f.write(base64.b64decode(backup["sealed"]["wrapping"]["wrappedKey"]))
        if args.write_spki:
            with open(args.write_spki, "wb") as f:
                f.write(base64.b64decode(backup["sealed"]["key"]["spki"]))
    elif args.write_wrapped or args.write_spki:
        fail("--write-wrapped and --write-spki need --backup")

    sys.stdout.write(key.hex() + "\n")


if __name__ == "__main__":
    main()
