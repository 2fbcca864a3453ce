"""Issue 11, faults 2 and 3: the filing answers with a redirect to a confirmation page (a refresh files
nothing twice), the secret link is shown to the filing browser only, the reply channel is the one given,
and a record that cannot be repaired is refused before the repair form, with the reason."""

import re

import pytest

from xinyong.objections.models import Objection, RepairApplication
from xinyong.portal import casework
from xinyong.publication.models import PublicRecord
from xinyong.publication.tests.public_factories import company_uscc, day, licence_fields, list_entry_fields, publish

from .test_views_portal import form, repair_form

pytestmark = pytest.mark.django_db


def _link(body: str) -> str | None:
    found = re.search(r'id="tracking-link"[^>]*href="([^"]+)"', body)
    return found.group(1) if found else None


def test_a_refresh_of_the_confirmation_files_nothing_and_keeps_the_link(client, record):
    response = client.post("/objections/new/", form(record))
    objection = Objection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/objections/filed/{objection.tracking_no}/"
    first = client.get(response["Location"])
    again = client.get(response["Location"])
    assert first.status_code == again.status_code == 200 and Objection.objects.count() == 1
    link = _link(first.content.decode())
    assert link and link == _link(again.content.decode()) and f"/objections/track/{objection.tracking_no}/?s=" in link
    assert "no-store" in again["Cache-Control"] and again["Referrer-Policy"] == "same-origin"
    assert client.get(link.replace("http://testserver", "")).status_code == 200


def test_the_secret_is_shown_to_the_filing_browser_only_and_until_saved(client, record, django_user_model):
    from django.test import Client

    page = client.post("/objections/new/", form(record))["Location"]
    other = Client().get(page)
    assert other.status_code == 404 and "filed_page_unavailable" in other.content.decode()
    assert "?s=" not in other.content.decode()
    saved = client.post(page)
    assert saved.status_code == 302 and saved["Location"] == page
    body = client.get(page).content.decode()
    assert _link(body) is None and 'id="link-gone"' in body and "?s=" not in body
    assert Objection.objects.get().tracking_no in body


def test_the_secret_is_no_longer_shown_after_its_time(client, record, monkeypatch):
    monkeypatch.setattr(casework, "FILED_SHOWN_SECONDS", -1)
    page = client.post("/objections/new/", form(record))["Location"]
    body = client.get(page).content.decode()
    assert _link(body) is None and 'id="link-gone"' in body


def test_the_page_promises_an_email_only_when_one_was_given(client, record):
    page = client.post("/objections/new/", form(record, email=""))["Location"]
    body = client.get(page).content.decode()
    assert "您未预留电子邮箱" in body and "通过您预留的电子邮箱告知" not in body
    Objection.objects.all().delete()
    page = client.post("/objections/new/", form(record))["Location"]
    assert "通过您预留的电子邮箱告知" in client.get(page).content.decode()


def test_the_repair_confirmation_is_a_get_page_too(client, record):
    response = client.post("/repair/new/", repair_form(record, email="", phone="13800000000"))
    application = RepairApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/repair/filed/{application.tracking_no}/"
    body = client.get(response["Location"]).content.decode()
    body_again = client.get(response["Location"]).content.decode()
    assert _link(body) == _link(body_again) and f"/repair/track/{application.tracking_no}/?s=" in _link(body)
    assert "您未预留电子邮箱" in body and RepairApplication.objects.count() == 1


def test_a_licence_is_refused_before_the_repair_form(client, staff):
    name, doc = "韶山许可测试有限公司", "韶许〔2026〕7号"
    fields = licence_fields(name, company_uscc(7), doc, decided=day(-3), valid_to=day(200))
    licence = publish(staff, "XK", fields)
    assert PublicRecord.objects.filter(record=licence).exists()
    response = client.get(f"/repair/new/?record={licence.pk}")
    body = response.content.decode()
    assert response.status_code == 422 and "行政许可信息不是失信信息，不适用信用修复。" in body
    assert "repair_not_applicable" in body and 'name="corrective_actions"' not in body
    assert f'href="/objections/new/?record={licence.pk}"' in body
    posted = client.post("/repair/new/", repair_form(licence))
    assert posted.status_code == 422 and not RepairApplication.objects.exists()


def test_a_black_list_entry_without_repair_is_refused_before_the_form(client, staff):
    name, doc = "韶山失信测试有限公司", "韶市监严〔2026〕8号"
    fields = list_entry_fields("HEI", name, company_uscc(8), doc, "严重违法失信名单", day(-40))
    entry = publish(staff, "HEI", fields)
    public = PublicRecord.objects.get(record=entry)
    response = client.get(f"/repair/new/?record={entry.pk}")
    body = response.content.decode()
    assert public.repair_from is None and "repair_not_available" in body and "名单管理程序" in body
    assert response.status_code == 422 and 'name="corrective_actions"' not in body


def test_too_early_is_refused_before_the_form_with_the_date(client, staff):
    from xinyong.publication.tests.factories import approve_all, submitted
    from xinyong.records.tests.factories import penalty_fields

    recent = approve_all(
        staff, submitted(staff, "CF", penalty_fields(CF_WSH="韶市监罚〔2026〕52号", CF_JDRQ="2026/11/20"))
    )
    shown = f"{PublicRecord.objects.get(record=recent).repair_from:%Y年%m月%d日}"
    response = client.get(f"/repair/new/?record={recent.pk}")
    body = response.content.decode()
    assert response.status_code == 422 and f"可于{shown}起申请信用修复" in body and "repair_too_early" in body
    assert 'name="corrective_actions"' not in body
