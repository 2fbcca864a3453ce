"""Once an objection is accepted the record shows 异议处理中 to staff and government users too."""

import datetime as dt
import io

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.records.tests.factories import COMPANY_USCC

from ..services.evidence import Upload
from ..services.handling import objection_accept
from ..services.intake import ApplicantInput, Filing, objection_file
from .conftest import PDF, login

pytestmark = pytest.mark.django_db


def test_accepted_objection_shows_in_the_back_office_and_in_shared_queries(client, staff, record):
    gov = UserFactory(roles=[Role.GOV_USER])
    filing = Filing(
        applicant=ApplicantInput(kind="organisation", name="韶峰食品", phone="0731-55551234"),
        record_ids=[record.pk],
        grounds="金额有误",
        statement_signed=True,
        uploads=[Upload("证明.pdf", io.BytesIO(PDF), len(PDF))],
    )
    objection, _ = objection_file(filing=filing, today=dt.date(2026, 3, 10))
    login(client, staff.reviewer)
    page = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert 'id="objection-flag"' not in page  # received, not yet accepted
    objection_accept(actor=staff.platform, objection=objection)
    page = client.get(f"/backoffice/records/{record.pk}/").content.decode()
    assert "异议处理中" in page and objection.tracking_no in page
    login(client, gov)
    page = client.post("/backoffice/shared/", {"code": COMPANY_USCC, "matter": "资格审查"}).content.decode()
    assert record.document_no in page and "异议处理中" in page
