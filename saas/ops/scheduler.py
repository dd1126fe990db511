"""Periodic upkeep, run by `manage.py run_scheduler` (one per installation is enough;
more are harmless because every job is idempotent).

Each job is a dotted path to a function taking no arguments, with its period.
A job that raises is logged and tried again at its next turn.
"""

from __future__ import annotations

import importlib
import logging
import time
from dataclasses import dataclass

from django.db import close_old_connections

log = logging.getLogger(__name__)


@dataclass
class Job:
    path: str
    every_s: float
    last_run: float = 0.0

    def due(self, now: float) -> bool:
        return now - self.last_run >= self.every_s

    def run(self, now: float) -> None:
        self.last_run = now
        module, _, name = self.path.rpartition(".")
        try:
            result = getattr(importlib.import_module(module), name)()
        except ModuleNotFoundError as exc:
            log.debug("scheduler: %s unavailable (%s)", self.path, exc)
        except Exception:
            log.exception("scheduler: %s failed", self.path)
        else:
            if result:
                log.info("scheduler: %s -> %s", self.path, result)


JOBS = [
    Job("saas.jobs.engine.sweep", 30),
    Job("saas.webhooks.services.enqueue_due_deliveries", 30),
    Job("saas.webhooks.services.disable_failing_endpoints", 600),
    Job("saas.studio.services.purge_idempotency_records", 3600),
    Job("saas.billing.events.process_pending_stripe_events", 60),
    Job("saas.billing.events.enforce_grace_periods", 3600),
    Job("saas.billing.services.grant_monthly_credits", 3600),
]


def run_forever(jobs: list[Job] = JOBS, tick_s: float = 5.0, stop=lambda: False) -> None:
    while not stop():
        now = time.monotonic()
        for job in jobs:
            if job.due(now):
                close_old_connections()
                job.run(now)
        time.sleep(tick_s)
