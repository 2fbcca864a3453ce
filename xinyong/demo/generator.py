"""Deterministic demo content for 韶山市: subjects and their 行政许可 / 行政处罚 rows.

Nothing here touches the database: the same seed gives the same subjects and rows on every machine,
whether they are then loaded through the services (`loader`), bulk-inserted (`bulk`) or written to
files (`export`). The base demo is a list; the scale mode is a stream of blocks of bounded size.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from xinyong.core.calendar import fallback_is_workday

from . import codes
from .licence_kinds import LICENCE_KINDS
from .licences import LicenceKind, licence_values
from .names import (
    BRAND_CHARS,
    BRANDS,
    COMPANY_DIVISIONS,
    COOPERATIVES,
    FEMALE_CHARS,
    ID_DIVISIONS,
    INDUSTRIES,
    MALE_CHARS,
    PRIVATE_SCHOOLS,
    SCALE_ID_DIVISIONS,
    SHOP_STYLES,
    SHOPS,
    SURNAMES,
    TOWNS,
)
from .organisation import DEPARTMENTS_BY_CODE
from .penalties import PenaltyKind, penalty_values
from .penalty_kinds import PENALTY_KINDS
from .rows import INDIVIDUAL, LEGAL, PERSON, DemoRow, DemoSubject, RowContext

DEFAULT_SEED = 20180124
WINDOW_FIRST = dt.date(2023, 1, 3)
WINDOW_LAST = dt.date(2026, 10, 30)
SCALE_BLOCK = 3000  # records per block in the scale mode (subjects: a third of that)
SCALE_LICENCE_SHARE = 0.4
ONCE_PER_SUBJECT = frozenset({"registration", "builder_grade", "village_doctor", "private_school"})

Kind = LicenceKind | PenaltyKind


@dataclass(frozen=True)
class BaseSize:
    companies: int = 300
    individuals: int = 80
    persons: int = 80
    licences: int = 600
    penalties: int = 400


BASE_SIZE = BaseSize()


def decision_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Decisions fall between these dates: fixed (the same demo every day) unless the clock is early."""
    today = today or dt.date.today()
    return WINDOW_FIRST, min(WINDOW_LAST, today - dt.timedelta(days=21))


def _weighted(rng: random.Random, table: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    return rng.choices(table, weights=[row[-1] for row in table])[0]


def person_name(rng: random.Random, male: bool) -> str:
    surname = _weighted(rng, SURNAMES)[0]
    chars = MALE_CHARS if male else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return surname + given


# --- subjects --------------------------------------------------------------------------------------


class SubjectFactory:
    """Invents subjects. Base codes are random (de-duplicated); scale codes come from permutations."""

    def __init__(self, seed: int) -> None:
        self.org_permutation = codes.Permutation(codes.SCALE_SPACE, seed)
        self.person_permutation = codes.Permutation(codes.scale_person_space(SCALE_ID_DIVISIONS), seed)
        self.used: set[str] = set()

    def company(self, rng: random.Random, org_body: str | None = None, *, brand: str | None = None) -> DemoSubject:
        roll = rng.random()
        if roll < 0.08:
            return self._organisation(rng, "93", COOPERATIVES, "韶山市{town}{brand}{what}专业合作社", org_body, brand)
        if roll < 0.12:
            return self._organisation(rng, "52", PRIVATE_SCHOOLS, "韶山市{brand}{what}", org_body, brand)
        industry, tags, _ = _weighted(rng, INDUSTRIES)
        brand = brand or rng.choice(BRANDS)
        town = rng.choice(TOWNS)
        division = _weighted(rng, COMPANY_DIVISIONS)[0]
        if division != "430382":
            pattern = "湘潭{brand}{what}有限公司"
        else:
            pattern = rng.choice(
                (
                    "韶山市{town}{brand}{what}有限公司",
                    "韶山市{brand}{what}有限公司",
                    "韶山{brand}{what}有限责任公司",
                    "湖南{brand}{what}有限公司",
                    "湖南{brand}{what}股份有限公司",
                )
            )
            if "building_materials" in tags and rng.random() < 0.5:
                pattern = "湖南韶峰{brand}{what}有限公司"
        body = org_body or codes.random_org_body(rng, legacy=rng.random() < 0.25)
        return self._subject(
            rng,
            LEGAL,
            pattern.format(town=town, brand=brand, what=industry),
            codes.uscc("91" + division, body),
            town,
            tags,
            brand,
        )

    def _organisation(
        self,
        rng: random.Random,
        prefix: str,
        table: Sequence[tuple[str, tuple[str, ...], int]],
        pattern: str,
        org_body: str | None,
        brand: str | None,
    ) -> DemoSubject:
        what, tags, _ = _weighted(rng, table)
        brand = brand or rng.choice(BRANDS)
        town = rng.choice(TOWNS)
        body = org_body or (
            "MJ" + "".join(rng.choices(codes.USCC_ALPHABET, k=6))
            if prefix == "52"
            else codes.random_org_body(rng, legacy=False)
        )
        name = pattern.format(town=town, brand=brand, what=what)
        return self._subject(rng, LEGAL, name, codes.uscc(prefix + "430382", body), town, tags, brand)

    def individual(self, rng: random.Random, org_body: str | None = None, *, brand: str | None = None) -> DemoSubject:
        shop, tags, _ = _weighted(rng, SHOPS)
        male = rng.random() < 0.6
        owner = person_name(rng, male)
        brand = brand or rng.choice(BRANDS)
        surname = owner[:2] if owner.startswith("欧阳") else owner[0]
        style = rng.choice(SHOP_STYLES).format(s=surname, b=brand)
        town = rng.choice(TOWNS)
        name = f"韶山市{town}{style}{shop}" if rng.random() < 0.7 else f"韶山市{style}{shop}"
        body = org_body or codes.random_org_body(rng, legacy=False)
        return self._subject(rng, INDIVIDUAL, name, codes.uscc("92430382", body), town, tags, brand, owner=owner)

    def person(self, rng: random.Random, id_number: str | None = None, male: bool | None = None) -> DemoSubject:
        male = rng.random() < 0.62 if male is None else male
        if id_number is None:
            division = _weighted(rng, ID_DIVISIONS)[0]
            id_number = codes.citizen_id(division, codes.random_birth_date(rng), codes.base_sequence(rng, male))
        return DemoSubject(
            kind=PERSON,
            name=person_name(rng, male),
            uscc=None,
            id_number=id_number,
            legal_representative="",
            town=rng.choice(TOWNS),
            tags=frozenset(),
            male=male,
        )

    def _subject(
        self,
        rng: random.Random,
        kind: str,
        name: str,
        uscc: str,
        town: str,
        tags: tuple[str, ...],
        brand: str,
        owner: str | None = None,
    ) -> DemoSubject:
        representative = owner or person_name(rng, rng.random() < 0.75)
        return DemoSubject(
            kind=kind,
            name=name,
            uscc=uscc,
            id_number=None,
            legal_representative=representative,
            town=town,
            tags=frozenset(tags),
            brand=brand,
        )

    def base_subjects(self, rng: random.Random, size: BaseSize) -> list[DemoSubject]:
        """Distinct names and codes: draw again on a clash (the random codes are the base's own space)."""
        makers: list[tuple[Callable[[random.Random], DemoSubject], int]] = [
            (self.company, size.companies),
            (self.individual, size.individuals),
            (self.person, size.persons),
        ]
        names: set[str] = set()
        subjects: list[DemoSubject] = []
        for maker, count in makers:
            made = 0
            while made < count:
                subject = maker(rng)
                if subject.name in names or subject.code in self.used:
                    continue
                names.add(subject.name)
                self.used.add(subject.code)
                subjects.append(subject)
                made += 1
        return subjects

    def scale_subject(self, rng: random.Random, index: int) -> DemoSubject:
        """The index-th scale subject: 4 in 6 legal persons, 1 in 6 sole proprietors, 1 in 6 persons."""
        slot = index % 6
        if slot == 0:
            id_number, male = codes.scale_citizen_id(index, self.person_permutation, SCALE_ID_DIVISIONS)
            return self.person(rng, id_number, male)
        body = codes.scale_org_body(index, self.org_permutation)
        brand = "".join(rng.sample(BRAND_CHARS, 2))
        if slot == 3:
            return self.individual(rng, body, brand=brand)
        return self.company(rng, body, brand=brand)


# --- rows ------------------------------------------------------------------------------------------


@dataclass
class Plan:
    index: int
    item_code: str
    kind: Kind
    subject: DemoSubject
    decided: dt.date


class RowFactory:
    """Chooses a fitting template per subject and numbers each department's decisions by year."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.counters: dict[tuple[str, str, int], int] = defaultdict(int)
        self._fitting: dict[tuple[str, str, frozenset[str]], tuple[list[Kind], list[int]]] = {}
        self._span = (last - first).days + 1
        self.once_seen: set[tuple[str, str]] = set()

    def fitting(self, item_code: str, subject: DemoSubject) -> tuple[list[Kind], list[int]]:
        key = (item_code, subject.kind, subject.tags)
        found = self._fitting.get(key)
        if found is None:
            table: Sequence[Kind] = LICENCE_KINDS if item_code == "XK" else PENALTY_KINDS
            kinds = [k for k in table if k.fits(subject.kind, subject.tags)]
            found = self._fitting[key] = (kinds, [k.weight for k in kinds])
        return found

    def plan(self, rng: random.Random, index: int, subject: DemoSubject, item_code: str) -> Plan:
        kinds, weights = self.fitting(item_code, subject)
        if not kinds:  # nothing of this item fits the subject: take the other item
            item_code = "CF" if item_code == "XK" else "XK"
            kinds, weights = self.fitting(item_code, subject)
        kind = rng.choices(kinds, weights=weights)[0]
        for _ in range(5):  # a company is registered once
            if kind.key not in ONCE_PER_SUBJECT or (subject.code, kind.key) not in self.once_seen:
                break
            kind = rng.choices(kinds, weights=weights)[0]
        if kind.key in ONCE_PER_SUBJECT:
            self.once_seen.add((subject.code, kind.key))
        return Plan(index, item_code, kind, subject, self._decision_date(rng))

    def _decision_date(self, rng: random.Random) -> dt.date:
        for _ in range(8):
            day = self.first + dt.timedelta(days=rng.randrange(self._span))
            if fallback_is_workday(day):
                return day
        return day

    def build(self, rng: random.Random, plan: Plan, today: dt.date, submit_share: float) -> DemoRow:
        kind = plan.kind
        department = DEPARTMENTS_BY_CODE[kind.department]
        series = kind.doc_prefix if isinstance(kind, LicenceKind) else "CF"
        counter_key = (kind.department, series, plan.decided.year)
        self.counters[counter_key] += 1
        ctx = RowContext(rng, plan.subject, department, plan.decided, self.counters[counter_key], self.last)
        if isinstance(kind, LicenceKind):
            values = licence_values(kind, ctx, department.name, department.uscc)
        else:
            values = penalty_values(kind, ctx, department.name, department.uscc)
        received = min(plan.decided + dt.timedelta(days=_reporting_lag(rng)), today)
        return DemoRow(
            plan.item_code,
            kind.department,
            plan.subject,
            values,
            received,
            status=_status(rng, plan.decided, self.last, submit_share),
            extra={"template": kind.key},
        )


def _reporting_lag(rng: random.Random) -> int:
    """Calendar days from decision to hand-over: mostly within the 7-working-day limit, some late."""
    roll = rng.random()
    if roll < 0.85:
        return rng.randint(0, 9)
    if roll < 0.95:
        return rng.randint(10, 14)
    return rng.randint(15, 40)


def _status(rng: random.Random, decided: dt.date, last: dt.date, submit_share: float) -> str:
    roll = rng.random()
    if roll < 0.01:
        return "deleted"
    recent = (last - decided).days < 60
    return "submitted" if roll < (submit_share / 2 if recent else submit_share) else "draft"


def _item_for(rng: random.Random, licences_left: int, penalties_left: int) -> str:
    total = licences_left + penalties_left
    return "XK" if total and rng.random() < licences_left / total else "CF"


def base_dataset(
    seed: int = DEFAULT_SEED, size: BaseSize | None = None, today: dt.date | None = None
) -> tuple[list[DemoSubject], list[DemoRow]]:
    """The base demo: every subject gets at least one record; records numbered in date order."""
    size = size or BASE_SIZE  # looked up at call time (tests make it smaller)
    today = today or dt.date.today()
    rng = random.Random(f"xinyong-demo:{seed}")
    subjects = SubjectFactory(seed).base_subjects(rng, size)
    factory = RowFactory(*decision_window(today))
    licences, penalties = size.licences, size.penalties
    order = list(subjects)
    rng.shuffle(order)
    plans: list[Plan] = []
    while licences + penalties > 0 or order:
        subject = order.pop() if order else rng.choice(subjects)
        item = _item_for(rng, licences, penalties)
        plan = factory.plan(rng, len(plans), subject, item)
        plans.append(plan)
        licences, penalties = (licences - 1, penalties) if plan.item_code == "XK" else (licences, penalties - 1)
        licences, penalties = max(licences, 0), max(penalties, 0)
    plans.sort(key=lambda p: (p.decided, p.index))
    rows = [factory.build(rng, plan, today, submit_share=0.8) for plan in plans]
    return subjects, rows


@dataclass
class Block:
    subjects: list[DemoSubject]
    rows: list[DemoRow]


def scale_blocks(n: int, seed: int = DEFAULT_SEED, today: dt.date | None = None) -> Iterator[Block]:
    """N records (4 in 10 licences) about ⌈N/3⌉ subjects, in blocks of SCALE_BLOCK records."""
    today = today or dt.date.today()
    subjects_total = math.ceil(n / 3)
    factory = RowFactory(*decision_window(today))
    subject_factory = SubjectFactory(seed)
    for block_index, start in enumerate(range(0, n, SCALE_BLOCK)):
        count = min(SCALE_BLOCK, n - start)
        rng = random.Random(f"xinyong-demo-scale:{seed}:{block_index}")
        first, last = start // 3, min(subjects_total, math.ceil((start + count) / 3))
        subjects = [subject_factory.scale_subject(rng, j) for j in range(first, last)]
        plans: list[Plan] = []
        for i in range(count):
            subject = subjects[i] if i < len(subjects) else rng.choice(subjects)
            item = "XK" if rng.random() < SCALE_LICENCE_SHARE else "CF"
            plans.append(factory.plan(rng, i, subject, item))
        factory.once_seen.clear()
        plans.sort(key=lambda p: (p.decided, p.index))
        yield Block(subjects, [factory.build(rng, plan, today, submit_share=0.6) for plan in plans])
