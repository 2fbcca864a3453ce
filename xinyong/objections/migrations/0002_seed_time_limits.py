"""Seed the working-day limits (STANDARDS.md §4). They are data: edit them in the admin, dated."""

import datetime as dt

from django.db import migrations

SINCE = dt.date(2018, 1, 24)  # the measures' date
LIMITS = [
    ("objection_accept", 1, "参照《上海市社会信用条例》第三十六条：收到异议后1个工作日内标注"),
    ("objection_forward", 2, "参照《上海市社会信用条例》第三十六条：2个工作日内转提供单位"),
    ("objection_decide", 5, "《韶山市政府信用信息管理试行办法》第十五条：提供单位5个工作日内核查"),
    ("repair_decide", 5, "平台设定，按《信用修复管理办法》（国办发〔2025〕22号）及本省实施细则核对后修改"),
]


def seed(apps, schema_editor):
    model = apps.get_model("objections", "TimeLimit")
    for key, days, basis in LIMITS:
        model.objects.get_or_create(key=key, effective_from=SINCE, defaults={"working_days": days, "basis": basis})


class Migration(migrations.Migration):
    dependencies = [("objections", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
