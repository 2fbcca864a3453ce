"""The demo's reviewers approve every submitted record, stage by stage, through the whole-batch approval."""

from __future__ import annotations

import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from xinyong.accounts.models import Department, User
from xinyong.publication.choices import ReviewStage
from xinyong.publication.services.bulk import CHUNK
from xinyong.publication.services.chunk import Chunker
from xinyong.publication.services.review import STAGES
from xinyong.records.choices import RecordStatus
from xinyong.records.models import CreditRecord

REASON = "演示数据：整批审核通过"
PLATFORM, LEADER = "fgj_platform", "fgj_leader"


@dataclass
class ReviewCounts:
    approved: int = 0
    published: int = 0
    shared_only: int = 0
    expired: int = 0
    seconds: float = 0.0


def _run(actor: User, stage: str, waiting: QuerySet[CreditRecord], progress: Callable[[int], None] | None) -> int:
    chunker = Chunker(actor=actor, stage=stage, reason=REASON, today=timezone.localdate(), bulk=None)
    waiting = waiting.filter(status=STAGES[stage][0]).order_by("pk")
    if stage == ReviewStage.LEADERSHIP:
        waiting = waiting.filter(item__requires_leadership_approval=True)
    ids, approved = array("q", waiting.values_list("pk", flat=True).iterator(chunk_size=20_000)), 0
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            approved += chunker.approve(list(ids[start : start + CHUNK]))
        if progress is not None:
            progress(len(ids[start : start + CHUNK]))
    return approved


def review_all(progress: Callable[[int], None] | None = None) -> ReviewCounts:
    """Provider reviewers (each their department's), the platform, then the leadership where required."""
    started, counts = time.perf_counter(), ReviewCounts()
    for department in Department.objects.order_by("code"):
        reviewer = User.objects.filter(username=f"{department.code.lower()}_reviewer").first()
        if reviewer is not None:
            own = CreditRecord.objects.filter(provider=department)
            counts.approved += _run(reviewer, ReviewStage.PROVIDER, own, progress)
    for username, stage in ((PLATFORM, ReviewStage.PLATFORM), (LEADER, ReviewStage.LEADERSHIP)):
        counts.approved += _run(User.objects.get(username=username), stage, CreditRecord.objects.all(), progress)
    statuses = CreditRecord.objects.values_list("status", flat=True)
    counts.published = statuses.filter(status=RecordStatus.PUBLISHED).count()
    counts.shared_only = statuses.filter(status=RecordStatus.SHARED_ONLY).count()
    counts.expired = statuses.filter(status=RecordStatus.EXPIRED).count()
    counts.seconds = round(time.perf_counter() - started, 1)
    return counts
