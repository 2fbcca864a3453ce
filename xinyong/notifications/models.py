from __future__ import annotations

from django.conf import settings
from django.db import models


class Notification(models.Model):
    """A message in a staff member's in-app inbox (站内消息); it may also have gone out by email."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    link = models.CharField("链接", max_length=300, blank=True)
    topic = models.CharField("类别", max_length=40, blank=True)
    emailed = models.BooleanField("已发邮件", default=False)
    due_on = models.DateField("办理期限", null=True, blank=True, help_text="工作流程规定了期限的待办事项")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
