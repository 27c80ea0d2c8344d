"""A secretary's whole cycle in the browser, from the double-click start to the publication
bundle, in headless Chromium at one screen size (issue 31's done-when).

Usage: serve_cycle.py PACKET SERIES DATA_DIR TODAY SCREEN [SCREENSHOT_DIR]

SCREEN is `1366x768` (the page at 100 %) or `1366x768@2` (the same screen at 200 % zoom:
a 683×384 CSS viewport). PACKET is started as a double-click starts it: no arguments, in
the series' folder, with PACKET_NO_OPEN (no real browser) and PACKET_DATA_DIR=DATA_DIR
(where the address is kept); the address is read from what it prints. Then, on the page:

  new        the meeting after the last one, created from its date (114-1);
  agenda     a report item; a discussion item with an attachment uploaded; the tracking
             item's 辦理情形 and a 列管 decision that first contradicts its row (the finding
             shows beside the row) and then agrees with it;
  attendance 全部出席, then one member 缺席;
  roster     a member added in the page (its id one no one holds), then given an id
             another member holds in group.toml as Notepad would: the page still opens and
             saves and names the pair at the member, documents are refused meanwhile; the
             duplicate deleted in the page, the agenda PDF builds again;
  record     an opinion (a member picked), a second one by a member who asked for 不公開,
             and the decisions;
  restart    the editor killed and started again the same way: the same address, the tab
             reconnects, and a decision typed while it was down is saved;
  draft      the draft minutes downloaded (minutes-draft.pdf, read with pdftotext);
  round      the correction round: sent, one member's reply with its correction, the
             correction made in the opinion;
  final      the closing time and the day of the final minutes; minutes.pdf downloaded
             (the 不公開 opinion left out);
  internal   the internal edition downloaded (內部 on it, the 不公開 opinion kept);
  publication the settings the check before the 開放資料包 asks for (機關 OID, the hosting
             address, the listing date) typed where it asks, until it says 已可公開;
  bundle     the 開放資料包 downloaded, the zip opened and its files read (no 不公開 opinion;
             the OID in metadata.csv, the hosting address in resources.csv).

After every stage the page does not scroll sideways (WCAG 2.1 reflow: the document's
scrollWidth within its clientWidth). The stages after the meeting reach their part of the
form through the nav's links (會後: 出席與紀錄, 紀錄草稿與修正, 公開; 小組: 委員名冊).

Every check reads meeting.toml or a downloaded file, never the page's internals; the page
is driven by input names and element ids only (not by its layout). Each stage is one
function in STAGES: a later stage is one more function and one more entry there. A screenshot of each stage goes to
SCREENSHOT_DIR as cycle-<screen>-<nn>-<stage>.png (and the duplicate id named at its member
as cycle-<screen>-<nn>a-duplicate.png). Prints CYCLE OK at the end; any failed
check raises (exit status 1).
"""
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import tomllib
import zipfile
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

packet, series, data, today, screen = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
shots = Path(sys.argv[6]) if len(sys.argv) > 6 and sys.argv[6] else None
size, _, zoom = screen.partition("@")
width, height = (int(n) for n in size.split("x"))
zoom = float(zoom or 1)
tag = size if zoom == 1 else f"{size}-zoom{round(zoom * 100)}"
downloads = Path(tempfile.mkdtemp(prefix="packet-cycle-downloads-"))

DATE = "2025-04-28"          # after 113-2 (2024-10-15): 114 年第 1 次會議
MEETING = "114-1"
ABSENT = "huang"
SPEAKER = "cheng"
ATTACHMENT = series / "113-1" / "attachments" / "21-delisting.csv"
OPINION = "建議下架前先公告周知，並提供替代資料來源。"
CORRECTED = "建議下架前先於資料集頁面公告周知，並提供替代資料來源。"
DECISION_TYPED_OFFLINE = "照案通過；下架前請先於資料集頁面公告 1 個月。"
PRIVATE = "kuo"              # asks that his opinions stay out of the public edition
PRIVATE_OPINION = "下架資料集之使用者名單不宜公開，僅供委員參閱。"
ROSTER = series / "group.toml"
OID = "2.16.886.101.20003"  # the agency's, as the publication check asks for it
HOSTED = "https://www.example.gov.tw/opendata/"
public_marks = {}            # how often the public minutes say 內部 (in their own text)
meeting = series / MEETING / "meeting.toml"


class Editor:
    """`packet` started as a double-click starts it, in the series' folder."""

    def __init__(self):
        self.said = tempfile.NamedTemporaryFile(prefix="packet-cycle-stderr-", delete=False)
        env = dict(os.environ, PACKET_DATA_DIR=data, PACKET_TODAY=today, PACKET_NO_OPEN="1")
        self.process = subprocess.Popen([packet], cwd=series, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.PIPE, stderr=self.said, text=True)
        before = []
        for line in self.process.stdout:
            if line.startswith("http://"):
                self.url = line.strip()
                break
            before.append(line)
        else:
            raise AssertionError(f"no address printed: {''.join(before)}")
        # Read on, as a console does: a closed pipe would fail the editor's next line.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        wait_for("how to stop it, in its window", lambda: "結束編輯器" in Path(self.said.name).read_text(encoding="utf-8"))

    def stop(self):
        self.process.kill()
        self.process.wait()
        Path(self.said.name).unlink(missing_ok=True)


def shot(k, stage, near=None):
    """Stage `k`'s screenshot (`k` a number, or a stage's name for a picture within it),
    scrolled to `near`: an input's name, or `#` and an element's id."""
    if not shots:
        return
    settled()
    if near and near.startswith("#"):
        element(id=near[1:])
    elif near:
        element(near)
    # The preview's pages in sight drawn (for the picture only: nothing is checked on them).
    wait_for("the preview drawn", lambda: driver.execute_script(
        "return [...document.querySelectorAll('#pages img')].every(i => { const r = i.getBoundingClientRect();"
        " return r.bottom < 0 || r.top > innerHeight || (i.complete && i.naturalWidth > 0); })"))
    shots.mkdir(parents=True, exist_ok=True)
    if isinstance(k, str):
        k = f"{[name for name, *_ in STAGES].index(k) + 1:02d}a"
    else:
        k = f"{k:02d}"
    driver.save_screenshot(str(shots / f"cycle-{tag}-{k}-{stage}.png"))


def download(link, name):
    """Click the link with id `link` and wait for the file (a glob); its name and bytes."""
    element(id=link).click()
    return drivers.downloaded(downloads, name)


def pdf_text(pdf):
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return "".join(out.split())


def squash(text):
    return "".join(text.split())


def no_sideways_scroll(stage):
    """WCAG 2.1 reflow: the page never scrolls sideways, at 1366×768 nor at 200 %."""
    width = driver.execute_script("const s = document.scrollingElement; return [s.scrollWidth, s.clientWidth]")
    assert width[0] <= width[1], f"{stage}: the page scrolls sideways ({width[0]} > {width[1]} px)"


def follow(part):
    """The nav's link to `part` (`#sec-…`) followed with the keyboard: its heading focused."""
    settled()
    link = driver.find_element(By.CSS_SELECTOR, f'#sections a[href="{part}"]')
    driver.execute_script("arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)
    wait_for(f"the focus in {part}", lambda: driver.execute_script(
        "return document.activeElement.closest('section.part')?.id") == part[1:])


def roster(path=None):
    """group.toml as it is now, or the value at a field path of it."""
    doc = tomllib.loads(ROSTER.read_text(encoding="utf-8"))
    return doc if path is None else drivers.value_at(doc, path)


def new_meeting():
    driver.get(editor.url)
    wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    # No horizontal scrolling at this size (WCAG 2.1 reflow at 200 %).
    print("page width:", driver.execute_script("return [document.documentElement.scrollWidth, innerWidth]"), flush=True)
    element(id="new-date").send_keys(DATE)
    press("new-meeting")
    wait_for("the new meeting opened", lambda: f"m={MEETING}" in driver.current_url and meeting.is_file())
    wait_for("its form", lambda: driver.find_element(By.NAME, "place"))
    assert str(on_disk("date")) == DATE and on_disk("number") == 1, on_disk()
    # As `packet new`: the tracking item lists every decision still 列管.
    assert on_disk("report[0].track") is True
    assert [r["id"] for r in on_disk("report[0].progress")][0] == "113-1-M1", on_disk("report[0].progress")


def agenda():
    # The tracking item: 113-1-M1 reported on and kept; a decision saying otherwise is a
    # finding beside its row until it agrees.
    type_into("report[0].progress[0].status", "已完成英文詮釋資料欄位規劃，預定 114 年 9 月上線。")
    choose("report[0].progress[0].advice", "繼續列管")
    type_into("report[0].decision", "洽悉，均解除列管。")
    contradiction = lambda: [f for f in driver.find_elements(By.CSS_SELECTOR, "#editor .finding") if "互相矛盾" in f.text]  # noqa: E731
    found = wait_for("the contradiction beside its row", contradiction)
    assert found[0].get_attribute("data-finding-for") == "report[0].progress[0].advice", found[0].get_attribute("data-finding-for")
    type_into("report[0].decision", "洽悉；113-1-M1 繼續列管，其餘解除列管。")
    wait_for("the contradiction gone", lambda: not contradiction())

    press("b-report-add")
    wait_for("the new report", lambda: len(on_disk("report")) == 2 and driver.find_elements(By.NAME, "report[1].title"))
    type_into("report[1].title", "本總處 114 年第 1 季資料開放推動情形，報請鑒察。")
    type_into("report[1].explanation", "1. 本季新增資料集 12 項。\n2. 報請鑒察。", expect="1. 本季新增資料集 12 項。\n2. 報請鑒察。")

    press("b-discussion-add")
    wait_for("the new discussion item", lambda: len(on_disk("discussion") or []) == 1 and driver.find_elements(By.NAME, "discussion[0].title"))
    type_into("discussion[0].title", "本總處擬下架資料集，提請討論。")
    settled()
    element("discussion[0].attachment").send_keys(str(ATTACHMENT))
    wait_for("the attachment uploaded and listed", lambda: on_disk("discussion[0].attachment[0].file") == "attachments/21-delisting.csv")
    assert (meeting.parent / "attachments" / ATTACHMENT.name).read_bytes() == ATTACHMENT.read_bytes()
    type_into("discussion[0].attachment[0].title", "下架資料集項目清單")
    type_into("discussion[0].attachment[0].header_rows", "1", expect=1)


def attendance():
    follow("#sec-record")
    members = [m["id"] for m in roster("member")]
    present = lambda: on_disk("minutes.attendance.present") or []  # noqa: E731
    press("b-all-present")
    wait_for("every member present on disk", lambda: sorted(present()) == sorted(members))
    press(f"f-{ABSENT}-none")
    wait_for("one member 缺席 on disk", lambda: sorted(present()) == sorted(m for m in members if m != ABSENT))
    assert ABSENT not in (on_disk("minutes.attendance.leave") or []), on_disk("minutes.attendance")


def duplicate_member():
    follow("#sec-group")
    before = [m["id"] for m in roster("member")]
    n = len(before)
    # 新增委員 opens a small form; the member is written whole (its kind and gender are
    # chosen, not assumed: without them no meeting would build).
    press("b-group-member-add")
    wait_for("the add form", lambda: driver.find_element(By.ID, "member-add-form").is_displayed())
    driver.find_element(By.ID, "member-add-name").send_keys("王○○")
    Select(driver.find_element(By.ID, "member-add-kind")).select_by_value("機關代表")
    Select(driver.find_element(By.ID, "member-add-gender")).select_by_value("男")
    press("member-add-save")
    wait_for("the member added", lambda: len(roster("member")) == n + 1)
    new_id = roster(f"member[{n}].id")
    assert new_id and new_id not in before, (new_id, before)
    assert (roster(f"member[{n}].name"), roster(f"member[{n}].kind"), roster(f"member[{n}].gender")) == (
        "王○○", "機關代表", "男")
    settled()

    # Notepad: the new member given lin's id, the file saved as a text editor saves it.
    text = ROSTER.read_text(encoding="utf-8")
    assert text.count(f'"{new_id}"') == 1, text
    ROSTER.write_text(text.replace(f'"{new_id}"', '"lin"'), encoding="utf-8")
    said = wait_for("the pair named at the new member", lambda: [
        f.text for f in driver.find_elements(By.CSS_SELECTOR, f'#editor .finding[data-finding-for="member[{n}].id"]')
        if "重複" in f.text])
    assert "「lin」" in said[0] and "林○○" in said[0], said
    shot("roster", "duplicate", f"group.member[{n}].id")
    # The page still works: it saves, and says why a document cannot be made meanwhile.
    type_into("minutes.recorder", "李○○")
    press("pdf-agenda")
    refused = wait_for("the download refused in words", lambda: [
        e for e in driver.find_elements(By.CSS_SELECTOR, "#notices .notice") if "無法下載" in e.text])
    assert "重複" in refused[0].text, refused[0].text
    close = refused[0].find_element(By.XPATH, ".//button[text()='關閉']")
    close.click()
    wait_for("the notice closed", lambda: not driver.find_elements(By.CSS_SELECTOR, "#notices .notice"))
    no_sideways_scroll("roster with a duplicate id")

    # Fixed in the page: the duplicate deleted (its records stay with the first lin).
    follow("#sec-group")
    settled()
    delete = wait_for("the duplicate's delete button", lambda: driver.find_element(
        By.XPATH, f'//fieldset[@data-field="group.member[{n}]"]//button[text()="刪除此委員"]'))
    element_into_view(delete).click()
    wait_for("the question", lambda: driver.switch_to.alert).accept()
    wait_for("the duplicate gone", lambda: [m["id"] for m in roster("member")] == before)
    wait_for("no finding left", lambda: not [f for f in driver.find_elements(By.CSS_SELECTOR, "#editor .finding")
                                             if "重複" in f.text])
    _, pdf = download("pdf-agenda", "*議程.pdf")
    assert squash("本總處擬下架資料集") in pdf_text(pdf), "the agenda builds again"


def element_into_view(e):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", e)
    return e


def record():
    follow("#sec-discussion")
    press("b-discussion[0]-add-opinion")
    wait_for("the opinion added", lambda: len(on_disk("discussion[0].opinion") or []) == 1)
    choose("discussion[0].opinion[0].member", SPEAKER)
    type_into("discussion[0].opinion[0].text", OPINION)
    # A second member's opinion, which he asked to keep out of the public edition.
    press("b-discussion[0]-add-opinion")
    wait_for("the second opinion added", lambda: len(on_disk("discussion[0].opinion") or []) == 2)
    choose("discussion[0].opinion[1].member", PRIVATE)
    type_into("discussion[0].opinion[1].text", PRIVATE_OPINION)
    press(f"f-private-{PRIVATE}")
    wait_for("不公開 on disk", lambda: PRIVATE in (on_disk("minutes.private") or []))
    type_into("discussion[0].decision", "照案通過。")
    type_into("report[1].decision", "洽悉。")
    type_into("minutes.recorder", "王○○")


def restart():
    global editor
    settled()
    url = editor.url
    editor.stop()
    decision = element("discussion[0].decision")
    decision.send_keys(Keys.CONTROL, "a")
    decision.send_keys(DECISION_TYPED_OFFLINE, Keys.TAB)
    wait_for("the page says it is not connected", lambda: "未連線" in driver.find_element(By.ID, "status").text)
    assert on_disk("discussion[0].decision") == "照案通過。"
    assert driver.find_element(By.NAME, "discussion[0].decision").get_attribute("value") == DECISION_TYPED_OFFLINE
    editor = Editor()
    assert editor.url == url, (editor.url, url)
    wait_for("the typing saved once the editor is back", lambda: on_disk("discussion[0].decision") == DECISION_TYPED_OFFLINE)
    wait_for("the page says saved or reconnected",
             lambda: driver.find_element(By.ID, "status").text in ("已儲存", "已重新連線"))
    # The lost connection's notice (fixed at the top of the page) goes by itself.
    wait_for("the lost connection's notice gone",
             lambda: not driver.find_elements(By.CSS_SELECTOR, '#notices .notice[data-key="offline"]'))


def draft():
    assert on_disk("minutes.end") is None, "a draft: no closing time yet"
    press("show-minutes")
    name, pdf = download("pdf-minutes", "*紀錄*.pdf")
    assert re.fullmatch(r"\d+年第\d+次會議紀錄（草稿）\.pdf", name), name
    text = pdf_text(pdf)
    assert "紀錄草稿" in text, "the draft is marked as one"
    for words in [OPINION, DECISION_TYPED_OFFLINE, "本總處擬下架資料集"]:
        assert squash(words) in text, (words, text)


def correction_round():
    follow("#sec-corrections")
    settled()
    sent = element("corrections.sent")
    sent.send_keys("2025-05-02", Keys.TAB)
    wait_for("sent on disk", lambda: str(on_disk("corrections.sent")) == "2025-05-02")
    settled()
    received = element(id=f"f-reply-{SPEAKER}-received")
    received.send_keys("2025-05-06", Keys.TAB)
    wait_for("the reply on disk", lambda: (on_disk("corrections.reply") or [{}])[0].get("member") == SPEAKER)
    type_into("corrections.reply[0].text", f"本人發言請修正為「{CORRECTED}」")
    type_into("corrections.reply[0].changed", "已依委員意見修正發言內容。")
    # The correction made in the record itself.
    type_into("discussion[0].opinion[0].text", CORRECTED)


def final():
    type_into("minutes.end", "16:00")
    settled()
    final_day = element("corrections.final")
    final_day.send_keys("2025-05-15", Keys.TAB)
    wait_for("the final day on disk", lambda: str(on_disk("corrections.final")) == "2025-05-15")
    name, pdf = download("pdf-minutes", "*紀錄*.pdf")
    assert re.fullmatch(r"\d+年第\d+次會議紀錄\.pdf", name), name
    text = pdf_text(pdf)
    assert squash(CORRECTED) in text and squash(OPINION) not in text, text
    assert "草稿" not in text, "the final minutes are no draft"
    assert squash(PRIVATE_OPINION) not in text, "the public edition leaves the 不公開 opinion out"
    public_marks["內部"] = text.count("內部")


def internal():
    name, pdf = download("pdf-minutes-internal", "*紀錄*.pdf")
    assert re.fullmatch(r"\d+年第\d+次會議紀錄（內部）\.pdf", name), name
    text = pdf_text(pdf)
    assert squash(PRIVATE_OPINION) in text and squash(CORRECTED) in text, text
    pages = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    marks = text.count("內部") - public_marks["內部"]
    assert marks >= count, f"內部 on every one of its {count} pages ({marks} more than the public edition)"
    assert "草稿" not in text


def publication():
    box = element(id="publication-box")
    driver.execute_script("arguments[0].open = true", box)
    summary = lambda: driver.find_element(By.ID, "publication-summary").text  # noqa: E731
    assert "待處理" in summary(), summary()
    todo = driver.find_element(By.ID, "publication-todo").text
    assert "機關 OID" in todo and "存放網址" in todo, todo
    for key, value in [("publisher_oid", OID), ("base_url", HOSTED), ("listed", "2017-05-01")]:
        settled()
        field = element(id=f"pub-open_data-{key}")
        field.send_keys(Keys.CONTROL, "a")
        field.send_keys(Keys.DELETE)
        field.send_keys(value, Keys.TAB)
        wait_for(f"open_data.{key} on disk", lambda: str(roster(f"open_data.{key}")) == value)
    wait_for("nothing left before the publication", lambda: "已可公開" in summary())
    steps = driver.find_element(By.ID, "publication-steps").text
    assert HOSTED in steps and "data.gov.tw" in steps, steps


def bundle():
    follow("#sec-publish")
    name, data = download("bundle", "*.zip")
    files = zipfile.ZipFile(io.BytesIO(data))
    names = set(files.namelist())
    for f in ["agenda.pdf", "minutes.pdf", "items.csv", "decisions.csv", "opinions.csv", "attendance.csv",
              "tracking.csv", "meeting.json", "datapackage.json"]:
        assert f in names, (f, sorted(names))

    def rows(f):
        return list(csv.DictReader(io.StringIO(files.read(f).decode("utf-8-sig"))))

    absent = [r for r in rows("attendance.csv") if r["委員代號"] == ABSENT]
    assert absent and absent[0]["出席情形"] == "缺席", absent
    assert all(r["出席情形"] == "出席" for r in rows("attendance.csv") if r["委員代號"] != ABSENT)
    opinions = rows("opinions.csv")
    assert any(r.get("委員代號") == SPEAKER and r["發言要旨"] == CORRECTED for r in opinions), opinions
    assert not any(PRIVATE_OPINION in "".join(r.values()) for r in opinions), "no 不公開 opinion published"
    items = {r["案件代號"]: r for r in rows("items.csv")}
    assert items[f"{MEETING}-D1"]["決定（議）"].startswith("照案通過；下架前"), items
    dataset = rows("metadata.csv")
    assert len(dataset) == 1 and dataset[0]["提供機關OID"].startswith(OID), dataset
    links = [v for r in rows("resources.csv") for v in r.values() if v.startswith("http")]
    assert links and all(v.startswith(HOSTED) for v in links), links
    kept = [r for r in rows("tracking.csv") if r["列管案件代號"] == "113-1-M1"]
    assert kept and kept[0]["列管結果"] == "繼續列管", kept
    minutes = pdf_text(files.read("minutes.pdf"))
    assert squash(CORRECTED) in minutes and "草稿" not in minutes
    assert squash(PRIVATE_OPINION) not in minutes and "minutes-internal.pdf" not in names
    agenda_text = pdf_text(files.read("agenda.pdf"))
    assert "下架資料集項目清單" in agenda_text and "空氣污染排放帳" in agenda_text, "the uploaded table in the agenda"
    print("bundle:", name, len(names), "files", flush=True)


# The cycle, in order: (stage, what it does, the input a screenshot shows it beside).
STAGES = [
    ("new", new_meeting, "place"),
    ("agenda", agenda, "discussion[0].attachment[0].title"),
    ("attendance", attendance, f"#f-{ABSENT}-none"),
    ("roster", duplicate_member, "#b-group-member-add"),
    ("record", record, "discussion[0].opinion[0].text"),
    ("restart", restart, "#status"),
    ("draft", draft, "#pdf-minutes"),
    ("round", correction_round, "corrections.reply[0].text"),
    ("final", final, "minutes.end"),
    ("internal", internal, "#pdf-minutes-internal"),
    ("publication", publication, "#publication-box"),
    ("bundle", bundle, "#bundle"),
]

editor = Editor()
driver = drivers.start(width, height, downloads=downloads, zoom=zoom)
form = drivers.Form(driver, meeting)
on_disk, element, type_into, choose, press, settled = (
    form.on_disk, form.element, form.type_into, form.choose, form.press, form.settled)
try:
    for k, (stage, run, near) in enumerate(STAGES, 1):
        run()
        no_sideways_scroll(stage)
        print("stage done:", stage, flush=True)
        shot(k, stage, near)
    print("CYCLE OK", flush=True)
finally:
    driver.quit()
    editor.stop()
    shutil.rmtree(downloads, ignore_errors=True)
