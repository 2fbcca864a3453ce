from django.db import models


class Domain(models.TextChoices):
    """The categories of the 全国公共信用信息基础目录 (national basic catalogue of public credit information).

    The same categories head the sections of the national 公共信用信息报告 (STANDARDS.md §10).
    """

    REGISTRATION = "registration", "登记注册基本信息"
    ADMINISTRATION = "administration", "行政管理信息"
    HONOUR = "honour", "诚实守信相关荣誉信息"
    SERIOUS = "serious", "严重失信主体名单信息"
    ABNORMAL = "abnormal", "经营异常名录信息"
    COMMITMENT = "commitment", "信用承诺及履行情况信息"
    EVALUATION = "evaluation", "信用评价结果信息"
    JUDICIAL = "judicial", "司法裁判及执行信息"
    OTHER = "other", "其他信息"


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
