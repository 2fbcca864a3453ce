"""Review, publicity and what the public may see (Articles 8–12).

`PublicRecord` and `PublicSubject` are the public projection: the portal and the public API read
only from them, so nothing that was not published (or not a public field) can reach the public.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import (
    BasisKind,
    BulkStatus,
    ChangeKind,
    ChangeStatus,
    DisclosureChannel,
    NoticeKind,
    PublicGroup,
    ReviewDecision,
    ReviewStage,
)


class PublicityRule(models.Model):
    """The publicity period of a catalogue item, by the rules in force on the decision date (STANDARDS §3).

    A record takes the most specific rule whose dates cover its decision date: one for its tier
    (失信严重程度) before one for any tier. `ends_after_months` empty means "while valid": the
    publicity ends on the date in `valid_until_field`.
    """

    item_code = models.CharField("目录代码", max_length=16)
    tier = models.CharField("失信严重程度", max_length=8, blank=True, help_text="为空表示不分等级")
    effective_from = models.DateField("起始（决定日期）")
    effective_to = models.DateField("截止（决定日期）", null=True, blank=True)
    published = models.BooleanField("默认公示", default=True)
    repair_after_months = models.PositiveSmallIntegerField("最短公示期（月）", null=True, blank=True)
    ends_after_months = models.PositiveSmallIntegerField("公示期（月）", null=True, blank=True)
    valid_until_field = models.CharField("有效期字段", max_length=32, blank=True)
    longer_repair_keywords = models.JSONField("适用较长修复期的领域关键词", default=list, blank=True)
    longer_repair_months = models.PositiveSmallIntegerField("较长最短公示期（月）", null=True, blank=True)
    basis = models.CharField("规则依据", max_length=200)

    class Meta:
        verbose_name = "公示期规则"
        verbose_name_plural = "公示期规则"
        ordering = ["item_code", "effective_from", "tier"]

    def __str__(self) -> str:
        return f"{self.item_code} {self.tier or '全部'} {self.effective_from}"


class ExclusionRule(models.Model):
    """Records that are kept for government sharing only, e.g. summary-procedure penalties."""

    item_code = models.CharField("目录代码", max_length=16)
    field_code = models.CharField("字段代码", max_length=32)
    equals = models.CharField("字段值（完全相同）", max_length=100)
    provider_code = models.CharField("仅限提供单位代码", max_length=32, blank=True)
    effective_from = models.DateField("起始（决定日期）")
    effective_to = models.DateField("截止（决定日期）", null=True, blank=True)
    reason = models.CharField("不公示理由", max_length=200)

    class Meta:
        verbose_name = "不公示规则"
        verbose_name_plural = "不公示规则"
        ordering = ["item_code", "field_code"]

    def __str__(self) -> str:
        return self.reason


class PublicBasis(models.Model):
    """A record's own Article 11 basis, when its catalogue item has none or a better one applies."""

    record = models.OneToOneField("records.CreditRecord", on_delete=models.PROTECT, related_name="public_basis")
    kind = models.CharField("公开依据类型", max_length=24, choices=BasisKind.choices)
    channel = models.CharField("公开渠道", max_length=200, blank=True)
    published_on = models.DateField("公开日期", null=True, blank=True)
    url = models.URLField("链接", max_length=500, blank=True)
    citation = models.TextField("法律依据", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "公开依据"
        verbose_name_plural = "公开依据"

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        if self.kind == BasisKind.GOVERNMENT_CHANNEL:
            when = self.published_on.isoformat() if self.published_on else ""
            return f"已于{when}通过{self.channel}公开 {self.url}".strip()
        return self.citation


class RecordPublicity(models.Model):
    """The outcome of the last approval: public or shared only, the basis and the publicity window."""

    record = models.OneToOneField("records.CreditRecord", on_delete=models.CASCADE, related_name="publicity")
    is_public = models.BooleanField("社会公开")
    basis = models.TextField("公开依据", blank=True)
    not_public_reason = models.CharField("不公开原因", max_length=200, blank=True)
    rule = models.ForeignKey(PublicityRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField("公示起始")
    repair_from = models.DateField("可申请信用修复日期", null=True, blank=True)
    ends_on = models.DateField("公示截止", null=True, blank=True)
    decided_at = models.DateTimeField("决定时间", auto_now=True)

    class Meta:
        verbose_name = "公示情况"
        verbose_name_plural = "公示情况"
        indexes = [models.Index(fields=["ends_on"])]

    def __str__(self) -> str:
        return f"{self.record_id} {self.starts_on}–{self.ends_on}"


class RecordReview(models.Model):
    """One review decision: who approved or returned which version of a record, at which stage, why."""

    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="reviews")
    record_version = models.PositiveIntegerField("记录版本")
    stage = models.CharField("审核环节", max_length=16, choices=ReviewStage.choices)
    decision = models.CharField("结论", max_length=16, choices=ReviewDecision.choices)
    reason = models.TextField("意见", blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    bulk = models.ForeignKey("BulkReview", null=True, blank=True, on_delete=models.PROTECT, related_name="reviews")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["record", "id"]

    def __str__(self) -> str:
        return f"{self.record_id} {self.stage} {self.decision}"


class BulkReview(models.Model):
    """Approval of every record of a batch waiting at one stage, done in the background with progress."""

    stage = models.CharField("审核环节", max_length=16, choices=ReviewStage.choices)
    batch = models.ForeignKey(
        "records.SubmissionBatch", on_delete=models.PROTECT, related_name="bulk_reviews", verbose_name="报送批次"
    )
    reason = models.TextField("意见", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=16, choices=BulkStatus.choices, default=BulkStatus.PENDING)
    total = models.PositiveIntegerField("待审核记录数", default=0)
    processed = models.PositiveIntegerField("已处理", default=0)
    approved = models.PositiveIntegerField("已通过", default=0)
    skipped = models.PositiveIntegerField("已跳过", default=0)
    failure_message = models.TextField("失败原因", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "整批审核"
        verbose_name_plural = "整批审核"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"整批审核 {self.pk}"

    @property
    def progress_percent(self) -> int:
        if self.status == BulkStatus.COMPLETED:
            return 100
        return min(99, int(100 * self.processed / self.total)) if self.total else 0


class ChangeRequest(models.Model):
    """A correction, withdrawal or deletion of an approved record; it goes through the same review."""

    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="change_requests")
    kind = models.CharField("类型", max_length=16, choices=ChangeKind.choices)
    status = models.CharField("状态", max_length=16, choices=ChangeStatus.choices, default=ChangeStatus.OPEN)
    reason = models.TextField("原因")
    previous_status = models.CharField("原状态", max_length=24)
    base_version = models.PositiveIntegerField("原版本")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "变更申请"
        verbose_name_plural = "变更申请"
        constraints = [
            models.UniqueConstraint(
                fields=["record"], condition=models.Q(status="open"), name="one_open_change_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.record_id}"


class PublicSubject(models.Model):
    """What the public may know of a subject that has at least one public record."""

    subject = models.OneToOneField("subjects.Subject", primary_key=True, on_delete=models.CASCADE, related_name="+")
    slug = models.CharField("公开标识", max_length=24, unique=True)
    kind = models.CharField("主体类别", max_length=24)
    display_name = models.CharField("名称", max_length=200)
    display_code = models.CharField("代码", max_length=40)
    name_search = models.CharField("检索名称", max_length=200, db_index=True)
    name_pairs = models.TextField("检索字对", blank=True)
    uscc = models.CharField(max_length=18, unique=True, null=True, blank=True)
    id_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    licence_count = models.PositiveIntegerField(default=0)
    penalty_count = models.PositiveIntegerField(default=0)
    red_count = models.PositiveIntegerField(default=0)
    black_count = models.PositiveIntegerField(default=0)
    commitment_count = models.PositiveIntegerField(default=0)
    other_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "公开主体"
        verbose_name_plural = "公开主体"

    def __str__(self) -> str:
        return self.display_name


class PublicRecord(models.Model):
    """A published record as the public sees it: public fields only, persons masked."""

    record = models.OneToOneField(
        "records.CreditRecord", primary_key=True, on_delete=models.CASCADE, related_name="public"
    )
    subject = models.ForeignKey(PublicSubject, on_delete=models.CASCADE, related_name="records", db_index=False)
    group = models.CharField("类别", max_length=16, choices=PublicGroup.choices)
    item_name = models.CharField("信息类别", max_length=100)
    list_name = models.CharField("名单名称", max_length=100, blank=True)
    version = models.PositiveIntegerField("版本")
    document_no = models.CharField("决定文书号", max_length=100)
    decision_date = models.DateField("决定日期")
    provider_name = models.CharField("提供单位", max_length=100)
    fields = models.JSONField("公开字段", default=list, help_text="[[字段名, 值], …]")
    basis = models.TextField("公开依据")
    starts_on = models.DateField("公示起始")
    repair_from = models.DateField("可申请信用修复日期", null=True, blank=True)
    ends_on = models.DateField("公示截止", null=True, blank=True)
    under_objection = models.BooleanField("异议处理中", default=False)
    objection_note = models.CharField(
        "异议核查情况", max_length=300, blank=True, help_text="异议经核查无法确定时，异议和核查情况一并保留并展示"
    )
    published_at = models.DateTimeField("公示时间")

    class Meta:
        verbose_name = "公示记录"
        verbose_name_plural = "公示记录"
        ordering = ["-decision_date", "-record_id"]
        indexes = [
            models.Index(fields=["subject", "group", "decision_date"]),
            models.Index(fields=["group", "list_name", "decision_date"]),
            models.Index(fields=["ends_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} {self.document_no}"


class Notice(models.Model):
    """A notice on the portal: general notices, integrity stories, correction and withdrawal notices."""

    kind = models.CharField("类型", max_length=16, choices=NoticeKind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    record = models.ForeignKey(
        "records.CreditRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="notices"
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", db_index=True)

    class Meta:
        verbose_name = "公告"
        verbose_name_plural = "公告"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Disclosure(models.Model):
    """Non-public data delivered to a government user: who received which record, when, for what matter."""

    record = models.ForeignKey("records.CreditRecord", on_delete=models.PROTECT, related_name="disclosures")
    record_version = models.PositiveIntegerField("记录版本")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.PROTECT, related_name="+", verbose_name="接收单位"
    )
    channel = models.CharField("渠道", max_length=16, choices=DisclosureChannel.choices)
    matter = models.CharField("查询事项", max_length=200)
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "共享记录"
        verbose_name_plural = "共享记录"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["record", "created_at"])]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.recipient_id}"
