"""The browser the editor's tests drive: headless Chromium (Debian's chromium and
chromium-driver), or with PACKET_BROWSER=firefox headless Firefox (Debian's firefox-esr
and geckodriver, which scripts/test.sh builds from crates.io)."""
import os
import shutil
import tempfile

from selenium import webdriver


def start(width=1600, height=1100):
    if os.environ.get("PACKET_BROWSER") == "firefox":
        options = webdriver.FirefoxOptions()
        options.add_argument("-headless")
        options.add_argument(f"--width={width}")
        options.add_argument(f"--height={height}")
        options.binary_location = shutil.which("firefox-esr") or shutil.which("firefox")
        gecko = shutil.which("geckodriver") or os.path.expanduser("~/.cargo/bin/geckodriver")
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
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"))
