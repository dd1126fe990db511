"""Pipelines declared as data: the stages a kind of job walks, and the registry.

A `Stage` names its queue (`default`, `tts` or `gpu`), its share of the job's
time (`weight`, for progress and ETA), its time limit, and the function it
runs. A `Pipeline` lists its stages and says where its jobs are stored, which
stages a given job walks, what it finally costs in credits, how it looks to
webhook receivers and which events announce its end. The engine
(`engine.py`) runs any registered pipeline; `actors.py` gives each stage a
Dramatiq actor named `<pipeline>_<stage>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

QUEUES = ("default", "tts", "gpu")


@dataclass(frozen=True)
class Stage:
    """One step of a pipeline.

    RUN(job, progress) does the work: PROGRESS(fraction) renews the lease and
    records how far the stage is (it raises LeaseLost when the job was
    cancelled or taken over). RUN returns the fields to record on the job
    record when the stage completes (or None). A stage with WAITS is a gate
    (a review): see engine.resume. An exception with
    ``retryable = True`` (or a lost connection) is retried by the broker;
    any other ends the job as failed, with the exception's ``code`` and
    ``message`` when it has them.
    """

    name: str
    run: Callable
    queue: str = "default"
    weight: int = 1
    time_limit_s: int = 3600
    label: str = ""
    max_retries: int = 3
    # A gate: when waits(job) is true as the job reaches this stage, the job waits
    # (status "waiting") for a person, until engine.resume() sends the stage on.
    waits: Callable | None = None

    def __post_init__(self):
        if self.queue not in QUEUES:
            raise ValueError(
                f"stage {self.name}: queue must be one of {QUEUES}, not {self.queue!r}"
            )
        if self.weight < 0:
            raise ValueError(f"stage {self.name}: weight cannot be negative")


def _all_stages(pipeline: Pipeline, job) -> tuple[str, ...]:
    return tuple(stage.name for stage in pipeline.stages)


@dataclass(frozen=True)
class Pipeline:
    """A kind of job. Jobs are stored in MODEL (a JobRecord subclass; `Job` by default).

    route(pipeline, job) -> the names of the stages this job walks, in order
      (default: all of them).
    price(job) -> the credits a completed job costs, at most what was reserved;
      None means the pipeline never touches credits.
    represent(job) -> the `data` of its webhook events (None: announce nothing).
    completed_event / failed_event: the webhook event types announcing its end.
    on_end(job) is called after the commit that ended the job (completed,
      failed or cancelled), once.
    A pipeline with no stages is a parent: it has children (jobs of other
    pipelines) and its state is derived from theirs.
    slots(workspace_id) -> how many of the workspace's jobs of this pipeline may be
      queued or running at once; a job submitted over that is held in line
      (`held`) and sent to a worker, oldest first, as others end. None: no cap.
    on_refresh(parent), for a parent whose children are submitted over time
      (a batch): called instead of deriving its state whenever a child ends
      and at every sweep; the parent ends itself with engine.derive_parent
      once no more children will come.
    """

    name: str
    stages: tuple[Stage, ...] = ()
    model: str = "jobs.Job"
    route: Callable = _all_stages
    price: Callable | None = None
    represent: Callable | None = None
    completed_event: str = ""
    failed_event: str = ""
    on_end: Callable | None = None
    on_refresh: Callable | None = None
    slots: Callable | None = None
    stage_by_name: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "stage_by_name", {s.name: s for s in self.stages})
        if len(self.stage_by_name) != len(self.stages):
            raise ValueError(f"pipeline {self.name}: two stages share a name")

    def stage(self, name: str) -> Stage:
        return self.stage_by_name[name]

    def stages_for(self, job) -> tuple[str, ...]:
        return tuple(self.route(self, job))

    def actor_name(self, stage: str) -> str:
        return f"{self.name}_{stage}"

    def job_model(self):
        from django.apps import apps

        return apps.get_model(self.model)

    @property
    def is_parent(self) -> bool:
        return not self.stages


_REGISTRY: dict[str, Pipeline] = {}


def register(pipeline: Pipeline) -> Pipeline:
    """Make PIPELINE known to the engine (and the sweeper). Registering again replaces it.

    Its completed and failed events become webhook event types.
    """
    from saas.webhooks.models import register_events

    register_events(pipeline.completed_event, pipeline.failed_event)
    _REGISTRY[pipeline.name] = pipeline
    return pipeline


def get(name: str) -> Pipeline:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise LookupError(f"no pipeline named {name!r} (known: {', '.join(_REGISTRY)})") from None


def registered() -> list[Pipeline]:
    return list(_REGISTRY.values())
