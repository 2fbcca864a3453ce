from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xinyong.core.models import CalendarDay

MANUAL_SOURCE = "manual"
_WEEKDAYS = "一二三四五六日"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin[CalendarDay]):
    list_display = ["date", "weekday", "is_workday", "name", "source", "updated_at"]
    list_filter = ["is_workday", "source"]
    search_fields = ["name"]
    date_hierarchy = "date"
    ordering = ["date"]
    readonly_fields = ["source", "updated_at"]
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return f"星期{_WEEKDAYS[obj.date.weekday()]}"

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        # The admin is an adapter, so it may reach the audit app (core's own modules import no other app).
        from django.db import transaction

        from xinyong.audit.services import audit_log

        before = None
        if change:
            old = CalendarDay.objects.get(pk=obj.pk)
            before = {"is_workday": old.is_workday, "name": old.name, "source": old.source}
        obj.source = MANUAL_SOURCE  # an edit by hand overrides whatever the row came from
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_log(
                actor=request.user,
                action="calendar.edit",
                obj=obj,
                before=before,
                after={"date": obj.date, "is_workday": obj.is_workday, "name": obj.name},
            )

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        return False  # a day is corrected, never removed: a missing day would silently fall back
