"""Tasks the queue's worker runs (`manage.py db_worker`; django-tasks, database backend)."""

from django_tasks import task

from . import batches


@task()
def import_url_item(item_id: int) -> str:
    """Fetch and import one URL of an editor's batch."""
    return batches.url_import_item_run(item_id=item_id)
