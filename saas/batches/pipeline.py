"""The batch pipelines on the job engine.

`batch` is a parent job: its children are the rows' videos, submitted over
time by the pump (runner.pump), which the engine wakes whenever a child
ends and at every sweep. `batch_discover` reads a collection page on a
worker (the browser never runs in the web process) and turns its product
links into rows.
"""

from __future__ import annotations

from saas.jobs import pipelines
from saas.jobs.models import Job
from saas.jobs.pipelines import Pipeline, Stage

from .models import Batch


def _wake(parent: Job) -> None:
    from .services import wake

    wake(parent.subject)


def _represent(job: Job) -> dict | None:
    from .representation import batch_data

    batch = Batch.objects.filter(pk=job.subject).first()
    return batch_data(batch) if batch else None


BATCH = pipelines.register(
    Pipeline(
        name="batch",
        on_refresh=_wake,
        represent=_represent,
        completed_event="batch.completed",
        failed_event="batch.failed",
    )
)


def _find_products(job: Job, progress) -> dict:
    """Open the collection page (and its next pages) and keep its product links as rows."""
    from saas.studio.storyboard import _browser_thread, scrape_config
    from scraper.collection import discover

    from .runner import found_products

    batch = Batch.objects.filter(pk=job.subject).first()
    if batch is None or batch.status != Batch.Status.DISCOVERING:
        return {"result": {"skipped": "the batch is gone or no longer looking"}}
    limit = int(job.payload.get("max_products") or 50)
    found = _browser_thread.submit(
        discover, batch.source_url, scrape_config(), max_products=limit
    ).result()
    progress(0.9)
    found_products(batch.pk, found.products, found.truncated)
    return {"result": {"products": len(found.products), "pages": found.pages}}


def _discovery_ended(job: Job) -> None:
    if job.status in (Job.Status.FAILED, Job.Status.CANCELLED):
        from .runner import discovery_failed

        message = job.error_message or "Reading the collection page was cancelled."
        discovery_failed(job.subject, job.error_code or "cancelled", message)


DISCOVER = pipelines.register(
    Pipeline(
        name="batch_discover",
        stages=(Stage("find", _find_products, queue="default", time_limit_s=600, max_retries=2),),
        on_end=_discovery_ended,
    )
)
