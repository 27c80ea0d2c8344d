"""The roster's duplicate id, the publication and the internal minutes, in a real browser.

Usage: serve_publish.py URL SERIES DUPLICATE [SCREENSHOT_DIR]

group.toml holds two members with the id `lin` (member DUPLICATE, added as in Notepad):
the page opens 113-1, says at that member (委員名冊) that the id is a duplicate, and the
id typed anew there is written (although `lin` is in use); the finding goes. 新增委員 opens
a small form: pressed with 類別 and 性別 unchosen it writes nothing and says why at each
field; chosen, the member is written whole with an id no other holds. Then the minutes made a draft again (散會時間
cleared): the 開放資料包 link says why in words beside it and downloads nothing, and the
publication check opens. The end time typed back, the agency's OID and hosting address
typed into the check's settings: written to group.toml, their warnings gone. The bundle
downloads (a zip with minutes.pdf) and the listing date still missing is said beside the
link; an impossible listing date is refused beside its input, a real one clears the
check (已可公開). The whole series' dataset: refused beside its link while 113-1 is a
draft; once final, the check lists the 3 meetings and the warning, it downloads (the
series' files) and says the warning after; the steps say it is the one to upload. The internal minutes download with the 不公開 opinion and 內部 (pdftotext). Prints
PUBLISH OK at the end; any failed check raises (exit status 1).
"""
import subprocess
import sys
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

url, series, duplicate = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
shots = Path(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else None
downloads = Path(tempfile.mkdtemp(prefix="packet-downloads-"))
meeting = series / "113-1" / "meeting.toml"
PRIVATE = "白金標章資料集的抽查方式建議再與國家發展委員會確認"


def group():
    return tomllib.loads((series / "group.toml").read_text(encoding="utf-8"))


def downloaded(name):
    path = downloads / name

    def whole():
        partial = [p for p in downloads.iterdir() if p.suffix in (".crdownload", ".part")]
        return path.is_file() and path.stat().st_size > 0 and not partial

    wait_for(f"{name} downloaded", whole)
    time.sleep(0.3)
    return path


def typed(element, text):
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()
    element.clear()
    element.send_keys(text, Keys.TAB)


driver = drivers.start(1366, 768, downloads=downloads)
settled = lambda: drivers.settled(driver)  # noqa: E731
try:
    # 1. The duplicate id: said at the member, in words; renamed there.
    driver.get(url + "?m=113-1")
    wait_for("the form", lambda: driver.find_element(By.NAME, "place"))
    settled()
    at = f"group.member[{duplicate}].id"
    finding = wait_for("the duplicate's finding", lambda: driver.find_element(
        By.CSS_SELECTOR, f'[data-finding-for="member[{duplicate}].id"]'))
    said = finding.get_attribute("textContent")
    assert "重複" in said and "「lin」" in said and "member" not in said, said
    roster = driver.find_element(By.CSS_SELECTOR, 'details[data-field="group.member"] > summary')
    driver.execute_script("arguments[0].scrollIntoView()", roster)
    roster.click()
    typed(driver.find_element(By.ID, f"f-{at}"), "lin2")
    wait_for("lin2 on disk", lambda: group()["member"][duplicate]["id"] == "lin2")
    wait_for("the finding gone", lambda: not driver.find_elements(
        By.CSS_SELECTOR, f'[data-finding-for="member[{duplicate}].id"]'))
    settled()
    before = [m["id"] for m in group()["member"]]
    add = driver.find_element(By.ID, "b-group-member-add")
    driver.execute_script("arguments[0].scrollIntoView()", add)
    add.click()
    # 新增委員 opens a small form: pressed with 類別 and 性別 unchosen, nothing is written
    # and the reason is said at each field (the meetings would not load without them).
    form = wait_for("the add form", lambda: driver.find_element(By.ID, "member-add-form").is_displayed()
                    and driver.find_element(By.ID, "member-add-form"))
    assert driver.switch_to.active_element == driver.find_element(By.ID, "member-add-name")
    driver.find_element(By.ID, "member-add-name").send_keys("王○○")
    driver.find_element(By.ID, "member-add-save").click()
    why = wait_for("the reason at 類別", lambda: driver.find_element(By.ID, "member-add-kind-why"))
    assert "類別" in why.text and driver.find_element(By.ID, "member-add-gender-why").is_displayed(), form.text
    assert driver.switch_to.active_element == driver.find_element(By.ID, "member-add-kind")
    if shots:
        driver.execute_script("arguments[0].scrollIntoView()", form)
        driver.save_screenshot(str(shots / "serve-member-add.png"))
    time.sleep(0.5)
    assert len(group()["member"]) == len(before), "nothing written"
    Select(driver.find_element(By.ID, "member-add-kind")).select_by_value("民間代表")
    Select(driver.find_element(By.ID, "member-add-gender")).select_by_value("女")
    driver.find_element(By.ID, "member-add-save").click()
    wait_for("a new member", lambda: len(group()["member"]) == len(before) + 1)
    added = group()["member"][-1]
    assert added["id"] and added["id"] not in before, (added, before)
    assert (added["name"], added["kind"], added["gender"]) == ("王○○", "民間代表", "女"), added
    settled()
    wait_for("the form closed", lambda: not driver.find_element(By.ID, "member-add-form").is_displayed())

    # 2. The bundle before the minutes are final: refused beside the link, in words.
    settled()
    typed(driver.find_element(By.NAME, "minutes.end"), "")
    wait_for("the end cleared on disk", lambda: "end" not in tomllib.loads(meeting.read_text(encoding="utf-8"))["minutes"])
    settled()
    wait_for("the draft in the check", lambda: "待處理" in driver.find_element(By.ID, "publication-summary").text)
    link = driver.find_element(By.ID, "bundle")
    driver.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    why = wait_for("the reason", lambda: driver.find_element(By.ID, "bundle-why").is_displayed() and driver.find_element(By.ID, "bundle-why"))
    assert "會議紀錄尚未定稿" in why.text and "散會時間" in why.text, why.text
    assert driver.switch_to.active_element == why, "the reason has the focus"
    assert driver.find_element(By.ID, "publication-box").get_attribute("open") is not None, "the check opened"
    # The series' dataset refused too, in words beside its link (113-1 is a held meeting).
    series_link = driver.find_element(By.ID, "series-bundle")
    wait_for("the series check", lambda: "尚未定稿" in driver.find_element(By.ID, "series-said").text)
    series_link.click()
    why = wait_for("the series' reason", lambda: driver.find_element(By.ID, "series-why").is_displayed()
                   and driver.find_element(By.ID, "series-why"))
    assert "尚未定稿" in why.text and "散會時間" in why.text and "allow" not in why.text, why.text
    time.sleep(1)
    assert not list(downloads.iterdir()), list(downloads.iterdir())
    if shots:
        driver.save_screenshot(str(shots / "serve-publish-refused.png"))

    # 3. Final again; the agency's settings typed into the check: written, warnings gone.
    typed(driver.find_element(By.NAME, "minutes.end"), "16:10")
    wait_for("the end on disk", lambda: tomllib.loads(meeting.read_text(encoding="utf-8"))["minutes"].get("end") == "16:10")
    settled()
    typed(driver.find_element(By.ID, "pub-open_data-publisher_oid"), "2.16.886.101.20003")
    wait_for("the OID on disk", lambda: group().get("open_data", {}).get("publisher_oid") == "2.16.886.101.20003")
    settled()
    typed(driver.find_element(By.ID, "pub-open_data-base_url"), "https://www.example.gov.tw/opendata/")
    wait_for("the address on disk", lambda: group().get("open_data", {}).get("base_url") == "https://www.example.gov.tw/opendata/")
    settled()
    todo = driver.find_element(By.ID, "publication-todo")
    wait_for("one thing left", lambda: "尚有 1 項待處理" in driver.find_element(By.ID, "publication-summary").text)
    assert "機關 OID" not in todo.text and "存放網址" not in todo.text and "上架日期" in todo.text, todo.text
    steps = driver.find_element(By.ID, "publication-steps").text
    assert "https://www.example.gov.tw/opendata/" in steps and "data.gov.tw" in steps, steps
    if shots:
        driver.execute_script("arguments[0].scrollIntoView()", driver.find_element(By.ID, "publication-box"))
        driver.save_screenshot(str(shots / "serve-publish.png"))

    # 4. The bundle downloads, the missing listing date said beside the link.
    link = driver.find_element(By.ID, "bundle")
    driver.execute_script("arguments[0].scrollIntoView()", link)
    link.click()
    zipped = downloaded("113年第1次會議開放資料包.zip")
    names = zipfile.ZipFile(zipped).namelist()
    assert "minutes.pdf" in names and not any("internal" in n for n in names), names
    why = driver.find_element(By.ID, "bundle-why")
    assert why.is_displayed() and "上架日期" in why.text, why.text

    # The whole series' dataset, the one to upload: what goes in and the warning said
    # before; downloaded (the files packet export <series> makes); the warning said after.
    said = driver.find_element(By.ID, "series-said")
    wait_for("the series check", lambda: "收錄已舉行的 3 次會議" in said.text and "上架日期" in said.text)
    assert "尚不能" not in said.text, said.text
    series_link = driver.find_element(By.ID, "series-bundle")
    assert "上傳這一個" in series_link.text, series_link.text
    series_link.click()
    zipped = downloaded("dgbas-dataset.zip")
    names = zipfile.ZipFile(zipped).namelist()
    assert "index.csv" in names and "113-1-minutes.pdf" in names and "112-2-agenda.pdf" in names, names
    wait_for("what the command says", lambda: "已下載全系列資料集" in said.text and "上架日期" in said.text)
    assert not driver.find_element(By.ID, "series-why").is_displayed()
    steps = driver.find_element(By.ID, "publication-steps").text
    assert "上傳的是「全系列資料集」" in steps and "不要另外上傳" in steps, steps
    if shots:
        driver.execute_script("arguments[0].scrollIntoView()", series_link)
        driver.save_screenshot(str(shots / "serve-publish-series.png"))

    # An impossible listing date: refused beside its input, kept as typed; then a real one.
    settled()
    listed = driver.find_element(By.ID, "pub-open_data-listed")
    typed(listed, "2020-02-30")
    wait_for("the refusal beside it", lambda: "未儲存" in listed.find_element(By.XPATH, "..").text)
    assert listed.get_attribute("value") == "2020-02-30", listed.get_attribute("value")
    assert "listed" not in group().get("open_data", {}), group()["open_data"]
    settled()
    typed(listed, "2017-05-01")
    wait_for("the listing date on disk", lambda: str(group()["open_data"].get("listed")) == "2017-05-01")
    wait_for("nothing left", lambda: "已可公開" in driver.find_element(By.ID, "publication-summary").text)

    # 5. The internal minutes: the 不公開 opinion kept, marked 內部.
    link = driver.find_element(By.ID, "pdf-minutes-internal")
    assert "內部，不公開" in link.text, link.text
    link.click()
    pdf = downloaded("113年第1次會議紀錄（內部）.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squashed = "".join(text.split())
    assert PRIVATE in squashed and "內部" in text, text[:2000]
    print("PUBLISH OK")
finally:
    driver.quit()
