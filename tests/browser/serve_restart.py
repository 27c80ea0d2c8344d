"""An open tab across a restart of `packet serve`: the same address works again, and what
was typed while the editor was closed stays in the page and is saved once it is back.

Usage: serve_restart.py PACKET SERIES DATA_DIR TODAY [SCREENSHOT_DIR]

Starts the editor itself (PACKET_DATA_DIR=DATA_DIR, where the address is kept), types a
place into 113-1's form, stops the editor, types another while it is down, starts it
again and checks: the page saying 未連線 (and in full in a notice at the top, gone by
itself once the editor is back), the same address printed, the typing on disk, 已儲存,
a change made outside after the restart reaching the form, and the address working in a
new page load. Prints RESTART OK at the end; any failed check raises (exit status 1).
"""
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

packet, series, data, today = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[4]
meeting = series / "113-1" / "meeting.toml"
env = dict(os.environ, PACKET_DATA_DIR=data, PACKET_TODAY=today)


def start():
    server = subprocess.Popen([packet, "serve", "--no-open", str(series)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env)
    return server, server.stdout.readline().strip()


def place_on_disk():
    return tomllib.loads(meeting.read_text(encoding="utf-8")).get("place")


def type_place(driver, text):
    place = wait_for("the place field", lambda: driver.find_element(By.NAME, "place"))
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys(text, Keys.TAB)


server, url = start()
driver = drivers.start()
try:
    driver.get(url + "?m=113-1")
    wait_for("the form", lambda: driver.find_element(By.NAME, "place").get_attribute("value") == "行政院第 9 會議室")
    type_place(driver, "行政院第 3 會議室")
    wait_for("place on disk", lambda: place_on_disk() == "行政院第 3 會議室")
    drivers.settled(driver)

    server.kill()
    server.wait()
    type_place(driver, "行政院第 5 會議室")
    wait_for("the page says it is not connected", lambda: driver.find_element(By.ID, "status").text == "未連線")
    # Said in full where the person is looking: a notice at the top of the window.
    offline = wait_for("the notice of it", lambda: driver.find_element(By.CSS_SELECTOR, '#notices [data-key="offline"]'))
    assert offline.get_attribute("role") == "alert" and "輸入的內容會在重新連線後儲存" in offline.text, offline.text
    assert place_on_disk() == "行政院第 3 會議室"
    assert driver.find_element(By.NAME, "place").get_attribute("value") == "行政院第 5 會議室"

    server, again = start()
    assert again == url, (again, url)
    wait_for("the typing saved once the editor is back", lambda: place_on_disk() == "行政院第 5 會議室")
    # Saved, and no longer saying 未連線 (whichever of the save and the wait for changes answered last).
    wait_for("the page says saved or reconnected",
             lambda: driver.find_element(By.ID, "status").text in ("已儲存", "已重新連線"))
    drivers.settled(driver)
    # Back in touch: the notice that it was not is gone by itself.
    wait_for("the notice gone", lambda: not driver.find_elements(By.CSS_SELECTOR, '#notices [data-key="offline"]'))

    # Another editor's change after the restart reaches the open tab.
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("行政院第 5 會議室", "行政院第 6 會議室"),
                       encoding="utf-8")
    wait_for("the outside change in the form",
             lambda: driver.find_element(By.NAME, "place").get_attribute("value") == "行政院第 6 會議室")

    # The address as a bookmark: a new page load.
    driver.get(url + "?m=113-1")
    wait_for("the form at the kept address",
             lambda: driver.find_element(By.NAME, "place").get_attribute("value") == "行政院第 6 會議室")
    print("RESTART OK", flush=True)
finally:
    driver.quit()
    server.kill()
