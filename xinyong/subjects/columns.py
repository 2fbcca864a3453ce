"""A subject's stored form, decided in one place for every way a record comes in.

No models here: the import's worker processes use it before Django's apps are loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from xinyong.core import identifiers
from xinyong.core.errors import Issue
from xinyong.core.text import normalize_name

from . import pii
from .choices import CITIZEN_ID_TYPE, SubjectKind, SubjectStatus


@dataclass
class SubjectIdentity:
    """A subject as a report names it, after normalisation and validation."""

    kind: SubjectKind
    name: str
    uscc: str | None = None
    id_type: str = ""
    id_number: str | None = None
    legal_representative: str = ""
    warnings: list[Issue] = field(default_factory=list)


class SubjectColumns(NamedTuple):
    """A subject as the subjects table stores it, but for the timestamps (the import writes these columns)."""

    kind: str
    name: str
    name_normalized: str
    uscc: str | None
    org_code: str
    id_type: str
    id_hash: str | None
    id_encrypted: str
    id_masked: str
    registration_no: str
    legal_representative: str
    status: str


def subject_columns(identity: SubjectIdentity, *, id_hash: str = "", id_token: str = "") -> SubjectColumns:
    """The stored form of a subject, one function for hand entry, the JSON push, the file import and the demo:
    the kind, the name, the identity number's lookup hash, encryption and mask. `id_hash` and `id_token`: the
    hash and encrypted number when the caller has made them already (the import, once per number)."""
    name = identity.name[:200]
    common = {
        "kind": str(identity.kind),
        "name": name,
        "name_normalized": normalize_name(name)[:200],
        "registration_no": "",
        "legal_representative": identity.legal_representative[:100],
        "status": str(SubjectStatus.ACTIVE),
    }
    if identity.kind != SubjectKind.NATURAL_PERSON:
        uscc = identity.uscc or ""
        return SubjectColumns(
            **common, uscc=uscc, org_code=uscc[8:17], id_type="", id_hash=None, id_encrypted="", id_masked=""
        )
    number = identity.id_number or ""
    return SubjectColumns(
        **common,
        uscc=None,
        org_code="",
        id_type=identity.id_type,
        id_hash=id_hash or pii.id_lookup_hash(identity.id_type, number),
        id_encrypted=id_token or pii.encrypt(number),
        id_masked=identifiers.mask_identity(number, citizen_id=identity.id_type == CITIZEN_ID_TYPE),
    )
