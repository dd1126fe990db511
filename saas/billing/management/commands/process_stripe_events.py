from datetime import timedelta

from django.core.management.base import BaseCommand

from saas.billing.events import pending_events, process_event


class Command(BaseCommand):
    help = (
        "Apply stored Stripe events that no worker has applied yet (say, the broker was "
        "down when they arrived). Safe beside running workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=60, help="seconds (default 60)")

    def handle(self, *args, older_than, **options):
        applied = failed = 0
        for event_id in pending_events(timedelta(seconds=older_than)).values_list("id", flat=True):
            try:
                applied += process_event(event_id)
            except Exception as exc:  # noqa: BLE001 - recorded on the event; go on
                failed += 1
                self.stderr.write(f"{event_id}: {exc!r}")
        self.stdout.write(f"applied {applied} events, {failed} failed")
