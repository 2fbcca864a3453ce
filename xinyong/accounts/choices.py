from django.db import models


class DepartmentKind(models.TextChoices):
    PROVIDER = "provider", "信息提供单位"
    PLATFORM = "platform", "平台管理部门"
    SUPERVISOR = "supervisor", "督查部门"


class Role(models.TextChoices):
    """The roles of DESIGN.md §2. Each is a Group of the same name with the permissions in roles.py."""

    PROVIDER_CLERK = "provider_clerk", "填报员"
    PROVIDER_REVIEWER = "provider_reviewer", "审核员"
    PLATFORM_CLERK = "platform_clerk", "平台经办"
    LEADERSHIP = "leadership", "领导小组"
    GOV_USER = "gov_user", "共享用户"
    SUPERVISOR = "supervisor", "督查"
    ADMINISTRATOR = "administrator", "系统管理员"
    SUBJECT_USER = "subject_user", "主体用户"


class TokenScope(models.TextChoices):
    RECORDS_WRITE = "records:write", "报送信用记录"
    BATCHES_WRITE = "batches:write", "上传报送文件"
    SHARED_READ = "shared:read", "查询共享数据"
