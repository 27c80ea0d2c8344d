"""The preview shows what is typed before it is saved, and follows the item being edited
(`packet serve`, headless Chromium).

Usage: serve_draft.py URL MEETING_TOML [SCREENSHOT_DIR]

Holds every save back (the page's fetch of api/edit waits until the script lets it go),
types into the place field and checks that the first preview page changes while the
meeting.toml on disk is byte for byte as it was; lets the saves go and checks that the
file then holds the text and that the preview of the saved file is the very pages the
draft showed. Then focuses a field of discussion[0] and checks that the preview scrolled
to the page the server names for that item.
Prints DRAFT OK at the end; any failed check raises (exit status 1).
"""
import sys
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By

url, meeting = sys.argv[1], Path(sys.argv[2])

HOLD_SAVES = """
window.__held = [];
const real = window.fetch;
window.fetch = (address, init) => String(address).includes('api/edit')
  ? new Promise(go => window.__held.push(go)).then(() => real(address, init))
  : real(address, init);
window.__release = () => { const held = window.__held; window.fetch = real; held.forEach(go => go()); };
"""

driver = drivers.start()
try:
    driver.get(url + "?m=113-1")
    place = wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    first = wait_for("the preview", lambda: driver.execute_script(
        "const img = document.querySelector('#pages img');"
        "return img && img.complete && img.naturalWidth > 0 && img.dataset.hash"))
    drivers.settled(driver)
    before = meeting.read_bytes()
    driver.execute_script(HOLD_SAVES)

    place.click()
    place.send_keys("甲乙丙")
    # Every keystroke shown (the page marks the newest keystroke its pages include once
    # they are on the screen), the first page changed.
    wait_for("the three keystrokes shown", lambda: driver.execute_script(
        "return document.documentElement.dataset.typed === '3'"
        " && document.querySelector('#pages').dataset.shown === '3'"), timeout=30)
    shown = driver.execute_script(
        "const img = document.querySelector('#pages img');"
        "return img.complete && img.naturalWidth > 0 && img.dataset.hash")
    assert shown and shown != first, (shown, first)
    assert meeting.read_bytes() == before, "nothing is written while the saves are held"
    drafted = driver.execute_script("return document.querySelector('#pages').dataset.pages")
    assert drafted.split(",")[0] == shown

    # The save after the pause is sent (and held); the file is still as it was.
    wait_for("the save sent after the pause", lambda: driver.execute_script("return window.__held.length"))
    assert meeting.read_bytes() == before, "nothing is written while the saves are held"
    driver.execute_script("window.__release()")
    wait_for("the place saved", lambda: "行政院第 9 會議室甲乙丙" in meeting.read_text(encoding="utf-8"))
    drivers.settled(driver)
    saved = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch('api/preview?m=113-1&doc=agenda').then(r => r.json()).then(p => done(p))")
    assert ",".join(saved["pages"]) == drafted, "the saved file's pages are the ones the draft showed"
    assert saved["pages"][0] == shown

    # The preview follows the item being edited: a field of discussion[0] in focus.
    page = saved["items"]["discussion[0]"]
    assert page > 0, saved["items"]
    field = driver.find_element(By.NAME, "discussion[0].title")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
    field.click()
    wait_for("the preview at discussion[0]'s page", lambda: driver.execute_script(
        "const pv = document.querySelector('#preview');"
        "const img = document.querySelector('#pages').children[arguments[0]];"
        "return Math.abs(img.getBoundingClientRect().top - pv.getBoundingClientRect().top) < 4", page), timeout=20)
    assert driver.execute_script("return document.querySelector('#pages').dataset.follows") == "discussion[0]"
    print("DRAFT OK")
finally:
    driver.quit()
