"""Writes of the publication app: review, publication, change requests, notices, disclosures, expiry."""

from .basis import public_basis_set
from .bulk import bulk_review_run, bulk_review_start
from .changes import record_request_correction, record_request_removal
from .disclosure import disclosure_log
from .expiry import publicity_expire
from .notices import notice_publish
from .review import record_approve, record_reject, stage_of, stages_of

__all__ = [
    "bulk_review_run",
    "bulk_review_start",
    "disclosure_log",
    "notice_publish",
    "public_basis_set",
    "publicity_expire",
    "record_approve",
    "record_reject",
    "record_request_correction",
    "record_request_removal",
    "stage_of",
    "stages_of",
]
