"""Proves the browser fixtures work: real headless Chromium against the live test server."""

import pytest

pytestmark = pytest.mark.browser


def test_portal_home_opens_in_chromium(live_server, page, screenshot):
    response = page.goto(live_server.url + "/")
    assert response is not None
    assert response.status == 200
    assert "信用韶山" in page.title()
    path = screenshot(page, "smoke-portal-home")
    assert path.stat().st_size > 0
