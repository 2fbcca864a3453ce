"""Load the base demo through the services, so every change has its audit event. Idempotent.

Departments are found by code, users by username, subjects by code and records by their source key:
a second run finds everything and writes nothing, not even an audit event.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from tqdm import tqdm

from xinyong.accounts.choices import Role
from xinyong.accounts.models import Department, User
from xinyong.accounts.services import user_create
from xinyong.audit.services import audit_log
from xinyong.catalog.models import CatalogItem
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_create, record_delete, record_submit
from xinyong.subjects import pii
from xinyong.subjects.choices import CITIZEN_ID_TYPE
from xinyong.subjects.services import subject_identity_parse, subject_resolve

from .cases import add_cases
from .generator import DEFAULT_SEED, BaseSize, base_dataset
from .organisation import DEMO_PASSWORD, DEPARTMENTS, ITEM_PROVIDERS, DemoAccount, clerk_username, demo_accounts
from .publication import add_list_entries, add_notices, review_demo
from .rows import DemoRow, DemoSubject

DELETE_REASON = "与已报送记录重复，删除草稿"


@dataclass
class BaseSummary:
    departments: int = 0
    providers: int = 0
    users: int = 0
    subjects: int = 0
    records: int = 0
    submitted: int = 0
    deleted: int = 0
    skipped: int = 0
    lists: int = 0
    published: int = 0
    shared_only: int = 0
    expired: int = 0
    notices: int = 0
    objections: int = 0
    repairs: int = 0
    complaints: int = 0
    returned: int = 0
    seconds: float = 0.0


def load_base_demo(
    *, seed: int = DEFAULT_SEED, size: BaseSize | None = None, accounts_file: Path | None = None, progress: bool = False
) -> BaseSummary:
    """The believable 韶山市: departments, accounts for every role, subjects, licences and penalties."""
    started = time.perf_counter()
    summary = BaseSummary()
    subjects, rows = base_dataset(seed, size)
    with transaction.atomic():
        departments = ensure_organisation(summary)
        for subject in subjects:
            summary.subjects += ensure_subject(subject)
        ensure_records(rows, departments, summary, progress=progress)
        if summary.records:
            summary.lists = add_list_entries()
            reviewed = review_demo()
            summary.published, summary.shared_only, summary.expired = (
                reviewed.published,
                reviewed.shared_only,
                reviewed.expired,
            )
            summary.notices = add_notices()
            cases = add_cases()
            summary.objections, summary.repairs = cases.objections, cases.repairs
            summary.complaints, summary.returned = cases.complaints, cases.returned
    if accounts_file is not None:
        write_accounts_file(accounts_file)
    summary.seconds = time.perf_counter() - started
    return summary


def ensure_organisation(summary: BaseSummary | None = None) -> dict[str, Department]:
    """Departments, catalogue providers and demo accounts; what exists is left as it is."""
    summary = summary or BaseSummary()
    with transaction.atomic():
        departments = ensure_departments(summary)
        summary.providers += ensure_providers(departments)
        summary.users += ensure_users(departments)
    return departments


def ensure_departments(summary: BaseSummary) -> dict[str, Department]:
    found = {d.code: d for d in Department.objects.filter(code__in=[spec.code for spec in DEPARTMENTS])}
    for spec in DEPARTMENTS:
        if spec.code in found:
            continue
        same_name = Department.objects.filter(name=spec.name).first()  # set up by hand under another code
        if same_name is not None:
            found[spec.code] = same_name
            continue
        department = Department.objects.create(code=spec.code, name=spec.name, uscc=spec.uscc, kind=spec.kind)
        audit_log(
            actor="system",
            action="department.create",
            obj=department,
            after={"code": spec.code, "name": spec.name, "uscc": spec.uscc, "kind": spec.kind},
        )
        found[spec.code] = department
        summary.departments += 1
    return found


def ensure_providers(departments: dict[str, Department]) -> int:
    """Add the demo's reporting departments to each catalogue item; never removes one."""
    changed = 0
    for item in CatalogItem.objects.filter(code__in=list(ITEM_PROVIDERS)):
        current = {d.pk: d.code for d in item.providers.all()}
        missing = [departments[code] for code in ITEM_PROVIDERS[item.code] if departments[code].pk not in current]
        if not missing:
            continue
        item.providers.add(*missing)
        after = sorted([*current.values(), *(d.code for d in missing)])
        audit_log(
            actor="system",
            action="catalog.set_providers",
            obj=item,
            before={"providers": sorted(current.values())},
            after={"providers": after},
        )
        changed += 1
    return changed


def ensure_users(departments: dict[str, Department]) -> int:
    existing = set(
        User.objects.filter(username__in=[a.username for a in demo_accounts()]).values_list("username", flat=True)
    )
    created = 0
    for account in demo_accounts():
        if account.username in existing:
            continue
        user_create(
            actor="system",
            username=account.username,
            password=DEMO_PASSWORD,
            full_name=account.full_name,
            department=departments[account.department] if account.department else None,
            roles=[str(role) for role in account.roles],
            check_actor=False,
        )
        created += 1
    return created


def ensure_subject(subject: DemoSubject) -> bool:
    is_person = subject.id_number is not None
    identity = subject_identity_parse(
        kind=subject.kind_label,
        name=subject.name,
        uscc=subject.uscc or "",
        id_type=CITIZEN_ID_TYPE if is_person else "",
        id_number=subject.id_number or "",
        legal_representative=subject.legal_representative,
    )
    return subject_resolve(actor="system", identity=identity).created


def source_key(row: DemoRow) -> str:
    """As `records.services.default_source_key` makes it: document number | USCC or ID hash."""
    subject = row.subject
    code = subject.uscc or pii.id_lookup_hash(CITIZEN_ID_TYPE, subject.id_number or "")
    return f"{row.document_no}|{code}"


def existing_source_keys(keys: list[tuple[int, int, str]]) -> set[tuple[int, int, str]]:
    """Which (provider id, item id, source key) already exist: one indexed query per provider and item."""
    groups: dict[tuple[int, int], list[str]] = {}
    for provider_id, item_id, key in keys:
        groups.setdefault((provider_id, item_id), []).append(key)
    found: set[tuple[int, int, str]] = set()
    for (provider_id, item_id), group in groups.items():
        for start in range(0, len(group), 900):
            found.update(
                CreditRecord.objects.filter(
                    provider_id=provider_id,
                    item_id=item_id,
                    source_key__in=group[start : start + 900],
                )
                .order_by()
                .values_list("provider_id", "item_id", "source_key")
            )
    return found


def ensure_records(
    rows: list[DemoRow], departments: dict[str, Department], summary: BaseSummary, *, progress: bool = False
) -> None:
    items = {item.code: item for item in CatalogItem.objects.filter(code__in=["XK", "CF"])}
    clerks = {u.username: u for u in User.objects.filter(username__in=[clerk_username(c) for c in departments])}
    keyed = [(row, (departments[row.department].pk, items[row.item_code].pk, source_key(row))) for row in rows]
    existing = existing_source_keys([key for _, key in keyed])
    for row, key in tqdm(keyed, desc="演示记录", unit="条", disable=not progress):
        if key in existing:
            summary.skipped += 1
            continue
        clerk = clerks[clerk_username(row.department)]
        record = record_create(
            actor=clerk, item=items[row.item_code], fields=row.export_fields(), source_key=key[2], today=row.received_on
        ).record
        summary.records += 1
        if row.status == "submitted":
            record_submit(actor=clerk, record=record)
            summary.submitted += 1
        elif row.status == "deleted":
            record_delete(actor=clerk, record=record, reason=DELETE_REASON)
            summary.deleted += 1


# --- the accounts file -----------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def accounts_table(accounts: Iterable[DemoAccount]) -> str:
    names = {d.code: d.name for d in DEPARTMENTS}
    labels = dict(Role.choices)
    header = ("用户名", "密码", "姓名", "角色", "所属单位", "说明")
    lines: list[tuple[str, ...]] = [header]
    for a in accounts:
        role = "、".join(labels[str(r)] for r in a.roles)
        lines.append((a.username, DEMO_PASSWORD, a.full_name, role, names.get(a.department or "", "（无）"), a.note))
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = []
    for index, line in enumerate(lines):
        out.append("  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=False)) + "  " + line[-1])
        if index == 0:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * 12)
    return "\n".join(out)


def write_accounts_file(path: Path, accounts: list[DemoAccount] | None = None) -> Path:
    text = (
        f"信用韶山 演示账号（演示环境专用，所有账号密码均为 {DEMO_PASSWORD}）\n"
        "后台入口：/backoffice/    门户：/    接口文档：/api/v1/docs\n\n"
        + accounts_table(accounts or demo_accounts())
        + "\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def clerks_by_department() -> dict[str, Any]:
    """Department code → its demo clerk (for records created outside the services)."""
    users = User.objects.filter(username__in=[clerk_username(d.code) for d in DEPARTMENTS]).select_related("department")
    return {u.username.removesuffix("_clerk").upper(): u for u in users}
