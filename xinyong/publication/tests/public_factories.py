"""Field sets and shortcuts for tests of the public side: records published through the real services.

Dates are relative to the real today, because public pages judge publicity by today's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from xinyong.accounts.tests.factories import make_uscc
from xinyong.records.models import CreditRecord
from xinyong.records.tests.factories import AGENCY_USCC

from .factories import Staff, approve_all, submitted

AGENCY = "韶山市市场监督管理局"


def day(offset: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=offset)


def ymd(value: dt.date) -> str:
    return value.strftime("%Y/%m/%d")


def company_uscc(n: int) -> str:
    return make_uscc(n, prefix="91430382")


def licence_fields(name: str, uscc: str, doc: str, *, decided: dt.date, valid_to: dt.date, **extra: Any) -> dict:
    fields = {
        "XK_XDR_MC": name,
        "XK_XDR_LB": "法人及非法人组织",
        "XK_XDR_SHXYM": uscc,
        "XK_FRDB": "王建华",
        "XK_XKWS": "食品经营许可决定书",
        "XK_WSH": doc,
        "XK_XKLB": "普通",
        "XK_XKZS": "食品经营许可证",
        "XK_XKBH": f"JY{doc[-6:]}",
        "XK_NR": "预包装食品（含冷藏冷冻食品）销售",
        "XK_JDRQ": ymd(decided),
        "XK_YXQZ": ymd(decided),
        "XK_YXQZI": ymd(valid_to),
        "XK_XKJG": AGENCY,
        "XK_XKJGDM": AGENCY_USCC,
        "XK_ZT": "有效",
        "XK_LYDW": AGENCY,
        "XK_LYDWDM": AGENCY_USCC,
    }
    return fields | extra


def list_entry_fields(prefix: str, name: str, uscc: str, doc: str, list_name: str, decided: dt.date) -> dict:
    return {
        f"{prefix}_ZTMC": name,
        f"{prefix}_ZTLB": "法人及非法人组织",
        f"{prefix}_TYSHXYDM": uscc,
        f"{prefix}_MDMC": list_name,
        f"{prefix}_RDWSH": doc,
        f"{prefix}_RDYJ": "《市场监督管理严重违法失信名单管理办法》第九条",
        f"{prefix}_RDYY": "一年内三次销售过期食品",
        f"{prefix}_RDRQ": ymd(decided),
        f"{prefix}_YXQZ": ymd(day(700)),
        f"{prefix}_RDBM": AGENCY,
        f"{prefix}_RDBMDM": AGENCY_USCC,
    }


def publish(staff: Staff, item: str, fields: dict, today: dt.date | None = None) -> CreditRecord:
    today = today or day(0)
    return approve_all(staff, submitted(staff, item, fields, today=today), today=today)
