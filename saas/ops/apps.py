from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "saas.ops"
    label = "ops"
