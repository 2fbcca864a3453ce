import datetime as dt

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.catalog.models import CatalogItem
from xinyong.catalog.services import catalog_item_update, catalog_seed
from xinyong.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

PENALTY_LABELS = [
    "行政相对人名称",
    "行政相对人类别",
    "行政相对人代码_1(统一社会信用代码)",
    "行政相对人代码_2(工商注册号)",
    "行政相对人代码_3(组织机构代码)",
    "行政相对人代码_4(税务登记号)",
    "行政相对人代码_5(事业单位证书号)",
    "行政相对人代码_6(社会组织登记证号)",
    "法定代表人",
    "法定代表人证件类型",
    "法定代表人证件号码",
    "证件类型",
    "证件号码",
    "行政处罚决定书文号",
    "违法行为类型",
    "违法事实",
    "处罚依据",
    "处罚类别",
    "处罚内容",
    "罚款金额（万元）",
    "没收违法所得、没收非法财物的金额（万元）",
    "暂扣或吊销证照名称及编号",
    "处罚决定日期",
    "处罚有效期",
    "公示截止期",
    "处罚机关",
    "处罚机关统一社会信用代码",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
]
LICENCE_LABELS = [
    "行政许可决定文书名称",
    "行政许可决定文书号",
    "许可类别",
    "许可证书名称",
    "许可编号",
    "许可内容",
    "许可决定日期",
    "有效期自",
    "有效期至",
    "许可机关",
    "许可机关统一社会信用代码",
    "当前状态",
    "数据来源单位",
    "数据来源单位统一社会信用代码",
    "备注",
]


def test_seeded_items_exist_with_rules():
    items = {i.code: i for i in CatalogItem.objects.all()}
    assert set(items) == {"XK", "CF", "HONG", "HEI", "CN"}
    assert items["CF"].public_basis.startswith("《中华人民共和国行政处罚法》")
    assert items["XK"].public_basis.startswith("《中华人民共和国行政许可法》")
    assert items["HEI"].requires_leadership_approval and not items["CF"].requires_leadership_approval
    assert items["CF"].severity_tiers == ["轻微", "一般", "严重"]
    assert all(i.domain and i.disclosure and i.reporting_deadline_days == 7 for i in items.values())


def test_penalty_and_licence_carry_the_national_field_lists():
    cf = [f["label"] for f in CatalogItem.objects.get(code="CF").fields]
    xk = [f["label"] for f in CatalogItem.objects.get(code="XK").fields]
    assert all(label in cf for label in PENALTY_LABELS)
    assert all(label in xk for label in LICENCE_LABELS)
    cf_fields = CatalogItem.objects.get(code="CF").field_map()
    assert cf_fields["CF_CFLB"]["type"] == "multi_enum" and "罚款" in cf_fields["CF_CFLB"]["enum"]
    assert cf_fields["CF_NR_FK"]["required_if"] == {"field": "CF_CFLB", "contains": "罚款"}
    assert cf_fields["CF_FR_ZJHM"]["sensitivity"] == "secret"
    assert cf_fields["CF_XDR_ZJHM"]["required"] == "natural"


def test_seed_is_idempotent_and_keeps_edits():
    item = CatalogItem.objects.get(code="CF")
    item.name = "行政处罚（已修改）"
    item.save()
    assert catalog_seed() == []
    assert CatalogItem.objects.get(code="CF").name == "行政处罚（已修改）"
    assert CatalogItem.objects.count() == 5


def test_platform_clerk_updates_schema_with_version_and_audit():
    clerk = UserFactory(roles=[Role.PLATFORM_CLERK])
    item = CatalogItem.objects.get(code="CN")
    fields = [
        *item.fields,
        {"code": "CN_EXTRA", "label": "附加说明", "type": "text", "required": "optional", "sensitivity": "public"},
    ]
    updated = catalog_item_update(
        actor=clerk, item=item, changes={"fields": fields, "effective_from": dt.date(2026, 12, 1)}
    )
    assert updated.version == 2
    event = AuditEvent.objects.get(action="catalog.update")
    assert event.actor == clerk and event.after["version"] == 2


def test_bad_schema_is_rejected_with_reasons():
    clerk = UserFactory(roles=[Role.PLATFORM_CLERK])
    item = CatalogItem.objects.get(code="CN")
    bad = [{"code": "A", "label": "甲", "type": "blob"}, {"code": "A", "label": "乙", "type": "enum"}]
    with pytest.raises(ValidationFailed) as exc:
        catalog_item_update(actor=clerk, item=item, changes={"fields": bad})
    codes = [i.code for i in exc.value.issues]
    assert codes.count("schema_invalid") == 2 and "schema_duplicate" in codes
    assert CatalogItem.objects.get(code="CN").version == 1


def test_administrator_cannot_change_the_catalogue():
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    with pytest.raises(PermissionDenied):
        catalog_item_update(actor=admin, item=CatalogItem.objects.get(code="CN"), changes={"name": "x"})


def test_catalogue_is_published_on_the_portal_and_api(client):
    page = client.get("/catalog/CF/")
    assert page.status_code == 200 and "处罚决定日期" in page.content.decode()
    api = client.get("/api/v1/catalog/items/CF").json()
    assert api["code"] == "CF" and any(f["code"] == "CF_WSH" for f in api["fields"])
    missing = client.get("/api/v1/catalog/items/NOPE")
    assert missing.status_code == 404 and missing.json()["code"] == "catalog_item_not_found"


@pytest.mark.parametrize(
    ("code", "statement"),
    [
        ("XK", "社会公开"),
        ("HEI", "社会公开"),
        ("HONG", "逐条判定：记录附有公开依据（如认定决定书、承诺书已在政府网站公布）的社会公开，其余仅政务共享"),
        ("CN", "逐条判定：记录附有公开依据（如认定决定书、承诺书已在政府网站公布）的社会公开，其余仅政务共享"),
    ],
)
def test_the_catalogue_states_when_an_item_is_really_public(client, code, statement):
    """Items without a basis in law are public only record by record, on the record's own basis (Article 11)."""
    page = client.get(f"/catalog/{code}/").content.decode()
    shown = page.split('<dd id="disclosure">')[1].split("</dd>")[0].strip()
    assert shown == statement
    listing = client.get("/catalog/").content.decode()
    row = listing.split(f'<td class="mono">{code}</td>')[1].split("</tr>")[0]
    assert statement in row
    if statement != "社会公开":
        assert "没有登记的仅供政务共享" in page


def test_items_carry_the_national_catalogue_categories(client):
    """Licences and penalties are 行政管理信息, not 政务诚信 (the integrity of government bodies themselves)."""
    domains = dict(CatalogItem.objects.values_list("code", "domain"))
    assert domains == {
        "XK": "administration",
        "CF": "administration",
        "HONG": "honour",
        "HEI": "serious",
        "CN": "commitment",
    }
    page = client.get("/catalog/XK/").content.decode()
    assert "行政管理信息" in page and "政务诚信" not in page
    assert "政务诚信" not in client.get("/catalog/").content.decode()


def test_the_migration_moves_existing_items_to_the_catalogue_categories():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("xinyong.catalog.migrations.0002_national_catalogue_domains")
    CatalogItem.objects.filter(code__in=["XK", "CF"]).update(domain="government")
    CatalogItem.objects.filter(code="HONG").update(domain="commerce")
    added = CatalogItem.objects.create(
        code="ZJ", name="执行信息", domain="judicial", disclosure="public", fields=[{"code": "A", "label": "甲"}]
    )
    other = CatalogItem.objects.create(
        code="JC", name="检查结果", domain="society", disclosure="shared", fields=[{"code": "A", "label": "甲"}]
    )
    migration.to_catalogue_categories(apps, None)
    domains = dict(CatalogItem.objects.values_list("code", "domain"))
    assert (domains["XK"], domains["CF"], domains["HONG"]) == ("administration", "administration", "honour")
    assert (domains[added.code], domains[other.code]) == ("judicial", "other")
