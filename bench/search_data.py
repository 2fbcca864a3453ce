"""The database side of bench/search.py, run in subprocesses with the database's environment (Django set up):
planner statistics, the loaded database's facts, and the samples the requests are made of."""

from __future__ import annotations

import json
from typing import Any


def analyze() -> None:
    """Planner statistics after the load, as a maintained installation has them (autovacuum on PostgreSQL)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")


def facts() -> None:
    from django.db import connection
    from django.db.models import Count

    from xinyong.publication.models import PublicRecord, PublicSubject
    from xinyong.records.models import CreditRecord
    from xinyong.subjects.models import Subject

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database()), current_setting('server_version')")
            size, version = cursor.fetchone()
        else:
            cursor.execute("SELECT page_count * page_size, sqlite_version() FROM pragma_page_count, pragma_page_size")
            size, version = cursor.fetchone()
    statuses = dict(CreditRecord.objects.values_list("status").annotate(n=Count("pk")).order_by())
    facts = {
        "subjects": Subject.objects.count(),
        "records": sum(statuses.values()),
        "statuses": statuses,
        "public_subjects": PublicSubject.objects.count(),
        "public_subjects_searchable": PublicSubject.objects.exclude(name_pairs="").count(),
        "public_records": PublicRecord.objects.count(),
        "database_bytes": size,
        "server_version": version,
    }
    print(json.dumps(facts))


def samples(seed: int, count: int) -> None:
    """Published subjects (USCC and slug) and name queries cut from their names, all with a fixed seed."""
    import random

    from xinyong.publication.models import PublicSubject

    rng = random.Random(seed)
    ids = list(PublicSubject.objects.values_list("subject_id", flat=True))
    picked = rng.sample(ids, min(len(ids), 20 * count))
    rows: list[tuple[int, str, str | None, str]] = []
    for start in range(0, len(picked), 5000):
        part = PublicSubject.objects.filter(subject_id__in=picked[start : start + 5000])
        rows += part.values_list("subject_id", "slug", "uscc", "name_search")
    rows.sort()  # the database's order is not fixed; the seed's is
    rng.shuffle(rows)
    companies = [row for row in rows if row[2]]
    names = [row[3] for row in rows if row[3]]
    samples = {
        "uscc": [row[2] for row in companies[:count]],
        "slugs": [row[1] for row in rows[:count]],
        "names": name_queries(rng, names, count),
    }
    print(json.dumps(samples, ensure_ascii=False))


def name_queries(rng: Any, names: list[str], count: int) -> list[dict[str, str]]:
    """A third common n-grams (the most frequent of the sample), a third random substrings of random
    names, a third substrings that occur in only one name of the sample; 2–6 characters each, shuffled."""
    from collections import Counter

    grams: Counter[str] = Counter()
    for name in names:
        grams.update({name[i : i + n] for n in range(2, 7) for i in range(len(name) - n + 1)})
    common = [gram for gram, _ in grams.most_common(40)]
    queries = [{"q": rng.choice(common), "class": "common"} for _ in range(count // 3)]
    while len(queries) < 2 * count // 3:
        name, n = rng.choice(names), rng.randint(2, 6)
        if len(name) >= n:
            start = rng.randrange(len(name) - n + 1)
            queries.append({"q": name[start : start + n], "class": "random"})
    while len(queries) < count:
        name, n = rng.choice(names), rng.randint(2, 6)
        once = [name[i : i + n] for i in range(len(name) - n + 1) if grams[name[i : i + n]] == 1]
        if once:
            queries.append({"q": rng.choice(once), "class": "rare"})
    rng.shuffle(queries)
    return queries
