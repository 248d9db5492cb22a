#!/usr/bin/env bash
# Sets up (typst included) and builds the sample report from sample-data/ into sample-report.pdf.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo run --release --quiet -- report sample-data/northshire-staying-close-2026-q3.xlsx \
  --organisation "Northshire County Council" \
  --innovation "Staying Close Northshire" \
  --scores sample-report.json \
  -o sample-report.pdf
echo "open sample-report.pdf (scores in sample-report.json)"
