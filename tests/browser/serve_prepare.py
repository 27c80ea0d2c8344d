"""A secretary prepares a whole meeting and records its minutes in `packet serve` alone,
in headless Chromium (selenium): the done-when of the serve issue.

Usage: serve_prepare.py URL SERIES_DIR REFERENCE_MEETING_DIR [SCREENSHOT_DIR]

The series holds group.toml and the meetings before the reference one (for the example:
112-2, for 113-1). Everything the reference meeting.toml says is put in through the
browser, the way a person would: the next meeting created with its date, items added,
typed, moved and given their attachments (uploaded from the reference folder, with their
labels, titles, styles, header rows, merges, notes and alignment), the 辦理情形 of each
decision still 列管 and the meeting's 列管 decision, opinions with the speaker picked from
the roster or typed as a unit, attendance ticked per member with the delegates' names,
不記名 / 不公開, observers, 主席致詞, times, recorder, transcript and a 臨時動議. At the end
the meeting.toml the browser wrote must say what the reference says (the same TOML
values; only comments, key order, empty lists and the optional `year`, which must equal
the date's ROC year anyway, may differ). The test that runs this then builds both and
compares the PDFs' text.
Prints PREPARED OK at the end; any failed check raises (exit status 1).
"""
import functools
import sys
import tomllib
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

url, series, reference = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
shots = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
want = tomllib.loads((reference / "meeting.toml").read_text(encoding="utf-8"))
meeting = series / reference.name / "meeting.toml"
NUMERALS = "零一二三四五六七八九十"



def on_disk():
    return tomllib.loads(meeting.read_text(encoding="utf-8"))


def at(doc, path):
    """The value at a field path (`report[0].attachment[1].title`), or None."""
    v = doc
    for part in path.replace("]", "").split("."):
        key, *indexes = part.split("[")
        v = v.get(key) if isinstance(v, dict) else None
        for i in indexes:
            v = v[int(i)] if isinstance(v, list) and int(i) < len(v) else None
    return v


def element(name):
    e = wait_for(f"the input {name}", lambda: (lambda e: e if e.is_enabled() else None)(driver.find_element(By.NAME, name)))
    driver.execute_script(
        "let d = arguments[0].closest('details'); while (d) { d.open = true; d = d.parentElement.closest('details'); }"
        " arguments[0].scrollIntoView({block: 'center'})", e)
    return e



def type_into(path, text, expect=None):
    """Type into the field named `path` as a person does (select what is there, type, Tab
    away) and wait until the file says it."""
    settled()
    e = element(path)
    e.send_keys(Keys.CONTROL, "a")
    e.send_keys(Keys.DELETE)
    e.send_keys(text, Keys.TAB)
    wanted = text if expect is None else expect
    wait_for(f"{path} on disk", lambda: at(on_disk(), path) == wanted)


def choose(path, value, expect=None):
    settled()
    Select(element(path)).select_by_value(value)
    wait_for(f"{path} on disk", lambda: at(on_disk(), path) == (value if expect is None else expect))


def click(label):
    settled()
    b = wait_for(f"the button {label}", lambda: driver.find_element(By.CSS_SELECTOR, f'[aria-label="{label}"]'))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
    b.click()


def button_in(field, text):
    """The button reading `text` directly inside the part of the form for `field`."""
    def find():
        box = driver.find_element(By.CSS_SELECTOR, f'[data-field="{field}"]')
        return next(b for b in box.find_elements(By.XPATH, "./button") if b.text == text)
    settled()
    b = wait_for(f"the button {text} in {field}", find)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", b)
    return b


def count(path):
    return len(at(on_disk(), path) or [])


ALIGN = {"left": "左", "center": "中", "right": "右"}


def attachments(p, wanted):
    for k, a in enumerate(wanted):
        q = f"{p}.attachment[{k}]"
        element(f"{p}.attachment").send_keys(str(reference / a["file"]))
        wait_for(f"{q} uploaded", lambda: at(on_disk(), f"{q}.file") == a["file"])
        for key in ["label", "title", "subtitle"]:
            if a.get(key):
                type_into(f"{q}.{key}", a[key])
        if "style" in a:
            choose(f"{q}.style", a["style"])
        if "header_rows" in a:
            type_into(f"{q}.header_rows", str(a["header_rows"]), expect=a["header_rows"])
        if a.get("merge"):
            type_into(f"{q}.merge", " ".join(a["merge"]), expect=a["merge"])
        if a.get("align"):
            type_into(f"{q}.align", " ".join(ALIGN[x] for x in a["align"]), expect=a["align"])
        if a.get("widths"):
            type_into(f"{q}.widths", " ".join(str(w) for w in a["widths"]), expect=a["widths"])
        if a.get("notes"):
            type_into(f"{q}.notes", "\n".join(a["notes"]), expect=a["notes"])


def opinions(p, name, wanted):
    for j, o in enumerate(wanted):
        q = f"{p}.opinion[{j}]"
        click(f"{name} 新增意見")
        wait_for(f"{q} added", lambda: count(f"{p}.opinion") == j + 1)
        if o.get("member"):
            choose(f"{q}.member", o["member"])
            # With a member chosen, the form is drawn again without the unit box.
            wait_for("the form redrawn", lambda: not driver.find_elements(By.NAME, f"{q}.unit"))
        else:
            type_into(f"{q}.unit", o["unit"])
        type_into(f"{q}.text", o["text"])


def item(section, i, it, title_of_section):
    p = f"{section}[{i}]"
    name = f"{title_of_section} 第{NUMERALS[i + 1]}案"
    for key in ["unit", "title", "explanation"]:
        if it.get(key):
            type_into(f"{p}.{key}", it[key])
    attachments(p, it.get("attachment", []))
    opinions(p, name, it.get("opinion", []))
    if it.get("decision"):
        type_into(f"{p}.decision", it["decision"])


def progress(p, rows):
    on_file = at(on_disk(), f"{p}.progress") or []
    for row in rows:
        j = next((j for j, r in enumerate(on_file) if r["id"] == row["id"]), None)
        if j is None:  # a decision `packet new` did not list: added from the open ones
            Select(element(f"{p}.progress.add")).select_by_value(row["id"])
            button_in(f"{p}.progress", "新增辦理情形").click()
            wait_for(f"{row['id']} added", lambda: any(r["id"] == row["id"] for r in at(on_disk(), f"{p}.progress")))
            on_file = at(on_disk(), f"{p}.progress")
            j = next(j for j, r in enumerate(on_file) if r["id"] == row["id"])
        q = f"{p}.progress[{j}]"
        if row.get("status"):
            type_into(f"{q}.status", row["status"])
        for key in ["advice", "result"]:
            if key in row:
                choose(f"{q}.{key}", row[key])


def normalized(v):
    """TOML values with what a person cannot see in print left out: empty lists and
    tables, and the trailing newline of a multi-line string."""
    if isinstance(v, dict):
        out = {k: normalized(x) for k, x in v.items()}
        return {k: x for k, x in out.items() if x not in ([], {}, None)}
    if isinstance(v, list):
        return [normalized(x) for x in v]
    if isinstance(v, str):
        return v.rstrip("\n")
    return v


driver = drivers.start()
settled = functools.partial(drivers.settled, driver)
try:
    # The next meeting, created with its date (as `packet new`: its tracking item lists
    # every decision still 列管).
    driver.get(url)
    wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    driver.find_element(By.ID, "new-date").send_keys(str(want["date"]))
    driver.find_element(By.ID, "new-meeting").click()
    wait_for("the new meeting opened", lambda: f"m={reference.name}" in driver.current_url and meeting.is_file())
    wait_for("its form", lambda: driver.find_element(By.NAME, "place"))

    type_into("time", want["time"])
    type_into("place", want["place"])
    choose("chair", want["chair"])

    # 報告事項: `packet new` wrote the tracking item as the only report; the others are
    # added and moved above it where the reference has them.
    reports = want.get("report", [])
    tracking = next(i for i, r in enumerate(reports) if r.get("track"))
    for i, r in enumerate(reports):
        if i == tracking:
            continue
        n = count("report") + 1
        button_in("report", "新增報告事項").click()
        wait_for("the new report", lambda: count("report") == n and driver.find_elements(By.NAME, f"report[{n - 1}].title"))
        k = n - 1
        while k > i:  # up, one place at a time, to its place
            click(f"報告事項 第{NUMERALS[k + 1]}案 上移")
            wait_for("moved up", lambda: at(on_disk(), f"report[{k - 1}].title") == "")
            k -= 1
        item("report", i, r, "報告事項")
    t = reports[tracking]
    for key in ["unit", "title"]:
        assert at(on_disk(), f"report[{tracking}].{key}") == t[key], f"packet new's {key}"
    progress(f"report[{tracking}]", t.get("progress", []))
    opinions(f"report[{tracking}]", f"報告事項 第{NUMERALS[tracking + 1]}案", t.get("opinion", []))
    type_into(f"report[{tracking}].decision", t["decision"])
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        element(f"report[{tracking}].progress[0].status")
        driver.save_screenshot(str(shots / "serve-tracking.png"))

    # 討論事項.
    for i, d in enumerate(want.get("discussion", [])):
        button_in("discussion", "新增討論事項").click()
        wait_for("the new discussion item", lambda: count("discussion") == i + 1 and driver.find_elements(By.NAME, f"discussion[{i}].title"))
        item("discussion", i, d, "討論事項")

    # Images that a Markdown attachment shows: stored, not listed.
    wanted_files = {a["file"] for s in ["report", "discussion"] for it in want.get(s, []) for a in it.get("attachment", [])}
    for image in sorted((reference / "attachments").glob("*")):
        if f"attachments/{image.name}" not in wanted_files:
            element("attachments").send_keys(str(image))
            wait_for(f"{image.name} stored", lambda: (meeting.parent / "attachments" / image.name).is_file())

    # 會議紀錄.
    m = want["minutes"]
    for key in ["start", "end", "recorder", "transcript", "opening"]:
        if key in m:
            type_into(f"minutes.{key}", m[key])
    att = m.get("attendance", {})
    for status, ids in [("present", att.get("present", [])), ("delegate", list(att.get("delegate", {}))),
                        ("leave", att.get("leave", []))]:
        for member in ids:
            radio = driver.find_element(By.ID, f"f-{member}-{status}")
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
            radio.click()
            if status == "delegate":
                wait_for(f"{member} delegated", lambda: member in (at(on_disk(), "minutes.attendance.delegate") or {}))
                type_into(f"minutes.attendance.delegate.{member}", att["delegate"][member])
            else:
                wait_for(f"{member} {status}", lambda: member in (at(on_disk(), f"minutes.attendance.{status}") or []))
    if att.get("observers"):
        type_into("minutes.attendance.observers", "\n".join(att["observers"]), expect=att["observers"])
    for flag in ["anonymous", "private"]:
        for member in m.get(flag, []):
            box = driver.find_element(By.CSS_SELECTOR, f'input[name="minutes.{flag}"][value="{member}"]')
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", box)
            box.click()
            wait_for(f"{member} {flag}", lambda: member in (at(on_disk(), f"minutes.{flag}") or []))
    for i, motion in enumerate(m.get("motion", [])):
        button_in("minutes.motion", "新增臨時動議").click()
        wait_for("the new motion", lambda: count("minutes.motion") == i + 1 and driver.find_elements(By.NAME, f"minutes.motion[{i}].title"))
        item("minutes.motion", i, motion, "臨時動議")
    if shots:
        settled()
        driver.find_element(By.ID, "show-minutes").click()
        wait_for("the minutes previewed", lambda: driver.execute_script(
            "const i = document.querySelector('#pages img'); return i && i.dataset.doc === 'minutes' && i.complete && i.naturalWidth > 0"))
        element("minutes.attendance.observers")
        driver.save_screenshot(str(shots / "serve-minutes.png"))

    # What the browser wrote says what the reference says.
    got = on_disk()
    assert "year" not in want or want["year"] == int(str(want["date"])[:4]) - 1911, "the reference's year"
    want.pop("year", None)
    got.pop("year", None)
    if normalized(got) != normalized(want):
        import difflib, json
        a = json.dumps(normalized(want), ensure_ascii=False, indent=1, sort_keys=True, default=str).splitlines()
        b = json.dumps(normalized(got), ensure_ascii=False, indent=1, sort_keys=True, default=str).splitlines()
        raise AssertionError("the meeting.toml differs from the reference:\n" + "\n".join(difflib.unified_diff(a, b, "reference", "browser", lineterm="")))
    # The same files in attachments/, byte for byte.
    for f in (reference / "attachments").glob("*"):
        assert (meeting.parent / "attachments" / f.name).read_bytes() == f.read_bytes(), f.name
    print("PREPARED OK")
finally:
    driver.quit()
