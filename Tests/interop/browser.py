"""Headless Chromium driven over WebDriver (Debian's chromium and chromium-driver, selenium from
PyPI) for the console's browser tests: waits on conditions, screenshots kept as test artefacts,
and axe-core's accessibility checks (bundled in axe-selenium-python) in the same browser."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from helpers import wait_until

ROOT = Path(__file__).resolve().parents[2]
# Where the screenshots go: the test command keeps them under .build/ (kept out of git).
ARTEFACTS = Path(os.environ.get("ORDERS_TEST_ARTEFACTS", ROOT / ".build" / "test-artefacts")) / "console"


def chromium_paths() -> tuple[str, str]:
    """Debian's chromium and chromedriver; the test command installs both (scripts/lib/setup.sh)."""
    browser = shutil.which("chromium") or "/usr/bin/chromium"
    driver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    for path in (browser, driver):
        if not os.access(path, os.X_OK):
            raise RuntimeError(f"{path} is missing: the test command installs chromium and chromium-driver")
    return browser, driver


class Browser:
    """One headless Chromium with a profile of its own (removed at close), at a given width."""

    def __init__(self, width: int = 1280, height: int = 900):
        browser, driver = chromium_paths()
        self.profile = tempfile.mkdtemp(prefix="console-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = browser
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--no-first-run", "--disable-extensions", f"--user-data-dir={self.profile}",
                         f"--window-size={width},{height}"):
            options.add_argument(argument)
        # The chromedriver from the system, never a download (selenium-manager is not asked).
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=options)
        self.driver.set_page_load_timeout(60)
        self.driver.set_script_timeout(120)
        self.resize(width, height)

    def resize(self, width: int, height: int = 900) -> None:
        self.driver.set_window_size(width, height)
        # The window's outer size includes nothing in headless mode, but make sure of the viewport.
        inner = self.driver.execute_script("return window.innerWidth")
        if inner != width:
            self.driver.set_window_size(width + (width - inner), height)

    def open(self, url: str) -> None:
        self.driver.get(url)

    def find(self, css: str):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str) -> list:
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css: str) -> str:
        return self.find(css).text

    def js(self, script: str, *args):
        return self.driver.execute_script(script, *args)

    def wait_for(self, what: str, condition, timeout: float = 90.0):
        """Returns condition()'s first truthy value, waited for with the suite's one poll
        (helpers.wait_until); a timeout fails with `what` and keeps a screenshot. Elements the
        page replaces while we look are looked at again."""
        found = {}

        def holds() -> bool:
            try:
                found["value"] = condition()
            except (StaleElementReferenceException, WebDriverException) as error:
                found["error"] = error
                return False
            return bool(found["value"])

        def detail() -> str:
            path = self.screenshot(f"timeout-{what.replace(' ', '-')[:60]}")
            return f" (screenshot {path}" + (f"; last error: {found['error']}" if "error" in found else "") + ")"

        wait_until(holds, what, timeout, detail=detail)
        return found["value"]

    def screenshot(self, name: str) -> Path:
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTEFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def axe_violations(self, impacts=("serious", "critical")) -> list[dict]:
        """axe-core's violations on the page as it is now, of the given impacts."""
        from axe_selenium_python import Axe
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        return [v for v in results["violations"] if v.get("impact") in impacts]

    def fits_width(self) -> bool:
        """Nothing wider than the viewport: no sideways scrolling of the page itself (tables
        scroll inside their own box)."""
        return self.js("return document.documentElement.scrollWidth <= window.innerWidth")

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node.get("target", [])) for node in v.get("nodes", [])][:5]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} at {targets}")
    return "\n".join(lines)
