#!/bin/sh
# install-report-readers.sh installs the programs the report tests open
# pedigree's reports with, so that a fresh machine runs them:
#   - Heimdall Lite (npm @mitre/heimdall-lite) for the HDF report,
#   - the SARIF Multitool (npm @microsoft/sarif-multitool) for the SARIF report,
# into .cache/npm (git-ignored), pinned. Chromium, LibreOffice and
# python3-openpyxl come from Debian (scripts/install-chromium.sh installs them
# where it can). Where npm is missing or the registry cannot be reached it
# says so and exits 0: the tests that need a reader skip and name it.
set -eu
cd "$(dirname "$0")/.."
prefix=.cache/npm
HEIMDALL_VERSION=2.12.6
MULTITOOL_VERSION=5.7.0

if ! command -v npm >/dev/null 2>&1; then
	echo "install-report-readers: npm not found; the Heimdall and SARIF Multitool tests will skip" >&2
	exit 0
fi
have() { [ -f "$prefix/node_modules/$1/package.json" ] && grep -q "\"version\": \"$2\"" "$prefix/node_modules/$1/package.json"; }
mkdir -p "$prefix"
[ -f "$prefix/package.json" ] || echo '{"private": true}' >"$prefix/package.json"
# The multitool's platform binary is made executable by its package's install
# script, which --ignore-scripts (below) does not run: set the mode here.
executable() {
	for f in "$prefix"/node_modules/@microsoft/sarif-multitool-*/Sarif.Multitool; do
		[ -f "$f" ] && chmod +x "$f"
	done
	return 0
}
want=""
have @mitre/heimdall-lite "$HEIMDALL_VERSION" || want="$want @mitre/heimdall-lite@$HEIMDALL_VERSION"
have @microsoft/sarif-multitool "$MULTITOOL_VERSION" || want="$want @microsoft/sarif-multitool@$MULTITOOL_VERSION"
if [ -z "$want" ]; then
	executable
	echo "install-report-readers: Heimdall Lite $HEIMDALL_VERSION and SARIF Multitool $MULTITOOL_VERSION already in $prefix"
	exit 0
fi
# --ignore-scripts: nothing from the registry runs at install time; the
# multitool's platform binary comes in as an optional dependency.
# shellcheck disable=SC2086
if ! npm install --prefix "$prefix" --no-audit --no-fund --ignore-scripts --loglevel=error $want; then
	echo "install-report-readers: npm install failed; the Heimdall and SARIF Multitool tests will skip" >&2
	exit 0
fi
executable
echo "install-report-readers: installed$want into $prefix"
