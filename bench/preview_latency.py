"""Keystroke → visible preview in `packet serve`, measured in headless Chromium.

Usage: python3 bench/preview_latency.py [--packet target/release/packet] [--keys 60]
       [--interval 0.15] [--burst 10] [--pause 0.8] [--field "discussion[0].title"]

A copy of packets/dgbas is served by the real binary; the page opens meeting 113-1 and the
script types --keys characters into --field (a text field of an agenda item) with
selenium, one every --interval seconds, pausing --pause seconds after every --burst keys
(so that saves, which wait for a 500 ms pause, happen between bursts, as when a person
types). Timestamps come from the page (performance.now()):

- each keystroke's `keydown`, and the keystroke count the editor gives it
  (`data-typed` on <html>);
- each time the preview marks a keystroke as shown (`data-shown` on #pages, set in the
  animation frame after the last changed page image of an answer has loaded and replaced
  the old one).

A keystroke's latency is from its keydown to the first mark of it or a later keystroke.
Printed: median, p95 and max, and where the time goes (the page's Resource Timing of
api/draft and api/page requests made while typing).
"""
import argparse, json, os, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests/browser"))
import drivers  # noqa: E402
from drivers import wait_for  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

WATCH = """
window.__keys = []; window.__typed = []; window.__shown = [];
document.addEventListener('keydown', e => window.__keys.push(e.timeStamp), true);
document.addEventListener('input', () =>
  window.__typed.push(Number(document.documentElement.dataset.typed || 0)));
const pages = document.querySelector('#pages');
new MutationObserver(() => window.__shown.push([Number(pages.dataset.shown), performance.now()]))
  .observe(pages, { attributes: true, attributeFilter: ['data-shown'] });
performance.clearResourceTimings();
performance.setResourceTimingBufferSize(100000);
"""


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packet", default=str(ROOT / "target/release/packet"))
    ap.add_argument("--keys", type=int, default=60)
    ap.add_argument("--interval", type=float, default=0.15)
    ap.add_argument("--burst", type=int, default=10)
    ap.add_argument("--pause", type=float, default=0.8)
    ap.add_argument("--field", default="discussion[0].title")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packet-latency-"))
    shutil.copytree(ROOT / "packets/dgbas", tmp / "dgbas")
    env = dict(os.environ, PACKET_DATA_DIR=str(tmp / "data"), PACKET_TODAY="2026-06-02")
    server = subprocess.Popen([args.packet, "serve", "--no-open", str(tmp / "dgbas")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    driver = None
    try:
        url = server.stdout.readline().strip()
        driver = drivers.start()
        driver.get(url + "?m=113-1")
        field = wait_for("the field", lambda: driver.find_element(By.NAME, args.field))
        wait_for("the preview", lambda: driver.execute_script(
            "const img = document.querySelector('#pages img'); return img && img.complete && img.naturalWidth"))
        drivers.settled(driver)
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
        field.click()
        driver.execute_script("arguments[0].setSelectionRange(1e6, 1e6)", field)
        time.sleep(2)  # the preview has scrolled to the item's page and drawn it
        driver.execute_script(WATCH)
        text = "資料開放推動情形補充說明甲乙丙丁戊己庚辛壬癸一二三四五六七八九十"
        for k in range(args.keys):
            field.send_keys(text[k % len(text)])
            time.sleep(args.pause if (k + 1) % args.burst == 0 else args.interval)
        last = lambda: driver.execute_script("return window.__typed[window.__typed.length - 1]")
        wait_for("the last keystroke shown", lambda: any(
            s >= last() for s, _ in driver.execute_script("return window.__shown")), timeout=60)
        keys, typed, shown = driver.execute_script("return [window.__keys, window.__typed, window.__shown]")
        assert len(keys) == len(typed) == args.keys, (len(keys), len(typed))
        lat = []
        for t, seq in zip(keys, typed):
            when = min((at for s, at in shown if s >= seq and at >= t), default=None)
            lat.append(when - t)
        timings = driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => [e.name, e.startTime, e.duration])")
        drafts = [d for n, _, d in timings if "/api/draft" in n]
        page_fetches = [d for n, _, d in timings if "/api/page" in n]
        print(f"binary: {args.packet}")
        print(f"field: {args.field}; {args.keys} keystrokes, {args.interval * 1000:.0f} ms apart, "
              f"{args.pause * 1000:.0f} ms pause every {args.burst}")
        print(f"keystroke → visible preview: median {statistics.median(lat):.0f} ms, "
              f"p95 {pct(lat, 95):.0f} ms, max {max(lat):.0f} ms, min {min(lat):.0f} ms")
        if drafts:
            print(f"api/draft requests: {len(drafts)}, median {statistics.median(drafts):.0f} ms, "
                  f"p95 {pct(drafts, 95):.0f} ms")
        if page_fetches:
            print(f"api/page fetches: {len(page_fetches)}, median {statistics.median(page_fetches):.0f} ms, "
                  f"p95 {pct(page_fetches, 95):.0f} ms")
        # Where a keystroke's time goes: from its keydown to the start of the draft that
        # carried it (waiting for the one in flight), that draft, the page fetches after it,
        # and from the last page received to the mark (image decoded, swapped, painted).
        starts = sorted((st, st + d) for n, st, d in timings if "/api/draft" in n)
        pages = sorted((st, st + d) for n, st, d in timings if "/api/page" in n)
        parts = {"wait for the draft in flight": [], "draft (layout)": [], "page fetches (draw)": [],
                 "decode, swap, paint": []}
        for t, seq, total in zip(keys, typed, lat):
            draft = next(((a, b) for a, b in starts if a >= t), None)
            if not draft:
                continue
            fetched = [b for a, b in pages if draft[1] <= a <= draft[1] + 50]
            end = max(fetched, default=draft[1])
            parts["wait for the draft in flight"].append(draft[0] - t)
            parts["draft (layout)"].append(draft[1] - draft[0])
            parts["page fetches (draw)"].append(end - draft[1])
            parts["decode, swap, paint"].append(t + total - end)
        for name, values in parts.items():
            if values:
                print(f"  {name}: median {statistics.median(values):.0f} ms, p95 {pct(values, 95):.0f} ms")
        print("latencies (ms):", json.dumps([round(x) for x in lat]))
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
