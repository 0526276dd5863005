#!/bin/sh
# Signs Linux update artifacts for Ratsdesk's updater: for each FILE, writes FILE.sig, the raw 64-byte
# Ed25519 signature over the file's SHA-512 digest. The app verifies it against the public key built into
# it (electron/services/update/update-signature.ts). Used by .github/workflows/release.yml.
#
#   scripts/sign-update.sh PRIVATE_KEY.pem FILE...
#
# Make a key pair once (keep the private key in the repository's secrets only):
#   openssl genpkey -algorithm ed25519 -out update-signing.pem
#   openssl pkey -in update-signing.pem -pubout -out update-signing.pub.pem
set -eu
key=$1
shift
for file in "$@"; do
  digest=$(mktemp)
  openssl dgst -sha512 -binary -out "$digest" "$file"
  openssl pkeyutl -sign -inkey "$key" -rawin -in "$digest" -out "$file.sig"
  rm -f "$digest"
done
