"""Turn one file row into what the import stores, or into reasons why it cannot be stored.

Pure Python on plain data (no database, no settings), so chunks of rows can be prepared in other
processes while the main process writes to the database.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from xinyong.catalog.choices import FieldType
from xinyong.catalog.validation import RowValidator
from xinyong.core import identifiers
from xinyong.core.errors import Issue
from xinyong.core.text import normalize_name

SOURCE_KEY_HEADERS = ("SOURCE_KEY", "数据主键", "报送主键")
EXAMPLE_MARK = "（示例）"  # the templates' example row carries it (templates.EXAMPLE_MARK)
PERSON_KIND = "自然人"
KIND_VALUES = {"法人及非法人组织": "legal_person", "个体工商户": "individual_business", "自然人": "natural_person"}


@dataclass(slots=True)
class RowIssue:
    line: int
    level: str
    field_code: str
    field_label: str
    value: str
    code: str
    message: str


@dataclass(slots=True)
class PreparedRow:
    line: int
    source_key: str
    subject_key: str  # the USCC, or "id:" + keyed hash of the identity number
    subject_kind: str
    subject_name: str
    uscc: str | None
    id_type: str
    id_number: str | None
    legal_representative: str
    document_no: str
    decision_date: str
    data_json: str
    sensitive: dict[str, str]  # plain identity numbers of id_number fields, encrypted when written
    content_hash: str
    warnings: list[RowIssue] = field(default_factory=list)
    raw_digest: str = ""
    name_normalized: str = ""


@dataclass(frozen=True)
class ImportSpec:
    """Everything a row preparer needs, as plain data (picklable for worker processes)."""

    fields: list[dict[str, Any]]
    roles: dict[str, str]
    headers: list[str]
    today_iso: str
    hmac_key: bytes
    item_version: int = 1
    provider_id: int = 0
    item_id: int = 0


class HeaderMap:
    """Which file column feeds which field; which columns are unknown; which column holds a key."""

    def __init__(self, validator: RowValidator, headers: list[str]):
        self.columns: list[tuple[int, str]] = []
        self.unknown: list[str] = []
        self.key_column: int | None = None
        self.duplicates: list[str] = []
        seen: dict[str, str] = {}
        for index, header in enumerate(headers):
            code = validator.resolve_key(header)
            if code is not None:
                if code in seen:
                    self.duplicates.append(f"“{seen[code]}”与“{header}”")
                    continue
                seen[code] = header
                self.columns.append((index, code))
            elif header.strip().upper() in SOURCE_KEY_HEADERS or header.strip() in SOURCE_KEY_HEADERS:
                self.key_column = index
            elif header.strip():
                self.unknown.append(header)
        self.mapped_codes = {code for _, code in self.columns}


def raw_digest(spec: ImportSpec, values: list[str]) -> str:
    """A fingerprint of a row exactly as written (and of the catalogue version that judged it): a row
    whose fingerprint is already stored needs no validation again — it is unchanged."""
    return keyed_hash(spec.hmac_key, f"{spec.item_version}\x1e" + "\x1f".join(values))[:32]


def keyed_hash(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()


def id_lookup_hash(key: bytes, id_type: str, number: str) -> str:
    """The same construction as xinyong.subjects.pii.id_lookup_hash."""
    return keyed_hash(key, f"{id_type}:{number}")


class RowPreparer:
    def __init__(self, spec: ImportSpec):
        import datetime as dt

        self.spec = spec
        self.validator = RowValidator(spec.fields, spec.roles, today=dt.date.fromisoformat(spec.today_iso))
        self.header_map = HeaderMap(self.validator, spec.headers)
        self.labels = {f["code"]: f["label"] for f in spec.fields}
        self.id_fields = [f["code"] for f in spec.fields if f["type"] == FieldType.ID_NUMBER]
        self.roles = spec.roles

    def prepare(self, line: int, values: list[str]) -> tuple[PreparedRow | None, list[RowIssue]]:
        row = {code: values[index] for index, code in self.header_map.columns if values[index]}
        result = self.validator.validate_codes(row)
        if result.errors:
            return None, [self._issue(line, "error", i, row) for i in result.errors]
        data, roles = result.data, self.roles
        if data.get(roles["subject_name"], "").endswith(EXAMPLE_MARK):
            issue = Issue("example_row", "这是模板中的示例行，请删除后再上传。", roles["subject_name"])
            return None, [self._issue(line, "error", issue, row)]
        kind = data.get(roles["subject_kind"], "")
        is_person = kind == PERSON_KIND
        uscc = None if is_person else data.get(roles["uscc"])
        id_type = (data.get(roles.get("id_type", ""), "") or "身份证") if is_person else ""
        id_number = data.get(roles.get("id_number", "")) if is_person else None
        if (is_person and not id_number) or (not is_person and not uscc):
            missing = roles["id_number"] if is_person else roles["uscc"]
            issue = Issue("required", f"“{self.labels.get(missing, missing)}”为必填项。", missing)
            return None, [self._issue(line, "error", issue, row)]
        subject_key = f"id:{id_lookup_hash(self.spec.hmac_key, id_type, id_number or '')}" if is_person else str(uscc)
        sensitive = {}
        for code in self.id_fields:
            if data.get(code):
                sensitive[code] = data[code]
                data[code] = identifiers.mask_identity(data[code])
        document_no = data[roles["document_no"]]
        explicit_key = values[self.header_map.key_column].strip() if self.header_map.key_column is not None else ""
        data_json = json.dumps(data, ensure_ascii=False, separators=(",", ":"))  # keys in catalogue order
        digest_input = (
            subject_key + "\x1f" + data_json + "\x1f" + "\x1f".join(f"{k}={v}" for k, v in sorted(sensitive.items()))
        )
        prepared = PreparedRow(
            line=line,
            source_key=(explicit_key or f"{document_no}|{subject_key.removeprefix('id:')}")[:200],
            subject_key=subject_key,
            subject_kind=KIND_VALUES[kind],
            subject_name=" ".join(data[roles["subject_name"]].split()),
            uscc=uscc,
            id_type=id_type,
            id_number=id_number,
            legal_representative=data.get(roles.get("legal_representative", ""), "") or "",
            document_no=document_no[:100],
            decision_date=data[roles["decision_date"]],
            data_json=data_json,
            sensitive=sensitive,
            content_hash=keyed_hash(self.spec.hmac_key, digest_input)[:32],
            warnings=[self._issue(line, "warning", w, row) for w in result.warnings],
        )
        prepared.name_normalized = normalize_name(prepared.subject_name[:200])[:200]
        return prepared, []

    def _issue(self, line: int, level: str, issue: Issue, row: dict[str, str]) -> RowIssue:
        code = issue.field or ""
        value = row.get(code, "")
        return RowIssue(line, level, code, self.labels.get(code, code), value[:200], issue.code, issue.message)


def prepare_chunk(
    spec: ImportSpec, rows: list[tuple[int, list[str]]]
) -> list[tuple[PreparedRow | None, list[RowIssue]]]:
    """Prepare a chunk of rows (the unit of work sent to a worker process)."""
    preparer = _preparer_for(spec)
    return [preparer.prepare(line, values) for line, values in rows]


_CACHE: dict[int, RowPreparer] = {}


def _preparer_for(spec: ImportSpec) -> RowPreparer:
    key = hash((spec.today_iso, tuple(spec.headers), json.dumps(spec.fields, sort_keys=True)))
    preparer = _CACHE.get(key)
    if preparer is None:
        _CACHE.clear()
        preparer = _CACHE[key] = RowPreparer(spec)
    return preparer
