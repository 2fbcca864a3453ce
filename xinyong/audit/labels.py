"""Chinese names of audit actions and record-history actions, for the pages people read."""

ACTION_LABELS = {
    "auth.login": "登录",
    "auth.logout": "退出登录",
    "auth.login_failed": "登录失败",
    "user.create": "新建用户",
    "user.set_roles": "调整角色",
    "api_token.create": "签发接口令牌",
    "api_token.revoke": "吊销接口令牌",
    "api_token.use": "使用接口令牌",
    "subject.create": "新建信用主体",
    "subject.reveal_identity": "查看完整证件号码",
    "catalog.seed": "初始化目录项",
    "catalog.update": "修改目录项",
    "catalog.set_providers": "设置报送单位",
    "record.create": "录入记录",
    "record.correct": "更正记录",
    "record.submit": "报送审核",
    "record.delete": "删除草稿",
    "calendar.load": "载入节假日安排",
    "calendar.edit": "修改工作日历",
    "audit.verify": "校验审计链",
    "demo.bulk_load": "批量载入演示数据",
    "create": "录入",
    "correct": "更正",
    "submit": "报送审核",
    "delete": "删除",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)
