"""Seed the working-day calendar with every year the installed chinese_calendar package covers.

Self-contained on purpose (no import of app code), so later changes to xinyong.core.calendar cannot
change what this migration does. Re-seed or add later years with `manage.py calendar load`.
"""

from datetime import date, timedelta
from importlib.metadata import PackageNotFoundError, version

from django.db import migrations

SOURCE_PREFIX = "chinese-calendar"
ADJUSTED_WORKDAY = "调休上班"
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
PROBE_YEARS = range(1990, 2101)
BATCH_SIZE = 1000


def covered_years(chinese_calendar):
    """Years the package has data for: it raises NotImplementedError for the others."""
    years = []
    for year in PROBE_YEARS:
        try:
            chinese_calendar.get_holiday_detail(date(year, 1, 1))
        except NotImplementedError:
            continue
        years.append(year)
    return years


def day_name(chinese_calendar, day):
    """(is_workday, Chinese name) for one day, per the package."""
    on_holiday, english = chinese_calendar.get_holiday_detail(day)
    if english is None:
        return not on_holiday, ""
    if not on_holiday:
        return True, ADJUSTED_WORKDAY
    return False, HOLIDAY_NAMES.get(str(english), str(english))


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarDay = apps.get_model("core", "CalendarDay")
    try:
        source = f"{SOURCE_PREFIX} {version('chinese_calendar')}"
    except PackageNotFoundError:  # pragma: no cover - installed as a dependency
        source = SOURCE_PREFIX
    rows = []
    for year in covered_years(chinese_calendar):
        day = date(year, 1, 1)
        while day.year == year:
            is_workday, name = day_name(chinese_calendar, day)
            rows.append(CalendarDay(date=day, is_workday=is_workday, name=name, source=source))
            day += timedelta(days=1)
    alias = schema_editor.connection.alias
    CalendarDay.objects.using(alias).bulk_create(rows, batch_size=BATCH_SIZE)


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    alias = schema_editor.connection.alias
    CalendarDay.objects.using(alias).filter(source__startswith=SOURCE_PREFIX).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
