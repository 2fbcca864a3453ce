"""Seed the publicity and non-publication rules of STANDARDS.md §2–3. They are data: edit them in the admin."""

import datetime as dt

from django.db import migrations

D = dt.date
EARLY = D(1949, 10, 1)  # decisions before 2019-07-01 are judged by the 527号 rules, the earliest the platform knows
R527 = "《失信行为纠正后的信用信息修复管理办法》（发改办财金规〔2019〕527号）"
O58 = "《失信行为纠正后的信用信息修复管理办法（试行）》（国家发展改革委令第58号）"
G22 = "《信用修复管理办法》（国办发〔2025〕22号）"
LONGER = ["特种设备", "安全生产", "消防"]

RULES = [
    # item, tier, from, to, published, repair months, end months, valid-until field, longer keywords, longer months, basis
    ("CF", "", EARLY, D(2023, 4, 30), True, 3, 12, "", [], None, R527 + "：一般失信"),
    ("CF", "一般", EARLY, D(2023, 4, 30), True, 3, 12, "", [], None, R527 + "：一般失信"),
    ("CF", "严重", EARLY, D(2023, 4, 30), True, 6, 36, "", [], None, R527 + "：严重失信"),
    ("CF", "", D(2023, 5, 1), D(2026, 3, 31), True, 3, 36, "", LONGER, 12, O58),
    ("CF", "轻微", D(2026, 4, 1), None, False, None, 3, "", [], None, G22 + "：轻微失信默认不公示，至多3个月"),
    ("CF", "", D(2026, 4, 1), None, True, 3, 12, "", [], None, G22 + "：一般失信"),
    ("CF", "一般", D(2026, 4, 1), None, True, 3, 12, "", [], None, G22 + "：一般失信"),
    ("CF", "严重", D(2026, 4, 1), None, True, 12, 36, "", [], None, G22 + "：严重失信"),
    ("XK", "", EARLY, None, True, None, None, "XK_YXQZI", [], None, "行政许可在有效期内公示"),
    ("HONG", "", EARLY, None, True, None, None, "HONG_YXQZ", [], None, "红名单在有效期内公示"),
    ("HEI", "", EARLY, None, True, None, None, "HEI_YXQZ", [], None, "严重失信主体名单在有效期内公示，期满移出"),
    ("CN", "", EARLY, None, True, None, None, "", [], None, "信用承诺长期公示"),
]

EXCLUSIONS = [
    ("CF", "CF_CXLX", "简易", "", "适用简易程序作出的行政处罚不公示，仅供政务共享（市场监管总局令第45号等）"),
    ("CF", "CF_CFLB", "警告", "SCJGJ", "仅给予警告的市场监管行政处罚不公示，仅供政务共享（市场监管总局令第45号）"),
    ("CF", "CF_XXSYFW", "政务共享", "", "提供单位标注信息使用范围为政务共享"),
    ("CF", "CF_XXSYFW", "授权查询", "", "提供单位标注信息使用范围为授权查询"),
]


def seed(apps, schema_editor):
    rule_model = apps.get_model("publication", "PublicityRule")
    exclusion_model = apps.get_model("publication", "ExclusionRule")
    for item, tier, start, end, published, repair, ends, valid_field, keywords, longer, basis in RULES:
        rule_model.objects.get_or_create(
            item_code=item,
            tier=tier,
            effective_from=start,
            defaults={
                "effective_to": end,
                "published": published,
                "repair_after_months": repair,
                "ends_after_months": ends,
                "valid_until_field": valid_field,
                "longer_repair_keywords": keywords,
                "longer_repair_months": longer,
                "basis": basis,
            },
        )
    for item, field, value, provider, reason in EXCLUSIONS:
        exclusion_model.objects.get_or_create(
            item_code=item,
            field_code=field,
            equals=value,
            provider_code=provider,
            defaults={"effective_from": EARLY, "reason": reason},
        )


class Migration(migrations.Migration):
    dependencies = [("publication", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
