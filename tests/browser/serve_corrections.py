"""The correction round of the draft minutes in a real browser (Chromium).

Usage: serve_corrections.py URL SERIES [SCREENSHOT_DIR]

On 113-1 types the day the draft was sent: the page shows the reply deadline the server
counted and every member 視同無意見 (the test's today is past it). Types a member's reply
day: the member's standing turns to 回復 and the reply is on disk; types the corrections
and what was changed into the row that appears: both on disk in [[corrections.reply]].
The record's download link shows once the round exists. Then 討論事項一's 表決 (舉手, 贊成
7), a 記名 vote by member (贊成, then changed to 反對) and 利益迴避 (a member, the
reason), and 未表決 removing the vote. Prints CORRECTIONS OK at the
end; any failed check raises (exit status 1).
"""
import sys
import tomllib
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.select import Select

url, series = sys.argv[1], Path(sys.argv[2])
shots = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
meeting = series / "113-1" / "meeting.toml"


def round_on_disk():
    return tomllib.loads(meeting.read_text(encoding="utf-8")).get("corrections", {})


def state_of(member):
    return driver.find_element(By.ID, f"round-state-{member}").text


driver = drivers.start()
settled = lambda: drivers.settled(driver)  # noqa: E731
try:
    driver.get(url + "?m=113-1")
    sent = wait_for("the round's sent day", lambda: driver.find_element(By.NAME, "corrections.sent"))
    assert not driver.find_element(By.ID, "pdf-corrections").is_displayed(), "no record before the round"
    settled()
    driver.execute_script("arguments[0].scrollIntoView()", sent)
    sent.send_keys("2024-05-08", Keys.TAB)
    wait_for("sent on disk", lambda: str(round_on_disk().get("sent")) == "2024-05-08")
    deadline = wait_for("the deadline shown", lambda: driver.find_element(By.ID, "round-deadline").text)
    assert "113 年 5 月 20 日" in deadline, deadline
    members = [m["id"] for m in tomllib.loads((series / "group.toml").read_text(encoding="utf-8"))["member"]]
    first = members[0]
    wait_for("every member 視同無意見", lambda: all(state_of(m) == "視同無意見" for m in members))
    wait_for("the record's link", lambda: driver.find_element(By.ID, "pdf-corrections").is_displayed())

    settled()
    received = driver.find_element(By.ID, f"f-reply-{first}-received")
    driver.execute_script("arguments[0].scrollIntoView()", received)
    received.send_keys("2024-05-10", Keys.TAB)
    wait_for(f"{first} 回復", lambda: state_of(first) == "回復")
    reply = round_on_disk()["reply"][0]
    assert reply["member"] == first and str(reply["received"]) == "2024-05-10", reply
    assert state_of(members[1]) == "視同無意見", state_of(members[1])
    summary = driver.find_element(By.ID, "round-summary").text
    assert "已回復 1 人" in summary, summary

    settled()
    text = wait_for("the reply's corrections field", lambda: driver.find_element(By.NAME, "corrections.reply[0].text"))
    # Tab after the day received leads to the reply's 修正意見 box it opened (drawn before
    # the next member's row), not past it.
    assert driver.switch_to.active_element == text, driver.switch_to.active_element.get_attribute("id")
    text.send_keys("第 3 頁「資料品質」請改為「資料品質指標」。")
    changed = driver.find_element(By.NAME, "corrections.reply[0].changed")
    changed.send_keys("已修正。", Keys.TAB)
    wait_for("the reply's text on disk", lambda: round_on_disk()["reply"][0].get("text") == "第 3 頁「資料品質」請改為「資料品質指標」。")
    wait_for("what was changed on disk", lambda: round_on_disk()["reply"][0].get("changed") == "已修正。")
    settled()
    words = driver.find_element(By.CSS_SELECTOR, '[data-field="corrections"]').text
    assert "corrections" not in words, "Chinese words only"
    if shots:
        driver.execute_script("document.querySelector('[data-field=\"corrections\"]').scrollIntoView()")
        driver.save_screenshot(str(shots / "serve-corrections.png"))

    # An item's vote and recusal: 舉手 opens the counts; a member picked withdraws.
    settled()
    method = Select(driver.find_element(By.NAME, "discussion[0].vote.method"))
    driver.execute_script("arguments[0].scrollIntoView()", method._el)
    method.select_by_value("舉手")
    item = lambda: tomllib.loads(meeting.read_text(encoding="utf-8"))["discussion"][0]  # noqa: E731
    wait_for("the vote on disk", lambda: item().get("vote", {}).get("method") == "舉手")
    settled()
    votes_for = wait_for("the count fields", lambda: driver.find_element(By.NAME, "discussion[0].vote.for"))
    votes_for.send_keys("7", Keys.TAB)
    wait_for("贊成 on disk", lambda: item()["vote"].get("for") == 7)
    settled()
    Select(driver.find_element(By.ID, "f-discussion[0].recusal.add")).select_by_value(members[1])
    driver.find_element(By.ID, "b-discussion[0]-add-recusal").click()
    wait_for("the recusal on disk", lambda: item().get("recusal", [{}])[0].get("member") == members[1])
    settled()
    reason = wait_for("the reason field", lambda: driver.find_element(By.NAME, "discussion[0].recusal[0].reason"))
    reason.send_keys("擔任本案受託廠商之顧問", Keys.TAB)
    wait_for("the reason on disk", lambda: item()["recusal"][0].get("reason") == "擔任本案受託廠商之顧問")
    # 記名: each member's vote kept in the lists of ids; a vote changed moves the id.
    settled()
    Select(driver.find_element(By.NAME, "discussion[0].vote.method")).select_by_value("記名")
    wait_for("記名 on disk", lambda: item()["vote"].get("method") == "記名")
    settled()
    radio = wait_for("the roll call", lambda: driver.find_element(By.ID, f"f-discussion[0]-vote-{first}-for_members"))
    driver.execute_script("arguments[0].scrollIntoView()", radio)
    radio.click()
    wait_for("贊成 by name on disk", lambda: item()["vote"].get("for_members") == [first])
    settled()
    driver.find_element(By.ID, f"f-discussion[0]-vote-{first}-against_members").click()
    wait_for("the vote moved to 反對", lambda: item()["vote"].get("against_members") == [first] and not item()["vote"].get("for_members"))
    if shots:
        driver.save_screenshot(str(shots / "serve-vote.png"))
    settled()
    Select(driver.find_element(By.NAME, "discussion[0].vote.method")).select_by_value("")
    wait_for("未表決 removes the vote", lambda: "vote" not in item())
    print("CORRECTIONS OK")
finally:
    driver.quit()
