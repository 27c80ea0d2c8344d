"""The browser the editor's tests drive: headless Chromium (Debian's chromium and
chromium-driver), or with PACKET_BROWSER=firefox headless Firefox (Debian's firefox-esr
and geckodriver, which scripts/test.sh builds from crates.io); and the waits they share."""
import os
import shutil
import tempfile
import time
from pathlib import Path

from selenium import webdriver


def wait_for(what, check, timeout=60):
    """The first true value of `check()`, tried every 0.1 s; an error counts as not yet
    (an element being redrawn, a file being replaced)."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            value = check()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {what}")


def settled(driver):
    """Every save and reload of the page done (a form just redrawn is the one to use)."""
    wait_for("the page settled", lambda: driver.execute_script("return document.documentElement.dataset.pending || '0'") == "0")


def value_at(doc, path):
    """The value at a field path (`report[0].attachment[1].title`) of a TOML document
    (as tomllib reads it), or None."""
    v = doc
    for part in path.replace("]", "").split("."):
        key, *indexes = part.split("[")
        v = v.get(key) if isinstance(v, dict) else None
        for i in indexes:
            v = v[int(i)] if isinstance(v, list) and int(i) < len(v) else None
    return v


def downloaded(folder, name):
    """The path and bytes of the file `name` (a glob: `*.zip`) once the browser has saved it
    whole into `folder`; the file is then removed, so that the next download of that name
    gets the same name."""
    folder = Path(folder)

    def whole():
        partial = [p for p in folder.iterdir() if p.suffix in (".crdownload", ".part")]
        found = sorted(folder.glob(name))
        return found[0] if found and found[0].stat().st_size > 0 and not partial else None

    path = wait_for(f"{name} downloaded", whole)
    time.sleep(0.3)  # the browser renames the file into place once it is complete
    data = path.read_bytes()
    path.unlink()
    return path.name, data


def start(width=1600, height=1100, downloads=None, zoom=None):
    """The browser, started; it says which one it is on stdout (the test checks). With
    `downloads`, a folder: files the page downloads are saved there without asking.

    With `zoom` (1, 2, …), the page is shown as a browser zoomed so on a `width`×`height`
    screen: a viewport of width/zoom × height/zoom CSS pixels, `zoom` device pixels each (a
    screenshot is width×height). Chromium's headless --window-size counts CSS pixels, so a
    1366×768 window with --force-device-scale-factor=2 would still lay the page out 1366 wide;
    the viewport is set through the DevTools protocol instead."""
    driver = _start(width, height, downloads, zoom)
    if zoom is not None and driver.capabilities.get("browserName") == "chrome":
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": round(width / zoom), "height": round(height / zoom), "deviceScaleFactor": zoom, "mobile": False})
    print("browser:", driver.capabilities.get("browserName"), driver.capabilities.get("browserVersion"), flush=True)
    return driver


def _start(width, height, downloads, zoom):
    if os.environ.get("PACKET_BROWSER") == "firefox":
        options = webdriver.FirefoxOptions()
        options.add_argument("-headless")
        scale = zoom or 1
        options.add_argument(f"--width={round(width / scale)}")
        options.add_argument(f"--height={round(height / scale)}")
        if zoom:
            options.set_preference("layout.css.devPixelsPerPx", str(zoom))
        options.binary_location = shutil.which("firefox-esr") or shutil.which("firefox")
        gecko = shutil.which("geckodriver") or os.path.expanduser("~/.cargo/bin/geckodriver")
        # The tests wait for what they need themselves (wait_for); a page's load event also
        # waits for every preview image, which two browsers on two busy cores can hold up.
        options.page_load_strategy = "eager"
        if downloads:
            for key, value in [("browser.download.folderList", 2), ("browser.download.dir", str(downloads)),
                               ("browser.download.useDownloadDir", True),
                               ("browser.download.always_ask_before_handling_new_types", False),
                               ("browser.download.start_downloads_in_tmp_dir", False)]:
                options.set_preference(key, value)
        service = webdriver.FirefoxService(executable_path=gecko)
        return webdriver.Firefox(options=options, service=service)
    options = webdriver.ChromeOptions()
    # Without the background-networking flags Chromium keeps calling out, refused by a
    # closed network; a fresh profile each run.
    for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 f"--window-size={width},{height}", f"--user-data-dir={tempfile.mkdtemp(prefix='packet-chromium-')}"]:
        options.add_argument(flag)
    options.binary_location = "/usr/bin/chromium"
    if downloads:
        options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                                  "download.prompt_for_download": False})
    options.page_load_strategy = "eager"
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))


class Form:
    """The editor's form for one meeting, driven by input names and element ids only (never
    by where the page lays them out), each change waited for in the meeting's file."""

    def __init__(self, driver, meeting_toml):
        self.driver = driver
        self.meeting = Path(meeting_toml)

    def on_disk(self, path=None):
        """meeting.toml as it is now, or the value at a field path of it."""
        import tomllib
        doc = tomllib.loads(self.meeting.read_text(encoding="utf-8"))
        return doc if path is None else value_at(doc, path)

    def settled(self):
        settled(self.driver)

    def element(self, name=None, id=None):
        """The input named `name` (or the element with `id`), enabled, its folded parts
        opened and scrolled into view."""
        from selenium.webdriver.common.by import By
        by, key = (By.NAME, name) if name else (By.ID, id)
        e = wait_for(f"the element {key}",
                     lambda: (lambda e: e if e.is_enabled() else None)(self.driver.find_element(by, key)))
        self.driver.execute_script(
            "let d = arguments[0].closest('details'); while (d) { d.open = true; d = d.parentElement.closest('details'); }"
            " arguments[0].scrollIntoView({block: 'center'})", e)
        return e

    def type_into(self, path, text, expect=None):
        """Type into the field named `path` as a person does (select what is there, type,
        Tab away) and wait until the file says `text` (or `expect`)."""
        from selenium.webdriver.common.keys import Keys
        self.settled()
        e = self.element(path)
        e.send_keys(Keys.CONTROL, "a")
        e.send_keys(Keys.DELETE)
        e.send_keys(text, Keys.TAB)
        wanted = text if expect is None else expect
        wait_for(f"{path} on disk", lambda: self.on_disk(path) == wanted)

    def choose(self, path, value):
        """Pick `value` in the list named `path` and wait until the file says it."""
        from selenium.webdriver.support.ui import Select
        self.settled()
        Select(self.element(path)).select_by_value(value)
        wait_for(f"{path} on disk", lambda: self.on_disk(path) == value)

    def press(self, id):
        """Click the button (or radio, link) with this id once the page has settled."""
        self.settled()
        self.element(id=id).click()
