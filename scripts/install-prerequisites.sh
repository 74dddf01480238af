#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian machine of this kind: apt packages
# (when run as root; otherwise it says what is missing). Each package is named next to its reason.
# Usage: scripts/install-prerequisites.sh [package...]   (no arguments: everything the tests use)
set -euo pipefail
packages=("$@")
if [ ${#packages[@]} -eq 0 ]; then
  packages=(
    maven        # the build
    openssl      # the KMS import test wraps key material with openssl pkeyutl, as AWS's import guide does
    awscli       # aws kms / aws iam drive a running Coffer in the gateway's integration tests
    softhsm2     # the PKCS#11 HSM the KMS integration tests run against (Pkcs11HsmIT, scripts/softhsm.sh)
    opensc       # pkcs11-tool: the HSM tests read key attributes (sensitive, extractable) from outside the JVM
    libnbd-bin   # nbdinfo, nbdcopy and nbdfuse: the NBD tests attach volumes with real clients
    nbdkit       # the volume benchmarks' plaintext NBD reference server, and its luks filter as a second LUKS peer
    qemu-utils   # qemu-img / qemu-io / qemu-nbd: NBD client tests, and the LUKS reference server in benchmarks
    fio          # fio's nbd engine: NBD client tests and the volume benchmarks
    fuse3        # nbdfuse needs it: the worked example mounts a volume as ext4 (nbdfuse -> losetup -> mount)
    e2fsprogs    # mkfs.ext4 and e2fsck for the ext4 mount test
  )
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "coffer: missing packages: ${missing[*]}. Install them (apt-get install ${missing[*]}) or run as root." >&2
  exit 1
fi
echo "coffer: installing ${missing[*]}..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2 || true
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
