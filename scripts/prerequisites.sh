#!/usr/bin/env bash
# What podium's tests need from the system, in one list for `make test` and .ci/run:
# Debian's Chromium for the browser tests (never a downloaded browser build), DejaVu
# fonts for the pages they render, poppler's pdftotext and pdftoppm to read the PDFs.
# Installs them where it can (root and apt-get, as on CI); elsewhere stops at once
# with the one command to run.
set -euo pipefail

PACKAGES="chromium fonts-dejavu-core poppler-utils"
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

missing() {
  command -v chromium >/dev/null 2>&1 || return 0
  command -v pdftotext >/dev/null 2>&1 || return 0
  command -v pdftoppm >/dev/null 2>&1 || return 0
  [ -e "$FONT" ] || return 0
  return 1
}

missing || exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing what the tests need: $PACKAGES" >&2
  apt-get update -qq
  # shellcheck disable=SC2086  # the list is words on purpose
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  missing || exit 0
  echo "Still missing after apt-get install $PACKAGES: see the messages above." >&2
  exit 1
fi

echo "The tests need Chromium, the DejaVu fonts and poppler's pdftotext. Run:" >&2
echo "    sudo apt-get install -y $PACKAGES" >&2
echo "then make test again." >&2
exit 1
