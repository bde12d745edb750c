#!/bin/sh
# install-chromium.sh installs Debian's chromium for the HTML report's browser
# tests when no Chromium is on PATH. It needs root (or sudo) and apt; where
# neither is available it says so and exits 0, and the tests skip with a
# message naming this script.
set -eu

for b in chromium chromium-browser google-chrome headless-shell; do
	if command -v "$b" >/dev/null 2>&1; then
		echo "install-chromium: $b already installed: $(command -v "$b")"
		exit 0
	fi
done

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
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
echo "install-chromium: installed $(command -v chromium)"
