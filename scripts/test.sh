#!/usr/bin/env bash
# The whole test suite, as CI runs it: formatting, vet, staticcheck, the Go
# tests with the race detector, then the quick-start assessment of the
# bundled example with every OSCAL document it writes validated.
# Needs only Go; the tools it uses are installed from the Go module proxy
# into .cache/, and Chromium (for the HTML report's browser test) from
# Debian's packages when it can be.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"
root=$(pwd)
bin="$root/.cache/bin"
mkdir -p "$bin"

STATICCHECK_VERSION=v0.8.2 # staticcheck 2026.2.2

step() { printf '\n== %s\n' "$*"; }

step "gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi

step "go vet"
go vet ./...

step "staticcheck $STATICCHECK_VERSION"
if ! "$bin/staticcheck" -version 2>/dev/null | grep -q "(${STATICCHECK_VERSION#v})"; then
  GOBIN="$bin" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi
"$bin/staticcheck" ./...

step "report readers: Chromium, LibreOffice, openpyxl (Debian), Heimdall Lite, SARIF Multitool (npm)"
if [ -x scripts/install-chromium.sh ]; then
  scripts/install-chromium.sh || echo "the Debian readers could not be installed: their tests will skip and say so"
fi
scripts/install-report-readers.sh || echo "the npm readers could not be installed: their tests will skip and say so"

step "go test -race"
# Tests whose reader program is absent skip and append a line here.
export PEDIGREE_SKIPLOG="$root/.cache/reader-skips.log"
rm -f "$PEDIGREE_SKIPLOG"
go test -race -timeout 30m ./...
if [ -s "$PEDIGREE_SKIPLOG" ]; then
  echo "$(sort -u "$PEDIGREE_SKIPLOG" | wc -l) reader test(s) skipped for want of a reader:"
  sort -u "$PEDIGREE_SKIPLOG" | sed 's/^/  /'
else
  echo "reader tests: none skipped"
fi

step "quick start: assess the bundled example"
go build -o "$bin/pedigree" ./cmd/pedigree
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
set +e
"$bin/pedigree" assess --config examples/demo/pedigree.yaml --out "$out" --quiet
code=$?
set -e
# The example holds a tampered artifact on purpose: exit 1 (a control not
# satisfied) is the expected verdict; 0 would mean a check missed it, 2 an
# input error.
if [ "$code" -ne 1 ]; then
  echo "assess of the example exited $code, want 1"; exit 1
fi
for f in assessment-results.json assessment-plan.json poam.json pedigree.json; do
  [ -s "$out/$f" ] || { echo "missing output $f"; exit 1; }
done
"$bin/pedigree" oscal validate "$out/assessment-results.json" "$out/assessment-plan.json" "$out/poam.json"
echo "quick start: ok"
