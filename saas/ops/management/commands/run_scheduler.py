import signal

from django.core.management.base import BaseCommand

from saas.ops.scheduler import JOBS, run_forever


class Command(BaseCommand):
    help = "Run periodic upkeep: the stuck-job sweeper, webhook retries, billing periods."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, once, **options):
        if once:
            for job in JOBS:
                job.run(0.0)
            return
        stopping = []
        signal.signal(signal.SIGTERM, lambda *a: stopping.append(1))
        signal.signal(signal.SIGINT, lambda *a: stopping.append(1))
        self.stdout.write("scheduler running: " + ", ".join(j.path for j in JOBS))
        run_forever(stop=lambda: bool(stopping))
