"""Benchmark of `packet serve` (issue #21): a one-field edit to the updated preview, and
the server's memory over 1,000 edits.

Usage: python3 bench/serve.py [--packet target/release/packet] [--edits 1000]

Each edit is what the browser does: POST api/edit (one field: `place`), GET api/preview
(the page hashes: the document is laid out again) and GET of each page whose hash changed.
The time of each edit is measured from the POST to the last changed page received.
Memory is the server's resident set (VmRSS, /proc) after the given number of edits.
"""
import argparse, json, shutil, statistics, subprocess, tempfile, time, urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packet", default=str(ROOT / "target/release/packet"))
    ap.add_argument("--edits", type=int, default=1000)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packet-serve-bench-"))
    shutil.copytree(ROOT / "packets/dgbas", tmp / "dgbas")
    server = subprocess.Popen([args.packet, "serve", "--no-open", str(tmp / "dgbas")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip()
        origin = url.split("/", 3)[:3]
        origin = "/".join(origin)

        def get(route):
            with urllib.request.urlopen(url + route) as r:
                return r.read()

        # Each edit names the version of the file it was made against, as the page does:
        # the hash the state gave, then the one each edit's answer gives.
        seen = {"hash": json.loads(get("api/state?m=113-1"))["hashes"]["meeting"]}

        def edit(value):
            body = json.dumps({"client": "bench", "base": seen["hash"],
                               "ops": [{"op": "set", "path": "place", "value": value}]}).encode()
            req = urllib.request.Request(url + "api/edit?m=113-1", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Origin": origin})
            with urllib.request.urlopen(req) as r:
                seen["hash"] = json.loads(r.read())["hash"]

        pages = json.loads(get("api/preview?m=113-1&doc=agenda"))["pages"]
        times, memory, sent = [], {}, []
        memory[0] = rss_mb(server.pid)
        for i in range(1, args.edits + 1):
            start = time.perf_counter()
            edit(f"行政院第 {i} 會議室")
            now = json.loads(get("api/preview?m=113-1&doc=agenda"))["pages"]
            changed = [n for n, h in enumerate(now) if n >= len(pages) or pages[n] != h]
            for n in changed:
                get(f"api/page?m=113-1&doc=agenda&n={n}&h={now[n]}")
            times.append(time.perf_counter() - start)
            sent.append(len(changed))
            pages = now
            if i in (1, 10, 100, 250, 500, 750, 1000) or i == args.edits:
                memory[i] = rss_mb(server.pid)
        ms = sorted(t * 1000 for t in times)
        print(f"example: packets/dgbas/113-1 agenda, {len(pages)} pages; {args.edits} edits of `place`")
        print(f"edit → updated preview: median {statistics.median(ms):.0f} ms, p90 {ms[int(len(ms) * 0.9)]:.0f} ms, "
              f"max {ms[-1]:.0f} ms, first {times[0] * 1000:.0f} ms  (target ≤ 100 ms)")
        print(f"pages sent again per edit: median {statistics.median(sent):.0f} of {len(pages)}")
        print("server RSS (MB) after N edits: " + ", ".join(f"{n}: {m:.0f}" for n, m in memory.items()))
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
