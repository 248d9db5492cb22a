#!/usr/bin/env bash
# Installs what makeitstick needs beside the Rust toolchain, skipping what is already there:
#   typst 0.15.1 (from crates.io; about ten minutes to build the first time)
#   pdftotext/pdftoppm (Debian's poppler-utils; only for the test suite, with --test-tools)
#   pyxform and openpyxl (PyPI, a few MB; only for the test suite, only when python3 is there)
# LibreOffice (for the data-entry workbook's re-save test) is not installed here: it is a
# download of hundreds of MB. Install Debian's libreoffice-calc to run that test; without
# soffice it prints a note and skips the re-save.
set -euo pipefail

TYPST_VERSION=0.15.1
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if [ "$(typst --version 2>/dev/null | awk '{print $2}')" != "$TYPST_VERSION" ]; then
  echo "installing typst $TYPST_VERSION (takes about ten minutes, once per machine)" >&2
  cargo install typst-cli --locked --version "$TYPST_VERSION"
fi

if [ "${1:-}" = "--test-tools" ] && ! command -v pdftotext >/dev/null; then
  echo "installing poppler-utils for pdftotext" >&2
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq poppler-utils >/dev/null
  fi
fi

if [ "${1:-}" = "--test-tools" ] && command -v python3 >/dev/null \
   && ! python3 -c "import pyxform, openpyxl" 2>/dev/null; then
  echo "installing pyxform and openpyxl for the questionnaire tests" >&2
  python3 -m pip install --quiet pyxform openpyxl || echo "could not install pyxform/openpyxl; those tests will skip" >&2
fi
