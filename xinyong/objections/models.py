"""Objections (异议), complaints, litigation and credit repair (Article 15; 信用修复管理办法)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import ApplicantKind, CaseStatus, Channel, LimitKey, ObjectionStatus, Outcome, RepairStatus, Step


class TimeLimit(models.Model):
    """Working-day limits as dated policy data (STANDARDS.md §4; defaults 1, 2 and 5)."""

    key = models.CharField("时限", max_length=32, choices=LimitKey.choices)
    working_days = models.PositiveSmallIntegerField("工作日")
    effective_from = models.DateField("生效日期")
    basis = models.CharField("依据", max_length=200)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["key", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["key", "effective_from"], name="time_limit_unique_per_day")]

    def __str__(self) -> str:
        return f"{self.get_key_display()} {self.working_days}"


class Applicant(models.Model):
    """Who filed: identity masked/encrypted like subjects, contact for the reply. Shared by objection and repair."""

    kind = models.CharField("申请人类型", max_length=16, choices=ApplicantKind.choices)
    name = models.CharField("申请人", max_length=200)
    id_masked = models.CharField("证件号码（脱敏）", max_length=40, blank=True)
    id_encrypted = models.TextField(blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通讯地址", max_length=200, blank=True)

    class Meta:
        verbose_name = "申请人"
        verbose_name_plural = "申请人"

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    tracking_no = models.CharField("受理编号", max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    channel = models.CharField("来源", max_length=16, choices=Channel.choices)
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="objections")
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="objections")
    provider = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="objections", verbose_name="信息提供单位"
    )
    grounds = models.TextField("异议理由")
    statement_signed_at = models.DateTimeField("承诺材料真实的时间")
    status = models.CharField("状态", max_length=24, choices=ObjectionStatus.choices, default=ObjectionStatus.RECEIVED)
    received_on = models.DateField("收到日期")
    accept_due = models.DateField("受理标注期限")
    forward_due = models.DateField("转办期限")
    decide_due = models.DateField("核查决定期限")
    due_estimated = models.BooleanField("期限按缺省日历估算", default=False)
    accepted_on = models.DateField(null=True, blank=True)
    forwarded_on = models.DateField(null=True, blank=True)
    decided_on = models.DateField(null=True, blank=True)
    outcome = models.CharField("核查结论", max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField("核查意见", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    overdue_step = models.CharField("逾期环节", max_length=16, choices=Step.choices, blank=True)
    overdue_since = models.DateField("逾期日期", null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="repeats", verbose_name="重复异议"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "异议"
        verbose_name_plural = "异议"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "provider"])]
        permissions = [
            ("handle_objection", "受理、转办异议，登记投诉和诉讼"),
            ("decide_objection", "核查本单位信息的异议和信用修复申请"),
            ("view_all_objections", "查看全部异议和逾期情况"),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def is_open(self) -> bool:
        return self.status in (
            ObjectionStatus.RECEIVED,
            ObjectionStatus.INCOMPLETE,
            ObjectionStatus.ACCEPTED,
            ObjectionStatus.FORWARDED,
        )


class ObjectionRecord(models.Model):
    """A disputed record. At most one open objection per record: a database constraint."""

    objection = models.ForeignKey(Objection, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="objection_items")
    record_version = models.PositiveIntegerField("异议时的版本")
    is_open = models.BooleanField(default=True)

    class Meta:
        verbose_name = "异议记录"
        verbose_name_plural = "异议记录"
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(is_open=True), name="one_open_objection_per_record"
            ),
            models.UniqueConstraint(fields=["objection", "record"], name="objection_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.objection_id}:{self.record_id}"


class Evidence(models.Model):
    """A checked evidence file (PDF or image), stored content-addressed with the raw submissions."""

    objection = models.ForeignKey(Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence")
    repair = models.ForeignKey(
        "RepairApplication", null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    raw_file = models.ForeignKey("records.RawFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("类型", max_length=40)
    size = models.PositiveIntegerField("字节数")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return self.name


class CaseEvent(models.Model):
    """The timeline the applicant sees on the tracking page (and staff in the back office)."""

    objection = models.ForeignKey(Objection, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    repair = models.ForeignKey(
        "RepairApplication", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    title = models.CharField("事项", max_length=100)
    note = models.TextField("说明", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.title


class Complaint(models.Model):
    """A complaint (投诉) about a record or the platform's handling, tracked to its outcome."""

    record = models.ForeignKey(
        "records.CreditRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    complainant = models.CharField("投诉人", max_length=200)
    contact = models.CharField("联系方式", max_length=100, blank=True)
    content = models.TextField("投诉内容")
    status = models.CharField("状态", max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.TextField("办理结果", blank=True)
    objection = models.ForeignKey(Objection, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"投诉 {self.pk}"


class Litigation(models.Model):
    """A lawsuit (诉讼) about a record, tracked to its judgment."""

    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="+")
    court = models.CharField("法院", max_length=100)
    case_no = models.CharField("案号", max_length=100)
    filed_on = models.DateField("立案日期")
    status = models.CharField("状态", max_length=8, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.TextField("裁判结果", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "诉讼"
        verbose_name_plural = "诉讼"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.case_no


class RepairApplication(models.Model):
    """A credit repair application (信用修复) for a published negative record."""

    tracking_no = models.CharField("受理编号", max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="repairs")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="repairs")
    corrective_actions = models.TextField("纠正失信行为及履行义务情况")
    commitment = models.TextField("信用承诺")
    commitment_signed_at = models.DateTimeField("承诺时间")
    status = models.CharField("状态", max_length=16, choices=RepairStatus.choices, default=RepairStatus.RECEIVED)
    received_on = models.DateField("收到日期")
    decide_due = models.DateField("决定期限")
    due_estimated = models.BooleanField(default=False)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("决定理由", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "信用修复申请"
        verbose_name_plural = "信用修复申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="received"), name="one_open_repair_per_record"
            )
        ]

    def __str__(self) -> str:
        return self.tracking_no
