"""A rendered-page cache for public subject pages.

The key holds everything the page depends on: the subject's change stamp (`PublicSubject.updated_at`,
bumped by every publication, withdrawal, expiry, objection flag or note), today's date (windows and the
repair date are judged by it), and a fingerprint of the templates (a deploy with new templates never
serves old pages). The page shows nothing about the visitor, so one rendering serves everyone.
Django's cache backend is configured by `XINYONG_CACHE_URL` (per-process memory by default, Redis in
production; see docs/operations/configuration.md).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar, cast

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from xinyong.publication.models import PublicSubject

TIMEOUT = 6 * 3600
T = TypeVar("T")
TEMPLATES = ("base_portal.html", "portal/subject.html", "portal/_record.html", "portal/_search_form.html")


@functools.cache
def templates_fingerprint() -> str:
    digest = hashlib.sha256()
    directories = cast(list[Path], settings.TEMPLATES[0]["DIRS"])
    for directory in directories:
        for name in TEMPLATES:
            path = Path(directory) / name
            if path.exists():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def subject_page(subject: PublicSubject, render: Callable[[], T], *, kind: str = "page") -> T:
    """The cached rendering (`kind`: the HTML page, or the public API's answer) of this subject for its
    current state; rendered now if there is none."""
    if not getattr(settings, "XINYONG_PAGE_CACHE", True):
        return render()
    stamp = subject.updated_at.timestamp()
    key = f"subject-{kind}:{subject.pk}:{stamp}:{timezone.localdate().isoformat()}:{templates_fingerprint()}"
    found = cache.get(key)
    if found is None:
        found = render()
        cache.set(key, found, TIMEOUT)
    return cast(T, found)
