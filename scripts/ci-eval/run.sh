#!/bin/sh
# run.sh PEDIGREE OUT FINDINGS: scan each extracted repository with the
# given pedigree binary; JSON findings, one per line, to FINDINGS.
set -u
bin=$1
out=$2
res=$3
: >"$res"
for d in "$out"/*/; do
	"$bin" ci scan --json "$d" >>"$res" 2>/dev/null
done
