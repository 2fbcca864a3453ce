from django.db import models


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已报送待审核"
    PROVIDER_APPROVED = "provider_approved", "提供单位已审核"
    PLATFORM_APPROVED = "platform_approved", "平台已审核"
    LEADERSHIP_APPROVED = "leadership_approved", "领导小组已审批"
    PUBLISHED = "published", "已公示"
    SHARED_ONLY = "shared_only", "仅政务共享"
    EXPIRED = "expired", "公示期满"
    REPAIRED = "repaired", "已信用修复"
    WITHDRAWN = "withdrawn", "已撤销"
    SUPERSEDED = "superseded", "已被更正版本替代"
    DELETED = "deleted", "已删除（存档）"


S = RecordStatus

# Where the last approval leads: published or shared only (Article 11), expired (the window already
# ended), withdrawn or deleted (an approved withdrawal or deletion request).
FINAL = frozenset({S.PUBLISHED, S.SHARED_ONLY, S.EXPIRED, S.WITHDRAWN, S.DELETED})

# The allowed transitions (DESIGN.md §5). Each is carried out by one guarded service.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.DELETED}),
    S.SUBMITTED: frozenset({S.PROVIDER_APPROVED, S.DRAFT}),
    S.PROVIDER_APPROVED: frozenset({S.PLATFORM_APPROVED, S.DRAFT}),
    S.PLATFORM_APPROVED: frozenset({S.LEADERSHIP_APPROVED, *FINAL, S.DRAFT}),
    S.LEADERSHIP_APPROVED: frozenset({*FINAL, S.DRAFT}),
    # A correction, withdrawal or deletion of an approved record goes through the review again.
    S.PUBLISHED: frozenset({S.SUBMITTED, S.EXPIRED, S.REPAIRED, S.WITHDRAWN, S.SUPERSEDED, S.DELETED}),
    S.SHARED_ONLY: frozenset({S.SUBMITTED, S.EXPIRED, S.REPAIRED, S.WITHDRAWN, S.SUPERSEDED, S.DELETED}),
    S.EXPIRED: frozenset({S.DELETED}),
    S.REPAIRED: frozenset({S.DELETED}),
    S.WITHDRAWN: frozenset({S.DELETED}),
    S.SUPERSEDED: frozenset(),
    S.DELETED: frozenset(),
}

# Under review: waiting for the provider's reviewer, the platform or the leadership.
IN_REVIEW = frozenset({S.SUBMITTED, S.PROVIDER_APPROVED, S.PLATFORM_APPROVED, S.LEADERSHIP_APPROVED})

# Where the provider may still change the content in place (before anyone else has approved it).
EDITABLE = frozenset({S.DRAFT})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


class BatchStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    COMPLETED = "completed", "已完成"
    FAILED = "failed", "失败"


class BatchChannel(models.TextChoices):
    UPLOAD = "upload", "管理端上传"
    API_FILE = "api_file", "接口上传文件"
    API_JSON = "api_json", "接口推送"
    COMMAND = "command", "命令行导入"


class IssueLevel(models.TextChoices):
    ERROR = "error", "错误"
    WARNING = "warning", "提示"
