"""What is late, and a broken settings file, as the page shows them (headless Chromium).

Usage: serve_marks.py URL SERIES [SCREENSHOT_DIR]

URL serves SERIES (the example dgbas, today pinned after 113-1's deadlines, nothing sent
on record): the 期限 line beside 113-1's date marks all three deadlines 已逾期，尚未記錄.
Then group.toml is saved with a quote left open: the 委員名冊與小組設定 part stays, its
nav link leads to it, and it says 小組設定檔第 N 行：引號未結束 with no parser English.
Prints MARKS OK at the end; any failed check raises (exit status 1).
"""
import sys
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By

url, series = sys.argv[1], Path(sys.argv[2])

driver = drivers.start(1366, 768)
try:
    driver.get(url + "?m=113-1")
    line = wait_for("the deadlines", lambda: (lambda e: e if e.text.startswith("期限") else None)(
        driver.find_element(By.ID, "deadlines")))
    assert line.text.count("（已逾期，尚未記錄）") == 3, line.text

    group = series / "group.toml"
    text = group.read_text(encoding="utf-8")
    broken = text.replace('name = "政府資料開放諮詢小組"', 'name = "政府資料開放諮詢小組', 1)
    assert broken != text
    number = broken.splitlines().index('name = "政府資料開放諮詢小組') + 1
    group.write_text(broken, encoding="utf-8")
    said = wait_for("the settings part's message", lambda: (lambda e: e if e.text else None)(
        driver.find_element(By.ID, "group-error")))
    assert f"小組設定檔第 {number} 行：引號未結束" in said.text, said.text
    for english in ("invalid", "expected", "TOML"):
        assert english not in driver.find_element(By.TAG_NAME, "body").text, english
    link = driver.find_element(By.CSS_SELECTOR, 'a[href="#sec-group"]')
    assert driver.find_element(By.ID, "sec-group").is_displayed()
    link.click()
    assert said.is_displayed()
    print("MARKS OK")
finally:
    driver.quit()
