#!/usr/bin/env python3
"""Cost of PDF attachments in the archival packet (issue 28): size and time per drawn page.

Usage: python3 bench/pdf_pages.py [--packet target/release/packet] [--runs 3]

For each sample PDF, builds dgbas/113-1 (a copy) without it and with it attached, in the
default archival mode (pages drawn at 150 dpi) and with --pdf-standard none (pages
embedded), and prints the added KB and CPU milliseconds (user + system) per attached page
(median of runs).
Samples: 12 landscape text slides (Helvetica), packet's own 5-page CJK agenda (embedded
TW-Kai), and 3 A4 pages that are one photo-like image each (gradient with noise: what a
scanned photo costs).
"""
import argparse, os, random, resource, shutil, statistics, subprocess, sys, tempfile, time, zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write_pdf(objects):
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, o in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for o in offsets:
        out += b"%010d 00000 n \n" % o
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(dict_body, data):
    return b"<< %s /Length %d >>\nstream\n" % (dict_body, len(data)) + data + b"\nendstream"


def slides(n=12):
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n)), n),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    for i in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 960 540] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * i))
        lines = [b"BT /F1 36 Tf 1 0 0 1 60 460 Tm (Slide %d: open data roadmap) Tj ET" % (i + 1)]
        for k in range(8):
            lines.append(b"BT /F1 20 Tf 1 0 0 1 80 %d Tm (- milestone %d.%d: dataset quality, API, licence) Tj ET" % (400 - 40 * k, i + 1, k + 1))
        lines.append(b"0.2 0.4 0.8 rg 60 40 840 6 re f")
        objs.append(stream(b"", b"\n".join(lines)))
    return write_pdf(objs)


def photos(n=3, w=1240, h=1754):
    rnd = random.Random(28)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (3 + 3 * i) for i in range(n)), n)]
    for i in range(n):
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im %d 0 R >> >> /Contents %d 0 R >>" % (5 + 3 * i, 4 + 3 * i))
        objs.append(stream(b"", b"q 595 0 0 842 0 0 cm /Im Do Q"))
        row = bytearray()
        data = bytearray()
        for y in range(h):
            row = bytearray()
            for x in range(w):
                v = (x * 255 // w + rnd.randrange(24)) & 255
                row += bytes((v, (y * 255 // h) & 255, (v + y) & 255))
            data += row
        objs.append(stream(b"/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceRGB /Filter /FlateDecode" % (w, h), zlib.compress(bytes(data), 6)))
    return write_pdf(objs)


def build(packet, series, extra):
    out = os.path.join(series, "out")
    shutil.rmtree(out, ignore_errors=True)
    # CPU time (user + system) of the build: on a shared machine the wall clock also
    # counts other people's work.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    r = subprocess.run([packet, "build", "dgbas/113-1", "-q", "-o", out] + extra, cwd=series,
                       capture_output=True, text=True, env=dict(os.environ, PACKET_TODAY="2026-06-02"))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if r.returncode != 0:
        sys.exit(r.stderr)
    return cpu, os.path.getsize(os.path.join(out, "agenda.pdf"))


def attach(series, name, data):
    with open(os.path.join(series, "dgbas/113-1/attachments", name), "wb") as f:
        f.write(data)
    m = os.path.join(series, "dgbas/113-1/meeting.toml")
    text = open(m, encoding="utf-8").read()
    first = text.index("[[report]]")
    at = text.index("\n[[report]]", first + 1)
    text = text[:at] + '\n[[report.attachment]]\ntitle = "bench"\nfile = "attachments/%s"\n' % name + text[at:]
    open(m, "w", encoding="utf-8").write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--packet", default=os.path.join(ROOT, "target/release/packet"))
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    packet = os.path.abspath(a.packet)
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base")
        shutil.copytree(os.path.join(ROOT, "packets"), base)
        r = subprocess.run([packet, "build", "dgbas/112-2", "-q", "--pdf-standard", "none", "-o", "src"], cwd=base,
                           capture_output=True, text=True, env=dict(os.environ, PACKET_TODAY="2026-06-02"))
        if r.returncode != 0:
            sys.exit(r.stderr)
        samples = [("12 text slides (landscape)", slides(), 12),
                   ("CJK agenda, embedded TW-Kai", open(os.path.join(base, "src/agenda.pdf"), "rb").read(), None),
                   ("3 photo-like A4 pages", photos(), 3)]
        print("| sample | mode | pages | KB per page | CPU ms per page |\n|---|---|---|---|---|")
        for name, data, pages in samples:
            if pages is None:
                pages = int(subprocess.run(["pdfinfo", "-"], input=data, capture_output=True).stdout.decode().split("Pages:")[1].split()[0])
            for mode, extra in (("archival (drawn)", []), ("none (embedded)", ["--pdf-standard", "none"])):
                without, with_ = [], []
                for _ in range(a.runs):
                    s = os.path.join(tmp, "s")
                    shutil.rmtree(s, ignore_errors=True)
                    shutil.copytree(os.path.join(ROOT, "packets"), s)
                    without.append(build(packet, s, extra))
                    attach(s, "bench.pdf", data)
                    with_.append(build(packet, s, extra))
                dt = statistics.median(w[0] for w in with_) - statistics.median(w[0] for w in without)
                ds = statistics.median(w[1] for w in with_) - statistics.median(w[1] for w in without)
                print(f"| {name} | {mode} | {pages} | {ds / pages / 1024:.0f} | {dt / pages * 1000:.0f} |")


if __name__ == "__main__":
    main()
