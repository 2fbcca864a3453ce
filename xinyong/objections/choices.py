from django.db import models


class ObjectionStatus(models.TextChoices):
    RECEIVED = "received", "已收到待受理"
    INCOMPLETE = "rejected_incomplete", "待补正材料"
    ACCEPTED = "accepted", "已受理（异议处理中）"
    FORWARDED = "forwarded", "已转提供单位核查"
    CLOSED = "closed", "已办结"
    DECLINED = "declined", "不予受理"


OPEN_STATUSES = (
    ObjectionStatus.RECEIVED,
    ObjectionStatus.INCOMPLETE,
    ObjectionStatus.ACCEPTED,
    ObjectionStatus.FORWARDED,
)


class Outcome(models.TextChoices):
    CORRECTED = "corrected", "信息有误，予以更正"
    REVOKED = "revoked", "信息有误，予以撤销"
    UPHELD = "upheld", "信息无误，维持"
    UNDETERMINED = "undetermined", "无法确定，异议和核查情况一并保留"


class ApplicantKind(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class Channel(models.TextChoices):
    PORTAL = "portal", "网站提交"
    STAFF = "staff", "平台发现"
    COMPLAINT = "complaint", "投诉转入"
    LETTER = "letter", "信函/窗口"


class Step(models.TextChoices):
    ACCEPT = "accept", "受理并标注"
    FORWARD = "forward", "转提供单位"
    DECIDE = "decide", "提供单位核查决定"


class LimitKey(models.TextChoices):
    OBJECTION_ACCEPT = "objection_accept", "异议受理并标注（工作日）"
    OBJECTION_FORWARD = "objection_forward", "异议转提供单位（工作日）"
    OBJECTION_DECIDE = "objection_decide", "提供单位核查决定（工作日）"
    REPAIR_DECIDE = "repair_decide", "信用修复决定（工作日）"


class CaseStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已办结"


class RepairStatus(models.TextChoices):
    RECEIVED = "received", "已收到待决定"
    GRANTED = "granted", "准予修复"
    REFUSED = "refused", "不予修复"
