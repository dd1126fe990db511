"""A toy pipeline defined only here, to show that a new kind of job plugs into the
engine without touching it: two stages on two queues, the second failing once with
a retryable error, priced in credits, announcing `toy.completed` / `toy.failed`.

A worker process imports this module (as it would a `tasks` module) to run it.
"""

from __future__ import annotations

import time

from saas.jobs import actors, engine, pipelines
from saas.jobs.models import Job
from saas.jobs.pipelines import Pipeline, Stage


class Glitch(Exception):
    """A transient failure: the broker retries the stage."""

    retryable = True


class Refused(Exception):
    """A permanent failure with a customer-facing reason."""

    code = "toy_refused"
    message = "This toy was told to fail."


def prepare(job: Job, progress) -> dict:
    progress(0.5)
    return {"result": {**job.result, "prepared": True}}


def work(job: Job, progress) -> dict:
    time.sleep(job.payload.get("quiet_seconds", 0))  # long work with no progress report
    if job.payload.get("fail"):
        raise Refused()
    if job.payload.get("glitch") == "always":
        raise Glitch("every attempt glitches (an outage that does not pass)")
    if job.payload.get("glitch") and job.stage_attempts == 1:
        raise Glitch("the first attempt always glitches")
    progress(0.5)
    seen = Job.objects.get(pk=job.pk)  # what a client polling the job sees now
    return {
        "result": {
            **job.result,
            "attempts": job.stage_attempts,
            "progress_seen": seen.progress,
            "eta_seen": seen.eta_seconds,
        }
    }


def represent(job: Job) -> dict:
    return {"id": str(job.pk), "status": job.status, "result": job.result}


TOY = pipelines.register(
    Pipeline(
        name="toy",
        stages=(
            Stage("prepare", prepare, queue="default", weight=1),
            Stage("work", work, queue="tts", weight=3),
        ),
        price=lambda job: job.payload.get("charge", 0),
        represent=represent,
        completed_event="toy.completed",
        failed_event="toy.failed",
    )
)
TOY_GROUP = pipelines.register(
    Pipeline(
        name="toy_group",
        represent=represent,
        completed_event="toy_group.completed",
        failed_event="toy_group.failed",
    )
)
TOY_REVIEWED = pipelines.register(
    Pipeline(
        name="toy_reviewed",
        stages=(
            Stage("prepare", prepare),
            Stage(
                "review", lambda job, progress: None, waits=lambda job: job.payload.get("review")
            ),
            Stage("work", work, queue="tts", weight=3),
        ),
        price=lambda job: job.payload.get("charge", 0),
    )
)
ACTORS = actors.declare(TOY)
REVIEWED_ACTORS = actors.declare(TOY_REVIEWED)


def new_toy(workspace, *, reserve=5, charge=3, **payload) -> Job:
    return Job.objects.create(
        kind=TOY.name,
        workspace=workspace,
        credits_reserved=reserve,
        payload={"charge": charge, **payload},
    )


def submit_toy(workspace, **options) -> Job:
    job = new_toy(workspace, **options)
    engine.submit(TOY, job)
    return job
