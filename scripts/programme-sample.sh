#!/usr/bin/env bash
# Sets up (typst included) and builds the sample programme's reports: every site's report and the
# programme's report, from a copy of sample-data/programme in target/programme-sample, so the
# repository stays clean. Regenerates nothing: the sample is sample-data/programme as committed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
repo=$(pwd)
copy=target/programme-sample
rm -rf "$copy"
mkdir -p target
cp -R sample-data/programme "$copy"
(cd "$copy" && cargo run --release --quiet --manifest-path "$repo/Cargo.toml" -- report)
for pdf in "$copy"/reports/*.pdf; do echo "open $pdf (the programme report)"; done
echo "each site's report, with its figures as JSON and CSV: $copy/reports/sites/"
