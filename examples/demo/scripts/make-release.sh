#!/usr/bin/env bash
# Rebuilds the demo release artifacts byte for byte (fixed mtimes, owners and
# order, gzip without names or times), then the checksum lists. The Windows
# zip is altered after SHA256SUMS is written, as a tampered download would
# be, so the demo shows a digest mismatch.
set -euo pipefail
cd "$(dirname "$0")/../release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for platform in linux_amd64 darwin_arm64; do
  mkdir -p "$work/$platform"
  printf '#!/bin/sh\necho "pedigree-demo 1.0.0 (%s)"\n' "$platform" > "$work/$platform/pedigree-demo"
  printf 'pedigree-demo is an example payload for pedigree.\n' > "$work/$platform/README.txt"
  chmod 0755 "$work/$platform/pedigree-demo"
  tar --sort=name --mtime='2026-01-15 00:00:00Z' --owner=0 --group=0 --numeric-owner \
      -C "$work/$platform" -cf - pedigree-demo README.txt | gzip -n -9 > "pedigree-demo_1.0.0_${platform}.tar.gz"
done
printf 'MZ pedigree-demo 1.0.0 windows_amd64 (example payload)\n' > "$work/pedigree-demo.exe"
touch -d '2026-01-15 00:00:00Z' "$work/pedigree-demo.exe"
rm -f pedigree-demo_1.0.0_windows_amd64.zip
(cd "$work" && TZ=UTC zip -X -q "$OLDPWD/pedigree-demo_1.0.0_windows_amd64.zip" pedigree-demo.exe)
sha256sum pedigree-demo_1.0.0_*.tar.gz pedigree-demo_1.0.0_*.zip > SHA256SUMS
sha512sum pedigree-demo_1.0.0_linux_amd64.tar.gz > pedigree-demo_1.0.0_linux_amd64.tar.gz.sha512
# The tampering: one byte appended to the zip after the list was made.
printf '\n' >> pedigree-demo_1.0.0_windows_amd64.zip
