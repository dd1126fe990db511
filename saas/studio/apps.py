from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "saas.studio"
    label = "studio"

    def ready(self):
        # Register the studio's pipelines with the job engine in every process
        # (the sweeper and the web app find them there; workers declare actors).
        from . import pipeline, previews  # noqa: F401
