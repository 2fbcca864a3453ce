"""The demo's review and publication: most submitted records go through the real review chain.

Every tenth submitted record waits for its provider's reviewer and every tenth for the platform, so
each queue has work in it; the rest are approved by the department's reviewer, the platform clerk
and (for lists) the leadership, and end up published, shared only or expired by the real rules.
A few red and black list decisions, commitments and notices complete the portal; the red-list
decisions and commitments carry their own public basis (published on the government website).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from xinyong.accounts.models import User
from xinyong.catalog.models import CatalogItem
from xinyong.publication.choices import BasisKind, NoticeKind
from xinyong.publication.models import Notice
from xinyong.publication.services import notice_publish, public_basis_set, record_approve
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord
from xinyong.records.services import record_create, record_submit
from xinyong.subjects.models import Subject

PLATFORM_USER, LEADER_USER = "fgj_platform", "fgj_leader"


@dataclass
class ReviewSummary:
    published: int = 0
    shared_only: int = 0
    expired: int = 0
    waiting: int = 0


def _reviewers() -> dict[str, User]:
    users = User.objects.filter(username__endswith="_reviewer").select_related("department")
    return {u.department.code: u for u in users if u.department}


def review_demo(today: dt.date | None = None) -> ReviewSummary:
    """Approve the demo's submitted records, leaving some in each review queue."""
    today = today or timezone.localdate()
    summary = ReviewSummary()
    reviewers, platform = _reviewers(), User.objects.get(username=PLATFORM_USER)
    leader = User.objects.get(username=LEADER_USER)
    waiting = CreditRecord.objects.filter(status=RecordStatus.SUBMITTED).select_related("provider").order_by("pk")
    for n, record in enumerate(waiting):
        if n % 10 == 0:
            summary.waiting += 1
            continue
        with transaction.atomic():
            record_approve(actor=reviewers[record.provider.code], record=record, today=today)
            if n % 10 == 1:
                summary.waiting += 1
                continue
            record_approve(actor=platform, record=record, today=today)
            if record.item.requires_leadership_approval:
                record_approve(actor=leader, record=record, today=today)
        record.refresh_from_db(fields=["status"])
        summary.published += record.status == RecordStatus.PUBLISHED
        summary.shared_only += record.status == RecordStatus.SHARED_ONLY
        summary.expired += record.status == RecordStatus.EXPIRED
    return summary


def _list_fields(prefix: str, subject: Subject, name: str, doc: str, basis: str, reason: str) -> dict[str, str]:
    return {
        f"{prefix}_ZTMC": subject.name,
        f"{prefix}_ZTLB": subject.get_kind_display(),
        f"{prefix}_TYSHXYDM": subject.uscc or "",
        f"{prefix}_MDMC": name,
        f"{prefix}_RDWSH": doc,
        f"{prefix}_RDYJ": basis,
        f"{prefix}_RDYY": reason,
    }


LIST_DECISIONS = [
    # item, department, list name, decision document, basis, reason, months ago, valid years
    ("HONG", "SWJ", "纳税信用A级纳税人", "韶税信〔{y}〕{n}号", "《纳税信用管理办法》", "年度纳税信用评价为A级", 3, 1),
    (
        "HONG",
        "RSJ",
        "劳动保障守法诚信示范单位",
        "韶人社〔{y}〕{n}号",
        "《湖南省劳动保障守法诚信等级评价办法》",
        "连续三年无违法记录",
        5,
        2,
    ),
    (
        "HEI",
        "SCJGJ",
        "市场监督管理严重违法失信名单",
        "韶市监严〔{y}〕{n}号",
        "《市场监督管理严重违法失信名单管理办法》第九条",
        "一年内因同一违法行为受到三次以上较重行政处罚",
        2,
        3,
    ),
]


def _agency(code: str) -> tuple[str, str]:
    from xinyong.accounts.models import Department

    department = Department.objects.get(code=code)
    return department.name, department.uscc or ""


# Red-list decisions and commitments have no basis in law for publication (Article 11); like real ones,
# each is public because its decision document or commitment was published on the government website.
GOVERNMENT_WEBSITE = "韶山市人民政府网站"
BASIS_LAG_DAYS = 3  # the decision document goes online a few days after the decision
NEEDS_OWN_BASIS = ("HONG", "CN")


def _record_basis(clerk: User, record: CreditRecord, decided: dt.date, today: dt.date) -> None:
    public_basis_set(
        actor=clerk,
        record=record,
        kind=BasisKind.GOVERNMENT_CHANNEL,
        channel=GOVERNMENT_WEBSITE,
        published_on=min(decided + dt.timedelta(days=BASIS_LAG_DAYS), today),
        today=today,
    )


def _file(clerk: User, item: CatalogItem, fields: dict[str, str], decided: dt.date, today: dt.date) -> None:
    record = record_create(actor=clerk, item=item, fields=fields, today=today).record
    if item.code in NEEDS_OWN_BASIS:
        _record_basis(clerk, record, decided, today)
    record_submit(actor=clerk, record=record)


def add_list_entries(today: dt.date | None = None) -> int:
    """A few red and black list decisions on demo companies, through the real services."""
    today = today or timezone.localdate()
    companies = list(Subject.objects.exclude(uscc__isnull=True).order_by("pk")[:30])
    created = 0
    for i, (code, dept, name, doc, basis, reason, months_ago, years) in enumerate(LIST_DECISIONS):
        item = CatalogItem.objects.get(code=code)
        clerk = User.objects.get(username=f"{dept.lower()}_clerk")
        for j in range(3):
            subject = companies[(i * 3 + j) % len(companies)]
            decided = today - dt.timedelta(days=30 * months_ago + 7 * j)
            agency, agency_uscc = _agency(dept)
            fields = _list_fields(code, subject, name, doc.format(y=decided.year, n=100 + j), basis, reason) | {
                f"{code}_RDRQ": decided.isoformat(),
                f"{code}_YXQZ": decided.replace(year=decided.year + years).isoformat(),
                f"{code}_RDBM": agency,
                f"{code}_RDBMDM": agency_uscc,
            }
            if CreditRecord.objects.filter(item=item, document_no=fields[f"{code}_RDWSH"], subject=subject).exists():
                continue
            _file(clerk, item, fields, decided, today)
            created += 1
    return created + add_commitments(companies, today)


COMMITMENTS = [
    # department, kind, matter, content, days ago
    ("SCJGJ", "审批替代型", "食品经营许可告知承诺", "本单位承诺经营场所、设施设备和管理制度符合法定条件", 40),
    ("ZJJ", "容缺受理型", "建筑工程施工许可容缺受理", "本单位承诺在三十日内补齐施工图审查合格书", 25),
    ("WJJ", "审批替代型", "公共场所卫生许可告知承诺", "本单位承诺经营场所的卫生条件符合规定", 12),
]


def _commitment_fields(subject: Subject, spec: tuple[str, str, str, str, int], made: dt.date, n: int) -> dict[str, str]:
    dept, kind, matter, content, _ = spec
    agency, agency_uscc = _agency(dept)
    return {
        "CN_ZTMC": subject.name,
        "CN_ZTLB": subject.get_kind_display(),
        "CN_TYSHXYDM": subject.uscc or "",
        "CN_CNLX": kind,
        "CN_CNSX": matter,
        "CN_WSH": f"430382{made:%Y%m%d}{n:06d}",  # 承诺编码: area code, date, serial (STANDARDS.md §9)
        "CN_CNNR": f"{content}；如有违反，愿意承担相应法律责任并接受失信惩戒。",
        "CN_CNRQ": made.isoformat(),
        "CN_SLBM": agency,
        "CN_SLBMDM": agency_uscc,
        "CN_LXZT": "履约中",
    }


def add_commitments(companies: list[Subject], today: dt.date) -> int:
    """Credit commitments accepted by three departments, each published on the government website."""
    item = CatalogItem.objects.get(code="CN")
    created = 0
    for n, spec in enumerate(COMMITMENTS, start=1):
        dept, made = spec[0], today - dt.timedelta(days=spec[4])
        subject = companies[(10 + n) % len(companies)]
        fields = _commitment_fields(subject, spec, made, n)
        if CreditRecord.objects.filter(item=item, document_no=fields["CN_WSH"], subject=subject).exists():
            continue
        _file(User.objects.get(username=f"{dept.lower()}_clerk"), item, fields, made, today)
        created += 1
    return created


NOTICES = [
    (
        NoticeKind.NOTICE,
        "关于开展2026年度“双公示”数据质量提升工作的通知",
        "各信息提供单位：为落实《韶山市政府信用信息管理试行办法》，请于每月5日前完成上月行政许可、行政处罚信息的报送和更正，"
        "确保在作出决定之日起7个工作日内上网公示。",
    ),
    (
        NoticeKind.NOTICE,
        "信用修复申请指南",
        "自2026年4月1日起，信用修复按照《信用修复管理办法》办理。行政处罚信息最短公示期届满、已纠正失信行为、履行法定义务并作出信用承诺的，"
        "可以申请信用修复。信用修复不收取任何费用。",
    ),
    (
        NoticeKind.STORY,
        "诚信经营二十年：韶峰食品的“良心账本”",
        "韶山市清溪镇一家食品企业坚持进货查验记录二十年，连续多年被评为守信典型。",
    ),
]


def add_notices() -> int:
    platform = User.objects.get(username=PLATFORM_USER)
    created = 0
    for kind, title, body in NOTICES:
        if not Notice.objects.filter(title=title).exists():
            notice_publish(actor=platform, kind=kind, title=title, body=body)
            created += 1
    return created
