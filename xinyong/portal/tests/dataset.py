"""A public data set made through the real services: published, shared-only, expired, withdrawn records."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from django.apps import apps as django_apps

from xinyong.publication.choices import BasisKind, ChangeKind
from xinyong.publication.models import PublicBasis, PublicRecord, PublicSubject
from xinyong.publication.services import notice_publish, publicity_expire, record_request_removal
from xinyong.publication.tests.factories import Staff, approve_all, make_staff, submitted
from xinyong.publication.tests.public_factories import (
    AGENCY,
    company_uscc,
    day,
    licence_fields,
    list_entry_fields,
    publish,
    ymd,
)
from xinyong.records.tests.factories import AGENCY_USCC, citizen_id, penalty_fields, person_penalty_fields


@dataclass
class PublicDataSet:
    staff: Staff
    published_docs: list[str] = field(default_factory=list)
    hidden_docs: list[str] = field(default_factory=list)  # shared-only, expired, lapsed, withdrawn
    withdrawn_docs: list[str] = field(default_factory=list)  # named by their withdrawal notice only
    secrets: list[str] = field(default_factory=list)  # full ID numbers, unmasked names, shared fields
    slugs: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)


def _company_a(data: PublicDataSet) -> None:
    """Published penalty with a legal representative's ID number, plus shared-only records."""
    staff, decided = data.staff, day(-20)
    uscc, name = company_uscc(7_1526726), "韶山市清溪镇韶峰食品有限公司"
    rep_id = citizen_id("43038219750101123")
    fields = penalty_fields(
        CF_XDR_SHXYM=uscc, CF_CFLB="罚款", CF_JDRQ=ymd(decided), CF_FR_ZJLX="身份证", CF_FR_ZJHM=rep_id
    )
    record = publish(staff, "CF", fields)
    summary = penalty_fields(
        CF_XDR_SHXYM=uscc,
        CF_WSH="韶市监简罚〔2026〕7号",
        CF_CXLX="简易",
        CF_JDRQ=ymd(decided),
        CF_NR="简易程序罚款二百元",
    )
    publish(staff, "CF", summary)
    commitment = {
        "CN_ZTMC": name,
        "CN_ZTLB": "法人及非法人组织",
        "CN_TYSHXYDM": uscc,
        "CN_CNLX": "主动型",
        "CN_CNSX": "食品安全承诺",
        "CN_WSH": "CN-2026-SHARED-001",
        "CN_CNNR": "仅供政务共享的承诺内容甲乙丙",
        "CN_CNRQ": ymd(decided),
        "CN_SLBM": AGENCY,
        "CN_SLBMDM": AGENCY_USCC,
    }
    publish(staff, "CN", commitment)
    data.published_docs.append(record.document_no)
    data.hidden_docs += ["韶市监简罚〔2026〕7号", "CN-2026-SHARED-001"]
    data.secrets += [rep_id, "简易程序罚款二百元", "仅供政务共享的承诺内容甲乙丙"]
    data.codes["a"], data.names["a"] = uscc, name


def _company_b(data: PublicDataSet) -> None:
    """A withdrawn penalty; the company stays public through a licence."""
    staff, decided = data.staff, day(-15)
    uscc, name = company_uscc(2_0000002), "湖南韶峰建设有限责任公司"
    penalty = publish(
        staff,
        "CF",
        penalty_fields(
            CF_XDR_MC=name, CF_XDR_SHXYM=uscc, CF_WSH="韶住建罚〔2026〕9号", CF_CFLB="罚款", CF_JDRQ=ymd(decided)
        ),
    )
    record_request_removal(actor=staff.clerk, record=penalty, kind=ChangeKind.WITHDRAW, reason="行政复议撤销原处罚决定")
    approve_all(staff, penalty)
    licence = publish(
        staff, "XK", licence_fields(name, uscc, "韶住建许〔2026〕3号", decided=decided, valid_to=day(300))
    )
    data.published_docs.append(licence.document_no)
    data.withdrawn_docs.append("韶住建罚〔2026〕9号")
    data.codes["b"], data.names["b"] = uscc, name


def _company_c(data: PublicDataSet) -> None:
    """One current licence, one swept by the expiry job, one lapsed yesterday but not swept yet."""
    staff = data.staff
    uscc, name = company_uscc(3_0000003), "韶山红星农业开发有限公司"
    past = day(-10)
    publish(staff, "XK", licence_fields(name, uscc, "韶农许〔2026〕1号", decided=day(-30), valid_to=day(-2)), past)
    publicity_expire(today=day(0))
    publish(staff, "XK", licence_fields(name, uscc, "韶农许〔2026〕2号", decided=day(-30), valid_to=day(-1)), past)
    current = publish(staff, "XK", licence_fields(name, uscc, "韶农许〔2026〕5号", decided=day(-5), valid_to=day(365)))
    data.published_docs.append(current.document_no)
    data.hidden_docs += ["韶农许〔2026〕1号", "韶农许〔2026〕2号"]
    data.codes["c"], data.names["c"] = uscc, name


def _person(data: PublicDataSet) -> None:
    staff = data.staff
    record = publish(staff, "CF", person_penalty_fields(CF_CFLB="罚款", CF_JDRQ=ymd(day(-12))))
    data.published_docs.append(record.document_no)
    data.secrets += [citizen_id(), "李明"]
    data.codes["person"], data.names["person"] = citizen_id(), "李*"


def _lists(data: PublicDataSet) -> None:
    staff = data.staff
    uscc, name = company_uscc(4_0000004), "韶山市滴水洞旅游服务有限公司"
    black = publish(
        staff, "HEI", list_entry_fields("HEI", name, uscc, "韶市监认〔2026〕1号", "食品安全严重违法失信名单", day(-8))
    )
    PublicRecord.objects.filter(record=black).update(under_objection=True)
    red_uscc, red_name = company_uscc(5_0000005), "韶山银田诚信商贸有限公司"
    red = submitted(
        staff, "HONG", list_entry_fields("HONG", red_name, red_uscc, "韶税红〔2026〕8号", "纳税信用A级纳税人", day(-9))
    )
    PublicBasis.objects.create(
        record=red,
        kind=BasisKind.LEGAL_REQUIREMENT,
        citation="《纳税信用管理办法》第二十八条：税务机关按年对外公开A级纳税人名单。",
        created_by=staff.platform,
    )
    approve_all(staff, red)
    data.published_docs += [black.document_no, red.document_no]
    data.codes["black"], data.names["black"] = uscc, name
    data.codes["red"], data.names["red"] = red_uscc, red_name


def ensure_policies() -> None:
    """Put back the seeded publicity rules: a transactional test's flush empties tables seeded by migrations."""
    seed = importlib.import_module("xinyong.publication.migrations.0002_seed_policies").seed
    seed(django_apps, None)


def build_public_dataset() -> PublicDataSet:
    ensure_policies()
    data = PublicDataSet(staff=make_staff())
    for part in (_company_a, _company_b, _company_c, _person, _lists):
        part(data)
    notice_publish(actor=data.staff.platform, kind="story", title="诚信经营二十年的韶峰食品", body="守信典型故事正文。")
    notice_publish(actor=data.staff.platform, kind="notice", title="关于信用韶山上线的公告", body="平台已上线。")
    for key, code in data.codes.items():
        data.slugs[key] = code
    data.slugs["person"] = PublicSubject.objects.get(kind="natural_person").slug
    return data
