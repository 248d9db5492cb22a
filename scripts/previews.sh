#!/usr/bin/env bash
# Renders every page of the sample report to docs/sample-report-N.png (60 dpi), and the first
# two pages of the printable questionnaire (standard and easy-read) to docs/questionnaire-*.png:
# the previews the README shows. Run it after changing the template or charts.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v pdftoppm >/dev/null || { echo "error: pdftoppm is missing (apt-get install poppler-utils)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo run --release --quiet -- report sample-data/northshire-staying-close-2026-q3.xlsx \
  --organisation "Northshire County Council" \
  --innovation "Staying Close Northshire" \
  -o "$work/sample-report.pdf"
pdftoppm -png -r 60 "$work/sample-report.pdf" "$work/page"
rm -f docs/sample-report-*.png
for page in "$work"/page-*.png; do
  number="${page##*-}"          # 07.png
  number="${number%.png}"       # 07
  cp "$page" "docs/sample-report-$((10#$number)).png"
done
echo "wrote $(ls docs/sample-report-*.png | wc -l) previews to docs/"

# The printable questionnaire's first two pages, standard and easy-read.
cargo run --release --quiet -- questionnaire -o "$work/questionnaire" --easy-read
cargo run --release --quiet -- questionnaire -o "$work/questionnaire"
rm -f docs/questionnaire-*.png
for variant in questionnaire questionnaire-easy-read; do
  pdftoppm -png -r 60 -f 1 -l 2 "$work/questionnaire/$variant.pdf" "$work/$variant"
  for page in "$work/$variant"-*.png; do
    number="${page##*-}"
    number="${number%.png}"
    cp "$page" "docs/$variant-$((10#$number)).png"
  done
done
echo "wrote $(ls docs/questionnaire-*.png | wc -l) questionnaire previews to docs/"
