"""Text normalisation shared by search, identity resolution and imports."""

from __future__ import annotations

import unicodedata

_SUFFIX_ALIASES = (("有限责任公司", "有限公司"), ("股份有限公司", "股份公司"))


def to_halfwidth(value: str) -> str:
    """Full-width ASCII and the ideographic space to their half-width forms (NFKC does both)."""
    return unicodedata.normalize("NFKC", value)


def normalize_name(value: str) -> str:
    """The key used to compare and search names: half-width, no spaces, lower-case, unified suffixes."""
    text = "".join(to_halfwidth(value or "").split()).lower()
    for long, short in _SUFFIX_ALIASES:
        text = text.replace(long, short)
    return text
