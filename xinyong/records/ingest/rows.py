"""Turn one file row into what the import stores, or into reasons why it cannot be stored.

Plain data in and out (no database; settings only for the encryption keys of identity numbers): each
importing process (see `parallel.py`) prepares its own chunks with it, then commits them in file order.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

import orjson

from xinyong.catalog.choices import FieldType
from xinyong.catalog.validation import RowValidator
from xinyong.core.errors import Issue
from xinyong.core.identifiers import mask_identity
from xinyong.subjects import pii
from xinyong.subjects.choices import SubjectKind
from xinyong.subjects.columns import SubjectColumns, SubjectIdentity, subject_columns

from .fastcheck import FastValidator

SOURCE_KEY_HEADERS = ("SOURCE_KEY", "数据主键", "报送主键")
EXAMPLE_MARK = "（示例）"  # the templates' example row carries it (templates.EXAMPLE_MARK)
PERSON_KIND = "自然人"
_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these arguments


def compact_json(value: Any) -> str:
    """`_JSON.encode(value)`: orjson writes the same text (compact, non-ASCII as is) several times faster;
    the standard encoder takes what orjson refuses (lone surrogates)."""
    try:
        return orjson.dumps(value).decode()
    except orjson.JSONEncodeError:
        return _JSON.encode(value)


HMAC_BLOCK = 64  # SHA-256's block size
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


class AcceptedRow(NamedTuple):
    """A row that passed validation, in the shape the writer stores (a plain tuple: cheap to pickle)."""

    line: int
    source_key: str
    document_no: str
    subject_key: str  # the USCC, or "id:" + keyed hash of the identity number
    subject: SubjectColumns
    content_hash: str
    warnings: list[RowIssue]
    decision_date: str
    data_json: str
    protected: str  # JSON of the encrypted identity numbers of id_number fields
    raw_digest: str


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
    allowed_codes: tuple[str, ...] = ()  # catalog.validation.allowed_codes(), sorted


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
    """HMAC-SHA256 of `text` in hex (`hmac.digest(key, text, "sha256").hex()`), from the key's inner and
    outer hash states computed once: half the cost of the one-shot call for the importer's short texts."""
    inner, outer = _hmac_states(key)
    digest = inner.copy()
    digest.update(text.encode("utf-8"))
    mac = outer.copy()
    mac.update(digest.digest())
    return mac.hexdigest()


@functools.cache
def _hmac_states(key: bytes) -> tuple[Any, Any]:
    if len(key) > HMAC_BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(HMAC_BLOCK, b"\0")
    return hashlib.sha256(bytes(b ^ 0x36 for b in key)), hashlib.sha256(bytes(b ^ 0x5C for b in key))


def id_lookup_hash(key: bytes, id_type: str, number: str) -> str:
    """The same construction as xinyong.subjects.pii.id_lookup_hash."""
    return keyed_hash(key, f"{id_type}:{number}")


class RowPreparer:
    def __init__(self, spec: ImportSpec):
        import datetime as dt

        self.spec = spec
        self.validator = RowValidator(
            spec.fields,
            spec.roles,
            today=dt.date.fromisoformat(spec.today_iso),
            allowed_codes=frozenset(spec.allowed_codes),
        )
        self.header_map = HeaderMap(self.validator, spec.headers)
        self.columns = {code: index for index, code in self.header_map.columns}
        self.fast = FastValidator(self.validator, self.columns)
        self.labels = {f["code"]: f["label"] for f in spec.fields}
        self.id_fields = [f["code"] for f in spec.fields if f["type"] == FieldType.ID_NUMBER]
        self.roles = spec.roles

    def candidate_key(self, values: list[str]) -> str | None:
        """The source key this row gets if its cells are valid and already in their normalised form, told from
        the cells as written without checking them (None without a document number). Enough to find the
        record an identical row made before: a record found under this key whose stored raw fingerprint is
        this row's was made from the same cells, so its key is this row's real key too."""
        key_column = self.header_map.key_column
        if key_column is not None and values[key_column].strip():
            return values[key_column].strip()[:200]
        document_no = self._cell(values, "document_no")
        if not document_no:
            return None
        if self._cell(values, "subject_kind") != PERSON_KIND:
            return f"{document_no}|{self._cell(values, 'uscc')}"[:200]
        number, id_type = self._cell(values, "id_number"), self._cell(values, "id_type") or "身份证"
        return f"{document_no}|{id_lookup_hash(self.spec.hmac_key, id_type, number)}"[:200]

    def _cell(self, values: list[str], role: str) -> str:
        index = self.columns.get(self.roles.get(role, ""))
        return values[index] if index is not None else ""

    def row(self, values: list[str]) -> dict[str, str]:
        return {code: values[index] for index, code in self.header_map.columns if values[index]}

    def prepare(self, line: int, values: list[str], digest: str = "") -> tuple[AcceptedRow | None, list[RowIssue]]:
        data = self.fast(values)
        warnings: list[RowIssue] = []
        if data is None:  # something to report: the full validation says what
            row = self.row(values)
            result = self.validator.validate_codes(row)
            if result.errors:
                return None, [self._issue(line, "error", i, row) for i in result.errors]
            data = result.data
            warnings = [self._issue(line, "warning", w, row) for w in result.warnings]
        return self._accept(line, values, data, warnings, digest)

    def _accept(
        self, line: int, values: list[str], data: dict[str, Any], warnings: list[RowIssue], digest: str
    ) -> tuple[AcceptedRow | None, list[RowIssue]]:
        roles = self.roles
        if data.get(roles["subject_name"], "").endswith(EXAMPLE_MARK):
            issue = Issue("example_row", "这是模板中的示例行，请删除后再上传。", roles["subject_name"])
            return None, [self._issue(line, "error", issue, self.row(values))]
        kind = data.get(roles["subject_kind"], "")
        is_person = kind == PERSON_KIND
        uscc = None if is_person else data.get(roles["uscc"])
        id_type = (data.get(roles.get("id_type", ""), "") or "身份证") if is_person else ""
        id_number = data.get(roles.get("id_number", "")) if is_person else None
        if (is_person and not id_number) or (not is_person and not uscc):
            missing = roles["id_number"] if is_person else roles["uscc"]
            issue = Issue("required", f"“{self.labels.get(missing, missing)}”为必填项。", missing)
            return None, [self._issue(line, "error", issue, self.row(values))]
        subject_key = f"id:{id_lookup_hash(self.spec.hmac_key, id_type, id_number or '')}" if is_person else str(uscc)
        sensitive = self._unmask(data)
        document_no = data[roles["document_no"]]
        explicit_key = values[self.header_map.key_column].strip() if self.header_map.key_column is not None else ""
        data_json = compact_json(data)  # keys in catalogue order
        digest_input = (
            subject_key + "\x1f" + data_json + "\x1f" + "\x1f".join(f"{k}={v}" for k, v in sorted(sensitive.items()))
        )
        encrypted = {code: pii.encrypt(number) for code, number in sensitive.items()}
        token = (encrypted.get(roles["id_number"]) or pii.encrypt(id_number or "")) if is_person else ""
        identity = SubjectIdentity(
            kind=SubjectKind(KIND_VALUES[kind]),
            name=" ".join(data[roles["subject_name"]].split()),
            uscc=uscc,
            id_type=id_type,
            id_number=id_number,
            legal_representative=data.get(roles.get("legal_representative", ""), "") or "",
        )
        subject = subject_columns(identity, id_hash=subject_key[3:] if is_person else "", id_token=token)
        accepted = AcceptedRow(
            line=line,
            source_key=(explicit_key or f"{document_no}|{subject_key.removeprefix('id:')}")[:200],
            document_no=document_no[:100],
            subject_key=subject_key,
            subject=subject,
            content_hash=keyed_hash(self.spec.hmac_key, digest_input)[:32],
            warnings=warnings,
            decision_date=data[roles["decision_date"]],
            data_json=data_json,
            protected=compact_json(encrypted) if encrypted else "{}",
            raw_digest=digest,
        )
        return accepted, []

    def _unmask(self, data: dict[str, Any]) -> dict[str, str]:
        """Mask the identity numbers in `data`; return them as they were (stored encrypted)."""
        sensitive = {}
        for code in self.id_fields:
            if data.get(code):
                sensitive[code] = data[code]
                data[code] = mask_identity(data[code])
        return sensitive

    def _issue(self, line: int, level: str, issue: Issue, row: dict[str, str]) -> RowIssue:
        code = issue.field or ""
        value = row.get(code, "")
        return RowIssue(line, level, code, self.labels.get(code, code), value[:200], issue.code, issue.message)


def prepare_chunk(
    spec: ImportSpec, rows: list[tuple[int, list[str], str]]
) -> list[tuple[AcceptedRow | None, list[RowIssue]]]:
    """Prepare a chunk of (line, cells, raw digest) rows (the unit of work of a worker process)."""
    preparer = preparer_for(spec)
    return [preparer.prepare(line, values, digest) for line, values, digest in rows]


_CACHE: dict[int, RowPreparer] = {}


def preparer_for(spec: ImportSpec) -> RowPreparer:
    """The preparer of this spec, built once per process."""
    key = hash((spec.today_iso, tuple(spec.headers), json.dumps(spec.fields, sort_keys=True), spec.allowed_codes))
    preparer = _CACHE.get(key)
    if preparer is None:
        _CACHE.clear()
        preparer = _CACHE[key] = RowPreparer(spec)
    return preparer
