#!/usr/bin/env bash
# Runs the whole test suite: formatting, lints, unit, CLI and end-to-end PDF tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh --test-tools
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo fmt --all -- --check
cargo clippy --all-targets --quiet -- -D warnings
cargo test --all-targets
