from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import BatchChannel, BatchStatus, IssueLevel, RecordStatus


class CreditRecord(models.Model):
    """One piece of credit information about a subject, from one provider, under one catalogue item.

    The provider's key (`source_key`) makes submissions idempotent. Every change makes a new
    RecordVersion; nothing is physically deleted.
    """

    # Indexes are chosen for the import's write speed: the composite indexes below cover these keys.
    item = models.ForeignKey(
        "catalog.CatalogItem",
        verbose_name="信息类别",
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name="信用主体",
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    provider = models.ForeignKey(
        "accounts.Department",
        verbose_name="提供单位",
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
    )
    source_key = models.CharField("报送主键", max_length=200)
    document_no = models.CharField("决定文书号", max_length=100)
    decision_date = models.DateField("决定日期")
    received_on = models.DateField("归集日期")
    reporting_working_days = models.IntegerField("报送用时（工作日）", null=True)
    reporting_estimated = models.BooleanField("用时按缺省日历估算", default=False)
    data = models.JSONField("字段内容", default=dict, help_text="证件号码类字段只存脱敏值")
    protected = models.JSONField("加密字段", default=dict, blank=True, help_text="证件号码类字段的密文（Fernet）")
    status = models.CharField("状态", max_length=24, choices=RecordStatus.choices, default=RecordStatus.DRAFT)
    version = models.PositiveIntegerField("版本", default=1)
    status_reason = models.TextField("状态说明", blank=True)
    content_hash = models.CharField("内容摘要", max_length=32, blank=True)
    # Not indexed: a re-imported row finds its record by the unique key, then compares this digest.
    raw_digest = models.CharField(
        "原始行摘要", max_length=32, blank=True, help_text="导入时该行原文的摘要，用于快速识别未变化的行"
    )
    batch = models.ForeignKey(
        "records.SubmissionBatch",
        verbose_name="报送批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="records",
    )
    source_line = models.PositiveIntegerField("文件行号", null=True, blank=True)
    # Not indexed: nothing looks records up by who created them, and accounts are deactivated, never deleted.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "item", "source_key"], name="record_unique_source_key"),
        ]
        indexes = [
            models.Index(fields=["status", "provider"]),
            models.Index(fields=["subject", "status"]),
        ]
        permissions = [
            ("submit_record", "报送和更正本单位信用记录"),
            ("review_as_provider", "提供单位审核"),
            ("review_as_platform", "平台审核"),
            ("approve_as_leadership", "领导小组审批"),
            ("publish_record", "发布信用记录"),
            ("view_department_records", "查看本单位信用记录"),
            ("view_all_records", "查看全部信用记录"),
            ("view_shared_records", "查询政务共享信用记录"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.document_no}"

    @property
    def meets_reporting_deadline(self) -> bool | None:
        if self.reporting_working_days is None:
            return None
        return self.reporting_working_days <= self.item.reporting_deadline_days


class RecordVersion(models.Model):
    """An archived state of a record: what it said, its status, who changed it, when and why."""

    record = models.ForeignKey(CreditRecord, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField("版本")
    action = models.CharField("操作", max_length=32)
    status = models.CharField("状态", max_length=24, choices=RecordStatus.choices)
    data = models.JSONField("字段内容")
    protected = models.JSONField("加密字段", default=dict, blank=True)
    subject = models.ForeignKey("subjects.Subject", on_delete=models.PROTECT, related_name="+")
    document_no = models.CharField(max_length=100)
    decision_date = models.DateField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "记录版本"
        verbose_name_plural = "记录版本"
        ordering = ["record", "version", "id"]
        indexes = [models.Index(fields=["record", "version"])]

    def __str__(self) -> str:
        return f"{self.record_id} v{self.version} {self.action}"


class RawFile(models.Model):
    """An original submission, stored once by its SHA-256 (content-addressed) and never changed."""

    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    size = models.BigIntegerField("字节数")
    storage_name = models.CharField("存储位置", max_length=300)
    # Facts of the bytes, established once by the first import's whole-file check (CSV): a later batch of
    # the same file does not decode it all again.
    text_encoding = models.CharField("文本编码", max_length=16, blank=True, help_text="CSV 整文件解码检查通过的编码")
    line_feeds = models.PositiveBigIntegerField("换行符数", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "原始文件"
        verbose_name_plural = "原始文件"

    def __str__(self) -> str:
        return self.sha256


class SubmissionBatch(models.Model):
    """One upload, API push or command-line import: its raw file, progress and row counts.

    total = accepted (created + updated) + rejected + unchanged. Rows are committed in chunks and
    `processed_line` is the last file line committed, so an interrupted batch resumes where it stopped.
    """

    department = models.ForeignKey(
        "accounts.Department", verbose_name="报送单位", on_delete=models.PROTECT, related_name="batches"
    )
    item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name="信息类别", on_delete=models.PROTECT, related_name="batches"
    )
    channel = models.CharField("渠道", max_length=16, choices=BatchChannel.choices)
    raw_file = models.ForeignKey(
        RawFile, verbose_name="原始文件", null=True, on_delete=models.PROTECT, related_name="batches"
    )
    file_name = models.CharField("文件名", max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.ForeignKey(
        "accounts.ApiToken", null=True, blank=True, on_delete=models.PROTECT, related_name="batches"
    )
    status = models.CharField(
        "状态", max_length=16, choices=BatchStatus.choices, default=BatchStatus.PENDING, db_index=True
    )
    total = models.PositiveIntegerField("总行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新（新版本）", default=0)
    unchanged_count = models.PositiveIntegerField("未变化", default=0)
    rejected_count = models.PositiveIntegerField("拒收", default=0)
    warning_count = models.PositiveIntegerField("提示", default=0)
    processed_line = models.PositiveIntegerField("已处理至行", default=0)
    expected_rows = models.PositiveIntegerField("预计行数", null=True, blank=True)
    unknown_columns = models.JSONField("未识别的列", default=list, blank=True)
    failure_code = models.CharField("失败代码", max_length=64, blank=True)
    failure_message = models.TextField("失败原因", blank=True)
    received_on = models.DateField("归集日期", null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField("最近进展", null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "报送批次"
        verbose_name_plural = "报送批次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"批次 {self.pk} {self.file_name}"

    @property
    def accepted_count(self) -> int:
        return self.created_count + self.updated_count

    @property
    def progress_percent(self) -> int:
        if self.status == BatchStatus.COMPLETED:
            return 100
        if not self.expected_rows:
            return 0
        return min(99, int(100 * self.total / self.expected_rows))


class BatchRowIssue(models.Model):
    """A rejected row (error) or a row stored with a remark (warning), with its line and field."""

    batch = models.ForeignKey(SubmissionBatch, on_delete=models.CASCADE, related_name="issues")
    line = models.PositiveIntegerField("行号")
    level = models.CharField("级别", max_length=8, choices=IssueLevel.choices)
    field_code = models.CharField("字段代码", max_length=64, blank=True)
    field_label = models.CharField("字段", max_length=100, blank=True)
    value = models.CharField("原值", max_length=200, blank=True)
    code = models.CharField("错误代码", max_length=64)
    message = models.TextField("说明")

    class Meta:
        verbose_name = "批次行问题"
        verbose_name_plural = "批次行问题"
        ordering = ["batch", "line", "id"]
        indexes = [models.Index(fields=["batch", "level", "line"])]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.code}"
