"""Tell people: an in-app inbox for staff, and email (Django's email backend: console by default, SMTP by setting)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def _send(address: str, subject: str, body: str) -> None:
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    except Exception:  # an unreachable mail server must not undo the work; the inbox still has it
        logger.exception("sending mail to %s failed", address)


def email_later(address: str, subject: str, body: str) -> None:
    """Send after the transaction commits (nothing is mailed for work that was rolled back)."""
    if address:
        transaction.on_commit(lambda: _send(address, subject, body))


def notify(
    *,
    recipients: Iterable[Any],
    title: str,
    body: str,
    link: str = "",
    topic: str = "",
    due_on: dt.date | None = None,
) -> list[Notification]:
    """One inbox message per recipient (a to-do when it has a due date), and an email to those with an address."""
    people = {user.pk: user for user in recipients if getattr(user, "pk", None)}
    rows = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            title=title[:200],
            body=body,
            link=link,
            topic=topic,
            due_on=due_on,
            emailed=bool(getattr(user, "email", "")),
        )
        for user in people.values()
    )
    for user in people.values():
        email_later(getattr(user, "email", ""), title, f"{body}\n\n{link}".strip())
    return rows


def notification_mark_read(*, user: Any, pk: int) -> None:
    Notification.objects.filter(recipient=user, pk=pk, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
