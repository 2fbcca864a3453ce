from django.db import models


class ReviewStage(models.TextChoices):
    PROVIDER = "provider", "提供单位审核"
    PLATFORM = "platform", "平台审核"
    LEADERSHIP = "leadership", "领导小组审批"


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", "通过"
    REJECTED = "rejected", "退回"


class BasisKind(models.TextChoices):
    """Article 11: the only two grounds on which credit information may be made public."""

    GOVERNMENT_CHANNEL = "government_channel", "已通过政府渠道公开"
    LEGAL_REQUIREMENT = "legal_requirement", "法律法规要求公开"


class PublicGroup(models.TextChoices):
    """How 信用中国 groups a subject's public records."""

    LICENCE = "licence", "行政许可"
    PENALTY = "penalty", "行政处罚"
    RED = "red", "守信激励（红名单）"
    BLACK = "black", "严重失信主体名单"
    COMMITMENT = "commitment", "信用承诺"
    OTHER = "other", "其他信息"


# Catalogue item code → public group. Items not listed fall under OTHER.
ITEM_GROUPS: dict[str, str] = {
    "XK": PublicGroup.LICENCE,
    "CF": PublicGroup.PENALTY,
    "HONG": PublicGroup.RED,
    "HEI": PublicGroup.BLACK,
    "CN": PublicGroup.COMMITMENT,
}


class ChangeKind(models.TextChoices):
    CORRECT = "correct", "更正"
    WITHDRAW = "withdraw", "撤销"
    DELETE = "delete", "删除"


class ChangeStatus(models.TextChoices):
    OPEN = "open", "审核中"
    APPROVED = "approved", "已生效"
    REJECTED = "rejected", "未通过"


class NoticeKind(models.TextChoices):
    NOTICE = "notice", "通知公告"
    STORY = "story", "诚信故事"
    CORRECTION = "correction", "更正公告"
    WITHDRAWAL = "withdrawal", "撤销公告"


class BulkStatus(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "处理中"
    COMPLETED = "completed", "已完成"
    FAILED = "failed", "失败"


class DisclosureChannel(models.TextChoices):
    SHARED_QUERY = "shared_query", "政务共享查询"
    SHARED_API = "shared_api", "共享接口"
    SCREENING = "screening", "联合奖惩筛查"
    REPORT = "report", "信用报告"
