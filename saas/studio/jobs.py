"""The render job state machine. The only code that moves a Video between stages.

A video walks through its stages (scrape, script, speech, render, deliver).
Each stage runs in a Dramatiq actor that first *claims* it with a conditional
UPDATE: the claim succeeds only if the video is still at that stage, active,
and nobody holds a live lease on it. The worker renews the lease while it
works (heartbeat). If the worker dies (kill -9), the lease runs out; the
broker re-delivers the message, or the sweeper re-sends it, and the next
worker's claim succeeds. Finishing a stage is conditional on still holding
the lease, so a stage's results are applied once even if two workers ran it.
"""

from __future__ import annotations

import logging
import os
import socket
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Video

log = logging.getLogger(__name__)

Stage = Video.Stage
Status = Video.Status

SCRIPT_STAGES = (Stage.SPEECH, Stage.RENDER, Stage.DELIVER)
URL_STAGES = (Stage.SCRAPE, Stage.SCRIPT, Stage.SPEECH, Stage.RENDER, Stage.DELIVER)
# How much of the whole job each stage is, for the progress bar.
STAGE_WEIGHT = {
    Stage.SCRAPE: 10,
    Stage.SCRIPT: 2,
    Stage.SPEECH: 10,
    Stage.RENDER: 75,
    Stage.DELIVER: 3,
}


class LeaseLost(Exception):
    """This worker no longer owns the stage (cancelled, or taken over)."""


class StageBusy(Exception):
    """Another worker holds a live lease on the stage; try again after it runs out."""

    retryable = True


def stage_is_waiting(video_id, stage: str) -> bool:
    """Is the video still at STAGE and active (so a failed claim means 'busy')?"""
    return Video.objects.filter(pk=video_id, stage=stage, status__in=Video.ACTIVE).exists()


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def stages_for_request(source_url: str) -> tuple[str, ...]:
    return URL_STAGES if source_url else SCRIPT_STAGES


def stages_for(video: Video) -> tuple[str, ...]:
    return stages_for_request(video.source_url)


def lease_delta() -> timedelta:
    return timedelta(seconds=settings.RENDER_LEASE_SECONDS)


def claim(video_id, stage: str, owner: str) -> Video | None:
    """Take STAGE of the video for OWNER, or None if it is not ours to run."""
    now = timezone.now()
    free = Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now)
    claimed = (
        Video.objects.filter(free, pk=video_id, stage=stage, status__in=Video.ACTIVE)
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
    Video.objects.filter(pk=video_id, started_at__isnull=True).update(started_at=now)
    return Video.objects.get(pk=video_id)


def heartbeat(video: Video, owner: str, stage_fraction: float) -> None:
    """Renew the lease and record progress; raise LeaseLost if cancelled or taken over."""
    now = timezone.now()
    progress = overall_progress(video, stage_fraction)
    updated = Video.objects.filter(
        pk=video.pk, stage=video.stage, lease_owner=owner, status=Status.RUNNING
    ).update(
        lease_expires_at=now + lease_delta(),
        progress=progress,
        eta_seconds=eta_seconds(video, stage_fraction, now),
    )
    if not updated:
        raise LeaseLost(f"video {video.pk} is no longer ours")


def overall_progress(video: Video, stage_fraction: float) -> int:
    stages = stages_for(video)
    total = sum(STAGE_WEIGHT[s] for s in stages)
    done = sum(STAGE_WEIGHT[s] for s in stages[: stages.index(video.stage)])
    current = STAGE_WEIGHT[video.stage] * max(0.0, min(1.0, stage_fraction))
    return min(99, int((done + current) * 100 / total))


def eta_seconds(video: Video, stage_fraction: float, now) -> int | None:
    """Remaining time from the pace so far, once there is a pace to go on."""
    if not video.started_at:
        return None
    progress = overall_progress(video, stage_fraction)
    if progress < 5:
        return None
    elapsed = (now - video.started_at).total_seconds()
    return max(0, int(elapsed * (100 - progress) / progress))


def complete_stage(video: Video, owner: str, **fields) -> str:
    """Record the stage's results and hand the video to its next stage (once)."""
    stages = stages_for(video)
    following = stages[stages.index(video.stage) + 1]
    elapsed = (timezone.now() - video.stage_started_at).total_seconds()
    timings = {**video.stage_timings, video.stage: round(elapsed, 3)}
    with transaction.atomic():
        updated = Video.objects.filter(
            pk=video.pk, stage=video.stage, lease_owner=owner, status=Status.RUNNING
        ).update(
            stage=following,
            stage_timings=timings,
            lease_owner="",
            lease_expires_at=None,
            stage_attempts=0,
            progress=overall_progress(video, 1.0),
            **fields,
        )
        if not updated:
            raise LeaseLost(f"video {video.pk} changed while {video.stage} ran")
        transaction.on_commit(lambda: enqueue(video.pk, following))
    return following


def enqueue(video_id, stage: str) -> None:
    from . import tasks

    tasks.STAGE_ACTORS[stage].send(str(video_id))


# Submission and the end of a job ------------------------------------------------


def submit(video: Video) -> None:
    """Reserve the estimated credits and queue the first stage (inside a transaction)."""
    from saas.billing import services as billing

    billing.reserve_credits(video.workspace, video.pk, video.credits_reserved)
    first = stages_for(video)[0]
    transaction.on_commit(lambda: enqueue(video.pk, first))


def finish(video: Video, owner: str, duration_s: float) -> bool:
    """Mark the video completed, charge what it really cost, and announce it (once)."""
    from saas.billing import services as billing

    now = timezone.now()
    timings = {**video.stage_timings}
    if video.stage_started_at:
        timings[video.stage] = round((now - video.stage_started_at).total_seconds(), 3)
    with transaction.atomic():
        updated = Video.objects.filter(
            pk=video.pk, stage=Stage.DELIVER, lease_owner=owner, status=Status.RUNNING
        ).update(
            status=Status.COMPLETED,
            stage=Stage.DONE,
            progress=100,
            eta_seconds=0,
            finished_at=now,
            lease_owner="",
            lease_expires_at=None,
            stage_timings=timings,
            duration_s=duration_s,
        )
        if not updated:
            return False
        video.refresh_from_db()
        cost = billing.estimate_cost(video.workspace, duration_s)
        billing.settle_credits(video.workspace, video.pk, cost)
        _announce(video, "video.completed")
    return True


def _end(video_id, status: str, **fields) -> Video | None:
    """Move an active video to a final STATUS and give its credits back (once)."""
    from saas.billing import services as billing

    with transaction.atomic():
        updated = Video.objects.filter(pk=video_id, status__in=Video.ACTIVE).update(
            status=status,
            finished_at=timezone.now(),
            lease_owner="",
            lease_expires_at=None,
            eta_seconds=None,
            **fields,
        )
        if not updated:
            return None
        video = Video.objects.select_related("workspace").get(pk=video_id)
        billing.release_credits(video.workspace, video.pk)
        return video


def fail(video_id, code: str, message: str) -> bool:
    """The job failed for good: tell the customer why, and charge nothing."""
    video = _end(video_id, Status.FAILED, error_code=code, error_message=message[:2000])
    if video is None:
        return False
    log.warning("video %s failed: %s: %s", video_id, code, message)
    transaction.on_commit(lambda: _announce_after_commit(video.pk, "video.failed"))
    return True


def cancel(video_id) -> bool:
    return _end(video_id, Status.CANCELLED) is not None


def _announce_after_commit(video_id, event: str) -> None:
    with transaction.atomic():
        _announce(Video.objects.select_related("workspace").get(pk=video_id), event)


def _announce(video: Video, event: str) -> None:
    from saas.webhooks.services import emit_event

    from .representation import video_data

    emit_event(video.workspace, event, video_data(video))
    if video.callback_url:
        from saas.webhooks.tasks import deliver_callback

        video_id = str(video.pk)
        transaction.on_commit(lambda: deliver_callback.send(video_id, event))


# The sweeper ---------------------------------------------------------------------


def sweep(now=None) -> dict[str, int]:
    """Re-send stages whose worker vanished; fail jobs stuck past their limits.

    Safe to run from several schedulers at once: every action is a claim-style
    conditional update or an idempotent re-send.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for video in Video.objects.filter(status=Status.RUNNING, lease_expires_at__lt=now):
        counts[_revive(video, now)] += 1
    stale = now - timedelta(seconds=settings.RENDER_QUEUED_RESEND_SECONDS)
    for video in Video.objects.filter(status=Status.QUEUED, created_at__lt=stale):
        enqueue(video.pk, video.stage)
        counts["requeued"] += 1
    return counts


def _revive(video: Video, now) -> str:
    limit = settings.RENDER_STAGE_LIMITS.get(video.stage, 3600)
    started = video.stage_started_at or now
    if (now - started).total_seconds() > limit:
        fail(video.pk, "timeout", f"The {video.get_stage_display().lower()} step took too long.")
        return "failed"
    if video.stage_attempts >= settings.RENDER_MAX_STAGE_ATTEMPTS:
        fail(video.pk, "worker_lost", "The render worker stopped repeatedly. Please try again.")
        return "failed"
    enqueue(video.pk, video.stage)
    return "requeued"
