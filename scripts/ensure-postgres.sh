#!/usr/bin/env bash
# Make sure PostgreSQL server binaries (initdb, pg_ctl) exist, for the ledger's PostgreSQL tests.
# Idempotent and quiet on success: does nothing when they are already installed.
# The tests start their own throw-away cluster; this script never starts a server itself.
set -euo pipefail

find_initdb() {
  if command -v initdb >/dev/null 2>&1; then
    return 0
  fi
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if find_initdb; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-postgres: no initdb found and no apt-get; install the PostgreSQL server binaries" >&2
  exit 1
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo -n)
  else
    echo "ensure-postgres: need root (or sudo) to apt-get install postgresql" >&2
    exit 1
  fi
fi

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && \
       "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } \
       >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-postgres: apt-get install postgresql failed" >&2
  exit 1
fi

if ! find_initdb; then
  echo "ensure-postgres: postgresql installed but initdb still not found" >&2
  exit 1
fi
