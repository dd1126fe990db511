"""The job engine: the only code that moves a job (a JobRecord row) between stages.

A pipeline (pipelines.py) is data: stages, their queues, weights and functions.
Each stage runs in a thin actor (actors.py) that first *claims* it with a
conditional UPDATE (still at that stage, active, no live lease), renews the
lease while it works (a keeper thread, and `progress`, which records percent), and
completes it only while still holding the lease, so results apply once. A dead
worker's lease runs out and the broker or the sweeper re-sends the stage.
Credits are reserved at submit, settled on completion and released on failure
or cancel; the end is announced once as a webhook event. A parent job (a
pipeline without stages) takes its progress and status from its children.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError, OperationalError, transaction
from django.db import Error as DjangoDatabaseError
from django.db.models import F, Q
from django.utils import timezone

from saas import queueing
from saas.ops.logs import stage_logged

from . import pipelines
from .models import Job, JobRecord
from .pipelines import Pipeline

log = logging.getLogger(__name__)

Status = JobRecord.Status
DONE = JobRecord.DONE
TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


class LeaseLost(Exception):
    """This worker no longer owns the stage (cancelled, or taken over)."""


class StageBusy(Exception):
    """Another worker holds a live lease on the stage; try again after it runs out."""

    retryable = True


def is_transient(exc: Exception) -> bool:
    """Could running the same stage again succeed?

    The avatar and scraper libraries say so on their errors (``retryable``);
    otherwise only lost connections and database hiccups are worth a retry.
    """
    retryable = getattr(exc, "retryable", None)
    if retryable is not None:
        return bool(retryable)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True  # a full disk is freed by an operator (or by other jobs ending)
    return (
        isinstance(exc, TRANSIENT)
        or (isinstance(exc, DatabaseError) and "deadlock" in str(exc).lower())
        or _service_unreachable(exc)
    )


def _service_unreachable(exc: Exception) -> bool:
    """S3-compatible storage or the broker out of reach (botocore's and redis-py's
    connection errors, which are not Python's ConnectionError): they come back, so the
    stage is retried."""
    return any(
        (cls.__module__.startswith("botocore") and cls.__name__ in STORAGE_OUTAGES)
        or (cls.__module__.startswith("redis") and cls.__name__ in BROKER_OUTAGES)
        for cls in type(exc).__mro__
    )


STORAGE_OUTAGES = frozenset(
    {"EndpointConnectionError", "ConnectionClosedError", "ConnectTimeoutError", "ReadTimeoutError"}
)
BROKER_OUTAGES = frozenset({"ConnectionError", "TimeoutError", "BusyLoadingError"})


def worker_id() -> str:
    """The lease owner of one run of a stage (host, process, and the run: two threads of
    one process that take over each other's stage are two owners)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def lease_delta() -> timedelta:
    return timedelta(seconds=settings.RENDER_LEASE_SECONDS)


def records(pipeline: Pipeline):
    """The pipeline's job records (its own model, or its rows of the shared Job table)."""
    model = pipeline.job_model()
    return model.objects.filter(kind=pipeline.name) if model is Job else model.objects.all()


def get_job(pipeline: Pipeline, job_id):
    return records(pipeline).get(pk=job_id)


# Running a stage ---------------------------------------------------------------


def run_stage(pipeline_name: str, job_id: str, stage: str) -> None:
    """Claim STAGE of the job and run it; a failure ends the job with a reason."""
    pipeline = pipelines.get(pipeline_name)
    owner = worker_id()
    job = claim(pipeline, job_id, stage, owner)
    if job is None:
        if stage_is_waiting(pipeline, job_id, stage):
            # A worker that may have died holds the lease: retry after it expires.
            raise StageBusy(f"{pipeline.name} {job_id}: {stage} is leased by another worker")
        log.info("%s %s: %s is done or cancelled; skipping", pipeline.name, job_id, stage)
        return
    try:
        # stage_logged: start, finish or failure, with duration and ids. The keeper stops
        # as the stage's work ends, before it is completed or its failure handled.
        with stage_logged(job), LeaseKeeper(pipeline, job, owner):
            fields = pipeline.stage(stage).run(
                job, lambda fraction: heartbeat(pipeline, job, owner, fraction)
            )
        complete_stage(pipeline, job, owner, **(fields or {}))
    except LeaseLost as exc:
        log.info("%s", exc)
    except Exception as exc:
        _handle_failure(pipeline, job, exc, owner)


class LeaseKeeper:
    """Renews a running stage's lease every third of RENDER_LEASE_SECONDS, whether or
    not the stage reports progress: a transcription or a caption burn can work for
    minutes between two calls, and its lease ran out while it was still working (the
    sweeper then gave the stage to another worker, three times, and failed the job).
    It stops renewing at the stage's time limit, so a stage that hangs still loses its
    lease and is failed by the sweeper; the stage's own `progress` stays the one that
    finds a cancel or a takeover (LeaseLost)."""

    def __init__(self, pipeline: Pipeline, job, owner: str) -> None:
        from django.db import connection

        self.stopped = threading.Event()
        self.thread = None
        if connection.in_atomic_block:
            # Called inside a transaction (tests that roll back): it holds the row's lock
            # from the claim, so another connection could not renew it before it ends.
            return
        stage = pipeline.stage_by_name.get(job.stage)
        self.until = timezone.now() + timedelta(seconds=stage.time_limit_s if stage else 3600)
        self.renew = records(pipeline).filter(
            pk=job.pk, stage=job.stage, lease_owner=owner, status=Status.RUNNING
        )
        self.what = f"{pipeline.name} {job.pk} {job.stage}"
        self.thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        from django.db import connection

        every = max(settings.RENDER_LEASE_SECONDS / 3, 0.1)
        try:
            while not self.stopped.wait(every):
                now = timezone.now()
                if now > self.until:
                    return
                try:
                    if not self.renew.update(lease_expires_at=now + lease_delta()):
                        return  # cancelled, done or taken over: progress will say so
                except DjangoDatabaseError as exc:
                    # The database restarted or dropped the connection: the next try
                    # opens a new one (Django reconnects only between requests).
                    log.warning("%s: could not renew the lease (%s: %s); trying again",
                                self.what, type(exc).__name__, exc)  # fmt: skip
                    connection.close()
        finally:
            connection.close()

    def stop(self) -> None:
        if not self.stopped.is_set():
            self.stopped.set()
            if self.thread is not None:
                self.thread.join(timeout=10)  # a renewal stuck in the database: go on

    def __enter__(self) -> LeaseKeeper:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def _handle_failure(pipeline: Pipeline, job, exc: Exception, owner: str) -> None:
    if is_transient(exc):
        if job.stage_attempts < transient_attempts(pipeline, job.stage):
            # Free the stage for a retry, if it is still ours (not another worker's since).
            records(pipeline).filter(pk=job.pk, lease_owner=owner).update(lease_expires_at=None)
            raise exc
        # An "outage" that does not pass (a disk this job fills, an encoder that always
        # stops): the broker's retries end, the sweeper would re-send it for ever, and
        # the job would hold its credits and its workspace's render slot.
        log.warning("%s %s: %s failed %d times: %s", pipeline.name, job.pk, job.stage,
                    job.stage_attempts, exc)  # fmt: skip
        label = stage_label(pipeline, job.stage)
        fail(pipeline, job.pk, "retries_exhausted",
             f"The {label} step kept failing on a temporary error. Please try again.")  # fmt: skip
        return
    code = getattr(exc, "code", None) or "internal_error"
    message = getattr(exc, "message", None)
    if not message:
        log.exception("%s %s: %s failed", pipeline.name, job.pk, job.stage)
        message = "Something went wrong while rendering. Our team has been told."
    fail(pipeline, job.pk, code, message)


def transient_attempts(pipeline: Pipeline, stage_name: str) -> int:
    """Tries of a stage that fails on temporary errors before its job fails: the
    broker's retries of one message, for each of RENDER_MAX_STAGE_ATTEMPTS re-sends."""
    stage = pipeline.stage_by_name.get(stage_name)
    retries = stage.max_retries if stage else 3
    return (retries + 1) * settings.RENDER_MAX_STAGE_ATTEMPTS


def stage_label(pipeline: Pipeline, stage_name: str) -> str:
    """How a customer-facing message names the stage ("the speech step")."""
    stage = pipeline.stage_by_name.get(stage_name)
    return (stage.label or stage.name).lower() if stage else stage_name


def stage_is_waiting(pipeline: Pipeline, job_id, stage: str) -> bool:
    """Is the job still at STAGE and active (so a failed claim means 'busy')?"""
    return records(pipeline).filter(pk=job_id, stage=stage, status__in=JobRecord.ACTIVE).exists()


def claim(pipeline: Pipeline, job_id, stage: str, owner: str):
    """Take STAGE of the job for OWNER, or None if it is not ours to run."""
    now = timezone.now()
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    claimed = (
        records(pipeline)
        .filter(free, pk=job_id, stage=stage, status__in=JobRecord.ACTIVE, held=False)
        .exclude(lease_owner=owner, lease_expires_at__gte=now)
        .update(
            status=Status.RUNNING,
            lease_owner=owner,
            lease_expires_at=now + lease_delta(),
            stage_started_at=now,
            stage_attempts=F("stage_attempts") + 1,
        )
    )
    if not claimed:
        return None
    records(pipeline).filter(pk=job_id, started_at__isnull=True).update(started_at=now)
    return get_job(pipeline, job_id)


def heartbeat(pipeline: Pipeline, job, owner: str, stage_fraction: float) -> None:
    """Renew the lease and record progress; raise LeaseLost if cancelled or taken over."""
    now = timezone.now()
    updated = (
        records(pipeline)
        .filter(pk=job.pk, stage=job.stage, lease_owner=owner, status=Status.RUNNING)
        .update(
            lease_expires_at=now + lease_delta(),
            progress=overall_progress(pipeline, job, stage_fraction),
            eta_seconds=eta_seconds(pipeline, job, stage_fraction, now),
        )
    )
    if not updated:
        raise LeaseLost(f"{pipeline.name} {job.pk} is no longer ours")


def overall_progress(pipeline: Pipeline, job, stage_fraction: float) -> int:
    """Percent of the whole job, from the stages' weights; 99 at most until it completes."""
    stages = pipeline.stages_for(job)
    weights = [pipeline.stage(s).weight for s in stages]
    total = sum(weights) or 1
    index = stages.index(job.stage)
    current = weights[index] * max(0.0, min(1.0, stage_fraction))
    return min(99, int((sum(weights[:index]) + current) * 100 / total))


def eta_seconds(pipeline: Pipeline, job, stage_fraction: float, now) -> int | None:
    """Remaining time from the pace so far, once there is a pace to go on."""
    if not job.started_at:
        return None
    progress = overall_progress(pipeline, job, stage_fraction)
    if progress < 5:
        return None
    elapsed = (now - job.started_at).total_seconds()
    return max(0, int(elapsed * (100 - progress) / progress))


def _timings(job, now) -> dict:
    timings = {**(job.stage_timings or {})}
    if job.stage_started_at:
        timings[job.stage] = round((now - job.stage_started_at).total_seconds(), 3)
    return timings


def complete_stage(pipeline: Pipeline, job, owner: str, **fields) -> str:
    """Record the stage's results and hand the job to its next stage, or finish it (once).

    Returns the stage the job moved to (DONE when it completed).
    """
    stages = pipeline.stages_for(job)
    index = stages.index(job.stage)
    if index == len(stages) - 1:
        _finish(pipeline, job, owner, fields)
        return DONE
    following = stages[index + 1]
    waiting = _waits_at(pipeline, following, job, fields)
    with transaction.atomic():
        updated = (
            records(pipeline)
            .filter(pk=job.pk, stage=job.stage, lease_owner=owner, status=Status.RUNNING)
            .update(
                stage=following,
                status=Status.WAITING if waiting else Status.RUNNING,
                stage_timings=_timings(job, timezone.now()),
                lease_owner="",
                lease_expires_at=None,
                stage_attempts=0,
                progress=overall_progress(pipeline, job, 1.0),
                **({"eta_seconds": None} if waiting else {}),
                **fields,
            )
        )
        if not updated:
            raise LeaseLost(f"{pipeline.name} {job.pk} changed while {job.stage} ran")
        if not waiting:
            _send_after_commit(pipeline, job.pk, following)
        _after_commit_refresh_parent(job)
    return following


def _waits_at(pipeline: Pipeline, stage: str, job, fields: dict) -> bool:
    gate = pipeline.stage(stage).waits
    if gate is None:
        return False
    for name, value in fields.items():  # what the finished stage just recorded counts
        setattr(job, name, value)
    return bool(gate(job))


def resume(pipeline: Pipeline, job_id, **fields) -> bool:
    """Send a waiting job on from its gate (a review is done), recording FIELDS. Once."""
    with transaction.atomic():
        job = records(pipeline).filter(pk=job_id, status=Status.WAITING).first()
        if job is None:
            return False
        updated = (
            records(pipeline)
            .filter(pk=job_id, status=Status.WAITING, stage=job.stage)
            .update(status=Status.QUEUED, **fields)
        )
        if updated:
            stage = job.stage
            _send_after_commit(pipeline, job_id, stage)
        return bool(updated)


def _finish(pipeline: Pipeline, job, owner: str, fields: dict) -> None:
    """Mark the job completed, charge what it really cost, and announce it (once)."""
    now = timezone.now()
    with transaction.atomic():
        updated = (
            records(pipeline)
            .filter(pk=job.pk, stage=job.stage, lease_owner=owner, status=Status.RUNNING)
            .update(
                status=Status.COMPLETED,
                stage=DONE,
                progress=100,
                eta_seconds=0,
                finished_at=now,
                lease_owner="",
                lease_expires_at=None,
                stage_timings=_timings(job, now),
                **fields,
            )
        )
        if not updated:
            raise LeaseLost(f"{pipeline.name} {job.pk} changed while {job.stage} ran")
        job.refresh_from_db()
        if pipeline.price is not None:
            from saas.billing import services as billing

            billing.settle_credits(job.workspace, job.pk, pipeline.price(job))
            charged = billing.charged_credits(job.workspace, job.pk)
            records(pipeline).filter(pk=job.pk).update(credits_charged=charged)
            job.credits_charged = charged
        _announce(pipeline, job, pipeline.completed_event)
        _after_commit_end_hooks(pipeline, job)


def _send_after_commit(pipeline: Pipeline, job_id, stage: str) -> None:
    """Send STAGE once the transaction that moved the job there commits; an unsent
    message is logged and the sweeper sends it again (a queued job, or one left
    between stages)."""
    queueing.send_on_commit(
        lambda: enqueue(pipeline, job_id, stage),
        f"{pipeline.name} {job_id}: {stage} not sent; the sweeper will re-send it",
    )


def enqueue(pipeline: Pipeline, job_id, stage: str) -> None:
    """Send STAGE of the job to its queue (the actor is `<pipeline>_<stage>`)."""
    queue = pipeline.stage(stage).queue
    queueing.send(pipeline.actor_name(stage), str(job_id), queue=queue)


# Submitting, ending, cancelling --------------------------------------------------


def submit(pipeline: Pipeline, job) -> None:
    """Reserve the job's credits and queue its first stage (inside the caller's transaction).

    JOB is a saved record with `credits_reserved` set (for a pipeline that
    prices its jobs). A parent job starts running at once: its children are
    submitted on their own, with `parent` set to it.
    """
    with transaction.atomic():
        if pipeline.price is not None:
            from saas.billing import services as billing

            billing.reserve_credits(job.workspace, job.pk, job.credits_reserved)
        if pipeline.is_parent:
            now = timezone.now()
            records(pipeline).filter(pk=job.pk).update(
                status=Status.RUNNING, stage="children", started_at=now
            )
            job.refresh_from_db()
            return
        first = pipeline.stages_for(job)[0]
        if _waits_at(pipeline, first, job, {}):
            records(pipeline).filter(pk=job.pk).update(stage=first, status=Status.WAITING)
            job.stage, job.status = first, Status.WAITING
            return
        if job.stage != first:
            records(pipeline).filter(pk=job.pk).update(stage=first)
            job.stage = first
        if pipeline.slots is not None and free_slots(pipeline, job.workspace_id, job.pk) <= 0:
            records(pipeline).filter(pk=job.pk).update(held=True)
            job.held = True
            return
        _send_after_commit(pipeline, job.pk, first)


def free_slots(pipeline: Pipeline, workspace_id, exclude=None) -> int:
    """How many more of the workspace's jobs may be sent to workers now (locks the
    workspace row until the transaction ends, so two submissions never both take
    the last slot)."""
    from saas.workspaces.models import Workspace

    list(Workspace.objects.select_for_update().filter(pk=workspace_id).values_list("pk"))
    active = records(pipeline).filter(
        workspace_id=workspace_id, status__in=JobRecord.ACTIVE, held=False
    )
    if exclude is not None:
        active = active.exclude(pk=exclude)
    return pipeline.slots(workspace_id) - active.count()


def release_held(pipeline: Pipeline, workspace_id) -> int:
    """Send the workspace's held jobs to workers, oldest first, while slots are free."""
    if pipeline.slots is None:
        return 0
    with transaction.atomic():
        free = free_slots(pipeline, workspace_id)
        if free <= 0:
            return 0
        waiting = records(pipeline).filter(
            workspace_id=workspace_id, status=Status.QUEUED, held=True
        )
        released = 0
        for job in waiting.order_by("created_at")[:free]:
            if records(pipeline).filter(pk=job.pk, held=True).update(held=False):
                _send_after_commit(pipeline, job.pk, job.stage)
                released += 1
        return released


def queue_position(pipeline: Pipeline, job) -> int | None:
    """1 for the next held job of its workspace to start, 2 for the one after..."""
    if not job.held or job.status != Status.QUEUED:
        return None
    ahead = records(pipeline).filter(
        workspace_id=job.workspace_id,
        status=Status.QUEUED,
        held=True,
        created_at__lt=job.created_at,
    )
    return ahead.count() + 1


def submit_group(parent_pipeline: Pipeline, parent, children) -> None:
    """Submit PARENT and its CHILDREN ((pipeline, saved record) pairs) in one transaction."""
    with transaction.atomic():
        submit(parent_pipeline, parent)
        for pipeline, child in children:
            if child.parent_id != parent.pk:
                records(pipeline).filter(pk=child.pk).update(parent=parent)
                child.parent_id = parent.pk
            submit(pipeline, child)


def _end(pipeline: Pipeline, job_id, status: str, **fields):
    """Move an active job to a final STATUS and give its credits back (once)."""
    with transaction.atomic():
        updated = (
            records(pipeline)
            .filter(pk=job_id, status__in=JobRecord.OPEN)
            .update(
                status=status,
                finished_at=timezone.now(),
                lease_owner="",
                lease_expires_at=None,
                eta_seconds=None,
                **fields,
            )
        )
        if not updated:
            return None
        job = get_job(pipeline, job_id)
        if pipeline.price is not None:
            from saas.billing import services as billing

            billing.release_credits(job.workspace, job.pk)
        _after_commit_end_hooks(pipeline, job)
        return job


def fail(pipeline: Pipeline, job_id, code: str, message: str) -> bool:
    """The job failed for good: say why, charge nothing, and announce it (once), in one
    transaction as a completion is: announced after the commit, a worker killed in
    between left a failed job that no webhook ever told of."""
    with transaction.atomic():
        job = _end(pipeline, job_id, Status.FAILED, error_code=code, error_message=message[:2000])
        if job is None:
            return False
        if pipeline.failed_event:
            try:
                with transaction.atomic():  # a savepoint: the failure stands without it
                    _announce(pipeline, job, pipeline.failed_event)
            except Exception:
                log.exception("%s %s: could not announce the failure", pipeline.name, job_id)
    log.warning("%s %s failed: %s: %s", pipeline.name, job_id, code, message)
    return True


def cancel(pipeline: Pipeline, job_id) -> bool:
    """Stop the job (a parent: and every active child). False if it had already ended."""
    with transaction.atomic():
        job = _end(pipeline, job_id, Status.CANCELLED)
        if job is None:
            return False
        if pipeline.is_parent:
            for child_pipeline, child in children_of(job):
                if child.is_open:
                    cancel(child_pipeline, child.pk)
    return True


def _announce(pipeline: Pipeline, job, event: str) -> None:
    if not event or pipeline.represent is None or job.workspace_id is None:
        return
    data = pipeline.represent(job)
    if data is None:  # the pipeline has nothing to announce for this job
        return
    from saas.webhooks.services import emit_event

    # Once per job, not per object: a retried batch is a new job of the same batch, and
    # its end was dropped as a repeat of the first run's.
    emit_event(job.workspace, event, data, dedupe_key=f"{event}:{job.pk}")


def _after_commit_end_hooks(pipeline: Pipeline, job) -> None:
    # robust: one that fails (the broker down when a callback is queued) is logged and
    # the others still run; the sweeper redoes a lost release or parent refresh.
    if pipeline.slots is not None and job.workspace_id is not None:
        transaction.on_commit(partial(release_held, pipeline, job.workspace_id), robust=True)
    if pipeline.on_end is not None:
        hook = pipeline.on_end
        transaction.on_commit(lambda: hook(get_job(pipeline, job.pk)), robust=True)
    _after_commit_refresh_parent(job)


# Parents and children ------------------------------------------------------------


def children_of(parent) -> list[tuple[Pipeline, JobRecord]]:
    """Every child job of PARENT, with its pipeline, oldest first."""
    found, seen_models = [], set()
    for pipeline in pipelines.registered():
        if pipeline.is_parent:
            continue
        model = pipeline.job_model()
        if model in seen_models:
            continue
        seen_models.add(model)
        for child in model.objects.filter(parent_id=parent.pk).order_by("created_at"):
            child_pipeline = pipelines.get(child.pipeline_name)
            found.append((child_pipeline, child))
    return found


def _after_commit_refresh_parent(job) -> None:
    if job.parent_id:
        parent_id = job.parent_id
        transaction.on_commit(lambda: refresh_parent(parent_id), robust=True)


def refresh_parent(parent_id) -> str | None:
    """A child ended (or the sweeper passed): bring the parent up to date.

    A parent whose pipeline has `on_refresh` is handed to it (a batch decides
    when it is done); any other is derived from its children. Returns the
    parent's status, or None if there is no such parent.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    pipeline = pipelines.get(parent.kind)
    if pipeline.on_refresh is not None and parent.is_active:
        pipeline.on_refresh(parent)
        return parent.status
    return derive_parent(parent_id)


def derive_parent(parent_id) -> str | None:
    """Set the parent's progress from its children; end it when they all have.

    The parent completes when every child has ended and at least one
    completed; it fails when none did. A child's failure never touches its
    siblings.
    """
    parent = Job.objects.filter(pk=parent_id).first()
    if parent is None:
        return None
    pipeline = pipelines.get(parent.kind)
    kids = [child for _, child in children_of(parent)]
    if not kids or not parent.is_active:
        return parent.status
    progress = int(sum(100 if not c.is_open else c.progress for c in kids) / len(kids))
    if any(child.is_open for child in kids):
        Job.objects.filter(pk=parent.pk, status__in=JobRecord.ACTIVE).update(
            progress=min(99, progress)
        )
        return Status.RUNNING
    completed = sum(child.status == Status.COMPLETED for child in kids)
    summary = {
        status: sum(child.status == status for child in kids)
        for status in (Status.COMPLETED, Status.FAILED, Status.CANCELLED)
    }
    with transaction.atomic():
        if completed:
            updated = Job.objects.filter(pk=parent.pk, status__in=JobRecord.ACTIVE).update(
                status=Status.COMPLETED,
                stage=DONE,
                progress=100,
                eta_seconds=0,
                finished_at=timezone.now(),
                result={**parent.result, "children": summary},
            )
            if updated:
                parent.refresh_from_db()
                _announce(pipeline, parent, pipeline.completed_event)
                _after_commit_end_hooks(pipeline, parent)
        else:
            message = f"All {len(kids)} parts failed or were cancelled."
            if fail(pipeline, parent.pk, "children_failed", message):
                Job.objects.filter(pk=parent.pk).update(
                    result={**parent.result, "children": summary}
                )
    return Job.objects.get(pk=parent.pk).status


# The sweeper ---------------------------------------------------------------------


def sweep(now=None) -> dict[str, int]:
    """Re-send stages whose worker vanished; fail jobs stuck past their limits.

    Covers every registered pipeline. Safe to run from several schedulers at
    once: every action is a claim-style conditional update or an idempotent
    re-send.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0, "released": 0}
    stale = now - timedelta(seconds=settings.RENDER_QUEUED_RESEND_SECONDS)
    for pipeline in pipelines.registered():
        if pipeline.is_parent:
            for parent in records(pipeline).filter(status=Status.RUNNING):
                refresh_parent(parent.pk)  # a child ended while its parent's refresh was lost
            continue
        for job in records(pipeline).filter(status=Status.RUNNING, lease_expires_at__lt=now):
            counts[_revive(pipeline, job, now)] += 1
        queued = records(pipeline).filter(status=Status.QUEUED, created_at__lt=stale)
        for job in queued.filter(held=False):
            enqueue(pipeline, job.pk, job.stage)
            counts["requeued"] += 1
        if pipeline.slots is not None:  # a slot freed while its release was lost
            held = records(pipeline).filter(status=Status.QUEUED, held=True)
            for workspace_id in set(held.values_list("workspace_id", flat=True)):
                counts["released"] += release_held(pipeline, workspace_id)
        # Between stages (the last one done, the next unclaimed) for too long: the next
        # stage's message was lost, e.g. prefetched by a worker killed before it ran it.
        between = Q(lease_expires_at__isnull=True, stage_started_at__lt=stale)
        for job in records(pipeline).filter(between, status=Status.RUNNING):
            enqueue(pipeline, job.pk, job.stage)
            counts["requeued"] += 1
    return counts


def _revive(pipeline: Pipeline, job, now) -> str:
    stage = pipeline.stage_by_name.get(job.stage)
    limit = stage.time_limit_s if stage else 3600
    started = job.stage_started_at or now
    if (now - started).total_seconds() > limit:
        fail(
            pipeline,
            job.pk,
            "timeout",
            f"The {stage_label(pipeline, job.stage)} step took too long.",
        )
        return "failed"
    if job.stage_attempts >= settings.RENDER_MAX_STAGE_ATTEMPTS:
        fail(
            pipeline,
            job.pk,
            "worker_lost",
            "The render worker stopped repeatedly. Please try again.",
        )
        return "failed"
    enqueue(pipeline, job.pk, job.stage)
    return "requeued"
