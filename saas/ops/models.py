from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by a worker when it runs the heartbeat actor; proves the queue works."""

    token = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.hostname}:{self.pid} at {self.created_at}"
