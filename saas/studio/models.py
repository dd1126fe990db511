import uuid

from django.conf import settings
from django.db import models

from saas.jobs.models import JobRecord
from saas.workspaces.models import Workspace


class Project(models.Model):
    """A folder of videos (a campaign, a course) inside a workspace."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class Pronunciation(models.Model):
    """How the workspace's voices say a word: brand names, product names."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(
        Workspace, on_delete=models.CASCADE, related_name="pronunciations"
    )
    written = models.CharField(max_length=100)
    spoken = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["written"]
        constraints = [
            models.UniqueConstraint(
                "workspace", models.functions.Lower("written"), name="pronunciation_unique"
            )
        ]

    def __str__(self):
        return f"{self.written} → {self.spoken}"


def _workspace_path(instance, filename: str, folder: str) -> str:
    return f"workspaces/{instance.workspace_id}/{folder}/{instance.id}/{filename}"


def asset_path(instance, filename):
    return _workspace_path(instance, filename, "assets")


def avatar_path(instance, filename):
    return _workspace_path(instance, filename, "avatars")


def video_path(instance, filename):
    return _workspace_path(instance, filename, "videos")


class Asset(models.Model):
    """An uploaded file: a product image, a logo, a voice recording, music."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        AUDIO = "audio", "Audio"
        LOGO = "logo", "Logo"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="assets")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(upload_to=asset_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    width = models.IntegerField(null=True, blank=True)
    height = models.IntegerField(null=True, blank=True)
    duration_s = models.FloatField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind}: {self.original_name}"


class Avatar(models.Model):
    """A customer's photo or video avatar (stock presenters live in the avatar library)."""

    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        REJECTED = "rejected", "Rejected"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        PHOTO = "photo", "Photo avatar"
        VIDEO = "video", "Video avatar"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="avatars")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PHOTO)
    image = models.FileField(upload_to=avatar_path, max_length=300)  # the photo, or a still
    # A video avatar's consent recording: new scripts are spoken over a loop of it.
    recording = models.FileField(upload_to=avatar_path, max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROCESSING)
    quality_report = models.JSONField(default=dict, blank=True)
    preview = models.FileField(upload_to=avatar_path, max_length=300, blank=True)
    consent_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.name


class Video(JobRecord):
    """One render job and its outputs; the video pipeline (pipeline.py) runs it.

    Its state fields (status, stage, lease, progress, credits) come from
    JobRecord and are moved only by the job engine (saas/jobs/engine.py).
    """

    class Stage(models.TextChoices):
        SCRAPE = "scrape", "Reading the product page"
        SCRIPT = "script", "Writing the script"
        SPEECH = "speech", "Recording the voice"
        RENDER = "render", "Rendering"
        DELIVER = "deliver", "Delivering"
        DONE = "done", "Done"

    PIPELINE = "video"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="videos")
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="videos"
    )
    title = models.CharField(max_length=200)
    source_url = models.URLField(max_length=2000, blank=True)
    request = models.JSONField(default=dict)  # what the customer asked for
    spec = models.JSONField(default=dict, blank=True)  # the avatar RenderSpec it became
    product = models.JSONField(null=True, blank=True)
    script = models.JSONField(null=True, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    estimated_seconds = models.FloatField(default=0)
    duration_s = models.FloatField(null=True, blank=True)
    mp4 = models.FileField(upload_to=video_path, max_length=300, blank=True)
    poster = models.FileField(upload_to=video_path, max_length=300, blank=True)
    srt = models.FileField(upload_to=video_path, max_length=300, blank=True)
    vtt = models.FileField(upload_to=video_path, max_length=300, blank=True)
    callback_url = models.URLField(max_length=2000, blank=True)
    share_token = models.CharField(max_length=64, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"]),
            # A workspace's running and waiting renders (its concurrency cap, a held
            # video's place in the queue) are counted on every create and status read.
            models.Index(fields=["workspace", "status", "held", "created_at"]),
        ]

    def __str__(self):
        return self.title


class IdempotencyRecord(models.Model):
    """The first response to a POST with an Idempotency-Key, replayed for 24 hours."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    body = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["workspace", "key"], name="idempotency_unique")
        ]

    def __str__(self):
        return self.key


class Draft(models.Model):
    """A video being edited in the web app: the API's video request, not yet rendered.

    `request` has the shape of `POST /api/v1/videos` but may be incomplete;
    it is checked in full only when the draft is rendered.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="drafts")
    title = models.CharField(max_length=200, default="Untitled video")
    request = models.JSONField(default=dict)
    source_url = models.URLField(max_length=2000, blank=True)
    product = models.JSONField(null=True, blank=True)  # the scraped product, for link drafts
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Status(models.TextChoices):
        READY = "ready"  # editable
        READING = "reading"  # a worker is reading its product page
        FAILED = "failed"  # the page could not be read: `error` says why

    # A link draft is made at once and its page read on a worker (web processes run no
    # browser). A preview (`POST /api/v1/drafts/from-url` without save) is such a draft
    # too, hidden from lists and deleted once the request has its answer.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    error = models.JSONField(null=True, blank=True)  # {"field", "message", "code"}
    preview = models.BooleanField(default=False)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title
