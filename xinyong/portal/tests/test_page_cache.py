"""The rendered subject page is cached, but never shows a state the records are no longer in."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from xinyong.objections.services.evidence import Upload
from xinyong.objections.services.handling import objection_accept
from xinyong.objections.services.intake import ApplicantInput, Filing, objection_file
from xinyong.publication.tests.factories import approve_all, make_staff, submitted
from xinyong.records.tests.factories import COMPANY_USCC, penalty_fields

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def page(client):
    return client.get(f"/subjects/{COMPANY_USCC}/").content.decode()


def test_cached_subject_page_follows_objections_corrections_and_expiry(client, django_assert_max_num_queries):
    staff = make_staff()
    record = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_CFLB="罚款")))
    first = page(client)
    api = f"/api/v1/public/subjects/{COMPANY_USCC}"
    assert [r["under_objection"] for r in client.get(api).json()["records"]] == [False]
    assert record.document_no in first and "异议处理中</span>" not in first
    with django_assert_max_num_queries(2):  # the subject's row only: the page comes from the cache
        assert page(client) == first
    filing = Filing(
        applicant=ApplicantInput(kind="organisation", name="韶峰食品", phone="0731-55551234"),
        record_ids=[record.pk],
        grounds="金额有误",
        statement_signed=True,
        uploads=[Upload("证明.pdf", io.BytesIO(PDF), len(PDF))],
    )
    objection, _ = objection_file(filing=filing)
    objection_accept(actor=staff.platform, objection=objection)
    assert "异议处理中</span>" in page(client)
    assert [r["under_objection"] for r in client.get(api).json()["records"]] == [True]
    second = approve_all(staff, submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕40号", CF_CFLB="罚款")))
    assert second.document_no in page(client)
    call_command("publicity_expire", "--today", (record.publicity.ends_on + dt.timedelta(days=1)).isoformat())
    assert client.get(f"/subjects/{COMPANY_USCC}/").status_code == 404
