"""Tracking numbers and secrets: the applicant follows the case with a secret link, no account needed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.db.models import Model

from xinyong.core.errors import NotFound

NOT_FOUND = "受理编号或查询码不正确。请核对短信、邮件或回执中的完整链接。"


def new_secret() -> tuple[str, str]:
    secret = secrets.token_urlsafe(18)
    return secret, secret_hash(secret)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_tracking_no(prefix: str, today: dt.date, model: type[Model]) -> str:
    while True:
        number = f"{prefix}{today:%Y%m%d}{secrets.randbelow(10**6):06d}"
        if not model._default_manager.filter(tracking_no=number).exists():
            return number


def find(model: type[Model], tracking_no: str, secret: str) -> Model:
    """The case with this number and secret; any mismatch looks the same (nothing to learn by guessing)."""
    case = model._default_manager.filter(tracking_no=tracking_no.strip().upper()).first()
    expected = getattr(case, "secret_hash", "") or secret_hash(secrets.token_hex(8))
    if not hmac.compare_digest(expected, secret_hash(secret or "")) or case is None:
        raise NotFound(NOT_FOUND, code="tracking_not_found")
    return case
