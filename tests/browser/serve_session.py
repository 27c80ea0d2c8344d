"""A secretary's session in `packet serve`, in headless Chromium (selenium).

Usage: serve_session.py URL MEETING_TOML [SCREENSHOT_DIR]

Opens the printed URL (and, without the token, gets refused), changes `place`, adds an
opinion, ticks attendance with the keyboard, and checks the meeting.toml on disk (every
comment kept), that the preview changed, and that a check finding (the quorum of civil
members) appears beside the attendance and goes away; then a change made in another
editor reaching the form, a roster edit landing in group.toml, and two tabs writing the
same field (the later wins, the first tab is told).
Prints SESSION OK at the end; any failed check raises (exit status 1).
"""
import re
import functools
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.common.exceptions import (ElementNotInteractableException, NoSuchElementException,
                                        StaleElementReferenceException)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

url, meeting = sys.argv[1], Path(sys.argv[2])
shots = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None


def comments(text):
    return [line for line in text.splitlines() if "#" in line]


def on_disk():
    return tomllib.loads(meeting.read_text(encoding="utf-8"))




original = meeting.read_text(encoding="utf-8")
driver = drivers.start()
settled = functools.partial(drivers.settled, driver)
try:
    # Without the token: refused.
    origin = re.match(r"(http://[^/]+)/", url).group(1)
    driver.get(origin + "/")
    assert "拒絕" in driver.find_element(By.TAG_NAME, "body").text, driver.page_source[:300]

    driver.get(url + "?m=113-1")
    place = wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    # The three deadlines beside the date (2024-04-29: official calendar, nothing 暫定).
    deadlines = wait_for("the deadlines", lambda: driver.find_element(By.ID, "deadlines").text)
    assert "會議資料送達委員：2024-04-22" in deadlines and "暫定" not in deadlines, deadlines
    assert place.get_attribute("value") == "行政院第 9 會議室"
    first_page = wait_for("the preview", lambda: driver.find_element(By.CSS_SELECTOR, "#pages img").get_attribute("data-hash"))
    wait_for("page 1 drawn", lambda: driver.execute_script(
        "const i = document.querySelector('#pages img'); return i.complete && i.naturalWidth > 0"))
    if shots:
        shots.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(shots / "serve-editor.png"))

    # 1. The place, typed with the keyboard and left with Tab.
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("行政院第 3 會議室", Keys.TAB)
    wait_for("place on disk", lambda: 'place = "行政院第 3 會議室"' in meeting.read_text(encoding="utf-8"))
    wait_for("the preview's first page redrawn", lambda: driver.find_element(
        By.CSS_SELECTOR, "#pages img").get_attribute("data-hash") != first_page)

    # 2. An opinion on the first discussion item, the speaker chosen from the roster.
    before = len(driver.find_elements(By.CSS_SELECTOR, '[data-field="discussion[0].opinion"] .opinion'))
    driver.find_element(By.CSS_SELECTOR, '[aria-label="討論事項 第一案 新增意見"]').click()
    new = f"discussion[0].opinion[{before}]"
    speaker = wait_for("the new opinion", lambda: driver.find_element(By.NAME, f"{new}.member"))
    Select(speaker).select_by_value("lin")
    wait_for("speaker on disk", lambda: on_disk()["discussion"][0]["opinion"][before].get("member") == "lin")
    # With a member chosen, the form is redrawn without the unit box.
    wait_for("the form redrawn", lambda: not driver.find_elements(By.NAME, f"{new}.unit"))
    text = wait_for("the opinion text box", lambda: driver.find_element(By.NAME, f"{new}.text"))
    text.send_keys("建議下架前先公告 30 日。", Keys.TAB)
    wait_for("opinion on disk", lambda: on_disk()["discussion"][0]["opinion"][before]["text"] == "建議下架前先公告 30 日。")

    # 2b. The tracking item's 辦理情形 for a decision still 列管, and a 臨時動議's 決議.
    status = driver.find_element(By.NAME, "report[1].progress[0].status")
    status.send_keys("已於 113 年 3 月完成。", Keys.TAB)
    wait_for("辦理情形 on disk", lambda: on_disk()["report"][1]["progress"][0]["status"] == "已於 113 年 3 月完成。")
    motion = driver.find_element(By.NAME, "minutes.motion[0].decision")
    motion.send_keys(Keys.CONTROL, "a")
    motion.send_keys("照案通過。", Keys.TAB)
    wait_for("the motion's decision on disk", lambda: on_disk()["minutes"]["motion"][0]["decision"] == "照案通過。")

    # 2c. An attachment uploaded for the second discussion item.
    upload_dir = Path(tempfile.mkdtemp(prefix="packet-upload-"))
    table = upload_dir / "下載 統計.csv"
    table.write_text("年度,件數\n113,12\n", encoding="utf-8")
    driver.find_element(By.NAME, "discussion[1].attachment").send_keys(str(table))
    saved = meeting.parent / "attachments" / "下載-統計.csv"
    wait_for("the upload in attachments/", lambda: saved.is_file() and saved.read_text(encoding="utf-8") == table.read_text(encoding="utf-8"))
    wait_for("the upload listed on the item", lambda: on_disk()["discussion"][1]["attachment"][-1]["file"] == "attachments/下載-統計.csv")

    # 3. Attendance: two civil members on leave → fewer than 3 civil members present: the
    # quorum finding appears beside the attendance; ticked present again, it goes away.
    def quorum_finding():
        found = driver.find_elements(By.CSS_SELECTOR, '[data-field="minutes.attendance"] .finding, #general-findings .finding')
        return [f.text for f in found if "第四點第三款" in f.text]

    assert not quorum_finding()
    def press(element_id, key):
        """Focus a radio and press a key; the form may be redrawn meanwhile (a later
        change arriving), so a stale element is looked up again before the key is sent."""
        for _ in range(100):
            try:
                radio = driver.find_element(By.ID, element_id)
                driver.execute_script("arguments[0].focus()", radio)
                radio.send_keys(key)
                return
            except (StaleElementReferenceException, NoSuchElementException, ElementNotInteractableException):
                time.sleep(0.1)
        raise AssertionError(f"could not press a key on {element_id}")

    for member in ["cheng", "kuo"]:
        # By keyboard: focus the member's 出席 radio, arrow key to 代理, again to 請假.
        press(f"f-{member}-present", Keys.ARROW_RIGHT)
        wait_for(f"{member} delegated", lambda: f"{member} = " in meeting.read_text(encoding="utf-8"))
        press(f"f-{member}-delegate", Keys.ARROW_RIGHT)
        wait_for(f"{member} on leave", lambda: re.search(r'leave = \[[^\]]*"' + member, meeting.read_text(encoding="utf-8")))
    wait_for("the quorum finding", quorum_finding)
    if shots:
        driver.execute_script("document.querySelector('[data-field=\"minutes.attendance\"]').scrollIntoView()")
        driver.save_screenshot(str(shots / "serve-attendance.png"))
    for member in ["cheng", "kuo"]:
        press(f"f-{member}-present", Keys.SPACE)
        wait_for(f"{member} present", lambda: re.search(r'present = \[[^\]]*"' + member, meeting.read_text(encoding="utf-8")))
    wait_for("the quorum finding gone", lambda: not quorum_finding())

    # 4. Another editor changes the file: the form shows it without a reload.
    text = meeting.read_text(encoding="utf-8").replace('place = "行政院第 3 會議室"', 'place = "行政院第 8 會議室"')
    meeting.write_text(text, encoding="utf-8")
    wait_for("the outside change in the form", lambda: driver.find_element(By.NAME, "place").get_attribute("value") == "行政院第 8 會議室")

    # 4b. A table attachment's merged cells, typed as words: a TOML list on disk.
    merge = wait_for("the merge field", lambda: driver.find_element(By.NAME, "discussion[0].attachment[2].merge"))
    driver.execute_script("let d = arguments[0].closest('details'); while (d) { d.open = true; d = d.parentElement.closest('details'); } arguments[0].scrollIntoView()", merge)
    assert merge.get_attribute("value") == "A1:A2 C1:G1 H1:H2", merge.get_attribute("value")
    merge.send_keys(Keys.CONTROL, "a")
    merge.send_keys("A1:A2, C1:G1", Keys.TAB)
    wait_for("the merge list on disk", lambda: on_disk()["discussion"][0]["attachment"][2].get("merge") == ["A1:A2", "C1:G1"])

    # 5. The roster (group.toml): a member's title.
    group = meeting.parent.parent / "group.toml"
    group_comments = [l for l in group.read_text(encoding="utf-8").splitlines() if "#" in l]
    driver.find_element(By.CSS_SELECTOR, 'details[data-field="group.member"] summary').click()
    title = wait_for("the roster", lambda: driver.find_element(By.NAME, "group.member[1].title"))
    title.send_keys(Keys.CONTROL, "a")
    title.send_keys("特聘教授", Keys.TAB)
    wait_for("the title in group.toml", lambda: tomllib.loads(group.read_text(encoding="utf-8"))["member"][1]["title"] == "特聘教授")

    # 5b. The group's settings (group.toml): a day count and a check box. (The member's
    # new title redraws the form: the roster names members everywhere.)
    settled()
    driver.find_element(By.CSS_SELECTOR, 'details[data-field="group"] summary').click()
    days = wait_for("the settings", lambda: driver.find_element(By.NAME, "group.rules.materials_days"))
    days.send_keys("7", Keys.TAB)
    wait_for("the day count in group.toml", lambda: tomllib.loads(group.read_text(encoding="utf-8"))["rules"].get("materials_days") == 7)
    settled()
    driver.find_element(By.NAME, "group.publish_gender").send_keys(Keys.SPACE)
    wait_for("publish_gender in group.toml", lambda: tomllib.loads(group.read_text(encoding="utf-8")).get("publish_gender") is True)
    assert [l for l in group.read_text(encoding="utf-8").splitlines() if "#" in l] == group_comments, "group.toml's comments"

    # 5c. Typing while the form is drawn anew (an opinion added, here by a script; in use
    # by another tab or a click a moment before): no character lost, the caret stays.
    settled()
    recorder_before = on_disk()["minutes"]["recorder"]
    motion_opinions = len(on_disk()["minutes"]["motion"][0].get("opinion", []))
    driver.execute_script(
        "document.querySelector('[aria-label=\"臨時動議 第一案 新增意見\"]').click();"
        "const e = document.getElementsByName('minutes.recorder')[0]; e.focus(); e.setSelectionRange(999, 999)")
    typed = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳"  # over 0.6 s: the redraw comes mid-word
    for ch in typed:
        ActionChains(driver).send_keys(ch).perform()
        time.sleep(0.04)
    wait_for("the opinion added", lambda: len(on_disk()["minutes"]["motion"][0].get("opinion", [])) == motion_opinions + 1)
    try:
        wait_for("every character typed on disk", lambda: on_disk()["minutes"]["recorder"] == recorder_before + typed, timeout=20)
    except AssertionError:
        raise AssertionError(f"typed {recorder_before + typed!r}, on disk {on_disk()['minutes']['recorder']!r}, "
                             f"in the form {driver.find_element(By.NAME, 'minutes.recorder').get_attribute('value')!r}")
    assert driver.execute_script("return document.activeElement.name") == "minutes.recorder"

    # 5d. The keyboard stays on what it pressed: after 新增意見 on the new opinion's
    # speaker, after 刪除此意見 on 新增意見; a speaker picked by arrow keys and taken
    # back keeps the unit that was typed.
    settled()
    add = driver.find_element(By.CSS_SELECTOR, '[aria-label="臨時動議 第一案 新增意見"]')
    driver.execute_script("arguments[0].focus()", add)
    add.send_keys(Keys.SPACE)
    new = f"minutes.motion[0].opinion[{motion_opinions + 1}]"
    wait_for("focus on the new opinion's speaker", lambda: driver.execute_script("return document.activeElement.name") == f"{new}.member")
    unit = driver.find_element(By.NAME, f"{new}.unit")
    unit.send_keys("主計資訊處")
    wait_for("the unit on disk", lambda: on_disk()["minutes"]["motion"][0]["opinion"][motion_opinions + 1].get("unit") == "主計資訊處")
    settled()
    speaker = driver.find_element(By.NAME, f"{new}.member")
    driver.execute_script("arguments[0].focus()", speaker)
    speaker.send_keys(Keys.ARROW_DOWN)
    wait_for("a member picked", lambda: on_disk()["minutes"]["motion"][0]["opinion"][motion_opinions + 1].get("member"))
    settled()
    driver.find_element(By.NAME, f"{new}.member").send_keys(Keys.ARROW_UP)
    wait_for("the unit back", lambda: on_disk()["minutes"]["motion"][0]["opinion"][motion_opinions + 1].get("unit") == "主計資訊處"
             and "member" not in on_disk()["minutes"]["motion"][0]["opinion"][motion_opinions + 1])
    for j in [motion_opinions + 1, motion_opinions]:  # the two added, without text: no question asked
        settled()
        remove = driver.find_element(By.ID, f"b-minutes.motion[0].opinion[{j}]-remove")
        driver.execute_script("arguments[0].focus()", remove)
        remove.send_keys(Keys.SPACE)
        wait_for("the opinion removed", lambda: len(on_disk()["minutes"]["motion"][0].get("opinion", [])) == j)
        wait_for("focus on 新增意見", lambda: driver.execute_script("return document.activeElement.id") == "b-minutes.motion[0]-add-opinion")

    # 5e. Moving an item a later meeting reports on: refused, said on the page, nothing
    # written (113-2 reports on 113-1-D1).
    settled()
    before_move = meeting.read_text(encoding="utf-8")
    driver.find_element(By.CSS_SELECTOR, '[aria-label="討論事項 第一案 下移"]').click()
    wait_for("the refusal shown", lambda: "113-2" in driver.find_element(By.ID, "notices").text)
    assert meeting.read_text(encoding="utf-8") == before_move

    # 6. Two tabs edit the same field: the later write wins and the first tab is told.
    first_tab = driver.current_window_handle
    driver.switch_to.new_window("tab")
    driver.get(url + "?m=113-1")
    place = wait_for("the form in tab 2", lambda: driver.find_element(By.NAME, "place"))
    wait_for("tab 2 loaded", lambda: place.get_attribute("value") == "行政院第 8 會議室")
    driver.switch_to.window(first_tab)
    place = driver.find_element(By.NAME, "place")
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("甲會議室", Keys.TAB)
    wait_for("tab 1's place on disk", lambda: on_disk()["place"] == "甲會議室")
    second_tab = [h for h in driver.window_handles if h != first_tab][0]
    driver.switch_to.window(second_tab)
    place = driver.find_element(By.NAME, "place")
    wait_for("tab 2 shows tab 1's place", lambda: place.get_attribute("value") == "甲會議室")
    place.send_keys(Keys.CONTROL, "a")
    place.send_keys("乙會議室", Keys.TAB)
    wait_for("tab 2's place on disk", lambda: on_disk()["place"] == "乙會議室")
    driver.switch_to.window(first_tab)
    wait_for("tab 1 told", lambda: "另一個分頁" in driver.find_element(By.ID, "notices").text)
    wait_for("tab 1 shows the later write", lambda: driver.find_element(By.NAME, "place").get_attribute("value") == "乙會議室")

    # 7. The file on disk: every comment the person wrote is still there, in order.
    now = meeting.read_text(encoding="utf-8")
    assert comments(now) == comments(original), "comments changed"
    assert 'place = "乙會議室"' in now
    print("SESSION OK")
finally:
    driver.quit()
