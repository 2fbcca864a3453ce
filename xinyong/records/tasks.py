from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def batch_import_task(batch_id: int) -> dict[str, Any]:
    """Import (or resume) one submission batch in the background worker."""
    from .ingest.pipeline import batch_run, batch_summary

    return batch_summary(batch_run(batch_id))
