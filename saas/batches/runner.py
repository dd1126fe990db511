"""The worker side of a batch: its pump, and the rows a collection page became.

The pump brings rows up to date with their videos, starts videos while the
plan's render slots allow (one slot kept free for the workspace's other
videos) and ends the batch once every row has ended. It runs on a worker
(the `batch_pump` actor), woken when one of its videos ends and at every
sweep, and is safe to run twice at once or after a crash.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from saas.errors import ServiceError
from saas.jobs import engine, pipelines
from saas.jobs.models import Job

from . import templates
from .models import Batch, BatchRow
from .services import BATCH, Row, actor_for, add_rows, row_request, start_batch, sync_rows


def render_slots(workspace) -> int:
    """How many more batch videos may start now.

    The workspace's batches together use the plan's render slots but one (when
    the plan has more than one), so its other videos never wait for its batches
    (counted per batch, two batches took every slot).
    """
    from saas.billing.services import plan_for
    from saas.studio.models import Video

    cap = plan_for(workspace).max_concurrent_renders
    active = Video.objects.filter(workspace=workspace, status__in=Video.ACTIVE)
    batch_jobs = Batch.objects.filter(workspace=workspace, job__isnull=False).values("job_id")
    batches = active.filter(parent_id__in=batch_jobs).count()
    share = cap - 1 if cap > 1 else cap
    return max(0, min(cap - active.count(), share - batches))


def pump(batch_id) -> str:
    """Worker side: bring rows up to date, start videos for free slots, end the batch once.

    Safe to run twice at once and after a crash: a row is claimed with a
    conditional update in the same transaction that creates its video.
    """
    batch = Batch.objects.filter(pk=batch_id).select_related("workspace").first()
    if batch is None or batch.status != Batch.Status.RUNNING:
        return "idle"
    sync_rows(batch)
    started = 0
    for _ in range(render_slots(batch.workspace)):
        row = batch.rows.filter(status=Row.PENDING).order_by("number").first()
        if row is None or not _start_row(batch, row):
            break
        started += 1
    if not batch.rows.filter(status__in=(Row.PENDING, *BatchRow.IN_FLIGHT)).exists():
        _finish(batch)
        return "finished"
    _record_progress(batch)
    return f"started {started}"


def _start_row(batch: Batch, row: BatchRow) -> bool:
    """Create the row's video. False when the workspace cannot render more right now."""
    from saas.errors import TooManyRequests
    from saas.studio import services as studio
    from saas.studio.models import Video

    actor = actor_for(batch)
    try:
        request, source_url = row_request(batch, row)
        if not source_url:
            request = templates.import_images(request, batch.workspace_id)
        with transaction.atomic():
            claimed = BatchRow.objects.filter(pk=row.pk, status=Row.PENDING).update(
                status=Row.QUEUED, attempts=row.attempts + 1
            )
            if not claimed:
                return True  # another pump took it
            clean = _checked(request, source_url)
            video = studio.create_video(actor, clean, source_url=source_url)
            Video.objects.filter(pk=video.pk).update(parent=batch.job)
            BatchRow.objects.filter(pk=row.pk).update(video=video)
    except TooManyRequests:
        return False
    except ServiceError as exc:
        where = f"{exc.field}: " if exc.field else ""
        BatchRow.objects.filter(pk=row.pk).update(
            status=Row.FAILED, error_message=f"{where}{exc.message}"[:2000]
        )
    return True


def _checked(request: dict, source_url: str) -> dict:
    from rest_framework.exceptions import ValidationError

    from saas.studio.requests import FromUrlSerializer, checked

    try:
        return checked(request, FromUrlSerializer if source_url else None)
    except ValidationError as exc:
        field, message = next(templates._flatten(exc.detail), ("request", "invalid"))
        raise ServiceError(message, field=field) from None


def _record_progress(batch: Batch) -> None:
    rows = list(batch.rows.exclude(status=Row.SKIPPED).select_related("video"))
    if not rows or batch.job_id is None:
        return
    done = sum(
        100 if r.status in BatchRow.ENDED else (r.video.progress if r.video else 0) for r in rows
    )
    Job.objects.filter(pk=batch.job_id, status__in=Job.ACTIVE).update(
        progress=min(99, done // len(rows))
    )


def _finish(batch: Batch) -> None:
    """Every row has ended: the batch completes (or fails when none did), once."""
    completed = batch.rows.filter(status=Row.COMPLETED).exists()
    status = Batch.Status.COMPLETED if completed else Batch.Status.FAILED
    message = "" if completed else "No row's video could be made."
    updated = Batch.objects.filter(pk=batch.pk, status=Batch.Status.RUNNING).update(
        status=status, finished_at=timezone.now(), error_message=message
    )
    if updated and batch.job_id:
        if engine.derive_parent(batch.job_id) in Job.ACTIVE:  # no row ever got a video
            reason = message or "No video was made."
            engine.fail(pipelines.get(BATCH), batch.job_id, "rows_failed", reason)


def found_products(batch_id, urls: list[str], truncated: bool) -> None:
    """Worker side: the collection's product links become the batch's rows."""
    with transaction.atomic():
        batch = Batch.objects.select_for_update().filter(pk=batch_id).first()
        if batch is None or batch.status != Batch.Status.DISCOVERING:
            return
        if not batch.rows.exists():
            add_rows(batch, [{"url": url} for url in urls])
        if truncated:
            batch.warnings = [f"The collection has more products; the first {len(urls)} are used."]
        batch.status = Batch.Status.DRAFT
        batch.save(update_fields=["status", "warnings", "updated_at"])
    if batch.start_when_found:
        try:
            start_batch(actor_for(batch), batch.pk, skip_invalid=batch.skip_invalid)
        except ServiceError as exc:  # the customer sees why on the batch, and can start it
            Batch.objects.filter(pk=batch.pk).update(error_code=exc.code, error_message=exc.message)


def discovery_failed(batch_id, code: str, message: str) -> None:
    Batch.objects.filter(pk=batch_id, status=Batch.Status.DISCOVERING).update(
        status=Batch.Status.FAILED, error_code=code, error_message=message,
        finished_at=timezone.now(),
    )  # fmt: skip
