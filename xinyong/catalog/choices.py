from django.db import models


class Domain(models.TextChoices):
    GOVERNMENT = "government", "政务诚信"
    COMMERCE = "commerce", "商务诚信"
    SOCIETY = "society", "社会诚信"
    JUDICIAL = "judicial", "司法公信"


class Disclosure(models.TextChoices):
    PUBLIC = "public", "社会公开"
    SHARED = "shared", "政务共享"
    AUTHORIZED = "authorized", "授权查询"


class FieldType(models.TextChoices):
    TEXT = "text", "文本"
    LONG_TEXT = "long_text", "长文本"
    DATE = "date", "日期"
    ENUM = "enum", "枚举"
    MULTI_ENUM = "multi_enum", "多选枚举"
    MONEY = "money", "金额（万元）"
    USCC = "uscc", "统一社会信用代码"
    ID_NUMBER = "id_number", "证件号码"


class Required(models.TextChoices):
    ALWAYS = "always", "必填"
    OPTIONAL = "optional", "选填"
    LEGAL = "legal", "法人及非法人组织、个体工商户必填"
    NATURAL = "natural", "自然人必填"


class Sensitivity(models.TextChoices):
    PUBLIC = "public", "可公开"
    SHARED = "shared", "仅政务共享"
    SECRET = "secret", "不公开、不共享"
