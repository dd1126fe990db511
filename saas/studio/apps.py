from django.apps import AppConfig


class StudioConfig(AppConfig):
    name = "saas.studio"
    label = "studio"
