"""建立下一次會議 starting a new term, in headless Chromium (selenium).

Usage: serve_term.py URL SERIES YEARLY_URL [SCREENSHOT_DIR]

URL serves SERIES, a group numbered by term whose last meeting is 第 3 屆第 2 次 (3-2).
The group's settings show its numbering as 依屆次編號 (not an empty choice). Beside the
next meeting's date the page offers 開始新的一屆：第 4 屆 (unticked); ticked with the
keyboard, the new meeting is 4-1 (meeting.toml: term 4, number 1) and opens, and the offer
then says 第 5 屆 (a screenshot of the ticked offer: serve-new-term.png). YEARLY_URL
serves a group numbered by year: no offer there.
Prints TERM OK at the end; any failed check raises (exit status 1).
"""
import sys
import tomllib
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

url, series, yearly = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
shots = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None

driver = drivers.start(1366, 768)
try:
    driver.get(url + "?m=3-2")
    choice = wait_for("the offer of a new term", lambda: (lambda c: c if c.is_displayed() else None)(
        driver.find_element(By.ID, "new-term-choice")))
    assert choice.text == "開始新的一屆：第 4 屆", choice.text
    # The group's settings say how it numbers (not an empty choice a click would change).
    numbering = Select(driver.find_element(By.NAME, "group.numbering")).first_selected_option
    assert numbering.get_attribute("value") == "term", numbering.get_attribute("value")
    tick = driver.find_element(By.ID, "new-term")
    assert not tick.is_selected(), "the term runs on unless the secretary says otherwise"
    drivers.settled(driver)
    driver.find_element(By.ID, "new-date").send_keys("2026-06-16")
    tick.send_keys(Keys.SPACE)
    assert tick.is_selected()
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(shots / "serve-new-term.png"))
    driver.find_element(By.ID, "new-meeting").send_keys(Keys.ENTER)
    created = series / "4-1" / "meeting.toml"
    wait_for("第 4 屆第 1 次 opened", lambda: "m=4-1" in driver.current_url and created.is_file())
    doc = tomllib.loads(created.read_text(encoding="utf-8"))
    assert (doc["term"], doc["number"]) == (4, 1), doc
    assert not (series / "3-3").exists()
    wait_for("the next offer", lambda: driver.find_element(By.ID, "new-term-choice").text == "開始新的一屆：第 5 屆")
    assert not driver.find_element(By.ID, "new-term").is_selected()

    driver.get(yearly + "?m=113-1")
    wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    drivers.settled(driver)
    assert not driver.find_element(By.ID, "new-term-choice").is_displayed(), "a group numbered by year has no term"
    print("TERM OK")
finally:
    driver.quit()
