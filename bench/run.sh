#!/usr/bin/env bash
# Benchmarks for packet (issue "Speed"): prints a table of the five figures with targets.
# Usage: bench/run.sh            (builds release binaries; installs the typst CLI once, cached)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
TOOLS="$PWD/bench/.tools"
if [ ! -x "$TOOLS/bin/typst" ]; then
  echo "installing typst-cli 0.15.1 (same version as the crates) into bench/.tools …" >&2
  cargo install --locked --quiet typst-cli --version 0.15.1 --root "$TOOLS"
fi
exec python3 bench/bench.py --packet target/release/packet --typst "$TOOLS/bin/typst" "$@"
