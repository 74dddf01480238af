#!/usr/bin/env bash
# SoftHSM2 tokens for development and tests, in a directory of their own (never the system-wide
# /var/lib/softhsm). SoftHSM reads its configuration file from $SOFTHSM2_CONF once per process, when
# the process first initialises the library: a process that should see these tokens needs the
# variable set before that (export it before starting the JVM; Pkcs11HsmIT sets it in-process
# before its first PKCS#11 call). Tokens created after that point are not visible to the process.
#
# Usage:
#   scripts/softhsm.sh init <dir> <token-label> <user-pin> <so-pin>
#       Writes <dir>/softhsm2.conf (unless it exists) and <dir>/tokens/, initialises a new token with
#       that label in the first free slot, and prints the configuration file's path. Refuses a label
#       that a token in <dir> already has (SoftHSM would accept a duplicate).
#   scripts/softhsm.sh show <dir>
#       Lists the slots and tokens of <dir>.
# The PINs pass on the command line, as softhsm2-util takes them: for development and tests only.
#
# Example (development, then ./coffer serve --hsm pkcs11 ...):
#   export SOFTHSM2_CONF=$(scripts/softhsm.sh init "$HOME/.coffer-softhsm" coffer 1234 5678)
set -euo pipefail

usage() {
  sed -n '8,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

require_softhsm() {
  if ! command -v softhsm2-util >/dev/null 2>&1; then
    echo "softhsm.sh: softhsm2-util not found; run scripts/install-prerequisites.sh (apt package softhsm2)" >&2
    exit 1
  fi
}

token_labels() { # prints the label of every initialised token under $SOFTHSM2_CONF, one a line
  softhsm2-util --show-slots 2>/dev/null \
    | sed -n 's/^ *Label: \{1,\}\(.*[^ ]\) *$/\1/p'
}

cmd="${1:-}"
case "$cmd" in
  init)
    [ $# -eq 5 ] || usage
    dir="$2" label="$3" pin="$4" so_pin="$5"
    require_softhsm
    umask 077
    mkdir -p "$dir/tokens"
    dir="$(cd "$dir" && pwd)"
    conf="$dir/softhsm2.conf"
    if [ ! -f "$conf" ]; then
      cat >"$conf" <<CONF
# Written by scripts/softhsm.sh: SoftHSM2 tokens of this directory only.
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
slots.mechanisms = ALL
library.reset_on_fork = false
CONF
    fi
    export SOFTHSM2_CONF="$conf"
    labels="$(token_labels)"
    if grep -Fxq -- "$label" <<<"$labels"; then
      echo "softhsm.sh: a token labelled '$label' already exists in $dir" >&2
      exit 1
    fi
    softhsm2-util --init-token --free --label "$label" --pin "$pin" --so-pin "$so_pin" >/dev/null
    echo "$conf"
    ;;
  show)
    [ $# -eq 2 ] || usage
    require_softhsm
    SOFTHSM2_CONF="$(cd "$2" && pwd)/softhsm2.conf" softhsm2-util --show-slots
    ;;
  *)
    usage
    ;;
esac
