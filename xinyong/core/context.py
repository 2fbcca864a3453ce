"""Who is acting, in which request, from where — for the audit trail.

Set by RequestContextMiddleware for web requests; management commands and tasks run without one.
"""

from __future__ import annotations

import contextvars
import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip: str | None = None
    channel: str = "web"


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("xinyong_request", default=None)


def current_request() -> RequestContext | None:
    return _current.get()


def set_request(ctx: RequestContext | None) -> contextvars.Token:
    return _current.set(ctx)


def reset_request(token: contextvars.Token) -> None:
    _current.reset(token)


def new_request_id() -> str:
    return uuid.uuid4().hex
