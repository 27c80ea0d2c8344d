#!/usr/bin/env python3
"""Hostile spreadsheets of issue 27, refused: wall time and peak memory of `packet build`.

Writes each spreadsheet as the third attachment of the example meeting 113-1 (a copy in
a temporary folder) and runs `/usr/bin/time -v PACKET build`. Usage:

    python3 bench/hostile_sheets.py [PATH-TO-packet]    (default target/release/packet)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx(path, sheet_data, shared=None, declared=None):
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    z.writestr("_rels/.rels", f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}" xmlns:r="{OFFICE}"><sheets><sheet name="統計" sheetId="1" r:id="rId1"/></sheets></workbook>')
    z.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" Type="{OFFICE}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{OFFICE}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    z.writestr("xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}</sheetData></worksheet>')
    if shared is not None:
        n = declared if declared is not None else len(shared)
        items = "".join(f"<si><t>{s}</t></si>" for s in shared)
        z.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">{items}</sst>')
    z.close()


def ods(path, rows):
    z = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9)
    z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
    z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="工作表1">' + rows + "</table:table></office:spreadsheet></office:body></office:document-content>")
    z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>')
    z.close()


ONE = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
SAMPLES = [
    ("corner.xlsx", "A1 and XFD1048576", lambda p: xlsx(p, '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>')),
    ("shared.xlsx", "1 MiB shared string in 200 cells", lambda p: xlsx(p, "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 201)), ["x" * (1 << 20)])),
    ("text.xlsx", "4,000-char shared string in 4,001 cells", lambda p: xlsx(p, "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 4002)), ["資" * 4000])),
    ("unique.xlsx", "uniqueCount 2^40", lambda p: xlsx(p, "", [], 1 << 40)),
    ("rows.ods", "a row repeated 1,000,000 times", lambda p: ods(p, f'<table:table-row table:number-rows-repeated="1000000">{ONE * 4}</table:table-row>')),
    ("cols.ods", "a cell repeated 16,384 columns x 1,000 rows", lambda p: ods(p, '<table:table-row table:number-rows-repeated="1000">' + ONE.replace("<table:table-cell ", '<table:table-cell table:number-columns-repeated="16384" ') + "</table:table-row>")),
]


def main():
    packet = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target/release/packet"))
    print("| spreadsheet | bytes | exit | wall s | peak RSS MB | message |")
    print("|---|---|---|---|---|---|")
    for name, what, make in SAMPLES:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(os.path.join(ROOT, "packets/dgbas"), os.path.join(tmp, "dgbas"))
            path = os.path.join(tmp, "dgbas/113-1/attachments", name)
            make(path)
            toml = os.path.join(tmp, "dgbas/113-1/meeting.toml")
            text = open(toml, encoding="utf-8").read()
            text = re.sub(r'align = \["left", "right"[^\]]*\]\n', "", text)
            text = text.replace('file = "attachments/13-quality.csv"\nheader_rows = 2\nmerge = ["A1:A2", "C1:G1", "H1:H2"]', f'file = "attachments/{name}"\nheader_rows = 1')
            open(toml, "w", encoding="utf-8").write(text)
            run = subprocess.run(["/usr/bin/time", "-v", packet, "build", "dgbas/113-1", "-q", "-o", "out"], cwd=tmp, capture_output=True, text=True, env=dict(os.environ, PACKET_TODAY="2026-06-02"))
            rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr).group(1)) / 1024
            wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", run.stderr).group(1)
            message = next((l.split(": ", 2)[-1] for l in run.stderr.splitlines() if "attachment[2].file" in l), "")
            print(f"| {name} ({what}) | {os.path.getsize(path)} | {run.returncode} | {wall.split(':')[-1]} | {rss:.0f} | {message[:90]} |")


if __name__ == "__main__":
    main()
