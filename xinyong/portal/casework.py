"""Portal-only helpers for the tracking pages: never cached, and a limit on guessing tracking secrets."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from xinyong.publication.throttle import RateLimited, client_address


def private(response: HttpResponse) -> HttpResponse:
    """Pages with a tracking secret: never cached, never sent on as a referrer."""
    patch_cache_control(response, no_store=True, private=True)
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- guessing tracking secrets -------------------------------------------------------------------


def _guess_limit() -> tuple[int, int] | None:
    raw = str(getattr(settings, "XINYONG_TRACKING_GUESS_LIMIT", "20/3600")).strip().lower()
    if raw in ("", "0", "off", "none"):
        return None
    count, _, seconds = raw.partition("/")
    try:
        return max(1, int(count)), max(1, int(seconds or 3600))
    except ValueError:
        return 20, 3600


def _guess_key(meta: Mapping[str, Any], window: int) -> str:
    return f"xinyong:tracking-guess:{client_address(meta)[:64]}:{int(time.time() // window)}"


def guesses_check(meta: Mapping[str, Any]) -> None:
    """Raise RateLimited when this address has made too many wrong tracking lookups in this window."""
    limit = _guess_limit()
    if limit is None:
        return
    allowed, window = limit
    if (cache.get(_guess_key(meta, window)) or 0) >= allowed:
        raise RateLimited(retry_after=max(1, int(window - time.time() % window)))


def guess_count(meta: Mapping[str, Any]) -> None:
    """Count one wrong tracking lookup for this address."""
    limit = _guess_limit()
    if limit is None:
        return
    key = _guess_key(meta, limit[1])
    cache.add(key, 0, timeout=limit[1] + 1)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=limit[1] + 1)


def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "portal/rate_limited.html", {"error": exc}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


# --- the confirmation after a filing: POST-redirect-GET, the secret shown in this browser only -------

FILED_SHOWN_SECONDS = 30 * 60


def _filed_key(tracking_no: str) -> str:
    return f"xinyong:filed:{tracking_no}"


def remember_filed(request: HttpRequest, tracking_no: str, secret: str) -> None:
    """Keep the new case's secret in this browser's session for the confirmation page only."""
    request.session[_filed_key(tracking_no)] = {"secret": secret, "until": time.time() + FILED_SHOWN_SECONDS}


def filed_secret(request: HttpRequest, tracking_no: str) -> tuple[bool, str | None]:
    """(this browser filed the case, its secret while it may still be shown)."""
    entry = request.session.get(_filed_key(tracking_no))
    if not isinstance(entry, dict):
        return False, None
    if entry.get("secret") and float(entry.get("until", 0)) < time.time():
        entry = {"secret": None, "until": 0}
        request.session[_filed_key(tracking_no)] = entry
    return True, entry.get("secret") or None


def forget_filed_secret(request: HttpRequest, tracking_no: str) -> None:
    if _filed_key(tracking_no) in request.session:
        request.session[_filed_key(tracking_no)] = {"secret": None, "until": 0}
