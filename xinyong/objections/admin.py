"""Working-day limits for objections and repair are dated policy data the platform edits (DESIGN.md §6).

Every change is audited; limits are never deleted (add a row with a later `effective_from` instead),
because a case is judged by the limit in force on the day it was received.
"""

from __future__ import annotations

from django.contrib import admin

from xinyong.publication.admin import AuditedPolicyAdmin

from .models import TimeLimit


@admin.register(TimeLimit)
class TimeLimitAdmin(AuditedPolicyAdmin):
    list_display = ["key", "working_days", "effective_from", "basis"]
    list_filter = ["key"]
    ordering = ["key", "-effective_from"]
