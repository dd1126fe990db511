"""Templates (a video request with `{{variables}}`) and batches (one video per row).

A batch keeps a copy of its template, so editing the template later never
changes a batch that has started. Each row's video is an ordinary Video (its
credits reserved and settled as any other), a child of the batch's job.
"""

import uuid

from django.conf import settings
from django.db import models

from saas.jobs.models import Job
from saas.workspaces.models import Workspace


def thumbnail_path(instance, filename):
    return f"workspaces/{instance.workspace_id}/templates/{instance.id}/{filename}"


class VideoTemplate(models.Model):
    """A workspace's template: a video request whose text and bindings hold variables."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    request = models.JSONField(default=dict)  # POST /api/v1/videos, with {{placeholders}}
    variables = models.JSONField(default=list)  # [{name, type, label, default, required}]
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.name


class Batch(models.Model):
    """A template and its rows, checked before anything is queued."""

    class Status(models.TextChoices):
        DISCOVERING = "discovering", "Finding products"
        DRAFT = "draft", "Checked, not started"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    class Source(models.TextChoices):
        CSV = "csv", "CSV file"
        XLSX = "xlsx", "Excel file"
        JSON = "json", "JSON rows"
        URLS = "urls", "Product links"
        COLLECTION = "collection", "Collection page"

    ENDED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="batches")
    name = models.CharField(max_length=200)
    template_ref = models.CharField(max_length=100, blank=True)  # a template id or built-in slug
    template = models.JSONField(default=dict)  # the template as it was: request, variables
    source = models.CharField(max_length=16, choices=Source.choices)
    source_url = models.URLField(max_length=2000, blank=True)  # a collection page
    options = models.JSONField(default=dict, blank=True)  # link rows: length, tone, aspect...
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    error_code = models.CharField(max_length=50, blank=True)
    error_message = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    skip_invalid = models.BooleanField(default=False)
    start_when_found = models.BooleanField(default=False)  # collection: start once discovered
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self):
        return self.name


class BatchRow(models.Model):
    """One row: its values as given, what was wrong with them, and its video."""

    class Status(models.TextChoices):
        INVALID = "invalid", "Needs fixing"
        READY = "ready", "Ready"
        SKIPPED = "skipped", "Skipped"
        PENDING = "pending", "Waiting for a render slot"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Rendering"
        COMPLETED = "completed", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    ENDED = (Status.COMPLETED, Status.FAILED, Status.CANCELLED, Status.SKIPPED)
    IN_FLIGHT = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # 1 = the first row after the header
    values = models.JSONField(default=dict)  # as given (text), by variable name
    source_url = models.URLField(max_length=2000, blank=True)  # a product link row
    errors = models.JSONField(default=list, blank=True)  # [{field, message}]
    status = models.CharField(max_length=16, choices=Status.choices)
    video = models.ForeignKey(
        "studio.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    error_message = models.TextField(blank=True)  # why its video failed
    attempts = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["batch", "number"], name="batch_row_unique")]

    def __str__(self):
        return f"{self.batch_id} row {self.number}"
