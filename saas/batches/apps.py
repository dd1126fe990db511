from django.apps import AppConfig


class BatchesConfig(AppConfig):
    name = "saas.batches"
    label = "batches"
    verbose_name = "Templates and batches"

    def ready(self):
        from . import pipeline, previews  # noqa: F401  (registers the pipelines with the engine)
