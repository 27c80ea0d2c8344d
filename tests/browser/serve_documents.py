"""The meeting's page downloads, in a real browser: the 開會通知單, the 簽到表 and the
calendar invitation beside the agenda's and minutes' buttons; a download clicked right
after typing has what was typed (the page saves it first); 全部出席 in a new meeting.

Usage: serve_documents.py URL SERIES [SCREENSHOT_DIR]

Creates the meeting after the last one (every member 缺席), marks one member 請假, presses
全部出席 and checks meeting.toml: every other member present, the leave kept. Then on
113-1 types a place and at once clicks 下載開會通知單 PDF (the field left by the click),
and types another and at once starts 下載行事曆邀請 from the keyboard's Enter on the
link, the field not left: each file downloaded has the place typed (pdftotext; Python
icalendar). Last, an impossible date typed into 113-1's date: refused beside the field,
the file unchanged, the input marked invalid, then a ROC date accepted; and the 書函's
button showing once a change is recorded. Prints DOCUMENTS OK at the end; any failed
check raises (exit status 1).
"""
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import drivers
import icalendar
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

url, series = sys.argv[1], Path(sys.argv[2])
shots = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
downloads = Path(tempfile.mkdtemp(prefix="packet-downloads-"))


def downloaded(name):
    """The bytes of `name` once the browser has saved it whole (then removed, so that the
    next download of that name gets the same name)."""
    path = downloads / name

    def whole():
        partial = [p for p in downloads.iterdir() if p.suffix in (".crdownload", ".part")]
        return path.is_file() and path.stat().st_size > 0 and not partial

    wait_for(f"{name} downloaded", whole)
    time.sleep(0.3)  # the browser renames the file into place once it is complete
    data = path.read_bytes()
    path.unlink()
    return data


def roster():
    return [m["id"] for m in tomllib.loads((series / "group.toml").read_text(encoding="utf-8"))["member"]]


driver = drivers.start(downloads=downloads)
settled = lambda: drivers.settled(driver)  # noqa: E731
try:
    # 1. A new meeting: every member starts 缺席; one is on leave; 全部出席 for the rest.
    driver.get(url + "?m=113-2")
    wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    driver.find_element(By.ID, "new-date").send_keys("2025-04-28")
    driver.find_element(By.ID, "new-meeting").click()
    meeting = wait_for("the new meeting", lambda: next(
        (d / "meeting.toml" for d in series.iterdir() if (d / "meeting.toml").is_file()
         and tomllib.loads((d / "meeting.toml").read_text(encoding="utf-8")).get("date").isoformat() == "2025-04-28"), None))
    wait_for("the new meeting opened", lambda: f"m={meeting.parent.name}" in driver.current_url)
    members = [m for m in roster()]
    wait_for("every member 缺席", lambda: all(driver.find_element(By.ID, f"f-{m}-none").is_selected() for m in members))
    on_leave = members[1]
    settled()
    driver.find_element(By.ID, f"f-{on_leave}-leave").click()
    attendance = lambda: tomllib.loads(meeting.read_text(encoding="utf-8")).get("minutes", {}).get("attendance", {})  # noqa: E731
    wait_for("the leave on disk", lambda: attendance().get("leave") == [on_leave])
    settled()
    button = driver.find_element(By.ID, "b-all-present")
    assert button.text == "全部出席", button.text
    driver.execute_script("arguments[0].scrollIntoView()", button)
    button.click()
    wait_for("every other member present on disk", lambda: sorted(attendance().get("present", [])) == sorted(m for m in members if m != on_leave))
    assert attendance().get("leave") == [on_leave], attendance()
    wait_for("the radios show it", lambda: all(driver.find_element(By.ID, f"f-{m}-{'leave' if m == on_leave else 'present'}").is_selected() for m in members))
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(shots / "serve-all-present.png"))

    # 2. 113-1: the documents' buttons beside the others; the 書函 only with a change.
    driver.get(url + "?m=113-1")
    place = wait_for("113-1's form", lambda: driver.find_element(By.NAME, "place"))
    wait_for("113-1 shown", lambda: place.get_attribute("value") == "行政院第 9 會議室")
    settled()
    for link, words in [("pdf-notice", "開會通知單 PDF"), ("odt-notice", "開會通知單 ODT"), ("pdf-signin", "簽到表 PDF"),
                        ("odt-signin", "簽到表 ODT"), ("ics", "行事曆邀請")]:
        a = driver.find_element(By.ID, link)
        assert a.is_displayed() and words in a.text, (link, a.text)
        assert "api/download" in a.get_attribute("href") and "m=113-1" in a.get_attribute("href"), a.get_attribute("href")
    assert not driver.find_element(By.ID, "pdf-notice-change").is_displayed()

    # 3. Typed, and the download clicked at once (the click leaves the field: its save is
    # under way as the download starts).
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("第 5 會議室")
    driver.find_element(By.ID, "pdf-notice").click()
    pdf = downloaded("113年第1次會議開會通知單.pdf")
    assert pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "第5會議室" in "".join(text.split()), text

    # 4. Typed, and the invitation started by Enter on its link, the field never left:
    # its save is still waiting for the typing's pause.
    settled()
    place = driver.find_element(By.NAME, "place")
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("第 6 會議室")
    driver.execute_script("document.getElementById('ics').click()")
    ics = icalendar.Calendar.from_ical(downloaded("113年第1次會議.ics"))
    event = next(e for e in ics.walk("VEVENT") if str(e["UID"]).endswith("-meeting@packet"))
    assert str(event["LOCATION"]) == "第 6 會議室", event["LOCATION"]
    # The sign-in sheet as ODT: an ODF package.
    driver.find_element(By.ID, "odt-signin").click()
    assert downloaded("113年第1次會議簽到表.odt").startswith(b"PK")
    wait_for("the page says it", lambda: "已下載" in driver.find_element(By.ID, "status").text)
    if shots:
        driver.save_screenshot(str(shots / "serve-downloads.png"))

    # 5. An impossible date: refused at its field, nothing written, the page never says
    # 已儲存; the field keeps what was typed until it is corrected.
    settled()
    before = (series / "113-1" / "meeting.toml").read_bytes()
    date = driver.find_element(By.NAME, "date")
    date.send_keys(Keys.CONTROL, "a")
    date.send_keys("2024-02-30", Keys.TAB)
    refusal = wait_for("the refusal beside the date", lambda: driver.find_element(By.CSS_SELECTOR, '[data-field="date"] .finding.refused').text)
    assert "無效的日期「2024-02-30」" in refusal and "未儲存" in refusal, refusal
    settled()
    assert (series / "113-1" / "meeting.toml").read_bytes() == before, "nothing written"
    assert "已儲存" not in driver.find_element(By.ID, "status").text.replace("未儲存", ""), driver.find_element(By.ID, "status").text
    assert driver.find_element(By.NAME, "date").get_attribute("value") == "2024-02-30"
    assert driver.find_element(By.NAME, "date").get_attribute("aria-invalid") == "true"
    if shots:
        driver.execute_script("document.querySelector('[data-field=\"date\"]').scrollIntoView()")
        driver.save_screenshot(str(shots / "serve-refused-date.png"))
    date = driver.find_element(By.NAME, "date")
    date.send_keys(Keys.CONTROL, "a")
    date.send_keys("113-04-29", Keys.TAB)
    wait_for("the ROC date on disk", lambda: 'date = "113-04-29"' in (series / "113-1" / "meeting.toml").read_text(encoding="utf-8"))
    wait_for("the refusal gone", lambda: not driver.find_elements(By.CSS_SELECTOR, '[data-field="date"] .finding.refused'))
    assert driver.find_element(By.NAME, "date").get_attribute("aria-invalid") is None

    # 6. A change of date or place recorded (here by another editor): the 書函's button shows.
    text = (series / "113-1" / "meeting.toml").read_text(encoding="utf-8")
    text = text.replace("[minutes]", '[notice.change]\ndate = 2024-04-22\ntime = "14:30"\nplace = "行政院第 9 會議室"\n\n[minutes]', 1)
    (series / "113-1" / "meeting.toml").write_text(text, encoding="utf-8")
    wait_for("the 書函's button", lambda: driver.find_element(By.ID, "pdf-notice-change").is_displayed())
    print("DOCUMENTS OK")
finally:
    driver.quit()
