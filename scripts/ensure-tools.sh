#!/usr/bin/env bash
# Installs what makeitstick needs beside the Rust toolchain, skipping what is already there:
#   typst 0.15.1 (from crates.io; about ten minutes to build the first time)
#   pdftotext/pdftoppm (Debian's poppler-utils; only for the test suite, with --test-tools)
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
