"""What the back-office menu offers the logged-in user (roles decide; counts are per request)."""

from __future__ import annotations

from typing import Any

from django import template

from xinyong.accounts.permissions import has_permission
from xinyong.publication.queues import queue_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def backoffice_menu(context: Any) -> dict[str, Any]:
    """{% backoffice_menu as menu %}: menu.waiting (records waiting for the user's review, None if it
    reviews nothing), menu.can_notice, menu.can_share, menu.can_audit, menu.can_tokens. Computed once per request."""
    request = context.get("request")
    cached = getattr(request, "_backoffice_menu", None)
    if cached is not None:
        return cached
    user = context.get("user")
    counts = queue_counts(user)
    menu = {
        "waiting": sum(counts.values()) if counts else None,
        "can_notice": has_permission(user, "records.publish_record"),
        "can_share": has_permission(user, "records.view_shared_records"),
        "can_audit": has_permission(user, "audit.view_auditevent"),
        "can_tokens": has_permission(user, "accounts.manage_api_tokens"),
        "can_submit": has_permission(user, "records.submit_record"),
    }
    if request is not None:
        request._backoffice_menu = menu
    return menu
