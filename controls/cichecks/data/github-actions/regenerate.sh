#!/bin/sh
# Replaces the shipped GitHub Actions advisories with osv.dev's current
# export of the ecosystem. Needs network; run by hand, then review the diff,
# update SOURCES.md and snapshot.yaml (date, count) and run the tests.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
url='https://osv-vulnerabilities.storage.googleapis.com/GitHub%20Actions/all.zip'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/all.zip" "$url"
mkdir "$tmp/x"
unzip -q "$tmp/all.zip" -d "$tmp/x"
n=$(find "$tmp/x" -maxdepth 1 -name '*.json' | wc -l)
[ "$n" -gt 0 ] || { echo "regenerate.sh: $url held no records" >&2; exit 1; }
find "$here" -maxdepth 1 -name '*.json' -delete
cp "$tmp"/x/*.json "$here"/
sed -i "s/^date: .*/date: \"$(date -u +%Y-%m-%d)\"/; s/^records: .*/records: $n/" "$here/snapshot.yaml"
echo "regenerate.sh: $n records from $url; now update source: in snapshot.yaml and SOURCES.md" >&2
