"""The public projection: the only tables the portal and the public API read.

A record enters it when it is published and leaves it when its publicity ends, it is withdrawn,
deleted, repaired or replaced by a version that may not be public. Only fields whose sensitivity is
public are copied, and a person's name is masked (STANDARDS.md §6).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.db.models import Count
from django.utils import timezone

from xinyong.catalog.choices import Sensitivity
from xinyong.core.text import normalize_name
from xinyong.records.models import CreditRecord
from xinyong.subjects.models import Subject
from xinyong.subjects.pii import mask_name

from .choices import ITEM_GROUPS, PublicGroup
from .models import PublicRecord, PublicSubject
from .policy import Outcome, display_value

COUNT_FIELDS = {
    PublicGroup.LICENCE: "licence_count",
    PublicGroup.PENALTY: "penalty_count",
    PublicGroup.RED: "red_count",
    PublicGroup.BLACK: "black_count",
    PublicGroup.COMMITMENT: "commitment_count",
    PublicGroup.OTHER: "other_count",
}


def search_key(name: str) -> str:
    """The searchable form of a name: normalised (full/half width, 有限责任公司), letters and digits only."""
    return "".join(ch for ch in normalize_name(name) if ch.isalnum())


def name_pairs(key: str) -> str:
    """Overlapping character pairs, the tokens of the n-gram index: 韶山市 → "韶山 山市"."""
    return " ".join(key[i : i + 2] for i in range(len(key) - 1))


def public_fields(record: CreditRecord) -> list[list[str]]:
    """[label, value] of every public field that has a value, in the catalogue's order."""
    masked = {record.item.role("subject_name")} if record.subject.is_person else set()
    rows = []
    for spec in record.item.fields:
        if spec.get("sensitivity", Sensitivity.PUBLIC) != Sensitivity.PUBLIC:
            continue
        value = display_value(record.data.get(spec["code"]))
        if value:
            rows.append([spec["label"], mask_name(value) if spec["code"] in masked else value])
    return rows


def list_name(record: CreditRecord) -> str:
    if ITEM_GROUPS.get(record.item.code) not in (PublicGroup.RED, PublicGroup.BLACK):
        return ""
    return display_value(record.data.get(f"{record.item.code}_MDMC"))[:100]


def public_subject_values(subject: Subject) -> dict[str, Any]:
    """What the public may know of a subject (persons: masked, and not searchable by name)."""
    key = "" if subject.is_person else search_key(subject.name)
    return {
        "kind": subject.kind,
        "display_name": subject.display_name,
        "display_code": subject.display_code,
        "name_search": key,
        "name_pairs": name_pairs(key),
        "uscc": subject.uscc,
        "id_hash": subject.id_hash,
    }


def new_slug(subject: Subject) -> str:
    """A public subject's address: its USCC, or for a person a random token (never the ID number)."""
    return subject.uscc or f"p{secrets.token_hex(8)}"


def _public_subject(subject: Subject) -> PublicSubject:
    existing = PublicSubject.objects.filter(subject=subject).first()
    values = public_subject_values(subject)
    if existing is None:
        return PublicSubject.objects.create(subject=subject, slug=new_slug(subject), **values)
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


def refresh_counts(subject_id: int) -> None:
    """Recount a subject's public records by group; drop the subject when none is left."""
    counts = dict(
        PublicRecord.objects.filter(subject_id=subject_id).values_list("group").annotate(n=Count("pk")).order_by()
    )
    if not counts:
        PublicSubject.objects.filter(subject_id=subject_id).delete()
        return
    PublicSubject.objects.filter(subject_id=subject_id).update(
        **{field: counts.get(group, 0) for group, field in COUNT_FIELDS.items()}, updated_at=timezone.now()
    )


def project(record: CreditRecord, outcome: Outcome) -> tuple[PublicRecord | None, PublicRecord]:
    """Put a published record into the public projection. Returns (what the public saw before, now)."""
    before = PublicRecord.objects.select_related("subject").filter(record=record).first()
    subject = _public_subject(record.subject)
    values = {
        "subject": subject,
        "group": ITEM_GROUPS.get(record.item.code, PublicGroup.OTHER),
        "item_name": record.item.name,
        "list_name": list_name(record),
        "version": record.version,
        "document_no": record.document_no,
        "decision_date": record.decision_date,
        "provider_name": record.provider.name,
        "fields": public_fields(record),
        "basis": outcome.basis,
        "starts_on": outcome.starts_on,
        "repair_from": outcome.repair_from,
        "ends_on": outcome.ends_on,
        "published_at": timezone.now(),
    }
    if before is not None:
        values["under_objection"] = before.under_objection
    now, _ = PublicRecord.objects.update_or_create(record=record, defaults=values)
    refresh_counts(subject.pk)
    if before is not None and before.subject_id != subject.pk:
        refresh_counts(before.subject_id)
    return before, now


def withdraw(record: CreditRecord) -> PublicRecord | None:
    """Take a record out of public view. Returns what the public saw, if anything."""
    before = PublicRecord.objects.select_related("subject").filter(record=record).first()
    if before is not None:
        before.delete()
        refresh_counts(before.subject_id)
    return before


def touch_subjects_of(record_ids: list[int]) -> None:
    """Mark the subjects of these public records as changed (their cached public pages are stale)."""
    subject_ids = PublicRecord.objects.filter(record_id__in=record_ids).values_list("subject_id", flat=True)
    PublicSubject.objects.filter(subject_id__in=list(subject_ids)).update(updated_at=timezone.now())
