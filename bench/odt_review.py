#!/usr/bin/env python3
"""What a reviewer sends back in the editable edition, counted: each ODT given and the PDF
LibreOffice makes of it (`soffice --headless --convert-to pdf`), read with odfpy and
poppler (pdftotext -raw / -bbox, pdffonts).

    python3 bench/odt_review.py DOC.odt[=DOC.pdf] ...

The PDF defaults to lo/<stem>.pdf beside the ODT. One line per document, then the totals:
  broken   table-cell dates/numbers (4+ characters) split across lines
  stacked  header cells set one character a line (two such lines in a row)
  title    cover-title lines of 1-2 characters
  names    出席者/列席者/請假者 lines that end inside a name
  margin   words past the right margin (2.5 cm)
  style    body paragraphs not justified (or centred) at 1.5 lines
  unkept   headings, 案由 and lone labels not kept with the next paragraph; table rows
           that may split
  fonts    font faces named as a list (`A;B`) / Latin text without a Latin face
  lastpg   minutes whose last page holds 伍、散會 alone
"""
import re
import subprocess
import sys

from odf import style, table, teletype, text
from odf.opendocument import load

CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f○]")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def resolve(doc):
    styles, default = {}, {}
    for root in (doc.styles, doc.automaticstyles):
        for s in root.getElementsByType(style.Style):
            styles[(s.getAttribute("family"), s.getAttribute("name"))] = s

    def props(s):
        out = {}
        for child in s.childNodes:
            if getattr(child, "qname", ("", ""))[1] in ("paragraph-properties", "text-properties", "table-row-properties"):
                for k, v in child.attributes.items():
                    out[k[1]] = v
        return out

    for d in doc.styles.getElementsByType(style.DefaultStyle):
        if d.getAttribute("family") == "paragraph":
            default = props(d)

    def get(family, name):
        chain = []
        while name and (family, name) in styles and len(chain) < 50:
            chain.append(styles[(family, name)])
            name = chain[-1].getAttribute("parentstylename")
        out = dict(default) if family == "paragraph" else {}
        for s in reversed(chain):
            out.update(props(s))
        return out

    return get, default


def in_cell(e):
    p = e.parentNode
    while p is not None:
        if p.qname[1] == "table-cell":
            return True
        p = p.parentNode
    return False


def review(odt, pdf):
    doc = load(odt)
    get, default = resolve(doc)
    out = {}
    raw = run("pdftotext", "-raw", pdf, "-").splitlines()
    # Each paragraph of a cell (a slide's frame is a cell of several paragraphs).
    cells = [teletype.extractText(p) for p in doc.text.getElementsByType(text.P) if in_cell(p)]
    runs = [r for c in cells for r in re.split(r"[\s\u2e80-\uffef]+", c) if len(r) >= 4 and re.search(r"\d", r)]
    out["broken"] = sum(
        max(0, sum(c.count(r) for c in cells) - sum(l.count(r) for l in raw)) for r in sorted(set(runs))
    )
    single = [len(l.strip()) == 1 and bool(CJK.match(l.strip())) for l in raw]
    out["stacked"] = sum(1 for a, b in zip(single, single[1:]) if a and b)
    page1 = [re.sub(r"\s", "", l) for l in run("pdftotext", "-f", "1", "-l", "1", "-raw", pdf, "-").splitlines()]
    page1 = [l for l in page1 if l and l not in ("內部", "紀錄草稿")]
    title = []
    for l in page1:
        if l.startswith("時間："):
            break
        title.append(l)
    out["title"] = sum(1 for l in title if len(l) <= 2)
    block = [re.sub(r"\s", "", l) for l in page1]
    out["names"] = 0
    # Lines of the lists that end inside a name: not after 、 and not the list's last.
    lines = []
    take = False
    for l in block:
        if l.startswith(("出席者：", "列席者：", "請假者：")):
            take = True
            lines.append(("label", l))
            continue
        if l.startswith(("逐字紀錄：", "壹、")):
            take = False
        if take:
            lines.append(("cont", l))
    for (_, l), nxt in zip(lines, lines[1:] + [("label", "")]):
        if nxt[0] == "cont" and not l.endswith("、"):
            out["names"] += 1
    width, over = 0.0, 0
    for l in run("pdftotext", "-bbox", pdf, "-").splitlines():
        m = re.search(r'<page width="([\d.]+)"', l)
        if m:
            width = float(m.group(1))
        m = re.search(r'xMax="([\d.]+)"', l)
        if m and float(m.group(1)) > width - 2.5 / 2.54 * 72 + 1:
            over += 1
    out["margin"] = over
    bad_style, unkept = 0, 0
    paras = [(p, False) for p in doc.text.getElementsByType(text.P)] + [(h, True) for h in doc.text.getElementsByType(text.H)]
    for p, heading in paras:
        if in_cell(p):
            continue
        s = get("paragraph", p.getAttribute("stylename"))
        t = teletype.extractText(p)
        if s.get("display") == "none":
            continue
        names_list = t.startswith(("出席者：", "列席者：", "請假者："))
        if not names_list and (s.get("line-height") != "150%" or s.get("text-align", "start") not in ("justify", "center")):
            bad_style += 1
        holds = "：" in t and not t.endswith("：") and "案由：" not in t
        label = (t.endswith("：") and t not in ("決定：", "決議：")) or "案由：" in t or t.startswith("報告單位：")
        if ((heading and not holds) or label) and s.get("keep-with-next") != "always":
            unkept += 1
    rows = doc.text.getElementsByType(table.TableRow)
    unkept += sum(1 for r in rows if get("table-row", r.getAttribute("stylename")).get("keep-together") != "always")
    out["style"], out["unkept"] = bad_style, unkept
    faces = [f.getAttribute("fontfamily") for f in doc.fontfacedecls.getElementsByType(style.FontFace)]
    latin = default.get("font-name", "")
    kai = default.get("font-name-asian", "")
    out["fonts"] = sum(1 for f in faces if ";" in (f or "")) + (1 if latin == kai or not latin else 0)
    out["lastpg"] = 0
    if "minutes" in odt:
        pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", pdf)).group(1))
        last = [re.sub(r"\s", "", l) for l in run("pdftotext", "-f", str(pages), "-l", str(pages), "-raw", pdf, "-").splitlines()]
        last = [l for l in last if l and not re.match(r"第\d+頁，共\d+頁", l) and l not in ("內部", "紀錄草稿")]
        out["lastpg"] = 1 if len(last) <= 2 else 0
    return out


def main():
    keys = ["broken", "stacked", "title", "names", "margin", "style", "unkept", "fonts", "lastpg"]
    total = dict.fromkeys(keys, 0)
    print("document".ljust(48) + " ".join(k.rjust(7) for k in keys))
    for arg in sys.argv[1:]:
        odt, _, pdf = arg.partition("=")
        if not pdf:
            parts = odt.rsplit("/", 1)
            stem = parts[-1][: -len(".odt")]
            pdf = (parts[0] + "/" if len(parts) > 1 else "") + "lo/" + stem + ".pdf"
        r = review(odt, pdf)
        for k in keys:
            total[k] += r[k]
        print(odt[-48:].ljust(48) + " ".join(str(r[k]).rjust(7) for k in keys))
    print("total".ljust(48) + " ".join(str(total[k]).rjust(7) for k in keys))


if __name__ == "__main__":
    main()
