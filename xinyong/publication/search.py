"""Public search over the projection: by unified social credit code, by identity number, or by name.

Only `PublicSubject` and `PublicRecord` are read. Names are matched through the n-gram index of
migration 0003 (SQLite FTS5 over `name_pairs`, PostgreSQL GIN over its array): a query of n
characters is its n − 1 overlapping pairs. Exact names come first; the rest follow in index order,
never sorted, and counting stops at `COUNT_CAP`, so a common pair costs no more than a rare one.
A person has no searchable name (empty `name_pairs`): persons are found only by identity number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from xinyong.core import identifiers
from xinyong.core.errors import ApplicationError
from xinyong.subjects.choices import CITIZEN_ID_TYPE, ID_TYPES, SubjectKind
from xinyong.subjects.pii import id_lookup_hash

from .choices import PublicGroup
from .models import PublicRecord, PublicSubject
from .projection import search_key

COUNT_CAP = 1000
MIN_NAME_CHARS = 2
MAX_QUERY_CHARS = 100
MAX_NAME_KEY_CHARS = 60
MAX_EXACT = 50
CODE_MIN_CHARS, CODE_MAX_CHARS = 6, 20
KIND_LABELS = dict(SubjectKind.choices)


class QueryTooShort(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            code="query_too_short",
            message=f"请输入至少{MIN_NAME_CHARS}个字的名称，或完整的统一社会信用代码、身份证号码。",
            status=422,
        )


class QueryTooLong(ApplicationError):
    def __init__(self) -> None:
        super().__init__(code="query_too_long", message=f"查询内容过长：最多{MAX_QUERY_CHARS}个字符。", status=422)


def current(today: dt.date, prefix: str = "") -> Q:
    """Records whose publicity has not ended (the daily expiry sweep may not have run yet)."""
    return Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": today})


@dataclass(frozen=True)
class SubjectSummary:
    """One subject as a search result shows it: masked for persons, with its current public counts."""

    slug: str
    kind: str
    kind_label: str
    name: str
    code: str
    counts: dict[str, int]

    @property
    def licence_count(self) -> int:
        return self.counts.get(PublicGroup.LICENCE, 0)

    @property
    def penalty_count(self) -> int:
        return self.counts.get(PublicGroup.PENALTY, 0)

    @property
    def red_count(self) -> int:
        return self.counts.get(PublicGroup.RED, 0)

    @property
    def black_count(self) -> int:
        return self.counts.get(PublicGroup.BLACK, 0)


@dataclass(frozen=True)
class SearchResult:
    subjects: list[SubjectSummary]
    total_capped: int
    capped: bool = False
    by: str = "name"  # name | uscc | identity
    limit: int = 20
    offset: int = 0

    @property
    def total_display(self) -> str:
        return f"{self.total_capped}+" if self.capped else str(self.total_capped)


# --- what kind of query ---------------------------------------------------------------------------


def identity_hashes(code: str) -> list[str]:
    """The lookup hashes an identity number could have been stored under (one per ID type)."""
    types = [t for t in ID_TYPES if t != CITIZEN_ID_TYPE]
    if len(code) in (15, 18) and code[:-1].isdigit():
        types.insert(0, CITIZEN_ID_TYPE)
    return [id_lookup_hash(t, code) for t in types]


def as_code(query: str) -> str | None:
    """The normalised code when the query looks like a code (ASCII letters and digits, with a digit)."""
    code = identifiers.normalize(query)
    if not (CODE_MIN_CHARS <= len(code) <= CODE_MAX_CHARS and code.isascii() and code.isalnum()):
        return None
    return code if any(ch.isdigit() for ch in code) else None


def is_identity_number(query: str) -> bool:
    """Whether the query may be a person's identity number: such a query is never echoed in full."""
    code = as_code(query)
    return code is not None and not (len(code) == 18 and identifiers.check_uscc(code).valid)


def code_lookup(code: str) -> PublicSubject | None:
    """Exact lookup through the unique indexes on `uscc` and `id_hash`."""
    return PublicSubject.objects.filter(Q(uscc=code) | Q(id_hash__in=identity_hashes(code))).first()


# --- name matching ----------------------------------------------------------------------------------


def _pairs(key: str) -> list[str]:
    return [key[i : i + 2] for i in range(len(key) - 1)]


def _fts_phrase(key: str) -> str:
    return '"' + " ".join(_pairs(key)).replace('"', '""') + '"'


# Fixed SQL text; the query and the excluded ids are always parameters (placeholders only).
_NAME_SQL = {
    "sqlite": "SELECT rowid FROM publication_subject_fts WHERE publication_subject_fts MATCH %s",
    "postgresql": (
        "SELECT subject_id FROM publication_publicsubject "
        "WHERE string_to_array(name_pairs, ' ') @> %s::text[] AND name_search LIKE %s"
    ),
    "other": "SELECT subject_id FROM publication_publicsubject WHERE name_search LIKE %s AND name_pairs <> ''",
}


def _like(key: str) -> str:
    return "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _name_sql(key: str, excluded: list[int]) -> tuple[str, list[Any]]:
    """SELECT of matching subject ids, in index order, without the exact matches already shown."""
    vendor = connection.vendor if connection.vendor in _NAME_SQL else "other"
    if vendor == "sqlite":
        params: list[Any] = [_fts_phrase(key)]
    else:
        params = [_pairs(key), _like(key)] if vendor == "postgresql" else [_like(key)]
    sql = _NAME_SQL[vendor]
    if excluded:
        column = "rowid" if vendor == "sqlite" else "subject_id"
        sql += f" AND {column} NOT IN ({', '.join(['%s'] * len(excluded))})"
    return sql, [*params, *excluded]


def _fetch_ids(sql: str, params: list[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _count(sql: str, params: list[Any], cap: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql} LIMIT %s) AS matches", [*params, cap])  # noqa: S608
        return int(cursor.fetchone()[0])


def _name_search(key: str, limit: int, offset: int) -> tuple[list[int], int, bool]:
    exact = list(
        PublicSubject.objects.filter(name_search=key)
        .exclude(name_pairs="")
        .order_by("pk")
        .values_list("pk", flat=True)[:MAX_EXACT]
    )
    sql, params = _name_sql(key, exact)
    page = exact[offset : offset + limit]
    if len(page) < limit:
        rest_offset = max(0, offset - len(exact))
        page += _fetch_ids(f"{sql} LIMIT %s OFFSET %s", [*params, limit - len(page), rest_offset])
    total = len(exact) + _count(sql, params, COUNT_CAP + 1 - len(exact))
    return page, min(total, COUNT_CAP), total > COUNT_CAP


# --- results ----------------------------------------------------------------------------------------


def summaries(ids: list[int], today: dt.date) -> list[SubjectSummary]:
    """The subjects in `ids` order with their current public counts; a subject with none left is dropped."""
    subjects = PublicSubject.objects.in_bulk(ids)
    return summaries_of([s for pk in ids if (s := subjects.get(pk)) is not None], today)


def summaries_of(subjects: list[PublicSubject], today: dt.date) -> list[SubjectSummary]:
    """These subjects (already read) with their current public counts; a subject with none left is dropped."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        PublicRecord.objects.filter(current(today), subject_id__in=[s.pk for s in subjects])
        .values_list("subject_id", "group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for subject_id, group, n in rows:
        counts.setdefault(subject_id, {})[group] = n
    return [summary_of(s, counts[s.pk]) for s in subjects if s.pk in counts]


def summary_of(subject: PublicSubject, counts: dict[str, int]) -> SubjectSummary:
    return SubjectSummary(
        slug=subject.slug,
        kind=subject.kind,
        kind_label=KIND_LABELS.get(subject.kind, subject.kind),
        name=subject.display_name,
        code=subject.display_code,
        counts=counts,
    )


def search_subjects(query: str, *, limit: int = 20, offset: int = 0, today: dt.date | None = None) -> SearchResult:
    """Find public subjects by code, identity number or at least two characters of a name."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise QueryTooLong()
    today = today or timezone.localdate()
    limit, offset = max(1, min(limit, 100)), max(0, min(offset, COUNT_CAP))
    code = as_code(query)
    if code is not None:
        found = code_lookup(code)
        if found is not None or len(code) in (15, 18):
            hits = summaries_of([found], today) if found is not None and offset == 0 else []
            by = "identity" if is_identity_number(code) else "uscc"
            total = len(hits) if offset == 0 else int(found is not None)
            return SearchResult(hits, total, by=by, limit=limit, offset=offset)
    key = search_key(query)[:MAX_NAME_KEY_CHARS]
    if len(key) < MIN_NAME_CHARS:
        raise QueryTooShort()
    ids, total, capped = _name_search(key, limit, offset)
    return SearchResult(summaries(ids, today), total, capped, by="name", limit=limit, offset=offset)
