from django.apps import AppConfig


class HeyGenConfig(AppConfig):
    name = "saas.heygen"
    label = "heygen"
    verbose_name = "HeyGen compatibility"

    def ready(self):
        from saas.webhooks import flavours

        from .webhooks import FLAVOUR

        flavours.register(FLAVOUR)
