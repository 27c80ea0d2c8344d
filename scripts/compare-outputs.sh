#!/usr/bin/env bash
# Every output of every command on every example series, for comparing two builds of packet
# (a refactoring must not change a byte): packets/dgbas, demo and record.
#
#   bash scripts/compare-outputs.sh run DIR [BINARY]   # writes every output into DIR (new)
#   bash scripts/compare-outputs.sh diff A B           # compares two such folders
#
# run: BINARY defaults to target/debug/packet (built first with `cargo build --locked`).
# SOURCE_DATE_EPOCH and PACKET_TODAY are fixed, the commands run on a copy of packets/ in a
# scratch folder whose path is replaced by <work> in what they print (and the seconds a build
# took by …); each command's
# stdout, stderr and exit status are kept as DIR/log/<name>.{out,err,status}.
# diff: files compared byte for byte (PDFs included); a zip or .odt that differs is
# unpacked and compared by content (the names and bytes of its members), so a change of a
# zip's timestamps alone is reported as such. Exit 0 when both folders hold the same.
#
# Typical use (the lead, after merging):
#   git stash -u; git checkout <before>; cargo build --locked
#   bash scripts/compare-outputs.sh run /tmp/before
#   git checkout <after>; cargo build --locked
#   bash scripts/compare-outputs.sh run /tmp/after
#   bash scripts/compare-outputs.sh diff /tmp/before /tmp/after
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"

run() {
  local dir="$1" bin="${2:-$repo/target/debug/packet}"
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  [ -x "$bin" ] || { echo "compare-outputs: no binary $bin (cargo build --locked)" >&2; exit 2; }
  [ -e "$dir" ] && { echo "compare-outputs: $dir exists; give a new folder" >&2; exit 2; }
  mkdir -p "$dir/log"
  dir="$(cd "$dir" && pwd)"
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/packet-compare.XXXXXX")"
  cp -r "$repo/packets" "$work/packets"
  cd "$work"
  export SOURCE_DATE_EPOCH=1717200000 PACKET_TODAY=2026-06-02
  export NO_COLOR=1 LC_ALL=C.UTF-8 TZ=UTC

  # p NAME ARGS...: run packet, keep what it prints and its exit status.
  p() {
    local name="$1"
    shift
    local status=0
    "$bin" "$@" >"$dir/log/$name.out" 2>"$dir/log/$name.err" || status=$?
    echo "$status" >"$dir/log/$name.status"
    # The scratch folder's path, and the time a build took (已產生 …（2 頁，147 KB，0.39 秒）).
    sed -i -E "s|$work|<work>|g; s/[0-9]+\.[0-9]+ 秒/… 秒/g" "$dir/log/$name.out" "$dir/log/$name.err"
  }

  p help --help
  p start-guide
  for cmd in build minutes deadlines check export schema watch serve new tracking init completions; do
    p "help-$cmd" help "$cmd"
  done
  p schema schema
  p schema-export schema --export
  p schema-out schema --out out/schemas
  for shell in bash powershell zsh fish elvish; do p "completions-$shell" completions "$shell"; done
  for date in 2024-04-29 113-10-15 113/4/29 113年4月29日 2023-11-28 2026-02-16; do
    local tag="${date//\//-}"
    p "deadlines-$tag" deadlines "$date"
    p "deadlines-$tag-json" deadlines "$date" --json
  done
  p deadlines-draft-days deadlines 2024-04-29 --draft-days 7 --json

  for series in dgbas demo record; do
    p "$series-build-series" build "packets/$series" -o "out/$series-series" -q
    p "$series-build-series-odt" build "packets/$series" -o "out/$series-series-odt" -q --odt
    p "$series-tracking" tracking "packets/$series"
    p "$series-tracking-csv" tracking "packets/$series" --csv
    p "$series-tracking-json" tracking "packets/$series" --json
    p "$series-export-series-dir" export "packets/$series" -o "out/$series-dataset/" -q
    p "$series-export-series-draft" export "packets/$series" -o "out/$series-dataset-draft.zip" --allow-draft -q
    p "$series-export-series-zip" export "packets/$series" -o "out/$series-dataset.zip" -q
    for m in packets/"$series"/*/; do
      m="${m%/}"
      local id="$series-$(basename "$m")"
      p "$id-build" build "$m" -o "out/$id" -q
      p "$id-build-odt-typst" build "$m" -o "out/$id-odt" --odt --typst -q
      p "$id-build-none" build "$m" -o "out/$id-none" --pdf-standard none -q
      p "$id-build-default-out" build "$m/meeting.toml"
      p "$id-minutes" minutes "$m" -o "out/$id" --odt -q
      p "$id-minutes-typst" minutes "$m" -o "out/$id-typst" --typst -q
      p "$id-minutes-draft" minutes "$m" -o "out/$id-draft" --draft --odt -q
      p "$id-minutes-internal" minutes "$m" -o "out/$id-internal" --internal --odt -q
      p "$id-minutes-default-out" minutes "$m"
      p "$id-check" check "$m"
      p "$id-check-json" check "$m" --json
      p "$id-export" export "$m" -o "out/$id-export.zip" -q
      p "$id-export-draft" export "$m" -o "out/$id-export-draft.zip" --allow-draft -q
      p "$id-export-dir" export "$m" -o "out/$id-export/" --allow-draft -q
    done
    # Commands that write into the series: on a copy of their own.
    cp -r "packets/$series" "new-$series"
    p "$series-new" new "new-$series" --date 2025-03-11
    p "$series-new-again" new "new-$series" --date 2025-03-11
    p "$series-schema-out" schema --out "new-$series"
    mv "new-$series" "out/$series-new"
  done
  p init init out/init --agency 行政院主計總處
  p init-build build out/init/115-1 -o out/init-build -q
  p init-check check out/init/115-1

  mv out "$dir/out"
  cd /
  rm -rf "$work"
  echo "compare-outputs: $(find "$dir" -type f | wc -l) files in $dir"
}

# Compare one file pair; prints what differs, returns 1 when it does.
same_file() {
  local a="$1" b="$2"
  cmp -s "$a" "$b" && return 0
  case "$a" in
    *.zip | *.odt)
      local ua ub
      ua="$(mktemp -d)" ub="$(mktemp -d)"
      (cd "$ua" && unzip -qq "$a") && (cd "$ub" && unzip -qq "$b")
      if diff -r "$ua" "$ub" >/dev/null; then
        echo "same content, other zip bytes (timestamps or order): $a"
        rm -rf "$ua" "$ub"
        return 1
      fi
      echo "differs: $a"
      diff -r "$ua" "$ub" | head -20
      rm -rf "$ua" "$ub"
      ;;
    *.pdf) echo "differs (PDF, byte for byte): $a" ;;
    *)
      echo "differs: $a"
      diff "$a" "$b" | head -20
      ;;
  esac
  return 1
}

compare() {
  local a b
  a="$(cd "$1" && pwd)" b="$(cd "$2" && pwd)"
  local bad=0 n=0
  local only
  only="$(diff <(cd "$a" && find . -type f | sed "s|^\./||" | sort) <(cd "$b" && find . -type f | sed "s|^\./||" | sort) || true)"
  if [ -n "$only" ]; then
    echo "files in one folder only (< $1, > $2):"
    echo "$only" | grep '^[<>]'
    bad=1
  fi
  while IFS= read -r f; do
    [ -f "$b/$f" ] || continue
    n=$((n + 1))
    same_file "$a/$f" "$b/$f" || bad=1
  done < <(cd "$a" && find . -type f | sed "s|^\./||" | sort)
  if [ "$bad" = 0 ]; then
    echo "compare-outputs: identical, $n files ($(find "$a" -name '*.pdf' | wc -l) PDFs)"
  else
    echo "compare-outputs: DIFFERENT (of $n files compared)"
  fi
  return "$bad"
}

case "${1:-}" in
  run) run "${2:?folder}" "${3:-}" ;;
  diff) compare "${2:?folder A}" "${3:?folder B}" ;;
  *)
    sed -n '2,9p' "$0" >&2
    exit 2
    ;;
esac
