from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import RecordStatus


class CreditRecord(models.Model):
    """One piece of credit information about a subject, from one provider, under one catalogue item.

    The provider's key (`source_key`) makes submissions idempotent. Every change makes a new
    RecordVersion; nothing is physically deleted.
    """

    item = models.ForeignKey(
        "catalog.CatalogItem", verbose_name="信息类别", on_delete=models.PROTECT, related_name="records"
    )
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name="信用主体", on_delete=models.PROTECT, related_name="records"
    )
    provider = models.ForeignKey(
        "accounts.Department", verbose_name="提供单位", on_delete=models.PROTECT, related_name="records"
    )
    source_key = models.CharField("报送主键", max_length=200)
    document_no = models.CharField("决定文书号", max_length=100, db_index=True)
    decision_date = models.DateField("决定日期", db_index=True)
    received_on = models.DateField("归集日期")
    reporting_working_days = models.IntegerField("报送用时（工作日）", null=True)
    reporting_estimated = models.BooleanField("用时按缺省日历估算", default=False)
    data = models.JSONField("字段内容", default=dict, help_text="证件号码类字段只存脱敏值")
    protected = models.JSONField("加密字段", default=dict, blank=True, help_text="证件号码类字段的密文（Fernet）")
    status = models.CharField(
        "状态", max_length=24, choices=RecordStatus.choices, default=RecordStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField("版本", default=1)
    status_reason = models.TextField("状态说明", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信用记录"
        verbose_name_plural = "信用记录"
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "item", "source_key"], name="record_unique_source_key"),
        ]
        indexes = [models.Index(fields=["provider", "status"]), models.Index(fields=["subject", "status"])]
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
