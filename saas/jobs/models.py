"""The durable record of a long-running job, shared by every pipeline.

`JobRecord` holds what the engine moves: status, the current stage and its
lease, attempts, progress with ETA, per-stage timings, the credits reserved,
the error, and an optional parent. A pipeline with a model of its own (a
Video) inherits it; one without (an avatar preview, a batch) uses `Job`.
"""

import uuid

from django.conf import settings
from django.db import models

from saas.workspaces.models import Workspace


class JobRecord(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        WAITING = "waiting", "Waiting for review"

    ACTIVE = (Status.QUEUED, Status.RUNNING)  # a worker has (or will have) its next stage
    OPEN = (*ACTIVE, Status.WAITING)  # not ended: a waiting job waits for a person
    DONE = "done"  # the stage of every job that has completed
    PIPELINE = ""  # the pipeline's name, for models that hold one kind of job

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=16)
    progress = models.PositiveSmallIntegerField(default=0)
    eta_seconds = models.IntegerField(null=True, blank=True)
    stage_timings = models.JSONField(default=dict, blank=True)
    stage_attempts = models.PositiveSmallIntegerField(default=0)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    stage_started_at = models.DateTimeField(null=True, blank=True)
    credits_reserved = models.IntegerField(default=0)
    # What the finished job cost (at most what was reserved); None until it completes.
    credits_charged = models.IntegerField(null=True, blank=True)
    # Queued behind the plan's render slots: no worker has its stage until one frees
    # (engine.release_held), so a job over the cap waits in line instead of failing.
    held = models.BooleanField(default=False)
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    # A child of a batch or of a translation; the parent's state derives from its children.
    parent = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def pipeline_name(self) -> str:
        return self.PIPELINE


class Job(JobRecord):
    """A job of a pipeline that has no model of its own.

    `subject` names what the job works on (an avatar's id, a stock presenter);
    `payload` is its input and `result` what its stages recorded.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=50, db_index=True)  # the pipeline's name
    workspace = models.ForeignKey(
        Workspace, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    subject = models.CharField(max_length=100, blank=True, db_index=True)
    payload = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_expires_at"])]

    def __str__(self):
        return f"{self.kind} {self.pk} ({self.status})"

    @property
    def pipeline_name(self) -> str:
        return self.kind
