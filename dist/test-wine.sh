#!/usr/bin/env bash
# packet.exe on Windows, under Wine (Debian wine64, headless, a fresh prefix):
#   dist/test-wine.sh [packet.exe]     (default: the dist build of dist/build.sh windows)
# Compares with the Linux build (target/debug/packet, built here if missing) and checks
# what a ministry PC does: backslash paths and drive letters, a Chinese user folder,
# Notepad's CRLF + BOM, a Big5 file named in the error, `packet watch` noticing a save,
# the printed output paths, no ANSI escapes, paths over 260 characters.
# Ends with "N passed, N failed"; exit 1 on any failure. Cost and how to run: README
# (安裝 → Windows 版的測試).
set -uo pipefail
cd "$(dirname "$0")/.."
root=$PWD
exe=${1:-${CARGO_TARGET_DIR:-$root/target}/x86_64-pc-windows-gnu/dist/packet.exe}
[ -f "$exe" ] || { echo "找不到 $exe：請先執行 dist/build.sh windows" >&2; exit 2; }
wine=${WINE:-/usr/lib/wine/wine64}
if [ ! -x "$wine" ]; then
  [ "$(id -u)" -eq 0 ] || { echo "需要 wine64（sudo apt-get install wine64）" >&2; exit 2; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine64
fi
command -v iconv >/dev/null || { echo "需要 iconv（libc-bin）" >&2; exit 2; }
cargo build --locked --quiet
linux=${CARGO_TARGET_DIR:-$root/target}/debug/packet

work=$(mktemp -d)
trap 'WINEPREFIX=$work/prefix "${wine%/*}/wineserver" -k 2>/dev/null; rm -rf "$work"' EXIT
export WINEPREFIX=$work/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
unset SOURCE_DATE_EPOCH
unset DISPLAY
start=$(date +%s)
"$wine" wineboot --init >/dev/null 2>&1
echo "wineboot：$(($(date +%s) - start)) 秒"
cdrive=$WINEPREFIX/drive_c
cp "$exe" "$cdrive/packet.exe"
# Wine 8.0 has no bcryptprimitives.dll (ProcessPrng), which Windows 10+ has and Rust's std
# needs: a stub beside packet.exe, for this test only (dist/wine/).
x86_64-w64-mingw32-gcc -O2 -shared -o "$cdrive/bcryptprimitives.dll" \
  dist/wine/bcryptprimitives.c dist/wine/bcryptprimitives.def -ladvapi32 || exit 2

passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [ $# -gt 1 ] && sed 's/^/    /' <<<"$2"; }
# Run packet.exe with the cwd $1 (a Unix folder inside the prefix); stdout+stderr in $out.
win() {
  local cwd=$1
  shift
  out=$(cd "$cwd" && "$wine" 'C:\packet.exe' "$@" 2>&1)
  status=$?
}

# The reference: the Linux build of the example meeting.
mkdir -p "$work/linux"
cp -r packets/dgbas "$work/linux/dgbas"
(cd "$work/linux" && "$linux" build dgbas/113-1 -o ref -q) || { echo "Linux build failed" >&2; exit 2; }
ref=$work/linux/ref/agenda.pdf

# 1. packet.exe build packets\dgbas\113-1: the same bytes as on Linux.
mkdir -p "$cdrive/work/packets"
cp -r packets/dgbas "$cdrive/work/packets/dgbas"
win "$cdrive/work" build 'packets\dgbas\113-1'
if [ $status -eq 0 ] && cmp -s "$ref" "$cdrive/work/out/dgbas-113-1/agenda.pdf"; then
  pass "agenda.pdf 與 Linux 版位元組相同 ($(stat -c %s "$ref") bytes)"
else
  fail "agenda.pdf 與 Linux 版不同（exit $status）" "$out"
fi
# 2. The printed path is the Windows one, relative as given, and names the file written.
if grep -q '已產生 out\\dgbas-113-1\\agenda.pdf（' <<<"$out"; then pass "印出 out\\dgbas-113-1\\agenda.pdf"; else fail "印出的路徑" "$out"; fi

# 3. A Chinese user folder, by drive letter and backslashes, output there too.
home=$cdrive/users/王小明/文件/諮詢小組
mkdir -p "$home"
cp -r packets/dgbas "$home/dgbas"
win "$cdrive" build 'C:\Users\王小明\文件\諮詢小組\dgbas\113-1' -o 'C:\Users\王小明\文件\諮詢小組\輸出'
if [ $status -eq 0 ] && cmp -s "$ref" "$home/輸出/agenda.pdf" && grep -qF '已產生 C:\Users\王小明\文件\諮詢小組\輸出\agenda.pdf' <<<"$out"; then
  pass "C:\\Users\\王小明\\文件\\諮詢小組：建置、輸出、印出路徑"
else
  fail "中文使用者資料夾（exit $status）" "$out"
fi
# 4. Forward slashes and the Z: drive (Wine's view of /) work as well.
win "$cdrive" build "Z:$(tr / '\\' <<<"$home")\\dgbas\\113-1" -o 'C:/Users/王小明/文件/諮詢小組/z' -q
if [ $status -eq 0 ] && cmp -s "$ref" "$home/z/agenda.pdf"; then pass "Z: 磁碟與 / 分隔"; else fail "Z: 磁碟與 / 分隔（exit $status）" "$out"; fi

# 5. Saved by Notepad: CRLF and a UTF-8 BOM in every TOML file; the same document.
cp -r packets/dgbas "$work/np" && mkdir -p "$cdrive/np" && mv "$work/np" "$cdrive/np/dgbas"
for f in "$cdrive"/np/dgbas/group.toml "$cdrive"/np/dgbas/*/meeting.toml; do
  { printf '\xef\xbb\xbf'; sed 's/$/\r/' "$f"; } >"$f.new" && mv "$f.new" "$f"
done
win "$cdrive/np" build 'dgbas\113-1' -q
if [ $status -eq 0 ] && cmp -s "$ref" "$cdrive/np/out/dgbas-113-1/agenda.pdf"; then pass "記事本存檔（CRLF、UTF-8 BOM）"; else fail "記事本存檔（exit $status）" "$out"; fi
win "$cdrive/np" check 'dgbas\113-1'
if [ $status -le 1 ] && ! grep -q 'BOM\|\\r' <<<"$out"; then pass "記事本存檔：check 無多餘訊息"; else fail "記事本存檔：check（exit $status）" "$out"; fi

# 6. A Big5 (ANSI) file: refused, the file and the encoding named.
cp -r packets/dgbas "$cdrive/b5"
iconv -c -f UTF-8 -t BIG5 packets/dgbas/113-1/meeting.toml >"$cdrive/b5/113-1/meeting.toml"
win "$cdrive" build 'b5\113-1'
if [ $status -eq 2 ] && grep -qF 'b5\113-1\meeting.toml:1:' <<<"$out" && grep -q 'Big5' <<<"$out"; then
  pass "Big5 檔：$(grep Big5 <<<"$out" | head -1)"
else
  fail "Big5 檔（exit $status）" "$out"
fi

# 7. packet watch notices a save (an edit of the title), rebuilds, then exits.
cp -r packets/dgbas "$cdrive/w"
(cd "$cdrive" && timeout 300 "$wine" 'C:\packet.exe' watch 'w\113-1' --max-rebuilds 1 >"$work/watch.log" 2>&1) &
watcher=$!
for _ in $(seq 1 120); do grep -q '已產生' "$work/watch.log" 2>/dev/null && break; sleep 1; done
sleep 2
sed -i '0,/^place = .*/s//place = "行政院第 10 會議室"/' "$cdrive/w/113-1/meeting.toml"
wait $watcher
status=$?
if [ $status -eq 0 ] && grep -q '已重新產生' "$work/watch.log" \
  && pdftotext "$cdrive/out/w-113-1/agenda.pdf" - 2>/dev/null | tr -d ' \n' | grep -q '第10會議室'; then
  pass "packet watch：存檔後重新產生"
else
  fail "packet watch（exit $status）" "$(cat "$work/watch.log")"
fi

# 8. No ANSI escapes: help, an error, findings, a build with progress messages.
esc=0
for args in "--help" "build --bogus" "inti" "check w\\113-1" "build w\\113-1 -o esc"; do
  # shellcheck disable=SC2086
  win "$cdrive" $args
  [ $status -le 2 ] || { esc=1; fail "packet $args 無法執行（exit $status）" "$out"; }
  grep -q $'\e' <<<"$out" && { esc=1; fail "ANSI escape：packet $args" "$(cat -v <<<"$out" | head -5)"; }
done
[ $esc -eq 0 ] && pass "無 ANSI 控制碼（--help、錯誤、檢核、建置）"

# 9. Paths longer than 260 characters (MAX_PATH): the output folder past 290, the series
# in a folder of ~180. (Input files beyond MAX_PATH fail under Wine 8 alone: its
# GetFinalPathNameByHandleW, behind std::fs::canonicalize, returns ERROR_MORE_DATA there,
# and packet canonicalizes the series and every attachment; Windows has no such limit.)
deep=$cdrive/long
for i in $(seq 1 8); do deep=$deep/第${i}層資料夾名稱很長很長很長很長很長很長; done
mkdir -p "$deep" && cp -r packets/dgbas "$deep/dgbas"
windeep="C:$(tr / '\\' <<<"${deep#"$cdrive"}")"
winout="$windeep\\輸出資料夾名稱也很長很長很長很長很長很長\\第二層輸出資料夾名稱也很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長\\第三層輸出資料夾名稱也很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長"
win "$cdrive" build "$windeep\\dgbas\\113-1" -o "$winout"
longest=$(python3 -c 'import os,sys; print(max(len(sys.argv[1]) + 7 + len(os.path.join(d, f)) - len(sys.argv[2]) for d, _, fs in os.walk(sys.argv[2]) for f in fs))' "$windeep" "$deep/dgbas")
unixout="$deep/輸出資料夾名稱也很長很長很長很長很長很長/第二層輸出資料夾名稱也很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長/第三層輸出資料夾名稱也很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長很長"
if [ $status -eq 0 ] && cmp -s "$ref" "$unixout/agenda.pdf" && grep -qF "已產生 $winout\\agenda.pdf" <<<"$out"; then
  pass "長路徑（附件路徑最長 $longest 字元；輸出 $((${#winout} + 11)) 字元）"
else
  fail "長路徑（exit $status，輸出 $((${#winout} + 11)) 字元）" "$out"
fi

echo "Wine 測試共 $(($(date +%s) - start)) 秒"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
