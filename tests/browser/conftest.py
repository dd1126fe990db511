"""Browser tests: Playwright on Debian's Chromium against the product as `make run` starts it.

The app runs as its own processes (web, worker, scheduler, private Redis,
SQLite under a temporary DATA_DIR), exactly as a customer's `make run` does;
the tests only drive the browser. A local shop serves the product page.
Screenshots go to BROWSER_SHOTS (default .artifacts/browser/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ..conftest import REPO, running_product
from ..scraper.server import ShopServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("BROWSER_SHOTS", REPO / ".artifacts" / "browser"))


class App:
    def __init__(self, base: str, log: Path, process: subprocess.Popen):
        self.base, self.log, self.process = base, log, process

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def mail_link(self, pattern: str) -> str:
        """The last link matching PATTERN in the e-mails the app printed."""
        found = re.findall(rf"https?://\S*{pattern}\S*", self.output())
        assert found, f"no e-mail with {pattern!r} in the app's output"
        return found[-1].rstrip(".,)")


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make setup installs it)")
    data = tmp_path_factory.mktemp("browser-app")
    env = {"SCRAPER_ALLOW_NETWORKS": "127.0.0.1/32", "ACCOUNT_EMAIL_VERIFICATION": "optional"}
    with running_product(data, **env) as (base, log, process, _):
        yield App(base, log, process)


@pytest.fixture(scope="session")
def shop():
    server = ShopServer().start()
    yield server
    server.stop()


# Every page reports what its Content-Security-Policy blocked (saas/csp.py) to the
# console, where the fixtures below collect it; Chromium logs its own "Refused to ...
# because it violates the following Content Security Policy directive" there too.
# The policy has no 'unsafe-eval': give page.wait_for_function a function ("() => ..."),
# which Playwright evaluates once, never a bare expression, which it evals at every poll.
CSP_LISTENER = """document.addEventListener("securitypolicyviolation", (e) => console.error(
  `Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
  + ` at ${e.sourceFile || location.href}:${e.lineNumber}`));"""


class WatchedBrowser:
    """Chromium whose every context (a test's own second user's too) records the CSP
    violations of its pages in `csp_violations`."""

    def __init__(self, chromium):
        self.chromium = chromium
        self.csp_violations: list[str] = []

    def new_context(self, **kwargs):
        context = self.chromium.new_context(**kwargs)
        context.add_init_script(CSP_LISTENER)
        context.on("console", self._console)
        return context

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(
                f"{message.page.url if message.page else '?'}: {message.text}"
            )

    def __getattr__(self, name):
        return getattr(self.chromium, name)


@pytest.fixture(scope="module")
def browser():
    """Chromium, closed with the module: Playwright's sync API holds an event loop
    on this thread while it runs, which other tests' sync Playwright would trip on."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield WatchedBrowser(chromium)
        chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context; page errors and Content-Security-Policy violations (in
    any context of the test) fail the test, screenshots are kept."""
    browser.csp_violations.clear()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"
    assert not browser.csp_violations, (
        f"Content-Security-Policy violations: {browser.csp_violations}"
    )


def shot(page, name: str, *, phone: bool = False) -> Path:
    """Save a full-page screenshot (and a phone-width one) for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    _settle(page)
    page.screenshot(path=str(path), full_page=True)
    unlabelled = page.evaluate(UNLABELLED)
    assert not unlabelled, f"{name}: controls without an accessible name: {unlabelled}"
    if phone:
        size = page.viewport_size
        page.set_viewport_size({"width": 390, "height": 844})
        _settle(page)
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
        wide = page.evaluate(OVERFLOWING)
        page.set_viewport_size(size)
        assert not wide, f"{name}: wider than a 390 px phone: {wide}"
    return path


# Form controls and buttons a screen reader could not name.
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
  .filter(e => e.type !== 'hidden' && !e.closest('[hidden], noscript'))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
    && !e.getAttribute('aria-labelledby') && !e.title
    && !(['BUTTON', 'A'].includes(e.tagName) && e.textContent.trim())
    && !(e.type === 'submit' && e.value))
  .slice(0, 5).map(e => e.outerHTML.slice(0, 120))"""

# The elements that stick out past the right edge of the window (sideways scrolling).
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest('table, [style*=overflow], .image-grid, nav'))
  .slice(0, 5)
  .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def _settle(page) -> None:
    """Load lazy images (scroll through the page) and wait for them, before a screenshot.

    A page that reloads itself when its job moves on (a translation being
    transcribed) may navigate under us: then wait for the new page and scroll again."""
    for attempt in range(3):
        try:
            page.wait_for_load_state("load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.evaluate("window.scrollTo(0, 0)")
            break
        except Exception as exc:
            if "context was destroyed" not in str(exc) or attempt == 2:
                raise
    try:
        page.wait_for_function("() => [...document.images].every(i => i.complete)", timeout=10_000)
    except Exception:  # noqa: S110 (a slow image should not fail the flow; the shot shows it)
        pass


def sign_up(page, app, email: str, password: str = "a long test password 42") -> None:
    page.goto(f"{app.base}/accounts/signup/")
    page.locator("#id_email").fill(email)
    page.locator("#id_password1").fill(password)
    page.locator("#id_password2").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/dashboard/"))
