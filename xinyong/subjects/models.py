from __future__ import annotations

from django.conf import settings
from django.db import models

from .choices import SubjectKind, SubjectStatus


class Subject(models.Model):
    """Whom credit records are about: a legal person or organisation, a sole proprietor, or a person.

    A person's identity number is never stored in plain text: `id_hash` (HMAC) finds the person,
    `id_encrypted` (Fernet) shows the number to those entitled, `id_masked` is the public form.
    """

    kind = models.CharField("主体类别", max_length=24, choices=SubjectKind.choices)
    name = models.CharField("名称", max_length=200)
    # Not indexed: names are searched by substring (the back office) or through the public search projection,
    # never by prefix or equality, and the organisation code is never looked up (the USCC is). An import
    # creates subjects by the hundred thousand, and each index costs every one of them.
    name_normalized = models.CharField("规范化名称", max_length=200)
    uscc = models.CharField("统一社会信用代码", max_length=18, null=True, blank=True)
    org_code = models.CharField("组织机构代码", max_length=9, blank=True)
    registration_no = models.CharField("工商注册号", max_length=30, blank=True)
    id_type = models.CharField("证件类型", max_length=30, blank=True)
    id_hash = models.CharField(max_length=64, null=True, blank=True)
    id_encrypted = models.TextField(blank=True)
    id_masked = models.CharField("证件号码（脱敏）", max_length=40, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=100, blank=True)
    status = models.CharField("状态", max_length=16, choices=SubjectStatus.choices, default=SubjectStatus.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "信用主体"
        verbose_name_plural = "信用主体"
        permissions = [("reveal_identity", "查看自然人完整证件号码")]
        constraints = [
            # Unique constraints rather than unique=True: on PostgreSQL a unique CharField also gets a second,
            # pattern-matching index (varchar_pattern_ops) that no query here uses.
            models.UniqueConstraint(fields=["uscc"], name="subject_unique_uscc"),
            models.UniqueConstraint(fields=["id_hash"], name="subject_unique_id_hash"),
            models.CheckConstraint(
                condition=models.Q(kind="natural_person", id_hash__isnull=False, uscc__isnull=True)
                | (~models.Q(kind="natural_person") & models.Q(uscc__isnull=False)),
                name="subject_has_identifier_for_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_person(self) -> bool:
        return self.kind == SubjectKind.NATURAL_PERSON

    @property
    def display_name(self) -> str:
        from .pii import mask_name

        return mask_name(self.name) if self.is_person else self.name

    @property
    def display_code(self) -> str:
        return self.id_masked if self.is_person else (self.uscc or "")


class IdentifierAllowance(models.Model):
    """A code that fails its check but was verified by hand (legacy data errors, STANDARDS.md §1.1)."""

    code = models.CharField("代码", max_length=18, unique=True)
    reason = models.CharField("核实说明", max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "人工核实代码"
        verbose_name_plural = "人工核实代码"

    def __str__(self) -> str:
        return self.code
