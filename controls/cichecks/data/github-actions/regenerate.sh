#!/bin/sh
# Replaces the shipped GitHub Actions advisories with osv.dev's current
# export of the ecosystem, and rewrites snapshot.yaml and SOURCES.md to
# match. Needs network and python3; run by hand for a release, review the
# diff, then run the tests (they never reach the network). An argument
# names another export of the same form (a URL curl reads).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
url=${1:-'https://osv-vulnerabilities.storage.googleapis.com/GitHub%20Actions/all.zip'}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
curl -fsSL --retry 3 -o "$tmp/all.zip" "$url"
mkdir "$tmp/x"
unzip -q "$tmp/all.zip" -d "$tmp/x"
n=$(find "$tmp/x" -maxdepth 1 -name '*.json' | wc -l)
[ "$n" -gt 0 ] || { echo "regenerate.sh: $url held no records" >&2; exit 1; }
find "$here" -maxdepth 1 -name '*.json' -delete
cp "$tmp"/x/*.json "$here"/
day=$(date -u +%Y-%m-%d)
sha=$(sha256sum "$tmp/all.zip" | cut -d' ' -f1)
cat > "$here/snapshot.yaml" <<YAML
# What the embedded records are; SOURCES.md gives each record's origin.
source: "GitHub Advisory Database, OSV records of the GitHub Actions ecosystem, from osv.dev's export ($url, sha256 $sha)"
date: "$day"
records: $n
YAML
python3 - "$here" "$url" "$day" "$sha" <<'PY'
import glob, json, os, sys
here, url, day, sha = sys.argv[1:5]
rows = []
for f in sorted(glob.glob(os.path.join(here, "*.json"))):
    r = json.load(open(f))
    names = sorted({a.get("package", {}).get("name", "") for a in r.get("affected", [])})
    rows.append("| %s | `%s` | %s | %s | osv.dev export |" % (r["id"], ", ".join(names), r.get("published", "")[:10], r.get("modified", "")[:10]))
with open(os.path.join(here, "SOURCES.md"), "w") as out:
    out.write("# GitHub Actions advisories shipped with pedigree\n\n")
    out.write("The default data of the `known-vulnerable-action` rule: every OSV record of\n")
    out.write("the `GitHub Actions` ecosystem in osv.dev's export (%s, sha256\n%s), downloaded %s by `regenerate.sh`, each file as exported. The\n" % (url, sha, day))
    out.write("records are the GitHub Advisory Database's, published under CC-BY 4.0\n")
    out.write("(<https://github.com/github/advisory-database/blob/main/LICENSE.md>).\n\n")
    out.write("## Records (%d, read %s)\n\n| advisory | action | published | modified | read from |\n| --- | --- | --- | --- | --- |\n" % (len(rows), day))
    out.write("\n".join(rows) + "\n")
PY
echo "regenerate.sh: $n records from $url" >&2
