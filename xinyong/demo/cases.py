"""The demo's case work, through the real services: objections, repair applications, complaints and
returned records, so every back-office queue and every inbox has something in it.

Run after the review (it needs published records). Each case is keyed by its applicant or complainant
name, so a second run finds it and files nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from xinyong.accounts.models import User
from xinyong.objections.choices import Outcome
from xinyong.objections.models import Complaint, Objection, RepairApplication
from xinyong.objections.services.cases import complaint_register
from xinyong.objections.services.decide import objection_decide
from xinyong.objections.services.evidence import Upload
from xinyong.objections.services.handling import objection_accept, objection_forward
from xinyong.objections.services.intake import ApplicantInput, Filing, objection_file
from xinyong.objections.services.repair import RepairFiling, repair_apply
from xinyong.publication.choices import PublicGroup
from xinyong.publication.models import PublicRecord
from xinyong.publication.services import record_reject
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord

from .publication import PLATFORM_USER

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
RETURN_REASON = "决定书文号与决定日期不一致，请核对原始文书后重新提交"

# applicant, phone, grounds, how far it has gone
OBJECTIONS = [
    ("韶山市清溪镇某商贸有限公司", "0731-55550101", "处罚决定已于复议中被变更，公示内容仍为原决定。", "received"),
    ("韶山市银田镇某餐饮店", "0731-55550102", "公示的违法事实与决定书不一致，决定书未认定超范围经营。", "forwarded"),
    ("韶山市永义乡某建材经营部", "0731-55550103", "罚款金额公示有误。", "decided"),
]
REPAIR_APPLICANTS = ["韶山市如意镇某农资经营部", "韶山市杨林乡某百货店"]
COMPLAINTS = [
    ("刘女士", "0731-55550201", "门户公示的某餐饮店许可证已过期，仍显示为有效。"),
    ("某企业办公室", "0731-55550202", "申请信用修复后五个工作日未接到任何回复。"),
]


@dataclass
class CaseSummary:
    objections: int = 0
    repairs: int = 0
    complaints: int = 0
    returned: int = 0


def _pdf(name: str) -> Upload:
    return Upload(name=name, file=io.BytesIO(PDF), size=len(PDF))


def _in_window(today: dt.date) -> Q:
    return Q(ends_on__isnull=True) | Q(ends_on__gte=today)


def _reviewer(record: CreditRecord) -> User:
    return User.objects.get(username=f"{record.provider.code.lower()}_reviewer")


def _file_objection(public: PublicRecord, spec: tuple[str, str, str, str], today: dt.date) -> Objection:
    name, phone, grounds, stage = spec
    applicant = ApplicantInput(kind="organisation", name=name, phone=phone)
    filing = Filing(applicant=applicant, record_ids=[public.record_id], grounds=grounds, statement_signed=True)
    filing.uploads = [_pdf("处罚决定书.pdf")]
    objection, _ = objection_file(filing=filing, today=today)
    platform = User.objects.get(username=PLATFORM_USER)
    if stage in ("forwarded", "decided"):
        objection_accept(actor=platform, objection=objection, today=today)
        objection = objection_forward(actor=platform, objection=objection, today=today)
    if stage == "decided":
        reviewer = _reviewer(public.record)
        objection_decide(actor=reviewer, objection=objection, outcome=Outcome.UPHELD, reason="经核对决定书，公示无误。")
    return objection


def add_objections(today: dt.date) -> int:
    done = set(Objection.objects.values_list("applicant__name", flat=True))
    todo = [spec for spec in OBJECTIONS if spec[0] not in done]
    taken = Objection.objects.values("items__record_id")
    penalties = PublicRecord.objects.filter(_in_window(today), group=PublicGroup.PENALTY).exclude(record_id__in=taken)
    created = 0
    for spec, public in zip(todo, penalties.select_related("record__provider").order_by("record_id"), strict=False):
        _file_objection(public, spec, today)
        created += 1
    return created


def add_repairs(today: dt.date) -> int:
    """Repair applications on penalties whose minimum publicity period is over."""
    done = set(RepairApplication.objects.values_list("applicant__name", flat=True))
    todo = [name for name in REPAIR_APPLICANTS if name not in done]
    due = PublicRecord.objects.filter(_in_window(today), group=PublicGroup.PENALTY, repair_from__lte=today)
    due = due.exclude(record__repairs__isnull=False).exclude(record__objection_items__isnull=False)
    created = 0
    for name, public in zip(todo, due.order_by("-record_id"), strict=False):
        filing = RepairFiling(
            applicant=ApplicantInput(kind="organisation", name=name, phone="0731-55550301"),
            record_id=public.record_id,
            corrective_actions="已全额缴纳罚款，并完成整改，整改报告已报执法部门。",
            commitment="本单位承诺今后严格遵守有关法律法规，如再次违法，自愿接受更严格的监管。",
            commitment_signed=True,
            uploads=[_pdf("缴款凭证.pdf")],
        )
        repair_apply(filing=filing, today=today)
        created += 1
    return created


def add_complaints() -> int:
    platform = User.objects.get(username=PLATFORM_USER)
    done = set(Complaint.objects.values_list("complainant", flat=True))
    created = 0
    for complainant, contact, content in COMPLAINTS:
        if complainant not in done:
            complaint_register(actor=platform, complainant=complainant, contact=contact, content=content)
            created += 1
    return created


def return_one_submission() -> int:
    """One submission waiting for its provider's reviewer goes back to its clerk, with the reason."""
    if CreditRecord.objects.filter(status_reason=RETURN_REASON).exists():
        return 0
    waiting = CreditRecord.objects.filter(status=RecordStatus.SUBMITTED, item__code="CF").select_related("provider")
    record = waiting.order_by("-pk").first()
    if record is None:
        return 0
    record_reject(actor=_reviewer(record), record=record, reason=RETURN_REASON)
    return 1


def add_cases(today: dt.date | None = None) -> CaseSummary:
    today = today or timezone.localdate()
    return CaseSummary(
        objections=add_objections(today),
        repairs=add_repairs(today),
        complaints=add_complaints(),
        returned=return_one_submission(),
    )
