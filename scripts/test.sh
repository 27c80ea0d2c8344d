#!/usr/bin/env bash
# The README's test command: install what the tests need (when missing), then run them.
# Used as it is by .ci/run. Extra arguments go to `cargo test` (e.g. a test name).
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
need=()
# The tests read the real PDFs: pdftotext, pdffonts, pdfinfo; qpdf checks their structure.
command -v pdftotext >/dev/null || need+=(poppler-utils)
command -v qpdf >/dev/null || need+=(qpdf)
# Archival tests print CJK Extension B with TW-Kai-Ext-B (全字庫正楷體).
[ -d /usr/share/fonts/truetype/cns11643 ] || need+=(fonts-cns11643-kai)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
# The fuzz tests trace which files the binary opens (nothing outside the series).
command -v strace >/dev/null || need+=(strace)
# The ODF tests open every .odt in LibreOffice (headless) and convert it to PDF
# (about 40 s to install on the development machine).
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
# The browser test of packet serve drives headless Chromium (measured on the project
# machine: apt-get update + chromium + chromium-driver (15 packages) + pip selenium: 44.5 s).
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
# ... and headless Firefox (ESR), driven through geckodriver (built below).
command -v firefox-esr >/dev/null || command -v firefox >/dev/null || need+=(firefox-esr)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: 需要安裝 ${need[*]}（請以 root 執行，或先 sudo apt-get install ${need[*]}）" >&2
    exit 2
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
# The export tests validate the bundle with Frictionless (and its jsonschema); the
# archival tests check PDF/A-2a and PDF/UA-1 with the validator `page`.
command -v frictionless >/dev/null || pip install --quiet frictionless
python3 -c 'import page' 2>/dev/null || pip install --quiet page-validation
# The ODF tests read the structure of each .odt back with odfpy.
python3 -c 'import odf.opendocument' 2>/dev/null || pip install --quiet odfpy
# The editor-schema tests check TOML files with taplo (the engine of VS Code's Even Better
# TOML); its PyPI wheel is the prebuilt CLI.
command -v taplo >/dev/null || pip install --quiet taplo
python3 -c 'import selenium' 2>/dev/null || pip install --quiet selenium
# The calendar invitations (meeting.ics) are read back with a real iCalendar parser.
python3 -c 'import icalendar' 2>/dev/null || pip install --quiet icalendar
# Mozilla's WebDriver server for Firefox is published on crates.io only (no Debian
# package): built once into ~/.cargo/bin (136 s on the 2-core project machine).
command -v geckodriver >/dev/null || [ -x "$HOME/.cargo/bin/geckodriver" ] \
  || cargo install --quiet --locked geckodriver --version 0.37.1

# The editor's page is linted with ESLint (tests/serve.rs), pinned by tests/lint's
# package-lock.json; npm comes with Node.js.
command -v npm >/dev/null || need_npm=1
if [ -n "${need_npm:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test.sh: 需要安裝 npm（請以 root 執行，或先 sudo apt-get install npm）" >&2
    exit 2
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends npm
fi
[ -x tests/lint/node_modules/.bin/eslint ] || npm ci --prefix tests/lint --no-audit --no-fund --silent

cargo --version
cargo fmt --version
cargo clippy --version
pdftotext -v 2>&1 | sed -n 1p   # sed reads to the end: no SIGPIPE under pipefail
frictionless --version

# House rules first (cheap, and a fault here is the submitter's to fix): the formatting of
# rustfmt.toml and clippy's lints ([lints] in Cargo.toml) with every warning an error.
if ! cargo fmt --check >/dev/null; then
  echo "scripts/test.sh: 格式不符 rustfmt.toml（請執行 cargo fmt）；差異如下：" >&2
  cargo fmt --check >&2 || true
  exit 1
fi
if ! cargo clippy --all-targets --locked --quiet -- -D warnings; then
  echo "scripts/test.sh: clippy 有警告（見上方；請修正後再提交）" >&2
  exit 1
fi

cargo test --locked "$@"
