from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "saas.workspaces"
    label = "workspaces"
