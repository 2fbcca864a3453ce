"""Shared pytest fixtures: headless Debian Chromium driven by Playwright's sync API.

Browser tests are marked ``@pytest.mark.browser`` and use pytest-django's ``live_server``::

    @pytest.mark.browser
    def test_home(live_server, page, screenshot):
        page.goto(live_server.url + "/")
        screenshot(page, "home")

``playwright install`` cannot download browsers here: Debian's ``chromium`` package is used instead
(``scripts/test`` installs it).
"""

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an asyncio event loop running in the test thread, which trips Django's
# "async-unsafe" guard (SynchronousOnlyOperation) when a test touches the ORM while a browser is open.
# The tests are synchronous code, so the guard's premise does not apply. Test runs only.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    # The machine has no network but the package registries: without these Chromium keeps trying
    # Google's hosts in the background.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOT_DIR = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

Screenshot = Callable[[Any, str], Path]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium per test session (per xdist worker)."""
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(
            f"{CHROMIUM_PATH} not found: install Debian's chromium (./scripts/test does it for you)",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


def _new_page(browser: Any, **context_options: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A desktop page (1280x900, zh-CN) in a fresh browser context, closed after the test."""
    yield from _new_page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone_page(browser: Any) -> Iterator[Any]:
    """A phone-sized page (390x844, touch, 2x pixels, zh-CN) in a fresh browser context."""
    yield from _new_page(
        browser,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


def take_screenshot(page: Any, name: str) -> Path:
    """Save a full-page PNG as test-artifacts/screenshots/<name>.png (git-ignored) and return its path."""
    safe = re.sub(r"[^\w.-]+", "-", name).strip("-") or "screenshot"
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{safe}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def screenshot() -> Screenshot:
    """``screenshot(page, name)`` saves a PNG under test-artifacts/screenshots/ and returns its path."""
    return take_screenshot
