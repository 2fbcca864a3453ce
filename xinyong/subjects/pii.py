"""Personal identity numbers: an HMAC for lookup, Fernet encryption for display. Never stored plain."""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


def id_lookup_hash(id_type: str, normalized_number: str) -> str:
    key = settings.XINYONG_PII_HMAC_KEY.encode("utf-8")
    return hmac.new(key, f"{id_type}:{normalized_number}".encode(), hashlib.sha256).hexdigest()


def _fernet() -> MultiFernet:
    return _fernet_for(tuple(settings.XINYONG_PII_ENCRYPTION_KEYS))


@lru_cache(maxsize=4)
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    # The first key encrypts; all keys decrypt (key rotation: prepend the new key).
    return MultiFernet([Fernet(k.encode("ascii")) for k in keys])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode("utf-8")


def mask_name(name: str) -> str:
    """Keep the family name: 张三丰 → 张**."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)
