from django.core.management.base import BaseCommand, CommandError

from saas.billing.services import current_period, grant_monthly_credits


class Command(BaseCommand):
    help = (
        "Expire last month's unused monthly credits and grant this month's, for every "
        "workspace. Idempotent: run it daily from cron or a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="YYYY-MM (default: the current month, UTC)")

    def handle(self, *args, period=None, **options):
        if period and (len(period) != 7 or period[4] != "-"):
            raise CommandError("--period looks like 2025-06.")
        count = grant_monthly_credits(period)
        self.stdout.write(f"{period or current_period()}: granted credits to {count} workspaces")
