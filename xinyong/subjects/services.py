"""Identity resolution: the same USCC or identity number is the same subject, whoever reports it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction

from xinyong.accounts.permissions import require_permission
from xinyong.audit.services import audit_log
from xinyong.core import identifiers
from xinyong.core.errors import Issue, NotFound, ValidationFailed
from xinyong.core.text import normalize_name

from . import pii
from .choices import CITIZEN_ID_TYPE, ID_TYPES, SubjectKind
from .columns import SubjectIdentity, subject_columns
from .models import IdentifierAllowance, Subject


def subject_identity_parse(
    *,
    kind: str,
    name: str,
    uscc: str = "",
    id_type: str = "",
    id_number: str = "",
    legal_representative: str = "",
    field_names: dict[str, str] | None = None,
) -> SubjectIdentity:
    """Validate how a subject is identified; raise ValidationFailed naming each bad field."""
    names = {"kind": "kind", "name": "name", "uscc": "uscc", "id_type": "id_type", "id_number": "id_number"}
    names.update(field_names or {})
    issues: list[Issue] = []
    subject_kind = SubjectKind.from_label((kind or "").strip())
    if subject_kind is None:
        issues.append(
            Issue(
                "subject_kind_invalid",
                f"主体类别“{kind}”无效，应为法人及非法人组织、自然人或个体工商户。",
                names["kind"],
            )
        )
    clean_name = " ".join((name or "").split())
    if not clean_name:
        issues.append(Issue("subject_name_required", "请填写行政相对人名称。", names["name"]))
    if subject_kind is None:
        raise ValidationFailed(issues)
    identity = SubjectIdentity(kind=subject_kind, name=clean_name, legal_representative=legal_representative.strip())
    if subject_kind == SubjectKind.NATURAL_PERSON:
        _parse_person_id(identity, id_type, id_number, names, issues)
    else:
        _parse_uscc(identity, uscc, names, issues)
    if issues:
        raise ValidationFailed(issues)
    return identity


def _parse_uscc(identity: SubjectIdentity, uscc: str, names: dict[str, str], issues: list[Issue]) -> None:
    if not (uscc or "").strip():
        issues.append(Issue("uscc_required", "法人及非法人组织、个体工商户须填写统一社会信用代码。", names["uscc"]))
        return
    result = identifiers.check_uscc(uscc)
    if not result.valid:
        if IdentifierAllowance.objects.filter(code=result.normalized).exists():
            identity.warnings.append(
                Issue("uscc_allow_listed", "该代码未通过校验，但已经人工核实列入白名单。", names["uscc"])
            )
        else:
            issues.extend(Issue(e.code, e.message, names["uscc"]) for e in result.errors)
            return
    identity.uscc = result.normalized
    identity.warnings.extend(Issue(w.code, w.message, names["uscc"]) for w in result.warnings)


def _parse_person_id(
    identity: SubjectIdentity, id_type: str, id_number: str, names: dict[str, str], issues: list[Issue]
) -> None:
    id_type = (id_type or "").strip() or CITIZEN_ID_TYPE
    if id_type not in ID_TYPES:
        issues.append(
            Issue("id_type_invalid", f"证件类型“{id_type}”无效，应为{'、'.join(ID_TYPES)}之一。", names["id_type"])
        )
        return
    if not (id_number or "").strip():
        issues.append(Issue("id_number_required", "自然人须填写证件号码。", names["id_number"]))
        return
    identity.id_type = id_type
    if id_type == CITIZEN_ID_TYPE:
        result = identifiers.check_citizen_id(id_number)
        if not result.valid:
            issues.extend(Issue(e.code, e.message, names["id_number"]) for e in result.errors)
            return
        identity.id_number = result.normalized
        identity.warnings.extend(Issue(w.code, w.message, names["id_number"]) for w in result.warnings)
    else:
        identity.id_number = identifiers.normalize(id_number)


def subject_find(identity: SubjectIdentity) -> Subject | None:
    if identity.kind == SubjectKind.NATURAL_PERSON:
        assert identity.id_number is not None
        return Subject.objects.filter(id_hash=pii.id_lookup_hash(identity.id_type, identity.id_number)).first()
    return Subject.objects.filter(uscc=identity.uscc).first()


@dataclass
class Resolution:
    subject: Subject
    created: bool
    warnings: list[Issue]


def subject_resolve(*, actor: Any, identity: SubjectIdentity, name_field: str = "name") -> Resolution:
    """Find the subject by its code, or create it. A different name under a known code is a warning."""
    warnings = list(identity.warnings)
    existing = subject_find(identity)
    if existing is not None:
        if normalize_name(existing.name) != normalize_name(identity.name):
            shown = existing.display_name
            warnings.append(
                Issue(
                    "subject_name_mismatch",
                    f"该代码已登记的名称为“{shown}”，与本次填报的名称不一致，请核实。",
                    name_field,
                )
            )
        return Resolution(existing, False, warnings)
    try:
        with transaction.atomic():
            subject = _subject_create(actor=actor, identity=identity)
    except IntegrityError:  # another writer created it first
        found = subject_find(identity)
        assert found is not None
        return Resolution(found, False, warnings)
    return Resolution(subject, True, warnings)


def _subject_create(*, actor: Any, identity: SubjectIdentity) -> Subject:
    subject = Subject(**subject_columns(identity)._asdict())
    subject.save()
    audit_log(
        actor=actor,
        action="subject.create",
        obj=subject,
        after={"kind": subject.kind, "name": subject.display_name, "code": subject.display_code},
    )
    return subject


REVEAL_NOT_FOUND = "未找到该信用主体。"


def subject_in_reach(*, viewer: Any, subject: Subject) -> bool:
    """Whether the viewer's department has records about the subject, or a logged disclosure reached them."""
    from xinyong.publication.models import Disclosure
    from xinyong.records.models import CreditRecord

    department = getattr(viewer, "department", None)
    if department is not None and CreditRecord.objects.filter(subject=subject, provider=department).exists():
        return True
    return Disclosure.objects.filter(record__subject=subject, recipient=viewer).exists()


def _reveal_refused(*, viewer: Any, subject_id: int | None) -> NotFound:
    """Audit a refused reveal (committed on its own) and return the 404 to raise, the same for every refusal."""
    audit_log(
        actor=viewer,
        action="subject.reveal_refused",
        object_type="subjects.subject",
        object_id=str(subject_id or ""),
        object_repr=f"主体 {subject_id or '?'}",
    )
    return NotFound(REVEAL_NOT_FOUND, code="subject_not_found")


def subject_reveal_identity(*, viewer: Any, subject_id: int | None, purpose: str) -> tuple[Subject, str]:
    """Show a person's full identity number to an entitled user in reach of the subject; every read is audited.

    A subject out of the viewer's reach is answered as if it did not exist (404), and the refusal is audited.
    """
    require_permission(viewer, "subjects.reveal_identity", "您没有查看完整证件号码的权限。")
    subject = Subject.objects.filter(pk=subject_id).first() if subject_id else None
    if subject is None or not subject_in_reach(viewer=viewer, subject=subject):
        raise _reveal_refused(viewer=viewer, subject_id=subject_id)
    if not purpose.strip():
        raise ValidationFailed([Issue("purpose_required", "查看完整证件号码须说明用途。", "purpose")])
    if not subject.is_person:
        return subject, subject.uscc or ""
    with transaction.atomic():
        audit_log(actor=viewer, action="subject.reveal_identity", obj=subject, after={"purpose": purpose.strip()})
    return subject, pii.decrypt(subject.id_encrypted)
