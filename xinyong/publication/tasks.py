from django_tasks import task

from .services import bulk_review_run, publicity_expire


@task()
def bulk_review_task(bulk_id: int) -> int:
    return bulk_review_run(bulk_id).approved


@task()
def publicity_expire_task() -> int:
    return publicity_expire().expired
