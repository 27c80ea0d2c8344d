#!/usr/bin/env python3
"""Count the lone last lines (runts) of the PDFs given, from `pdftotext -bbox-layout`.

A runt is a line that continues a paragraph (it starts at or right of the left edge
of the line above, within that line's width, less than 0.7 of a line's height below
it) and holds at most two characters (CJK and punctuation: 「之。」). A split reference
is a line ending in 附件/附表 whose next line of the same paragraph starts with a digit.

    for m in packets/dgbas/112-2 packets/dgbas/113-1 packets/dgbas/113-2 packets/demo/7 packets/demo/8; do
      n=$(echo $m | sed 's#packets/##; s#/#-#')
      packet build $m -q --force -o /tmp/r/$n; packet minutes $m -q --force -o /tmp/r/$n
      packet minutes $m --internal -q --force -o /tmp/r/$n-internal
    done
    python3 bench/runts.py /tmp/r/*/*.pdf     # prints each PDF's, then the totals
"""
import re
import subprocess
import sys

ATTR = re.compile(r'(\w+)="([^"]*)"')


def lines(pdf):
    xml = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], capture_output=True, check=True).stdout.decode()
    page, out, cur = 0, [], None
    for raw in xml.splitlines():
        l = raw.strip()
        if l.startswith("<page "):
            page += 1
        elif l.startswith("<line "):
            a = dict(ATTR.findall(l))
            cur = dict(page=page, x0=float(a["xMin"]), x1=float(a["xMax"]), y0=float(a["yMin"]), y1=float(a["yMax"]), words=[])
        elif l.startswith("<word ") and cur is not None:
            cur["words"].append(re.sub(r"<[^>]*>", "", l.split(">", 1)[1]).replace("&amp;", "&"))
        elif l.startswith("</line>") and cur is not None:
            cur["text"] = "".join(cur["words"])
            out.append(cur)
            cur = None
    return out


def continues(prev, line):
    """`line` is the next line of `prev`'s paragraph."""
    h = line["y1"] - line["y0"]
    gap = line["y0"] - prev["y1"]
    return (
        prev["page"] == line["page"]
        and 0 <= gap < 0.7 * h
        and prev["x0"] - 1 <= line["x0"] < prev["x1"]
    )


def faults(pdf):
    ls = lines(pdf)
    runts, splits = [], []
    for line in ls:
        prevs = [p for p in ls if continues(p, line)]
        if not prevs:
            continue
        prev = max(prevs, key=lambda p: p["y1"])
        if len(line["text"]) <= 2:
            runts.append(f'p{line["page"]}: {prev["text"][-8:]}／{line["text"]}')
        if re.search(r"(附件|附表)$", prev["text"]) and re.match(r"[0-9０-９]", line["text"]):
            splits.append(f'p{line["page"]}: {prev["text"][-8:]}／{line["text"][:6]}')
    return runts, splits


def main():
    total_r = total_s = 0
    for pdf in sys.argv[1:]:
        runts, splits = faults(pdf)
        total_r += len(runts)
        total_s += len(splits)
        print(f"{pdf}: {len(runts)} runts, {len(splits)} split references")
        for r in runts + splits:
            print("   ", r)
    print(f"total: {total_r} runts, {total_s} split references")


if __name__ == "__main__":
    main()
