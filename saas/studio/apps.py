from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "saas.studio"
    label = "studio"

    def ready(self):
        # Pillow's decompression-bomb limit (saas/file_checks.py), the same in the web
        # app and on workers. Register the studio's pipelines with the job engine in
        # every process (the sweeper and the web app find them there; workers declare
        # actors).
        from saas import file_checks  # noqa: F401

        from . import pipeline, previews  # noqa: F401
