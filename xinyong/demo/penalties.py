"""行政处罚 rows: the template type, and how one decision is written from a template (table: `penalty_kinds`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .names import FOODS, SOUVENIRS
from .rows import INDIVIDUAL, LEGAL, PERSON, RowContext, add_months, address, date_cn, doc_number, wan

ORGS = frozenset({LEGAL, INDIVIDUAL})
ALL = frozenset({LEGAL, INDIVIDUAL, PERSON})
PEOPLE = frozenset({PERSON})
SEVERE_TYPES = frozenset({"责令停产停业", "吊销许可证件", "责令关闭", "限制从业", "降低资质等级"})

# Department → (decision number prefix, summary-procedure prefix).
PREFIXES = {
    "SCJGJ": ("韶市监处罚", "韶市监简罚"),
    "SWJ": ("韶税稽罚", "韶税简罚"),
    "RSJ": ("韶人社监罚", "韶人社简罚"),
    "ZJJ": ("韶住建罚", "韶住建简罚"),
    "STHJ": ("潭韶环罚", "潭韶环简罚"),
    "YJGLJ": ("韶应急罚", "韶应急简罚"),
    "JTYSJ": ("韶交执罚", "韶交执简罚"),
    "WJJ": ("韶卫执罚", "韶卫执简罚"),
    "JYJ": ("韶教罚", "韶教简罚"),
    "WLGTJ": ("韶文旅罚", "韶文旅简罚"),
    "ZRZYJ": ("韶自然资罚", "韶自然资简罚"),
    "GAJ": ("韶公行罚决字", "韶公当罚决字"),
}


@dataclass(frozen=True)
class PenaltyKind:
    key: str
    department: str
    behaviour: str  # 违法行为类型
    facts: tuple[str, ...]  # 违法事实 templates ({when}, {place}, {goods}, {qty}, {unit}, {value}, {gain}, …)
    basis: str  # 处罚依据
    outcomes: tuple[tuple[str, ...], ...]  # possible 处罚类别 combinations
    fines: tuple[int, ...]  # fine amounts in yuan
    tags: frozenset[str] | None
    kinds: frozenset[str]
    weight: int
    other: str = ""  # 处罚内容 wording of 其他
    licence: str = ""  # the licence suspended or revoked
    public: bool = True  # False: government sharing only

    def fits(self, kind: str, tags: frozenset[str]) -> bool:
        return kind in self.kinds and (self.tags is None or kind == PERSON or bool(self.tags & tags))


def P(
    key: str,
    department: str,
    behaviour: str,
    *,
    facts: tuple[str, ...],
    basis: str,
    outcomes: tuple[tuple[str, ...], ...],
    fines: tuple[int, ...],
    tags: tuple[str, ...] | None,
    kinds: frozenset[str],
    weight: int,
    **extra: Any,
) -> PenaltyKind:
    """A table entry (see `penalty_kinds`)."""
    frozen = None if tags is None else frozenset(tags)
    return PenaltyKind(key, department, behaviour, facts, basis, outcomes, fines, frozen, kinds, weight, **extra)


F, W, G, C = "罚款", "警告", "没收违法所得", "没收非法财物"


def penalty_values(kind: PenaltyKind, ctx: RowContext, department_name: str, department_uscc: str) -> dict[str, Any]:
    """The 行政处罚 fields (typed) for one decision, keyed by field code, in catalogue order."""
    rng, subject, decided = ctx.rng, ctx.subject, ctx.decided
    types = list(rng.choice(kind.outcomes))
    fine = rng.choice(kind.fines) if F in types and kind.fines else 0
    if F in types and not fine:
        types.remove(F)
    facts = _facts(kind, ctx)
    summary = _is_summary(types, fine, subject.kind) and rng.random() < 0.85
    tier = _tier(types, fine, summary)
    values: dict[str, Any] = {"CF_XDR_MC": subject.name, "CF_XDR_LB": subject.kind_label}
    if subject.kind == PERSON:
        values.update({"CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": subject.id_number})
    else:
        values.update({"CF_XDR_SHXYM": subject.uscc, "CF_FRDB": subject.legal_representative})
    normal_prefix, summary_prefix = PREFIXES[kind.department]
    values.update(
        {
            "CF_WSH": doc_number(summary_prefix if summary else normal_prefix, decided, ctx.sequence),
            "CF_WFXW": kind.behaviour,
            "CF_WFSS": facts["text"],
            "CF_YJ": kind.basis,
            "CF_CFLB": types,
            "CF_NR": _content(kind, types, fine, facts),
            "CF_NR_FK": wan(fine) if fine else "",
            "CF_NR_WFFF": wan(facts["gain"]) if (G in types or C in types) else "",
            "CF_NR_ZKDX": kind.licence if "暂扣许可证件" in types or "吊销许可证件" in types else "",
            "CF_JDRQ": decided,
            "CF_YXQ": add_months(decided, {"轻微": 3, "一般": 12, "严重": 36}[tier]),
            "CF_CFJG": department_name,
            "CF_CFJGDM": department_uscc,
            "CF_SJLY": department_name,
            "CF_SJLYDM": department_uscc,
            "CF_SXYZCD": tier,
            "CF_CXLX": "简易" if summary else "普通",
            "CF_XXSYFW": "社会公开" if kind.public and not summary and types != [W] else "政务共享",
        }
    )
    return values


def _is_summary(types: list[str], fine: int, subject_kind: str) -> bool:
    """行政处罚法 Art. 51: a warning, or a fine up to 200 yuan (persons) / 3,000 yuan (organisations)."""
    limit = 200 if subject_kind == PERSON else 3000
    return types == [W] or (set(types) <= {W, F} and 0 < fine <= limit)


def _tier(types: list[str], fine: int, summary: bool) -> str:
    if summary or types == [W]:
        return "轻微"
    if fine >= 100000 or SEVERE_TYPES & set(types):
        return "严重"
    return "一般"


class _Facts(dict[str, Any]):
    """The placeholders of a facts template, each drawn the first time it is used."""

    def __init__(self, ctx: RowContext) -> None:
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> Any:
        value = self[key] = _FACT_MAKERS[key](self.ctx, self)
        return value


def _food(ctx: RowContext, facts: _Facts) -> tuple[str, str]:
    return facts.get("_food") or facts.setdefault("_food", ctx.rng.choice(FOODS))


_FACT_MAKERS: dict[str, Any] = {
    "when": lambda c, f: date_cn(c.decided - dt.timedelta(days=c.rng.randint(15, 120))),
    "place": lambda c, f: address(c),
    "goods": lambda c, f: _food(c, f)[0],
    "unit": lambda c, f: _food(c, f)[1],
    "qty": lambda c, f: c.rng.randint(3, 60),
    "gain": lambda c, f: c.rng.choice((120, 260, 380, 560, 800, 1200, 1850, 3000, 4600, 6800)),
    "value": lambda c, f: f["gain"] * c.rng.randint(2, 6),
    "souvenir": lambda c, f: c.rng.choice(SOUVENIRS),
    "n": lambda c, f: c.rng.randint(2, 40),
    "period": lambda c, f: f"{c.decided.year - 1}年第{c.rng.randint(1, 4)}季度",
    "tax": lambda c, f: c.rng.randint(8, 300) * 1000,
    "project": lambda c, f: (
        f"{c.subject.brand or '韶峰'}{c.rng.choice(('花园', '综合楼', '厂房', '安置小区', '研学基地'))}"
    ),
    "device": lambda c, f: c.rng.choice(("电梯", "叉车", "压力容器", "燃气锅炉")),
    "material": lambda c, f: c.rng.choice(("砂石", "水泥", "红砖", "石灰")),
    "plate": lambda c, f: "湘C" + "".join(c.rng.choices("ABCDEFGHJKLMNPQ0123456789", k=5)),
    "road": lambda c, f: c.rng.choice(("G320国道韶山段", "韶山东路与迎宾路交叉口", "S208省道银田段", "韶山高速收费站")),
    "freight": lambda c, f: c.rng.choice(("道路普通货物运输", "道路旅客运输")),
    "area": lambda c, f: c.rng.randint(60, 900),
    "service": lambda c, f: c.rng.choice(("住宿", "理发、美容")),
    "building": lambda c, f: c.rng.choice(("住宅", "厂房", "仓库")),
    "alcohol": lambda c, f: c.rng.randint(21, 79),
}


def _facts(kind: PenaltyKind, ctx: RowContext) -> _Facts:
    facts = _Facts(ctx)
    facts["text"] = ctx.rng.choice(kind.facts).format_map(facts)
    return facts


def _content(kind: PenaltyKind, types: list[str], fine: int, facts: dict[str, Any]) -> str:
    parts = []
    for penalty_type in types:
        if penalty_type == W:
            parts.append("给予警告")
        elif penalty_type == F:
            parts.append(f"罚款人民币{fine}元")
        elif penalty_type == G:
            parts.append(f"没收违法所得{facts['gain']}元")
        elif penalty_type == C:
            parts.append("没收涉案物品")
        elif penalty_type == "暂扣许可证件":
            parts.append(f"暂扣{kind.licence}")
        elif penalty_type == "行政拘留":
            parts.append(f"行政拘留{facts['n'] % 10 + 5}日")
        elif penalty_type == "限制开展生产经营活动":
            parts.append("责令改正，限制生产30日")
        elif penalty_type == "责令停产停业":
            parts.append("责令停产整治")
        else:
            parts.append(kind.other or penalty_type)
    return "对当事人作出如下行政处罚：" + "；".join(parts) + "。"
