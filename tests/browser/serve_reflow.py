"""The editor at 1366×768 and at 200% zoom (683×384 CSS px), with the keyboard, in headless
Chromium (selenium).

Usage: serve_reflow.py URL MEETING_TOML [SCREENSHOT_DIR]

At each size: the page never scrolls sideways (in every view: 全部, 會前, 會後); every nav
link moves the keyboard into its part of the form; 新增討論事項 is reached within a few Tab
presses from the nav and from the top of the page (the counts are printed); a refused save
says so in a notice that stays in view while the page scrolls, until its 關閉 button is
pressed; a refused upload says so beside its control, which is emptied; and the text the
page shows has no file names, command words, field paths or English error words, also
when a check's message names group.toml and a field path (a speaker not on the roster,
typed in another editor).
Prints REFLOW OK at the end; any failed check raises (exit status 1).
"""
import datetime
import re
import sys
import tempfile
from pathlib import Path

import drivers
from drivers import wait_for
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

url, meeting = sys.argv[1], Path(sys.argv[2])
shots = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
# A 臨時動議 whose speaker is not on the roster, as another editor would add it: `packet
# check` says 委員代號「nobody」不在委員名冊中 at minutes.motion[1].opinion[0].member.
STRANGER = '\n[[minutes.motion]]\nunit = "主計總處"\ntitle = "名冊外的發言者"\n\n[[minutes.motion.opinion]]\nmember = "nobody"\ntext = "意見"\n'

# Words a secretary does not use, and field paths (`discussion[0].title`).
BANNED = ["Markdown", "packet", "group.toml", "meeting.toml", "attachments/", "Forbidden", "Not Found", "TOML",
          "![", "命令列安裝", "calendar add"]
PATH = re.compile(r"\b[a-z_]+(\.[a-z_]+)*\[\d+\]")
# Tab presses allowed: from the nav's 討論事項 (followed with Enter) to 新增討論事項, and from
# the top of the page in the 會前 view (skip links, header, view switch, nav, Enter, Tab).
FROM_NAV, FROM_TOP = 2, 15


def js(driver, script, *args):
    return driver.execute_script(script, *args)


def no_sideways_scroll(driver, where):
    width = js(driver, "const s = document.scrollingElement; return [s.scrollWidth, s.clientWidth]")
    assert width[0] <= width[1], f"{where}: the page scrolls sideways ({width[0]} > {width[1]} px)"
    # Nothing wider than the window inside a part that scrolls itself either (the preview).
    wide = js(driver, """return [...document.querySelectorAll('#editor *, #sections *, header *')]
        .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + (e.id ? '#' + e.id : '') + (e.name ? '[' + e.name + ']' : '')).slice(0, 5)""")
    assert not wide, f"{where}: cut off at the right edge: {wide}"


def shown_text_is_plain(driver, where):
    # Folded parts opened: what they hold is shown text too.
    js(driver, "for (const d of document.querySelectorAll('details')) d.open = true")
    text = js(driver, "return document.body.innerText")
    for word in BANNED:
        assert word.lower() not in text.lower(), f"{where}: the page shows {word!r}: …{text[max(0, text.lower().find(word.lower()) - 80):][:200]}…"
    found = PATH.search(text)
    assert not found, f"{where}: the page shows a field path {found.group(0)!r}: …{text[max(0, found.start() - 80):][:200]}…"
    assert "packet" not in driver.title.lower(), driver.title


def tab(driver):
    ActionChains(driver).send_keys(Keys.TAB).perform()
    return js(driver, "return document.activeElement.id")


def tabs_to(driver, target, limit):
    for n in range(1, limit + 1):
        if tab(driver) == target:
            return n
    raise AssertionError(f"{target} not reached in {limit} Tab presses (at {js(driver, 'return document.activeElement.outerHTML.slice(0, 120)')})")


def follow(driver, href, label):
    """The nav link, followed with the keyboard: the focus lands inside its part."""
    link = driver.find_element(By.CSS_SELECTOR, f'#sections a[href="{href}"]')
    js(driver, "arguments[0].focus()", link)
    link.send_keys(Keys.ENTER)
    wait_for(f"{label}: focus in {href}", lambda: js(driver, "return document.activeElement.closest('section.part')?.id") == href[1:])
    top = js(driver, "return document.activeElement.getBoundingClientRect().top")
    assert -2 <= top < js(driver, "return innerHeight"), f"{label}: {href}'s heading is out of view (top {top})"


def session(width, height, scale):
    driver = drivers.start(width, height)
    size = f"{width}x{height}"
    try:
        # The viewport exactly, in CSS px, at the screen's device pixels per CSS px: 683×384
        # at 2 is a 1366×768 screen zoomed to 200%.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": scale, "mobile": False})
        driver.get(url + "?m=113-1")
        wait_for("the form", lambda: driver.find_element(By.NAME, "discussion[0].title"))
        drivers.settled(driver)
        inner = js(driver, "return [innerWidth, innerHeight, devicePixelRatio]")
        assert inner == [width, height, scale], f"the viewport is {inner}, not {[width, height, scale]}"
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
            if width > 1000:  # the preview beside the form (at 200% it is below, drawn when scrolled to)
                wait_for("the preview drawn", lambda: js(driver,
                    "const i = document.querySelector('#pages img'); return i && i.complete && i.naturalWidth > 0"))
            driver.save_screenshot(str(shots / f"serve-editor-{size}.png"))
        js(driver, "document.querySelector('#views [data-view=all]').click()")

        # 1. No sideways scroll in any view; the shown text is plain.
        for view in ["all", "before", "after"]:
            js(driver, f"document.querySelector('#views [data-view={view}]').click()")
            no_sideways_scroll(driver, f"{size} {view}")
        js(driver, "document.querySelector('#views [data-view=all]').click()")
        shown_text_is_plain(driver, size)
        # Views: 會前 hides the attendance and the opinions, 會後 the agenda's materials.
        js(driver, "document.querySelector('#views [data-view=before]').click()")
        assert not driver.find_element(By.ID, "sec-record").is_displayed()
        assert not driver.find_element(By.NAME, "discussion[0].decision").is_displayed()
        assert driver.find_element(By.NAME, "discussion[0].explanation").is_displayed()
        assert driver.find_element(By.ID, "show-agenda").get_attribute("aria-pressed") == "true"
        js(driver, "document.querySelector('#views [data-view=after]').click()")
        assert driver.find_element(By.ID, "show-minutes").get_attribute("aria-pressed") == "true", "會後 shows the minutes"
        assert driver.find_element(By.ID, "sec-record").is_displayed()
        assert driver.find_element(By.NAME, "discussion[0].decision").is_displayed()
        assert not driver.find_element(By.NAME, "discussion[0].explanation").is_displayed()

        # 2. Every nav link moves the keyboard into its part (the view follows the link).
        js(driver, "document.querySelector('#views [data-view=before]').click()")
        for link in driver.find_elements(By.CSS_SELECTOR, "#sections a[href^='#sec-']"):
            follow(driver, link.get_attribute("href")[link.get_attribute("href").index("#"):], f"{size} {link.text}")
        assert js(driver, "return document.querySelector('#editor').dataset.view") == "after", "a 會後 link shows the 會後 view"

        # 3. 新增討論事項 in a few Tab presses: from the nav, and from the top of the page.
        js(driver, "document.querySelector('#views [data-view=before]').click()")
        follow(driver, "#sec-discussion", f"{size} 討論事項")
        from_nav = tabs_to(driver, "b-discussion-add", FROM_NAV)
        assert driver.switch_to.active_element.text == "新增討論事項"
        driver.get(url + "?m=113-1")  # the view chosen is kept (會前)
        wait_for("the form again", lambda: driver.find_element(By.NAME, "discussion[0].title"))
        drivers.settled(driver)
        assert js(driver, "return document.querySelector('#editor').dataset.view") == "before"
        top = 0
        while not js(driver, "const a = document.activeElement; return a.tagName === 'A' && a.getAttribute('href') === '#sec-discussion'"):
            tab(driver)
            top += 1
            assert top < 40, "the nav's 討論事項 not reached from the top"
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        top += tabs_to(driver, "b-discussion-add", FROM_NAV)
        assert top <= FROM_TOP, top
        print(f"{size}: Tab presses to 新增討論事項: {from_nav} from the nav's 討論事項, {top} from the top of the page (and one Enter)")

        # 4. A refused save (113-2 reports on 討論事項 第一案: it cannot move) is said in a
        # notice that stays in view after scrolling, until its 關閉 is pressed.
        js(driver, "document.querySelector('#views [data-view=all]').click()")
        down = driver.find_element(By.CSS_SELECTOR, '[aria-label="討論事項 第一案 下移"]')
        js(driver, "arguments[0].focus()", down)
        down.send_keys(Keys.ENTER)
        note = wait_for("the refusal's notice", lambda: driver.find_element(By.CSS_SELECTOR, "#notices .notice"))
        assert "113-2" in note.text and note.get_attribute("role") == "alert", note.text
        assert js(driver, "return document.querySelector('#status').textContent") == "未儲存"
        js(driver, "window.scrollTo(0, document.scrollingElement.scrollHeight)")
        wait_for("scrolled", lambda: js(driver, "return scrollY") > 500)
        box = js(driver, "const r = arguments[0].getBoundingClientRect(); return [r.top, r.bottom, innerHeight]", note)
        assert 0 <= box[0] and box[1] <= box[2], f"{size}: the notice left the view when scrolled: {box}"
        if shots:
            driver.save_screenshot(str(shots / f"serve-notice-{size}.png"))
        close = note.find_element(By.XPATH, ".//button[text()='關閉']")
        js(driver, "arguments[0].focus()", close)
        close.send_keys(Keys.ENTER)
        wait_for("the notice closed", lambda: not driver.find_elements(By.CSS_SELECTOR, "#notices .notice"))
        js(driver, "window.scrollTo(0, 0)")

        # 5. A refused upload: said beside its control, the control emptied.
        with tempfile.TemporaryDirectory() as tmp:
            bad = Path(tmp) / "議程.exe"
            bad.write_bytes(b"MZ")
            upload = driver.find_element(By.ID, "f-discussion[0].upload")
            upload.send_keys(str(bad))
            said = wait_for("the refusal beside the upload", lambda: driver.find_element(
                By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused').text)
        assert "未上傳「議程.exe」" in said, said
        drivers.settled(driver)
        upload = driver.find_element(By.ID, "f-discussion[0].upload")
        assert upload.get_attribute("value") == "", upload.get_attribute("value")
        assert upload.get_attribute("aria-describedby") == "err-f-discussion[0].upload"
        shown_text_is_plain(driver, f"{size} after the refusals")
        driver.find_element(By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused button').send_keys(Keys.ENTER)
        wait_for("the upload's message closed", lambda: not driver.find_elements(By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused'))
        # 5b. A damaged PDF is refused there too, with the reason in words (the build would stop on it).
        with tempfile.TemporaryDirectory() as tmp:
            fake = Path(tmp) / "假的.pdf"
            fake.write_bytes(bytes((i * 97 + 13) % 256 for i in range(3000)))
            driver.find_element(By.ID, "f-discussion[0].upload").send_keys(str(fake))
            said = wait_for("the damaged PDF refused beside the upload", lambda: driver.find_element(
                By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused').text)
        assert "未上傳「假的.pdf」" in said and "不是 PDF 檔" in said, said
        driver.find_element(By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused button').send_keys(Keys.ENTER)
        wait_for("the upload's message closed", lambda: not driver.find_elements(By.CSS_SELECTOR, '[data-upload="f-discussion[0].upload"] .upload-refused'))

        # 6. Beside an opinion of a member ticked 不公開 (hsieh) or 不記名 (kuo): what the public
        # minutes do with it; nothing beside the others.
        notes = js(driver, """return [...document.querySelectorAll('#editor .left-out')].map(n =>
            [document.getElementById('f-' + n.dataset.opinion + '.member').value, n.hidden ? '' : n.textContent])""")
        said = dict((m, t) for m, t in notes if m in ("hsieh", "kuo"))
        assert said.get("hsieh") == "不公開：不列入公開版紀錄" and said.get("kuo", "").startswith("不記名："), notes
        assert all(t == "" for m, t in notes if m not in ("hsieh", "kuo")) and len(notes) > 2, notes

        # 7. 下一次會議日期 is empty, a plausible date only its hint (113-1 is not the last
        # meeting: two weeks from today at least); the nav's 下載 brings the preview's toolbar
        # into view with the keyboard on it.
        new_date = driver.find_element(By.ID, "new-date")
        hint = new_date.get_attribute("placeholder")
        assert new_date.get_attribute("value") == "" and re.fullmatch(r"如 \d{4}-\d{2}-\d{2}", hint), hint
        assert hint[2:] > datetime.date.today().isoformat(), hint
        assert datetime.date.fromisoformat(hint[2:]).weekday() < 5, hint
        to_downloads = driver.find_element(By.CSS_SELECTOR, '#sections a[href="#downloads"]')
        js(driver, "arguments[0].focus()", to_downloads)
        to_downloads.send_keys(Keys.ENTER)
        wait_for("the keyboard on the downloads", lambda: js(driver, "return document.activeElement.id") == "downloads")
        top = js(driver, "return document.getElementById('downloads').getBoundingClientRect().top")
        assert -2 <= top < js(driver, "return innerHeight"), f"{size}: the downloads out of view (top {top})"
        assert tab(driver) == "show-agenda"

        if width > 1000:
            # 8. The attendance table beside the preview: no name or column name broken over lines.
            js(driver, "document.querySelector('#views [data-view=all]').click()")
            broken = js(driver, """return [...document.querySelectorAll('table.attendance th')].filter(th => {
                const r = document.createRange(); r.selectNodeContents(th); return r.getClientRects().length > 1;
            }).map(th => th.textContent)""")
            assert not broken, f"{size}: broken over lines: {broken}"
            wrapped = js(driver, """return [...document.querySelectorAll('table.attendance [role=radiogroup]')].filter(g =>
                new Set([...g.querySelectorAll('label')].map(l => l.offsetTop)).size > 1).length""")
            assert wrapped == 0, f"{size}: the status choices of {wrapped} members wrap (缺席 under 出席)"
            a_message_naming_a_file_and_a_field(driver)
            an_item_deleted_while_typed_in(driver)
            # 9. Enter in 下一次會議日期 creates the meeting; the keyboard starts at its first field.
            new_date = driver.find_element(By.ID, "new-date")
            js(driver, "arguments[0].focus()", new_date)
            new_date.send_keys("2024-12-16", Keys.ENTER)
            wait_for("the new meeting opened", lambda: "m=113-3" in driver.current_url)
            wait_for("the keyboard in its first field", lambda: js(driver,
                "const a = document.activeElement; return a.closest('#editor') !== null && ['INPUT', 'SELECT', 'TEXTAREA'].includes(a.tagName)"))
    finally:
        driver.quit()


# Another tab's edit of 113-1, made against the file as it is now (its hash, the items' fingerprints).
OTHER_TAB = """const [ops, done] = [arguments[0], arguments[arguments.length - 1]];
const s = await (await fetch('api/state?m=113-1')).json();
const items = ops.filter(o => o.op === 'remove').map(o => ({ path: o.path, fp: s.items[o.path] }));
const body = { client: 'other-tab', base: s.hashes.meeting, ops, items };
const r = await fetch('api/edit?m=113-1', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
done([r.status]);"""


def an_item_deleted_while_typed_in(driver):
    """An item another tab deletes while its 案由 is typed in: a notice says so, with what
    was typed and not saved."""
    count = js(driver, "return [...document.querySelectorAll('#editor [name]')].filter(e => /^discussion\\[\\d+\\]\\.title$/.test(e.name)).length")
    status = driver.execute_async_script(OTHER_TAB, [{"op": "append", "path": "discussion", "fields": {"title": "另一分頁新增的案由"}}])
    assert status[0] == 200, status
    title = wait_for("the other tab's item", lambda: driver.find_element(By.NAME, f"discussion[{count}].title"))
    drivers.settled(driver)
    js(driver, "arguments[0].focus()", title)
    title.send_keys("再補充")
    status = driver.execute_async_script(OTHER_TAB, [{"op": "remove", "path": f"discussion[{count}]"}])
    assert status[0] == 200, status
    note = wait_for("the notice of the deletion", lambda: next(n for n in driver.find_elements(By.CSS_SELECTOR, "#notices .notice") if "刪除" in n.text))
    assert "另一個分頁" in note.text, note.text
    note.find_element(By.XPATH, ".//button[text()='關閉']").click()


def a_message_naming_a_file_and_a_field(driver):
    """The check's message beside its field and in the preview's errors, in the page's
    words: 委員名冊 for group.toml's list, the field by its label."""
    original = meeting.read_text(encoding="utf-8")
    assert "nobody" not in original
    meeting.write_text(original + STRANGER, encoding="utf-8")
    try:
        field = '[data-field="minutes.motion[1].opinion[0].member"] .finding'
        beside = wait_for("the finding beside the speaker", lambda: driver.find_element(By.CSS_SELECTOR, field).text)
        assert beside == "委員代號「nobody」不在委員名冊中", beside
        js(driver, "document.querySelector('#show-minutes').click()")
        said = wait_for("the preview's error", lambda: driver.find_element(By.ID, "preview-errors").text)
        assert "臨時動議 第二案 發言者：委員代號「nobody」不在委員名冊中" in said, said
        shown_text_is_plain(driver, "a check's message naming group.toml and a field path")
    finally:
        meeting.write_text(original, encoding="utf-8")
    wait_for("the finding gone", lambda: not driver.find_elements(By.CSS_SELECTOR, '.finding[data-finding-for^="minutes.motion[1]"]'))


session(683, 384, 2)
session(1366, 768, 1)  # last: it creates the meeting 113-3
print("REFLOW OK")
