from django.core.management.base import BaseCommand, CommandError

from saas.ops.services import ping_worker


class Command(BaseCommand):
    help = "Send a heartbeat job through the broker and wait until a worker runs it."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout, **options):
        beat = ping_worker(timeout=timeout)
        if beat is None:
            raise CommandError(f"No worker ran the heartbeat within {timeout:.0f} s.")
        self.stdout.write(f"worker ok: {beat.hostname} pid {beat.pid}")
