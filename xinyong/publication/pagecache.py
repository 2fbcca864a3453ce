"""A rendered-page cache for public subject pages (and the public API's subject answer).

The key holds everything the page depends on: the subject's change stamp (`PublicSubject.updated_at`,
bumped by every publication, withdrawal, expiry, objection flag or note), today's date (windows and the
repair date are judged by it), and a fingerprint of the templates (a deploy with new templates never
serves old pages). The page shows nothing about the visitor, so one rendering serves everyone.

A request reads the stamp with one indexed query and serves the cached rendering when there is one
for it; only then are the subject's records read and the page rendered. A change committed while a
page is being rendered bumps the stamp, so the next request renders again.
Django's cache backend is configured by `XINYONG_CACHE_URL` (per-process memory by default, Redis in
production; see docs/operations/configuration.md).
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

TIMEOUT = 6 * 3600
TEMPLATES = ("base_portal.html", "portal/subject.html", "portal/_record.html", "portal/_search_form.html")
_STAMP_SQL = "SELECT subject_id, updated_at FROM publication_publicsubject WHERE slug = %s"


@functools.cache
def templates_fingerprint() -> str:
    digest = hashlib.sha256()
    for directory in cast(list[Path], settings.TEMPLATES[0]["DIRS"]):
        for name in TEMPLATES:
            path = Path(directory) / name
            if path.exists():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Lookup:
    key: str
    found: Any  # the cached rendering, or None


def enabled() -> bool:
    return bool(getattr(settings, "XINYONG_PAGE_CACHE", True))


def lookup(slug: str, kind: str = "page") -> Lookup | None:
    """The cache key for the subject with this public identifier in its current state, and what is
    cached under it. None when no public subject has this identifier (or the cache is off)."""
    if not enabled() or not slug:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL, [slug[:24]])
        row = cursor.fetchone()
    if row is None:
        return None
    stamp = str(row[1]).replace(" ", "T")
    key = f"subject-{kind}:{row[0]}:{stamp}:{timezone.localdate().isoformat()}:{templates_fingerprint()}"
    return Lookup(key, cache.get(key))


def store(found: Lookup | None, value: Any) -> None:
    if found is not None:
        cache.set(found.key, value, TIMEOUT)
