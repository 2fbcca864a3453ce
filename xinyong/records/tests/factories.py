"""Valid field sets for the seeded catalogue items, in the shape a clerk or a file would send."""

from __future__ import annotations

from typing import Any

from xinyong.accounts.tests.factories import make_uscc
from xinyong.core.identifiers import citizen_id_check_char

COMPANY_USCC = make_uscc(7_1526726, prefix="91430382")
AGENCY_USCC = make_uscc(4_0000001)


def citizen_id(body17: str = "43038219900307123") -> str:
    return body17 + citizen_id_check_char(body17)


def penalty_fields(**overrides: Any) -> dict[str, Any]:
    fields = {
        "CF_XDR_MC": "韶山市清溪镇韶峰食品有限公司",
        "CF_XDR_LB": "法人及非法人组织",
        "CF_XDR_SHXYM": COMPANY_USCC,
        "CF_FRDB": "毛建国",
        "CF_WSH": "韶市监罚〔2026〕12号",
        "CF_WFXW": "经营超过保质期的食品",
        "CF_WFSS": "当事人在其经营场所销售超过保质期的预包装食品共计12袋。",
        "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        "CF_CFLB": "警告；罚款",
        "CF_NR": "警告，并处罚款人民币5000元。",
        "CF_NR_FK": "0.5",
        "CF_JDRQ": "2026/03/02",
        "CF_YXQ": "2099/12/31",
        "CF_CFJG": "韶山市市场监督管理局",
        "CF_CFJGDM": AGENCY_USCC,
        "CF_SJLY": "韶山市市场监督管理局",
        "CF_SJLYDM": AGENCY_USCC,
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def person_penalty_fields(**overrides: Any) -> dict[str, Any]:
    base = penalty_fields(
        CF_XDR_MC="李明",
        CF_XDR_LB="自然人",
        CF_XDR_SHXYM=None,
        CF_FRDB=None,
        CF_XDR_ZJLX="身份证",
        CF_XDR_ZJHM=citizen_id(),
        CF_WSH="韶公(治)行罚决字〔2026〕31号",
    )
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}
