"""The browser the editor's tests drive: headless Chromium (Debian's chromium and
chromium-driver), or with PACKET_BROWSER=firefox headless Firefox (Debian's firefox-esr
and geckodriver, which scripts/test.sh builds from crates.io); and the waits they share."""
import os
import shutil
import tempfile
import time

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


def start(width=1600, height=1100, downloads=None):
    """The browser, started; it says which one it is on stdout (the test checks). With
    `downloads`, a folder: files the page downloads are saved there without asking."""
    driver = _start(width, height, downloads)
    print("browser:", driver.capabilities.get("browserName"), driver.capabilities.get("browserVersion"), flush=True)
    return driver


def _start(width, height, downloads):
    if os.environ.get("PACKET_BROWSER") == "firefox":
        options = webdriver.FirefoxOptions()
        options.add_argument("-headless")
        options.add_argument(f"--width={width}")
        options.add_argument(f"--height={height}")
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
