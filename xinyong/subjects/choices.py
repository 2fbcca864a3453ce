from django.db import models


class SubjectKind(models.TextChoices):
    LEGAL_PERSON = "legal_person", "法人及非法人组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    NATURAL_PERSON = "natural_person", "自然人"

    @classmethod
    def from_label(cls, label: str) -> "SubjectKind | None":
        for kind in cls:
            if label in (kind.label, kind.value):
                return kind
        return None


class SubjectStatus(models.TextChoices):
    ACTIVE = "active", "存续"
    CANCELLED = "cancelled", "注销"


ID_TYPES = ["身份证", "护照号", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证"]
CITIZEN_ID_TYPE = "身份证"
