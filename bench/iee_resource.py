"""django-import-export on the same rows, for the ratio in bench/ingest.py (a bench-only dependency).

    python bench/iee_resource.py --csv CF.csv --sidecar CF.bad-rows.csv --rows 20000   # (ingest.py runs it)

A plain `ModelResource` for the platform's `CreditRecord`, with the settings django-import-export's
"Bulk imports → Performance tuning" page recommends for a create-only import: `use_bulk = True`,
`batch_size = 1000` (its default; `None` was slower in their tests), `force_init_instance = True`
(no lookup of existing rows), `skip_diff = True` (no per-row diff). Foreign keys keep the default
`ForeignKeyWidget` (one query per row and key: the page's caveat), as a plain resource has them.

Not timed: the first N rows of the file that are not in the bad-rows sidecar (django-import-export
does no domain validation, so a bad date would only abort its batch) are mapped to the model's
columns — subject and provider ids, source key, decision date, the row's fields as JSON text keyed
by field code with identity numbers masked — and the subjects they reference are created first.
Timed: `resource.import_data(dataset, dry_run=False)` alone. Prints one JSON line of figures.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

RECORD_COLUMNS = [
    "item",
    "subject",
    "provider",
    "source_key",
    "document_no",
    "decision_date",
    "received_on",
    "reporting_estimated",
    "data",
    "protected",
    "status",
    "version",
    "status_reason",
    "content_hash",
]


def _setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()


def make_resource_class(*, cached_foreign_keys: bool = False) -> type:
    """The resource class (defined after django.setup(): a ModelResource reads the model's fields).

    `cached_foreign_keys`: the caveat's remedy on the same page — foreign keys resolved from one read
    of each referenced table instead of a query per row (a tuned baseline, reported for information).
    """
    from import_export import fields, resources, widgets

    from xinyong.accounts.models import Department
    from xinyong.catalog.models import CatalogItem
    from xinyong.records.models import CreditRecord
    from xinyong.subjects.models import Subject

    class CreditRecordResource(resources.ModelResource):
        class Meta:
            model = CreditRecord
            fields = RECORD_COLUMNS
            use_bulk = True
            batch_size = 1000
            force_init_instance = True
            skip_diff = True

    if not cached_foreign_keys:
        return CreditRecordResource

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        def __init__(self, model: Any) -> None:
            super().__init__(model)
            self._cache: dict[int, Any] | None = None

        def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
            if value in (None, ""):
                return None
            if self._cache is None:
                self._cache = self.model.objects.in_bulk()
            return self._cache[int(value)]

    class CachedForeignKeyResource(CreditRecordResource):
        item = fields.Field(attribute="item", column_name="item", widget=CachedForeignKeyWidget(CatalogItem))
        subject = fields.Field(attribute="subject", column_name="subject", widget=CachedForeignKeyWidget(Subject))
        provider = fields.Field(attribute="provider", column_name="provider", widget=CachedForeignKeyWidget(Department))

    return CachedForeignKeyResource


def read_slice(csv_path: Path, sidecar: Path, rows: int) -> tuple[list[str], list[list[str]]]:
    with sidecar.open(encoding="utf-8-sig", newline="") as handle:
        bad = {int(row["line"]) for row in csv.DictReader(handle)}
    taken: list[list[str]] = []
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        headers = next(reader)
        for line, row in enumerate(reader, start=2):
            if line in bad:
                continue
            taken.append(row)
            if len(taken) == rows:
                break
    return headers, taken


def build_dataset(headers: list[str], rows: list[list[str]], department: str, item_code: str) -> Any:
    """Subjects created (bulk, not timed); a tablib Dataset of CreditRecord columns returned."""
    import tablib

    from xinyong.accounts.models import Department
    from xinyong.catalog.models import CatalogItem
    from xinyong.core.identifiers import mask_citizen_id
    from xinyong.core.text import normalize_name
    from xinyong.subjects import pii
    from xinyong.subjects.choices import CITIZEN_ID_TYPE, SubjectKind
    from xinyong.subjects.models import Subject

    item = CatalogItem.objects.get(code=item_code)
    provider = Department.objects.get(code=department)
    codes = {f["label"]: f["code"] for f in item.fields}
    id_fields = {f["code"] for f in item.fields if f["type"] == "id_number"}
    column_codes = [codes.get(h.strip()) for h in headers]
    received = dt.date.today().isoformat()

    mapped, subjects = [], {}
    for cells in rows:
        values = {code: cell for code, cell in zip(column_codes, cells, strict=True) if code and cell}
        kind = SubjectKind.from_label(values["CF_XDR_LB"])
        assert kind is not None, values["CF_XDR_LB"]
        if kind == SubjectKind.NATURAL_PERSON:
            number = values["CF_XDR_ZJHM"]
            key = pii.id_lookup_hash(CITIZEN_ID_TYPE, number)
            if key not in subjects:
                subjects[key] = Subject(
                    kind=kind,
                    name=values["CF_XDR_MC"],
                    name_normalized=normalize_name(values["CF_XDR_MC"]),
                    id_type=CITIZEN_ID_TYPE,
                    id_hash=key,
                    id_encrypted=pii.encrypt(number),
                    id_masked=mask_citizen_id(number),
                )
        else:
            key = values["CF_XDR_SHXYM"]
            if key not in subjects:
                subjects[key] = Subject(
                    kind=kind,
                    name=values["CF_XDR_MC"],
                    name_normalized=normalize_name(values["CF_XDR_MC"]),
                    uscc=key,
                    org_code=key[8:17],
                    legal_representative=values.get("CF_FRDB", ""),
                )
        data = {code: mask_citizen_id(v) if code in id_fields else v for code, v in values.items()}
        for date_code in ("CF_JDRQ", "CF_YXQ", "CF_GSJZQ"):
            if date_code in data:
                data[date_code] = data[date_code].replace("/", "-")
        mapped.append((key, values["CF_WSH"], data))

    Subject.objects.bulk_create(list(subjects.values()), batch_size=1000)
    subject_ids = dict(Subject.objects.filter(uscc__in=[k for k in subjects if len(k) == 18]).values_list("uscc", "pk"))
    subject_ids.update(
        Subject.objects.filter(id_hash__in=[k for k in subjects if len(k) != 18]).values_list("id_hash", "pk")
    )

    dataset = tablib.Dataset(headers=RECORD_COLUMNS)
    for key, document_no, data in mapped:
        dataset.append(
            [
                item.pk,
                subject_ids[key],
                provider.pk,
                f"{document_no}|{key}",
                document_no,
                data["CF_JDRQ"],
                received,
                "0",
                json.dumps(data, ensure_ascii=False),
                "{}",
                "submitted",
                1,
                "",
                "",
            ]
        )
    return dataset


def main() -> None:
    parser = argparse.ArgumentParser(description="django-import-export on a slice of the bench file")
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--sidecar", type=Path, required=True)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--department", default="SCJGJ")
    parser.add_argument("--item", default="CF")
    parser.add_argument("--cached-fk", action="store_true", help="also time the cached-foreign-key variant")
    args = parser.parse_args()
    _setup()
    from django.db import connection

    from xinyong.records.models import CreditRecord

    headers, rows = read_slice(args.csv, args.sidecar, args.rows)
    prepared_at = time.perf_counter()
    dataset = build_dataset(headers, rows, args.department, args.item)
    prepare_seconds = time.perf_counter() - prepared_at
    figures: dict[str, Any] = {
        "rows": len(dataset),
        "prepare_seconds": round(prepare_seconds, 2),
        "vendor": connection.vendor,
        "version": _version(),
        "settings": {"use_bulk": True, "batch_size": 1000, "force_init_instance": True, "skip_diff": True},
    }
    plain = timed_import(make_resource_class()(), dataset)
    figures.update(plain)
    if args.cached_fk:
        CreditRecord.objects.all().delete()  # not timed: the same rows again into an empty table
        figures["cached_fk"] = timed_import(make_resource_class(cached_foreign_keys=True)(), dataset)
    print(json.dumps(figures, ensure_ascii=False))


def timed_import(resource: Any, dataset: Any) -> dict[str, Any]:
    from xinyong.records.models import CreditRecord

    started = time.perf_counter()
    result = resource.import_data(dataset, dry_run=False)
    seconds = time.perf_counter() - started
    errors = [str(e.error) for e in result.base_errors[:3]]
    errors += [str(e.error) for _, row_errors in result.row_errors()[:3] for e in row_errors[:1]]
    return {
        "seconds": round(seconds, 2),
        "rows_per_second": round(len(dataset) / seconds, 1),
        "stored": CreditRecord.objects.count(),
        "totals": {k: v for k, v in result.totals.items() if v},
        "has_errors": result.has_errors() or result.has_validation_errors(),
        "errors": errors,
    }


def _version() -> str:
    from importlib.metadata import version

    return version("django-import-export")


if __name__ == "__main__":
    main()
