"""The demo data generator: base demo through the services, bulk scale load, upload files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from xinyong.accounts.choices import DepartmentKind, Role
from xinyong.accounts.models import Department, User
from xinyong.audit.models import AuditEvent
from xinyong.audit.services import audit_verify
from xinyong.catalog.models import CatalogItem
from xinyong.catalog.seed import SEED_ITEMS
from xinyong.catalog.validation import RowValidator
from xinyong.core.calendar import working_days_between
from xinyong.core.identifiers import check_citizen_id, check_uscc, mask_citizen_id
from xinyong.demo import generator
from xinyong.demo.generator import BaseSize, base_dataset, scale_blocks
from xinyong.demo.loader import load_base_demo
from xinyong.demo.organisation import DEMO_PASSWORD, DEPARTMENTS, ITEM_PROVIDERS, demo_accounts
from xinyong.demo.rows import DemoRow
from xinyong.notifications.models import Notification
from xinyong.objections.models import Complaint, Objection, RepairApplication
from xinyong.publication.models import PublicBasis, PublicRecord, RecordReview
from xinyong.records.models import CreditRecord, RecordVersion
from xinyong.subjects import pii
from xinyong.subjects.models import Subject

SEED = {item["code"]: item for item in SEED_ITEMS}
SMALL = BaseSize(companies=24, individuals=8, persons=8, licences=40, penalties=30)
COUNTED = (
    Department,
    User,
    Group,
    Subject,
    CreditRecord,
    RecordVersion,
    AuditEvent,
    CatalogItem.providers.through,
    Objection,
    RepairApplication,
    Complaint,
    Notification,
)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _as_filed(record: CreditRecord) -> dict[str, str]:
    """A stored record turned back into the row a department would file (full ID numbers)."""
    row = {code: ";".join(value) if isinstance(value, list) else str(value) for code, value in record.data.items()}
    row.update({code: pii.decrypt(token) for code, token in record.protected.items()})
    return row


def _clean(item: CatalogItem, fields: dict[str, str], today: dt.date) -> dict[str, Any]:
    """What record_create stores for a row: the validator's clean data, ID numbers masked."""
    result = RowValidator.for_item(item, today=today).validate(fields)
    assert result.ok, result.errors
    ids = {spec["code"] for spec in item.fields if spec["type"] == "id_number"}
    return {code: mask_citizen_id(value) if code in ids else value for code, value in result.data.items()}


# --- the generated content, without the database ---------------------------------------------------


def test_full_base_dataset_has_the_promised_shape_and_every_row_validates() -> None:
    subjects, rows = base_dataset()
    kinds = Counter(s.kind for s in subjects)
    assert kinds == {"legal_person": 300, "individual_business": 80, "natural_person": 80}
    assert Counter(r.item_code for r in rows) == {"XK": 600, "CF": 400}
    assert len({s.name for s in subjects}) == len({s.code for s in subjects}) == len(subjects)
    assert {s.code for s in subjects} == {r.subject.code for r in rows}, "every subject has a record"
    assert {r.status for r in rows} == {"draft", "submitted", "deleted"}
    for row in rows:
        item = SEED[row.item_code]
        result = RowValidator(item["fields"], item["field_roles"], today=row.received_on).validate(row.export_fields())
        assert result.ok, (row.export_fields(), result.errors)
    assert base_dataset()[1][123].export_fields() == rows[123].export_fields(), "deterministic"


def test_subject_codes_are_valid_and_the_base_and_scale_spaces_do_not_meet() -> None:
    subjects, _ = base_dataset(size=SMALL)
    scale = [s for block in scale_blocks(1500) for s in block.subjects]
    for subject in subjects + scale:
        if subject.uscc:
            result = check_uscc(subject.uscc)
            assert result.valid and not result.warnings, (subject.uscc, result.errors, result.warnings)
            assert subject.uscc[:2] in {"91", "92", "93", "52"}
        else:
            assert check_citizen_id(subject.id_number or "").valid
            assert subject.id_number and int(subject.id_number[16]) % 2 == (1 if subject.male else 0)
    assert not {s.code for s in subjects} & {s.code for s in scale}
    assert len({s.code for s in scale}) == len(scale) == math.ceil(1500 / 3)


def test_department_codes_are_valid_agency_usccs() -> None:
    for department in DEPARTMENTS:
        result = check_uscc(department.uscc)
        assert result.valid and not result.warnings, department
        assert department.uscc.startswith("11430382")


# --- base demo through the services ----------------------------------------------------------------


@pytest.mark.django_db
def test_base_demo_creates_an_account_for_every_role(tmp_path: Path) -> None:
    accounts = tmp_path / "var" / "demo-accounts.txt"
    load_base_demo(size=SMALL, accounts_file=accounts)

    for account in demo_accounts():
        user = User.objects.get(username=account.username)
        assert sorted(user.role_names) == sorted(str(r) for r in account.roles)
        assert user.full_name == account.full_name and user.check_password(DEMO_PASSWORD)
        assert (user.department.code if user.department else None) == account.department
    held = set(Group.objects.filter(user__isnull=False).values_list("name", flat=True))
    assert held == set(Role.values)
    for code in ("SCJGJ", "ZJJ"):
        assert {r for u in User.objects.filter(department__code=code) for r in u.role_names} >= {
            Role.PROVIDER_CLERK,
            Role.PROVIDER_REVIEWER,
        }
    text = accounts.read_text(encoding="utf-8")
    assert DEMO_PASSWORD in text and "韶山市市场监督管理局" in text
    assert all(a.username in text for a in demo_accounts())


@pytest.mark.django_db
def test_base_demo_departments_and_catalogue_providers() -> None:
    load_base_demo(size=SMALL)

    departments = {d.code: d for d in Department.objects.all()}
    assert set(departments) == {d.code for d in DEPARTMENTS}
    assert departments["FGJ"].kind == DepartmentKind.PLATFORM
    assert departments["DCS"].kind == DepartmentKind.SUPERVISOR
    for department in departments.values():
        assert department.uscc and check_uscc(department.uscc).valid
    for code, providers in ITEM_PROVIDERS.items():
        item = CatalogItem.objects.get(code=code)
        assert set(item.providers.values_list("code", flat=True)) == set(providers)
    assert AuditEvent.objects.filter(action="catalog.set_providers", actor_label="system").count() == 5


@pytest.mark.django_db
def test_base_demo_records_validate_and_the_audit_chain_verifies() -> None:
    summary = load_base_demo(size=SMALL)

    records = list(
        CreditRecord.objects.filter(item__code__in=["XK", "CF"]).select_related("item", "subject", "provider")
    )
    assert len(records) == summary.records == SMALL.licences + SMALL.penalties
    # every tenth submitted record waits for its provider's reviewer; most went through the whole review
    assert {r.status for r in records} >= {"draft", "submitted", "provider_approved", "published"}
    assert summary.published == CreditRecord.objects.filter(status="published").count() > 0
    assert PublicRecord.objects.count() == summary.published
    assert summary.lists == CreditRecord.objects.filter(item__code__in=["HONG", "HEI", "CN"]).count() == 12
    for record in records:
        assert record.provider.code in ITEM_PROVIDERS[record.item.code]
        assert record.data == _clean(record.item, _as_filed(record), record.received_on)
        assert record.source_key == f"{record.document_no}|{record.subject.uscc or record.subject.id_hash}"
    persons = [r for r in records if r.subject.kind == "natural_person"]
    assert persons and all(r.protected and "*" in r.data[f"{r.item.code}_XDR_ZJHM"] for r in persons)
    assert AuditEvent.objects.filter(action="record.create").count() == len(records) + summary.lists
    assert AuditEvent.objects.filter(action="record.submit").count() == summary.submitted + summary.lists
    assert audit_verify().ok


@pytest.mark.django_db
def test_base_demo_red_list_and_commitments_are_public_on_their_recorded_basis() -> None:
    load_base_demo(size=SMALL)
    for code in ("HONG", "CN"):
        records = list(CreditRecord.objects.filter(item__code=code).select_related("publicity"))
        assert len(records) == {"HONG": 6, "CN": 3}[code]
        bases = PublicBasis.objects.filter(record__in=records)
        assert bases.count() == len(records)
        assert {(b.kind, b.channel) for b in bases} == {("government_channel", "韶山市人民政府网站")}
        assert all(b.published_on and b.published_on <= dt.date.today() for b in bases)
        approved = [r for r in records if hasattr(r, "publicity")]
        assert approved, code  # most went through the whole review
        assert all(r.status == "published" and r.publicity.is_public for r in approved), code
        assert all("韶山市人民政府网站" in r.publicity.basis for r in approved)
    assert PublicRecord.objects.filter(group="red").exists()
    assert PublicRecord.objects.filter(group="commitment").exists()


@pytest.mark.django_db
def test_demo_data_command_twice_creates_nothing_new(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "BASE_SIZE", SMALL)
    accounts = tmp_path / "accounts.txt"
    call_command("demo_data", accounts_file=str(accounts), verbosity=0, stdout=io.StringIO())
    before = _counts()
    # and the red/black list decisions and the commitments
    assert before["CreditRecord"] == SMALL.licences + SMALL.penalties + 12
    assert (before["Objection"], before["Complaint"], before["RepairApplication"]) == (3, 2, 2)
    assert before["Subject"] == SMALL.companies + SMALL.individuals + SMALL.persons

    out = io.StringIO()
    call_command("demo_data", accounts_file=str(accounts), verbosity=0, stdout=out)

    assert _counts() == before
    assert "未做任何修改" in out.getvalue()
    assert audit_verify().ok


# --- scale ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scale_bulk_load_matches_what_the_services_would_store(tmp_path: Path) -> None:
    call_command("demo_data", scale=2000, accounts_file=str(tmp_path / "a.txt"), verbosity=0, stdout=io.StringIO())

    assert CreditRecord.objects.count() == 2000
    assert Subject.objects.count() == math.ceil(2000 / 3)
    share = CreditRecord.objects.filter(item__code="XK").count() / 2000
    assert 0.3 < share < 0.5
    changed = CreditRecord.objects.exclude(status="draft").count()
    assert RecordVersion.objects.count() == 2000 + changed
    generated = {(r.department, r.document_no, r.subject.code): r for b in scale_blocks(2000) for r in b.rows}
    for record in CreditRecord.objects.select_related("item", "subject", "provider"):
        subject = record.subject
        if subject.uscc:
            assert check_uscc(subject.uscc).valid
        else:
            number = pii.decrypt(subject.id_encrypted)
            assert check_citizen_id(number).valid and subject.id_masked == mask_citizen_id(number)
            assert subject.id_hash == pii.id_lookup_hash("身份证", number)
        assert record.source_key == f"{record.document_no}|{subject.uscc or subject.id_hash}"
        row: DemoRow = generated[(record.provider.code, record.document_no, subject.uscc or _number(subject))]
        assert record.data == _clean(record.item, row.export_fields(), record.received_on)
        assert record.decision_date == row.decision_date and record.received_on == row.received_on
    sample = CreditRecord.objects.order_by("id")[:50]
    for record in sample:
        elapsed = working_days_between(record.decision_date, record.received_on)
        assert (record.reporting_working_days, record.reporting_estimated) == (elapsed.days, elapsed.used_fallback)
    after = AuditEvent.objects.get(action="demo.bulk_load").after
    assert after is not None and after["records"] == 2000 and after["subjects"] == math.ceil(2000 / 3)
    assert audit_verify().ok


def _number(subject: Subject) -> str:
    return pii.decrypt(subject.id_encrypted)


@pytest.mark.django_db
def test_scale_rerun_resumes_without_duplicates(tmp_path: Path) -> None:
    options: dict[str, Any] = {"scale": 700, "accounts_file": str(tmp_path / "a.txt"), "verbosity": 0}
    call_command("demo_data", **options, stdout=io.StringIO())
    before = _counts()

    call_command("demo_data", **options, stdout=io.StringIO())

    after = _counts()
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1  # the second summary event
    assert after == before


@pytest.mark.django_db
def test_scale_publish_leaves_nothing_in_review_and_fills_the_public_projection(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo_data", scale=600, publish=True, accounts_file=str(tmp_path / "a.txt"), verbosity=0, stdout=out)
    statuses = Counter(CreditRecord.objects.values_list("status", flat=True))
    assert set(statuses) <= {"published", "shared_only", "expired", "deleted", "draft"}
    assert PublicRecord.objects.count() == statuses["published"] > 0
    reviewed = statuses["published"] + statuses["shared_only"] + statuses["expired"]
    assert RecordReview.objects.filter(stage="provider").count() == reviewed
    assert RecordReview.objects.filter(stage="platform").count() == reviewed
    chunks = AuditEvent.objects.filter(action="review.bulk_chunk")
    assert sum(len((event.after or {})["records"]) for event in chunks) == 2 * reviewed
    assert audit_verify().ok
    assert "整批审核完成" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("demo_data", publish=True, verbosity=0, stdout=io.StringIO())


# --- export -----------------------------------------------------------------------------------------


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        text = handle.read()
    assert text.startswith("\ufeff"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(text[1:])))


def _read_xlsx(path: Path) -> list[list[str]]:
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    return [row + [""] * (len(rows[0]) - len(row)) for row in rows]  # trailing empty cells are not stored


def _failing_lines(item: CatalogItem, table: list[list[str]]) -> dict[int, set[str]]:
    validator = RowValidator.for_item(item)
    failing = {}
    for line, cells in enumerate(table[1:], start=2):
        result = validator.validate(dict(zip(table[0], cells, strict=True)))
        if not result.ok:
            failing[line] = {issue.field or "" for issue in result.errors}
    return failing


@pytest.mark.django_db
def test_export_files_carry_catalogue_headers_and_exactly_the_listed_bad_rows(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("demo_data", scale=900, export=str(tmp_path), no_load=True, bad_ratio=0.05, verbosity=0, stdout=out)

    assert CreditRecord.objects.count() == 0, "--no-load writes files only"
    reasons: Counter[str] = Counter()
    for code in ("XK", "CF"):
        item = CatalogItem.objects.get(code=code)
        labels = [spec["label"] for spec in item.fields]
        with (tmp_path / f"{code}.bad-rows.csv").open(encoding="utf-8-sig", newline="") as handle:
            listed = {int(row["line"]): row for row in csv.DictReader(handle)}
        reasons.update(row["reason"] for row in listed.values())
        for table in (_read_csv(tmp_path / f"{code}.csv"), _read_xlsx(tmp_path / f"{code}.xlsx")):
            assert table[0] == labels
            failing = _failing_lines(item, table)
            assert set(failing) == set(listed)
            for line, row in listed.items():
                assert row["field"] in failing[line], (line, row, failing[line])
            _assert_national_format(item, table, set(listed))
    bad = sum(reasons.values())
    assert 0.02 * 900 < bad < 0.09 * 900
    assert len(reasons) >= 5


def _assert_national_format(item: CatalogItem, table: list[list[str]], bad_lines: set[int]) -> None:
    types = [spec["type"] for spec in item.fields]
    for line, cells in enumerate(table[1:], start=2):
        if line in bad_lines:
            continue
        for kind, cell in zip(types, cells, strict=True):
            if kind == "date" and cell:
                assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", cell), cell
            if kind == "id_number" and cell:
                assert re.fullmatch(r"\d{17}[\dX]", cell), "ID numbers in full"


@pytest.mark.django_db
def test_base_demo_export_and_load_in_one_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator, "BASE_SIZE", SMALL)
    call_command(
        "demo_data",
        export=str(tmp_path / "files"),
        format="csv",
        accounts_file=str(tmp_path / "a.txt"),
        verbosity=0,
        stdout=io.StringIO(),
    )

    assert CreditRecord.objects.filter(item__code__in=["XK", "CF"]).count() == SMALL.licences + SMALL.penalties
    assert not (tmp_path / "files" / "XK.xlsx").exists()
    rows = sum(len(_read_csv(tmp_path / "files" / f"{code}.csv")) - 1 for code in ("XK", "CF"))
    assert rows == SMALL.licences + SMALL.penalties
    assert _read_csv(tmp_path / "files" / "CF.bad-rows.csv") == [["line", "reason", "field", "detail"]]


def test_command_rejects_contradictory_options(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--no-load"):
        call_command("demo_data", no_load=True, verbosity=0)
    with pytest.raises(CommandError, match="--bad-ratio"):
        call_command("demo_data", bad_ratio=0.1, verbosity=0)
    with pytest.raises(CommandError, match="--bad-ratio"):
        call_command("demo_data", export=str(tmp_path), no_load=True, bad_ratio=1.5, verbosity=0)


@pytest.mark.django_db
def test_base_demo_fills_the_case_queues_and_the_inboxes_through_the_services() -> None:
    summary = load_base_demo(size=SMALL)
    assert (summary.objections, summary.complaints, summary.returned) == (3, 2, 1)
    statuses = Counter(Objection.objects.values_list("status", flat=True))
    assert statuses == {"received": 1, "forwarded": 1, "closed": 1}
    assert Complaint.objects.filter(status="open").count() == 2
    assert summary.repairs == RepairApplication.objects.filter(status="received").count() == 2
    assert AuditEvent.objects.filter(action="objection.file").count() == 3
    assert AuditEvent.objects.filter(action="repair.apply").count() == summary.repairs
    platform = User.objects.get(username="fgj_platform")
    todo = Notification.objects.filter(recipient=platform, due_on__isnull=False)
    assert todo.filter(topic="objection").count() == 3
    assert todo.filter(topic="repair").count() == summary.repairs
    forwarded = Objection.objects.get(status="forwarded")
    reviewer = User.objects.get(username=f"{forwarded.provider.code.lower()}_reviewer")
    assert Notification.objects.filter(recipient=reviewer, topic="objection", title__contains=forwarded.tracking_no)
    returned = CreditRecord.objects.get(status="draft", status_reason__startswith="决定书文号与决定日期不一致")
    clerk = User.objects.get(username=f"{returned.provider.code.lower()}_clerk")
    assert Notification.objects.filter(recipient=clerk, topic="returned", link=f"/backoffice/records/{returned.pk}/")
    assert audit_verify().ok
    again = load_base_demo(size=SMALL)
    assert (again.objections, again.repairs, again.complaints, again.returned) == (0, 0, 0, 0)
    assert Objection.objects.count() == 3
