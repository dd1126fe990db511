"""A customer's video translated into other languages: one Translation, one
TranslationLanguage (a child job) per target language."""

import uuid

from django.conf import settings
from django.db import models

from saas.jobs.models import Job, JobRecord
from saas.workspaces.models import Workspace


def source_path(instance, filename):
    return f"workspaces/{instance.workspace_id}/translations/{instance.id}/source/{filename}"


def language_folder(job) -> str:
    """Where a language's files live in media storage (its dub, lip-sync and outputs)."""
    return f"workspaces/{job.workspace_id}/translations/{job.translation_id}/{job.language}"


def output_path(instance, filename):
    return f"{language_folder(instance)}/{filename}"


class Translation(models.Model):
    """The source video, its transcript, and the parent job of its languages."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="translations")
    title = models.CharField(max_length=200)
    source_video = models.ForeignKey(
        "studio.Video", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.FileField(upload_to=source_path, max_length=300)
    source_language = models.CharField(max_length=12, blank=True)  # "" = detect
    language = models.CharField(max_length=12, blank=True)  # the one spoken (detected or given)
    language_probability = models.FloatField(null=True, blank=True)
    duration_s = models.FloatField(default=0)
    width = models.IntegerField(default=0)
    height = models.IntegerField(default=0)
    segments = models.JSONField(null=True, blank=True)  # the source transcript
    transcript_source = models.CharField(max_length=16, blank=True)  # "whisper" | "uploaded"
    options = models.JSONField(default=dict, blank=True)
    job = models.OneToOneField(Job, on_delete=models.PROTECT, related_name="translation")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class TranslationLanguage(JobRecord):
    """One target language: transcribe (shared), translate, review, dub, lipsync, encode."""

    class Stage(models.TextChoices):
        TRANSCRIBE = "transcribe", "Transcribing"
        TRANSLATE = "translate", "Translating"
        REVIEW = "review", "Waiting for your review"
        DUB = "dub", "Dubbing"
        LIPSYNC = "lipsync", "Lip-syncing"
        ENCODE = "encode", "Encoding"
        DONE = "done", "Done"

    PIPELINE = "translation_language"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="languages")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=12)
    voice = models.CharField(max_length=100)
    # {"S2": voice id}: another voice for a speaker; S1 and any speaker not named get `voice`
    speaker_voices = models.JSONField(default=dict, blank=True)
    stage = models.CharField(max_length=16, choices=Stage.choices)
    engine = models.CharField(max_length=20, blank=True)  # who translated: bergamot, ...
    quality = models.CharField(max_length=12, blank=True)  # good | draft | provider | own
    segments = models.JSONField(null=True, blank=True)  # [{start, end, source, text}]
    report = models.JSONField(default=dict, blank=True)  # how the dub was fitted
    duration_s = models.FloatField(null=True, blank=True)
    mp4 = models.FileField(upload_to=output_path, max_length=300, blank=True)
    srt = models.FileField(upload_to=output_path, max_length=300, blank=True)
    vtt = models.FileField(upload_to=output_path, max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "language"], name="one_per_language")
        ]

    def __str__(self):
        return f"{self.translation_id} → {self.language}"
