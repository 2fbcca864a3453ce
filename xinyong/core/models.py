"""Platform-wide reference data kept in the database so the platform can edit it."""

from __future__ import annotations

from django.db import models


class CalendarDay(models.Model):
    """One calendar day and whether government offices work on it (STANDARDS.md §5).

    Every day of a covered year has a row: a year with 365/366 rows is covered; a date without a row
    falls back to the Monday–Friday rule in ``xinyong.core.calendar``.
    """

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日")
    name = models.CharField(
        "名称", max_length=50, blank=True, default="", help_text="节假日名称或“调休上班”；普通工作日、周末留空"
    )
    source = models.CharField(
        "数据来源",
        max_length=100,
        blank=True,
        default="",
        help_text="如 chinese-calendar 1.11.0、file:2027.csv、weekday-rule、manual",
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "日历日"
        verbose_name_plural = "工作日日历"
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "工作日" if self.is_workday else "休息日"
        return f"{self.date.isoformat()} {kind}{(' ' + self.name) if self.name else ''}"
