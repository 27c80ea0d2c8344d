#!/usr/bin/env python3
"""A 24-meeting series whose every meeting tracks every open decision (列管 across a series).

Each meeting decides 10 discussion items; from the second on, its generated table reports
on every decision still open and closes every other one, so about 20-30 rows are open at
each meeting. Group: packets/record's (continuous numbering, per-clause, 持續列管).

    python3 bench/gen_tracking_series.py /tmp/big/s
    PACKET_TODAY=2026-06-02 /usr/bin/time -f "%e s %M KB" target/debug/packet check /tmp/big/s
"""
import datetime
import os
import shutil
import sys

out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/big/s"
os.makedirs(out, exist_ok=True)
shutil.copy(os.path.join(os.path.dirname(__file__), "..", "packets", "record", "group.toml"), out)
day = datetime.date(2024, 1, 9)
open_ids = []
for n in range(1, 25):
    while day.weekday() != 1:  # Tuesdays
        day += datetime.timedelta(days=1)
    lines = [f"number = {n}", f"date = {day.isoformat()}", 'time = "14:00"', 'place = "會議室"', 'chair = "yeh"', ""]
    if n > 1:
        lines += ["[[report]]", 'unit = "資訊室"', 'title = "歷次會議決議列管事項辦理情形，報請公鑒。"', "track = true"]
        lines += ['decision = "洽悉。"', ""]
        kept = []
        for i, oid in enumerate(open_ids):
            advice = "持續列管" if i % 2 == 0 else "解除列管"
            lines += ["[[report.progress]]", f'id = "{oid}"', 'status = "辦理中。"', f'advice = "{advice}"', ""]
            if i % 2 == 0:
                kept.append(oid)
        open_ids = kept
    for i in range(1, 11):
        lines += ["[[discussion]]", 'unit = "資訊室"', f'title = "第 {n} 次會議第 {i} 案，提請討論。"', 'decision = "照案通過。"', ""]
        open_ids.append(f"{n}-D{i}")
    lines += ["[minutes]", 'end = "16:00"', 'recorder = "林○○"', "", "[minutes.attendance]"]
    lines += ['present = ["yeh", "wu", "he", "song"]', ""]
    os.makedirs(os.path.join(out, str(n)), exist_ok=True)
    with open(os.path.join(out, str(n), "meeting.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    day += datetime.timedelta(days=14)
