import uuid

from django.conf import settings
from django.db import models

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
