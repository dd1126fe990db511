from django.apps import AppConfig


class TranslationsConfig(AppConfig):
    name = "saas.translations"
    label = "translations"

    def ready(self):
        from . import pipeline  # noqa: F401  (registers the pipelines with the job engine)
