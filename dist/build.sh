#!/usr/bin/env bash
# Release archives: dist/build.sh [windows|linux|all] (default all) writes
#   dist/out/packet-<version>-windows-x86_64.zip     packet.exe (x86_64-pc-windows-gnu)
#   dist/out/packet-<version>-linux-x86_64.tar.gz    packet, static (x86_64-unknown-linux-musl)
# each with README.txt (Chinese), the licenses (TW-Kai; the crates' gathered by
# cargo-about) and the example series with their editor schemas.
#
# Built with the size profile `dist` (Cargo.toml: strip, fat LTO, codegen-units = 1), in
# $CARGO_TARGET_DIR (default target/). A first build compiles every crate for the target:
# about 25–40 minutes on 2 cores; later ones only the LTO link of packet.
# Needs (installed when missing, as root): the rustup targets, gcc-mingw-w64-x86-64
# (Windows linker), musl-tools (C parts of dependencies for musl), cargo-about.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
case $what in windows|linux|all) ;; *) echo "用法：dist/build.sh [windows|linux|all]" >&2; exit 2 ;; esac

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
target_dir=${CARGO_TARGET_DIR:-$root/target}
out=$root/dist/out
mkdir -p "$out"

need_apt() { # package, command it provides
  command -v "$2" >/dev/null && return
  [ "$(id -u)" -eq 0 ] || { echo "dist/build.sh: 需要 $1（sudo apt-get install $1）" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$1"
}
need_target() { rustup target list --installed | grep -qx "$1" || rustup target add "$1"; }
command -v cargo-about >/dev/null || cargo install --locked --features cli cargo-about

# The crates' licenses for both targets (only what the binaries link), made once per
# Cargo.lock and kept in the target folder: the license scan takes minutes.
licenses() { # target, file
  local cached
  cached=$target_dir/dist-licenses-$(sha256sum Cargo.lock dist/about.toml dist/about.hbs | sha256sum | cut -c1-16).html
  if [ ! -s "$cached" ]; then
    cargo about generate --locked --fail --target x86_64-pc-windows-gnu --target x86_64-unknown-linux-musl \
      -c dist/about.toml dist/about.hbs -o "$cached.tmp" && mv "$cached.tmp" "$cached"
  fi
  cp "$cached" "$2"
}

# The files every archive holds beside the binary, in $1.
stage_common() { # dir, target, line ending (crlf|lf)
  local dir=$1
  mkdir -p "$dir/licenses" "$dir/examples"
  sed "s/{VERSION}/$version/g" dist/README.txt >"$dir/README.txt"
  cp fonts/LICENSE-TW-Kai.txt "$dir/licenses/TW-Kai.txt"
  cp fonts/LICENSE-LiberationSerif.txt "$dir/licenses/LiberationSerif.txt"
  licenses "$2" "$dir/licenses/third-party.html"
  for series in dgbas demo; do
    cp -r "packets/$series" "$dir/examples/$series"
  done
  # Editors find the schemas from each file's first line (as packet init writes it).
  cargo run --locked --quiet -- schema --out "$dir/examples/dgbas" 2>/dev/null
  cargo run --locked --quiet -- schema --out "$dir/examples/demo" 2>/dev/null
  local f
  for f in "$dir"/examples/*/group.toml; do sed -i '1i #:schema ./group.schema.json' "$f"; done
  for f in "$dir"/examples/*/*/meeting.toml; do sed -i '1i #:schema ../meeting.schema.json' "$f"; done
  if [ "$3" = crlf ]; then # Notepad-friendly text
    for f in "$dir/README.txt" "$dir/licenses/TW-Kai.txt" "$dir/licenses/LiberationSerif.txt"; do sed -i 's/\r\?$/\r/' "$f"; done
  fi
  # Same bytes for the same input: fixed times.
  find "$dir" -exec touch -h -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct)}" {} +
}

build() { # target
  cargo build --locked --profile dist --target "$1"
}

report() { # archive, binary
  printf '%s: %s bytes (binary %s bytes)\n' "${1#"$root"/}" "$(stat -c %s "$1")" "$(stat -c %s "$2")"
}

if [ "$what" = windows ] || [ "$what" = all ]; then
  need_target x86_64-pc-windows-gnu
  need_apt gcc-mingw-w64-x86-64 x86_64-w64-mingw32-gcc
  build x86_64-pc-windows-gnu
  name=packet-$version-windows-x86_64
  stage=$(mktemp -d)/$name
  mkdir -p "$stage"
  cp "$target_dir/x86_64-pc-windows-gnu/dist/packet.exe" "$stage/"
  stage_common "$stage" x86_64-pc-windows-gnu crlf
  rm -f "$out/$name.zip"
  # Python's zipfile marks non-ASCII names as UTF-8 (flag bit 11), which Windows
  # Explorer reads; entries sorted, so the archive is reproducible.
  (cd "$(dirname "$stage")" && python3 - "$out/$name.zip" "$name" <<'EOF'
import os, sys, zipfile
dest, top = sys.argv[1], sys.argv[2]
paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(top) for f in fs)
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for p in paths:
        z.write(p)
EOF
  )
  report "$out/$name.zip" "$stage/packet.exe"
  rm -rf "$(dirname "$stage")"
fi

if [ "$what" = linux ] || [ "$what" = all ]; then
  need_target x86_64-unknown-linux-musl
  need_apt musl-tools musl-gcc
  build x86_64-unknown-linux-musl
  name=packet-$version-linux-x86_64
  stage=$(mktemp -d)/$name
  mkdir -p "$stage"
  cp "$target_dir/x86_64-unknown-linux-musl/dist/packet" "$stage/"
  stage_common "$stage" x86_64-unknown-linux-musl lf
  tar --sort=name --owner=0 --group=0 --numeric-owner -C "$(dirname "$stage")" -cf - "$name" | gzip -9n >"$out/$name.tar.gz"
  report "$out/$name.tar.gz" "$stage/packet"
  rm -rf "$(dirname "$stage")"
fi
