"""Browser tests: the real app served on 127.0.0.1, driven by Debian's Chromium through Playwright.

Chromium is found at CHROMIUM_PATH or /usr/bin/chromium. Without it the tests skip with the reason,
except when CI=true, where a missing browser fails the run.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """Where Chromium is, or None."""
    candidate = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"
    return candidate if Path(candidate).exists() else shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the session."""
    path = chromium_path()
    if not path:
        message = "Chromium not found at CHROMIUM_PATH or /usr/bin/chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — required when CI=true")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageWatch:
    """What a page did that a test should know: requests off this machine, console errors."""

    def __init__(self):
        self.outside_requests: list[str] = []
        self.console_errors: list[str] = []

    def assert_clean(self) -> None:
        """No request left 127.0.0.1 and nothing was logged as a console error."""
        assert self.outside_requests == [], f"requests outside 127.0.0.1: {self.outside_requests}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page (own cookies) with a PageWatch on page.watch."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    watch = PageWatch()

    def on_request(request):
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:", "about:")):
            return
        if host not in ("127.0.0.1", "localhost"):
            watch.outside_requests.append(request.url)

    pg.on("request", on_request)
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.on("pageerror", lambda exc: watch.console_errors.append(str(exc)))
    pg.watch = watch
    yield pg
    context.close()


def screenshot(pg, name: str) -> Path:
    """Save a screenshot under tests/artifacts/ (ignored by git)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path))  # the viewport only: a full-page picture of a long page is too big to open
    return path


def run_axe(pg) -> list[dict]:
    """Run the vendored axe-core on the page; returns the serious and critical violations."""
    axe = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
    # evaluate() runs through the DevTools protocol, so the page's CSP does not block it.
    pg.evaluate(axe.read_text() + "\n;true")
    result = pg.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]
