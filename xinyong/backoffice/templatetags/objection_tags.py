"""The back-office menu entries for objections, repairs, complaints and the inbox (unread count)."""

from __future__ import annotations

from typing import Any

from django import template

from xinyong.accounts.permissions import has_permission
from xinyong.notifications.services import unread_count
from xinyong.objections import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def casework_menu(context: Any) -> dict[str, Any]:
    """{% casework_menu as cw %}: cw.unread, cw.can_objections, cw.can_cases (computed once per request).

    One query (the unread count) on top of the role permissions the other menu entries already loaded."""
    request = context.get("request")
    cached = getattr(request, "_casework_menu", None)
    if cached is not None:
        return cached
    user = context.get("user")
    menu = {
        "unread": unread_count(user) if getattr(user, "is_authenticated", False) else 0,
        "can_objections": selectors.can_view_cases(user),
        "can_cases": has_permission(user, selectors.HANDLE) or has_permission(user, selectors.VIEW_ALL),
    }
    if request is not None:
        request._casework_menu = menu
    return menu
