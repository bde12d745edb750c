#!/bin/sh
# install-chromium.sh installs from Debian the programs the report tests open
# pedigree's reports with, those that are missing: chromium (the HTML page,
# Heimdall Lite), LibreOffice Calc (XLSX printing, CSV import), poppler-utils
# (pdfinfo) and python3-openpyxl (read-only XLSX). It needs root (or sudo)
# and apt; where neither is available it says so and exits 0, and the tests
# skip with a message naming this script.
set -eu

want=""
have_any() { for b in "$@"; do command -v "$b" >/dev/null 2>&1 && return 0; done; return 1; }
have_any chromium chromium-browser google-chrome headless-shell || want="$want chromium fonts-liberation"
have_any soffice libreoffice || want="$want libreoffice-calc-nogui"
have_any pdfinfo || want="$want poppler-utils"
/usr/bin/python3 -c "import openpyxl" >/dev/null 2>&1 || want="$want python3-openpyxl"
if [ -z "$want" ]; then
	echo "install-chromium: chromium, LibreOffice, pdfinfo and openpyxl already installed"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: apt-get not found; install Chromium by hand to run the HTML browser tests" >&2
	exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "install-chromium: not root and no sudo; cannot install chromium" >&2
		exit 0
	fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $want >/dev/null
echo "install-chromium: installed$want"
