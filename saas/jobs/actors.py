"""Dramatiq actors for a pipeline's stages: one thin actor per stage.

Each actor is named `<pipeline>_<stage>`, listens on the stage's queue, takes
the job record's id and calls the engine. Only `tasks` modules (which sit on
top of everything) call `declare`; the engine sends to these actors by name
through `saas.queueing`, so nothing below imports them.
"""

from __future__ import annotations

import dramatiq

from . import engine
from .pipelines import Pipeline, Stage

RETRY_MIN_BACKOFF_MS = 5_000
RETRY_MAX_BACKOFF_MS = 120_000


def _retry_when(max_retries: int):
    def retry_when(retries: int, exception: Exception) -> bool:
        return retries < max_retries and engine.is_transient(exception)

    return retry_when


def _stage_actor(pipeline: Pipeline, stage: Stage):
    name = pipeline.actor_name(stage.name)

    def run(job_id: str) -> None:
        engine.run_stage(pipeline.name, job_id, stage.name)

    run.__name__ = name
    run.__qualname__ = name
    run.__doc__ = f"Run the {stage.name} stage of a {pipeline.name} job."
    return dramatiq.actor(
        run,
        actor_name=name,
        queue_name=stage.queue,
        time_limit=(stage.time_limit_s + 60) * 1000,
        max_retries=stage.max_retries,
        min_backoff=RETRY_MIN_BACKOFF_MS,
        max_backoff=RETRY_MAX_BACKOFF_MS,
        retry_when=_retry_when(stage.max_retries),
    )


def declare(pipeline: Pipeline, broker=None) -> dict[str, dramatiq.Actor]:
    """One actor per stage of PIPELINE on BROKER (the current one by default), by stage name.

    Declaring a pipeline twice returns the actors declared the first time.
    """
    broker = broker or dramatiq.get_broker()
    actors = {}
    for stage in pipeline.stages:
        name = pipeline.actor_name(stage.name)
        if name in broker.actors:
            actors[stage.name] = broker.get_actor(name)
        else:
            actor = _stage_actor(pipeline, stage)
            if actor.broker is not broker:
                broker.declare_actor(actor)
                actor.broker = broker
            actors[stage.name] = actor
    return actors
