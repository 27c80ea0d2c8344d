"""Benchmark of `packet serve`'s HTTP layer: requests per second and latency of
`api/state`, and of the page load as a browser makes it.

Usage: python3 bench/serve_http.py [--packet target/debug/packet] [--requests 300] [--loads 50]

- api/state, kept alive: one connection, requests one after the other.
- api/state, a new connection each (`Connection: close`).
- page load: what a new tab fetches (the page, app.css, the ten ES modules, api/state)
  over six connections opened at once and kept alive, as Chromium does; timed from the
  first connect to the last byte. A load any of whose answers takes over --timeout
  seconds counts as hung (its connections are dropped) and is left out of the times.
The server's thread count (/proc) is printed at the end.
"""
import argparse, http.client, json, shutil, statistics, subprocess, tempfile, threading, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ["main.js", "dom.js", "store.js", "save.js", "fields.js", "items.js", "attendance.js",
           "group.js", "form.js", "preview.js"]


def threads(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return -1


def summary(label, times, wall):
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{label}: {len(ms) / wall:.0f}/s, p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms")


def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    assert r.status == 200, (path, r.status, body[:200])
    return body


def page_load(port, token, timeout):
    """One new tab's fetches over six kept-alive connections: seconds, or None if hung."""
    paths = [f"/{token}/", f"/{token}/app.css"] + [f"/{token}/{m}" for m in MODULES] + \
            [f"/{token}/api/state?m=113-1"]
    queue, lock, failed = list(paths), threading.Lock(), []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    path = queue.pop(0)
                get(conn, path)
        except Exception as e:  # a timeout: the load hung
            failed.append(e)
        finally:
            conn.close()

    start = time.perf_counter()
    workers = [threading.Thread(target=worker) for _ in range(6)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return None if failed else time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packet", default=str(ROOT / "target/debug/packet"))
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--loads", type=int, default=50)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="packet-serve-http-"))
    shutil.copytree(ROOT / "packets/dgbas", tmp / "dgbas")
    server = subprocess.Popen([args.packet, "serve", "--no-open", str(tmp / "dgbas")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = server.stdout.readline().strip()
        port, token = url.removeprefix("http://127.0.0.1:").rstrip("/").split("/")
        port = int(port)
        state = f"/{token}/api/state?m=113-1"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout)
        json.loads(get(conn, state))  # warm: the meeting read once

        times, start = [], time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            get(conn, state)
            times.append(time.perf_counter() - t)
        summary(f"api/state, one kept-alive connection, {args.requests} requests", times, time.perf_counter() - start)
        conn.close()

        times, start = [], time.perf_counter()
        for _ in range(args.requests):
            t = time.perf_counter()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=args.timeout)
            c.request("GET", state, headers={"Connection": "close"})
            r = c.getresponse()
            r.read()
            assert r.status == 200
            c.close()
            times.append(time.perf_counter() - t)
        summary(f"api/state, a new connection each, {args.requests} requests", times, time.perf_counter() - start)

        loads, hung, start = [], 0, time.perf_counter()
        for _ in range(args.loads):
            took = page_load(port, token, args.timeout)
            if took is None:
                hung += 1
            else:
                loads.append(took)
        wall = time.perf_counter() - start
        if loads:
            summary(f"page load (13 fetches over 6 connections), {args.loads} loads", loads, wall)
        print(f"page loads hung (an answer over {args.timeout:.0f} s): {hung} of {args.loads}")
        print(f"server threads at the end: {threads(server.pid)}")
    finally:
        server.kill()
        server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
