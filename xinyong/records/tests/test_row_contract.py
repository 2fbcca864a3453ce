"""One contract from a row to a record: hand entry and a file import store the same record and subject."""

import pytest
from django.db import transaction

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
from xinyong.catalog.models import CatalogItem
from xinyong.records.models import BatchRowIssue, CreditRecord
from xinyong.records.services import record_create
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields
from xinyong.records.tests.test_ingest import csv_bytes, submit
from xinyong.subjects import pii
from xinyong.subjects.models import IdentifierAllowance, Subject

pytestmark = pytest.mark.django_db

LEGACY_USCC = "9143038271526726X6"  # fails its check; verified by hand
SUBJECT_FIELDS = [
    "kind",
    "name",
    "name_normalized",
    "uscc",
    "org_code",
    "id_type",
    "id_hash",
    "id_masked",
    "registration_no",
    "legal_representative",
    "status",
]
RECORD_FIELDS = ["source_key", "document_no", "decision_date", "data", "received_on", "reporting_working_days"]


def rows():
    return [
        penalty_fields(CF_WSH="韶市监罚〔2026〕1号", CF_XDR_MC="韶山市  清溪镇韶峰食品有限公司", CF_FRDB="毛建国"),
        penalty_fields(CF_WSH="韶市监罚〔2026〕2号", CF_XDR_LB="个体工商户", CF_XDR_MC="韶山市清溪镇李记小吃店"),
        penalty_fields(CF_WSH="韶市监罚〔2026〕3号", CF_XDR_SHXYM=LEGACY_USCC, CF_XDR_MC="韶山市老字号酱园"),
        person_penalty_fields(CF_WSH="韶公罚〔2026〕4号"),
        person_penalty_fields(
            CF_WSH="韶公罚〔2026〕5号",
            CF_XDR_MC="约翰",
            CF_XDR_ZJLX="外国人永久居留身份证",
            CF_XDR_ZJHM="156430382199003072",
        ),
    ]


def snapshot():
    """Every record and its subject, by document number, as comparable values (numbers decrypted)."""
    found = {}
    for record in CreditRecord.objects.select_related("subject").order_by("pk"):
        subject = record.subject
        found[record.document_no] = {
            "record": {name: getattr(record, name) for name in RECORD_FIELDS}
            | {"protected": {code: pii.decrypt(token) for code, token in record.protected.items()}},
            "subject": {name: getattr(subject, name) for name in SUBJECT_FIELDS}
            | {"id_number": pii.decrypt(subject.id_encrypted) if subject.id_encrypted else ""},
        }
    return found


class Rollback(Exception):
    pass


def test_hand_entry_and_import_store_the_same_records_and_subjects():
    clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))
    IdentifierAllowance.objects.create(code=LEGACY_USCC, reason="登记机关书面核实", created_by=clerk)
    item = CatalogItem.objects.get(code="CF")
    warnings = {}
    try:
        with transaction.atomic():
            for fields in rows():
                result = record_create(actor=clerk, item=item, fields=fields)
                warnings[result.record.document_no] = sorted(w.code for w in result.warnings)
            by_hand = snapshot()
            raise Rollback
    except Rollback:
        pass
    assert not CreditRecord.objects.exists() and not Subject.objects.exists()
    batch = submit(clerk, item, csv_bytes(item, rows()))
    assert (batch.created_count, batch.rejected_count) == (5, 0)
    imported = snapshot()
    assert imported.keys() == by_hand.keys() and len(imported) == 5
    for document_no, stored in by_hand.items():
        assert imported[document_no] == stored, document_no
    legacy = imported["韶市监罚〔2026〕3号"]["subject"]
    assert legacy["uscc"] == LEGACY_USCC and warnings["韶市监罚〔2026〕3号"] == ["uscc_allow_listed"]
    issues = {}
    for line, code in BatchRowIssue.objects.filter(batch=batch).values_list("line", "code"):
        issues.setdefault(rows()[line - 2]["CF_WSH"], []).append(code)
    assert issues == {document_no: codes for document_no, codes in warnings.items() if codes}
    assert issues["韶市监罚〔2026〕2号"] == ["subject_name_mismatch"]  # the same code as line 2's, another name
    foreigner = imported["韶公罚〔2026〕5号"]["subject"]
    assert foreigner["id_masked"] == "15" + "*" * 14 + "72"  # masked by its type, not by its shape
    assert imported["韶市监罚〔2026〕1号"]["subject"]["name"] == "韶山市 清溪镇韶峰食品有限公司"
