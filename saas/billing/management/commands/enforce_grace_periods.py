from django.core.management.base import BaseCommand

from saas.billing.events import enforce_grace_periods


class Command(BaseCommand):
    help = (
        "Move workspaces whose failed-payment grace period is over to the Free plan "
        "and e-mail their owners. Idempotent: run it hourly from cron or a timer."
    )

    def handle(self, *args, **options):
        count = enforce_grace_periods()
        self.stdout.write(f"downgraded {count} workspaces")
