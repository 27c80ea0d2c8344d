"""Benchmark driver: wall times (medians of alternating runs), peak memory, sizes.

Prints one table; every figure is measured here, on this machine, each run.
"""
import argparse, os, re, resource, shutil, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "packets" / "dgbas"


def cpu_children():
    """CPU seconds (user + system) used so far by finished child processes."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, cwd=None, check=True):
    t = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if check and p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr}")
    return dt, p


def peak_rss_mb(cmd, cwd=None):
    p = subprocess.run(["/usr/bin/time", "-v", *cmd], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return int(m.group(1)) / 1024


def strip_tracking(text):
    """A generated series has no earlier minutes: drop the generated tracking table."""
    text = re.sub(r"track = true[^\n]*\n", "", text)
    return re.sub(r"\n\[\[report\.progress\]\]\nid = [^\n]*\nstatus = [^\n]*\n(result = [^\n]*\n)?", "\n", text)


def make_series(dst, n):
    """n meetings copied from 113-1, three a year from 2017 (inside the embedded calendar)."""
    dst.mkdir(parents=True)
    shutil.copy(EXAMPLE / "group.toml", dst / "group.toml")
    src = strip_tracking((EXAMPLE / "113-1" / "meeting.toml").read_text())
    for i in range(n):
        year, k = 2017 + i // 3, i % 3 + 1
        d = dst / f"{year - 1911}-{k}"
        shutil.copytree(EXAMPLE / "113-1" / "attachments", d / "attachments")
        text = src.replace("number = 1", f"number = {k}").replace("date = 2024-04-29", f"date = {year}-{3 * k + 1:02d}-{10 + k:02d}")
        text = text.replace("year = 113\n", "")
        (d / "meeting.toml").write_text(text)


def make_large(dst, items=300, rows=20000):
    """300 discussion items and one 20,000-row CSV attachment."""
    dst.mkdir(parents=True)
    shutil.copy(EXAMPLE / "group.toml", dst / "group.toml")
    m = dst / "big"
    m.mkdir()
    parts = ['number = 1\ndate = 2024-04-29\ntime = "14:30"\nplace = "行政院第 9 會議室"\n']
    for i in range(items):
        parts.append(f'\n[[discussion]]\nunit = "主計資訊處"\ntitle = "第 {i + 1} 案：本總處資料開放推動情形，提請討論。"\n'
                     'explanation = """\n1. 為達成本總處資料開放目標並提升資料應用價值，說明如下。\n2. 以上所擬是否妥適，提請討論。\n"""\n')
    parts.append('\n[[discussion.attachment]]\ntitle = "大型資料表"\nfile = "big.csv"\n')
    (m / "meeting.toml").write_text("".join(parts))
    with open(m / "big.csv", "w") as f:
        f.write("序號,資料集名稱,開放年月,資料開放單位\n")
        for r in range(rows):
            f.write(f"{r + 1},第 {r + 1} 項資料集,11304,主計資訊處\n")
    return m


def median_alternating(a, b, runs):
    ta, tb = [], []
    for _ in range(runs):
        ta.append(run(a[0], cwd=a[1])[0])
        tb.append(run(b[0], cwd=b[1])[0])
    return statistics.median(ta), statistics.median(tb)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packet", required=True)
    ap.add_argument("--typst", required=True)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    packet = str(Path(args.packet).resolve())
    typst = str(Path(args.typst).resolve())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        # 1. packet build vs typst compile of the .typ that packet build --typst wrote.
        ex = tmp / "ex"
        shutil.copytree(EXAMPLE, ex / "dgbas")
        run([packet, "build", "dgbas/113-1", "-q", "--typst", "-o", "typ"], cwd=ex)
        build = ([packet, "build", "dgbas/113-1", "-q", "-o", "o1"], ex)
        compile_ = ([typst, "compile", "--font-path", str(ROOT / "fonts"), "--ignore-system-fonts", "--pdf-standard", "a-2a,ua-1", "typ/agenda.typ", "o2.pdf"], ex)
        t_packet, t_typst = median_alternating(build, compile_, args.runs)
        rows.append(("1. packet build vs typst compile (113-1 agenda)", f"{t_packet:.3f} s vs {t_typst:.3f} s = {t_packet / t_typst:.2f}", "ratio ≤ 1.0"))

        # 2. 24 meetings: one process vs 24 processes.
        series = tmp / "s" / "series"
        make_series(series, 24)
        def one_vs_separate(series, runs=3):
            """(wall, CPU) medians of one `packet build <series>` and of one run per meeting."""
            def one():
                c = cpu_children()
                return run([packet, "build", series.name, "-q", "-o", "one"], cwd=series.parent)[0], cpu_children() - c
            def separate():
                t, c = time.perf_counter(), cpu_children()
                for d in sorted(p for p in series.iterdir() if p.is_dir() and (p / "meeting.toml").exists()):
                    run([packet, "build", f"{series.name}/{d.name}", "-q", "-o", f"sep/{d.name}"], cwd=series.parent)
                return time.perf_counter() - t, cpu_children() - c
            a = [one() for _ in range(runs)]
            b = [separate() for _ in range(runs)]
            med = lambda xs, i: statistics.median(x[i] for x in xs)
            return med(a, 0), med(a, 1), med(b, 0), med(b, 1)
        w1, c1, w2, c2 = one_vs_separate(series)
        rows.append(("2. 24-meeting series: one process vs 24 runs", f"{w1:.2f} s vs {w2:.2f} s = {w2 / w1:.1f}× faster (CPU {c1:.1f} s vs {c2:.1f} s)", "≥ 3×"))
        # The real example series: three different meetings (one with a 20-page packet).
        real = tmp / "r" / "dgbas"
        shutil.copytree(EXAMPLE, real)
        w1, c1, w2, c2 = one_vs_separate(real)
        rows.append(("2b. example series (3 meetings): one vs 3 runs", f"{w1:.2f} s vs {w2:.2f} s = {w2 / w1:.1f}× faster (CPU {c1:.1f} s vs {c2:.1f} s)", "(no target)"))

        # 3. watch: one-line edit → rewritten PDF, vs a cold build.
        w = tmp / "w"
        shutil.copytree(EXAMPLE, w / "dgbas")
        meeting = w / "dgbas" / "113-1" / "meeting.toml"
        original = meeting.read_text()
        proc = subprocess.Popen([packet, "watch", "dgbas/113-1", "-o", "out", "--max-rebuilds", str(args.runs)],
                                cwd=w, stderr=subprocess.PIPE, text=True)
        def wait_line(word):
            for line in proc.stderr:
                if word in line:
                    return
            sys.exit("watch ended early")
        wait_line("已產生")
        lat = []
        for i in range(args.runs):
            time.sleep(0.5)
            t = time.perf_counter()
            meeting.write_text(original.replace("行政院第 9 會議室", f"行政院第 {10 + i} 會議室"))
            wait_line("已重新產生")
            lat.append(time.perf_counter() - t)
        proc.wait(timeout=60)
        t_watch = statistics.median(lat)
        t_cold = statistics.median(run([packet, "build", "dgbas/113-1", "-q", "-o", "cold"], cwd=w)[0] for _ in range(args.runs))
        rows.append(("3. watch: edit → PDF vs cold build", f"{t_watch:.3f} s vs {t_cold:.3f} s = {100 * t_watch / t_cold:.0f}%", "≤ 30%"))

        # 4. peak memory.
        rss = peak_rss_mb([packet, "build", "dgbas/113-1", "-q", "-o", "mem"], cwd=ex)
        big = make_large(tmp / "large" / "series")
        t0 = time.perf_counter()
        rss_big = peak_rss_mb([packet, "build", str(big), "-q", "--force", "-o", str(tmp / "large" / "out")])
        t_big = time.perf_counter() - t0
        pages_big = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(tmp / "large" / "out" / "agenda.pdf")], stdout=subprocess.PIPE, text=True).stdout).group(1))
        rows.append(("4a. peak RSS, example agenda", f"{rss:.0f} MB", "≤ 200 MB"))
        rows.append(("4b. peak RSS, 300 items + 20,000-row table", f"{rss_big:.0f} MB ({t_big:.1f} s, {pages_big} pages)", "builds"))

        # 5. output size.
        pdf = ex / "o1" / "agenda.pdf"
        pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], stdout=subprocess.PIPE, text=True).stdout).group(1))
        size = pdf.stat().st_size
        two = tmp / "two"
        two.mkdir()
        shutil.copy(EXAMPLE / "group.toml", two / "group.toml")
        (two / "m").mkdir()
        (two / "m" / "meeting.toml").write_text('number = 1\ndate = 2024-04-29\ntime = "14:30"\nplace = "行政院第 9 會議室"\n\n[[report]]\nunit = "主計資訊處"\ntitle = "本總處「政府資料開放諮詢小組」職掌與運作方式，報請鑒察。"\nexplanation = "1. 本次會議係本總處「政府資料開放諮詢小組」依規定重新遴聘委員後首度召開。"\n')
        run([packet, "build", "m", "-q", "-o", "out"], cwd=two)
        small = (two / "out" / "agenda.pdf").stat().st_size
        rows.append(("5. output size", f"{size / pages / 1024:.1f} KB/page ({pages} pages, {size / 1024:.0f} KB); 2-page agenda {small / 1024:.0f} KB", "2-page ≪ 200 KB"))

    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    print(f"machine: {os.cpu_count()} cores, {cpu}; runs per figure: {args.runs}")
    w = max(len(r[0]) for r in rows)
    print(f"{'figure'.ljust(w)} | measured | target")
    for name, value, target in rows:
        print(f"{name.ljust(w)} | {value} | {target}")


if __name__ == "__main__":
    main()
