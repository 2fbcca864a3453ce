"""Evidence files: PDF or images, checked by their content (not their name), size-limited, stored by hash."""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings

from xinyong.core.errors import Issue, ValidationFailed
from xinyong.records.filestore import raw_file_store

from ..models import Evidence

SIGNATURES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)
MAX_FILES = 10


@dataclass(frozen=True)
class Upload:
    name: str
    file: IO[bytes]
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "XINYONG_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024))


def _detect(head: bytes) -> tuple[str, tuple[str, ...]] | None:
    return next(((kind, exts) for magic, kind, exts in SIGNATURES if head.startswith(magic)), None)


def check(uploads: list[Upload]) -> list[tuple[Upload, str]]:
    """Every problem with every file, or each file with its detected type."""
    issues, checked = [], []
    if len(uploads) > MAX_FILES:
        issues.append(Issue("evidence_too_many", f"证明材料最多 {MAX_FILES} 个文件。", "evidence"))
    limit_mb = max_bytes() // (1024 * 1024)
    for upload in uploads:
        name = upload.name[:200]
        if upload.size > max_bytes():
            issues.append(Issue("evidence_too_large", f"文件“{name}”超过 {limit_mb} MB。", "evidence"))
            continue
        head = upload.file.read(16)
        upload.file.seek(0)
        found = _detect(head)
        if not head:
            issues.append(Issue("evidence_empty", f"文件“{name}”是空文件。", "evidence"))
        elif found is None:
            issues.append(Issue("evidence_type_not_allowed", f"文件“{name}”不是 PDF、PNG 或 JPEG 文件。", "evidence"))
        elif not name.lower().endswith(found[1]):
            issues.append(
                Issue("evidence_type_mismatch", f"文件“{name}”的内容与扩展名不符（实际为 {found[0]}）。", "evidence")
            )
        else:
            checked.append((upload, found[0]))
    if issues:
        raise ValidationFailed(issues, message="证明材料不符合要求，请按提示修改后重新提交。")
    return checked


def store(checked: list[tuple[Upload, str]], **owner: Any) -> list[Evidence]:
    return [
        Evidence.objects.create(
            raw_file=raw_file_store(upload.file), name=upload.name[:200], content_type=kind, size=upload.size, **owner
        )
        for upload, kind in checked
    ]
