#!/bin/sh
# install-postgresql.sh makes PostgreSQL's server binaries (initdb, pg_ctl,
# postgres) available for the tests of pedigree serve, which start a
# throwaway cluster of their own; no server is left running. It prints the
# folder to put on PATH. Where it cannot install (no apt, not root), it says
# so and exits 0, and those tests skip with a message.
set -eu

if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
	dirname "$(command -v initdb)"
	exit 0
fi
for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ]; then
		echo "$d"
		exit 0
	fi
done
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-postgresql: apt-get not found; install PostgreSQL's server binaries to run the PostgreSQL tests" >&2
	exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-postgresql: not root and no sudo; cannot install PostgreSQL" >&2
		exit 0
	fi
fi
export DEBIAN_FRONTEND=noninteractive
# Debian's package starts a cluster of its own; the tests do not use it.
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 || {
	echo "install-postgresql: apt-get install postgresql failed" >&2
	exit 0
}
for d in /usr/lib/postgresql/*/bin; do
	if [ -x "$d/initdb" ]; then
		echo "install-postgresql: installed $d" >&2
		echo "$d"
		exit 0
	fi
done
