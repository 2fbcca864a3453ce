"""Anti-scraping limit on public search: a fixed window per client address, counted in Django's cache.

`XINYONG_SEARCH_RATE_LIMIT` is "<requests>/<seconds>" (default "30/60"); "0" or "off" turns it off.
The client is REMOTE_ADDR; X-Forwarded-For is believed only when `XINYONG_TRUSTED_PROXY_COUNT` > 0
(the number of reverse proxies in front of the platform, each appending the address it saw).
Settings are read per call, never at import.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache

from xinyong.core.errors import ApplicationError
from xinyong.core.middleware import client_address

__all__ = ["RateLimited", "client_address", "rate_limit", "search_throttle"]

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = (30, 60)


class RateLimited(ApplicationError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            code="rate_limited",
            message=f"查询过于频繁，请{retry_after}秒后再试。本平台对每个访问地址的查询次数有限制，以防止批量抓取。",
            status=429,
        )
        self.retry_after = retry_after


def rate_limit() -> tuple[int, int] | None:
    """(requests, seconds) from the setting, or None when the limit is off."""
    raw = str(getattr(settings, "XINYONG_SEARCH_RATE_LIMIT", "30/60")).strip().lower()
    if raw in ("", "0", "off", "none"):
        return None
    try:
        count, _, seconds = raw.partition("/")
        parsed = int(count), int(seconds or 60)
    except ValueError:
        logger.warning("XINYONG_SEARCH_RATE_LIMIT=%r is not <requests>/<seconds>; using 30/60", raw)
        return DEFAULT_LIMIT
    if parsed[0] <= 0 or parsed[1] <= 0:
        return None
    return parsed


def search_throttle(meta: Mapping[str, Any]) -> None:
    """Count one search for this client; raise RateLimited once it is over the limit in this window."""
    limit = rate_limit()
    if limit is None:
        return
    allowed, window = limit
    now = time.time()
    key = f"xinyong:search-rate:{client_address(meta)[:64]}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        used = 1
    if used > allowed:
        raise RateLimited(retry_after=max(1, int(window - now % window)))
