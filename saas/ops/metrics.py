"""/metrics in the Prometheus text format, computed from shared state at each scrape.

Nothing is counted in a web process's memory: queue depths and worker
heartbeats come from the broker's Redis, job counts and timings from the
database. So every web process (and every gunicorn worker) gives the same
answer, and a restart loses nothing.

| metric | type | labels |
|---|---|---|
| talkingads_queue_messages | gauge | queue, state (ready, delayed, dead) |
| talkingads_videos | gauge | status |
| talkingads_video_failures_total | counter | error_code |
| talkingads_video_stage_seconds | gauge histogram | stage (scrape ... deliver, total) |
| talkingads_workers | gauge | queue |
| talkingads_worker_heartbeat_age_seconds | gauge | worker, queues |
| talkingads_metrics_scrape_seconds | gauge | |

Stage timings cover the videos completed in the last METRICS_WINDOW_SECONDS
(a gauge histogram: use histogram_quantile() on its buckets, not rate()).
"""

from __future__ import annotations

import time
from datetime import timedelta

import dramatiq
from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeHistogramMetricFamily,
    GaugeMetricFamily,
)
from prometheus_client.utils import floatToGoString

from saas.studio.models import Video

from .heartbeats import live_workers

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
STAGES = ("scrape", "script", "speech", "render", "deliver", "total")
BUCKETS = (1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)


def queue_names(broker) -> list[str]:
    """The app's queues. A web process declares them only when it first sends a job,
    so import every tasks module first (as the workers do; none imports torch)."""
    autodiscover_modules(*settings.DRAMATIQ_AUTODISCOVER_MODULES)
    return sorted(q for q in broker.get_declared_queues() if not q.endswith((".DQ", ".XQ")))


def queue_depths(broker) -> dict[tuple[str, str], int]:
    """{(queue, state): messages} for ready, delayed and dead-lettered messages."""
    names = queue_names(broker)
    client = getattr(broker, "client", None)
    if client is not None:  # Redis: a list per queue and delay queue, a zset of dead ones
        pipe = client.pipeline(transaction=False)
        for name in names:
            prefix = f"{broker.namespace}:{name}"
            pipe.llen(prefix)
            pipe.llen(f"{prefix}.DQ")
            pipe.zcard(f"{prefix}.XQ")
        counts = iter(pipe.execute())
        return {(n, s): next(counts) for n in names for s in ("ready", "delayed", "dead")}
    depths = {}  # the stub broker (tests, or a misconfigured install)
    for name in names:
        depths[(name, "ready")] = broker.queues[name].qsize()
        depths[(name, "delayed")] = broker.queues[f"{name}.DQ"].qsize()
        depths[(name, "dead")] = len(broker.dead_letters_by_queue.get(name, []))
    return depths


def stage_durations(since) -> dict[str, list[float]]:
    """Seconds per stage (and in all) of the videos completed since SINCE."""
    durations: dict[str, list[float]] = {stage: [] for stage in STAGES}
    rows = Video.objects.filter(status=Video.Status.COMPLETED, finished_at__gte=since)
    for timings, started, finished in rows.values_list(
        "stage_timings", "started_at", "finished_at"
    ).iterator():
        for stage, seconds in (timings or {}).items():
            if stage in durations and isinstance(seconds, int | float):
                durations[stage].append(float(seconds))
        if started and finished:
            durations["total"].append((finished - started).total_seconds())
    return durations


def histogram_buckets(values: list[float]) -> list[tuple[str, int]]:
    buckets = [(floatToGoString(b), sum(1 for v in values if v <= b)) for b in BUCKETS]
    return [*buckets, ("+Inf", len(values))]


class TalkingAdsCollector:
    """A prometheus_client collector that reads everything fresh at each scrape."""

    def collect(self):
        started = time.monotonic()
        broker = dramatiq.get_broker()
        yield from self._queues(broker)
        yield from self._videos()
        yield from self._workers(broker)
        scrape = GaugeMetricFamily(
            "talkingads_metrics_scrape_seconds", "How long collecting these metrics took."
        )
        scrape.add_metric([], time.monotonic() - started)
        yield scrape

    def _queues(self, broker):
        family = GaugeMetricFamily(
            "talkingads_queue_messages",
            "Messages waiting in a job queue: ready to run, delayed (retries), dead-lettered.",
            labels=["queue", "state"],
        )
        for (queue, state), count in sorted(queue_depths(broker).items()):
            family.add_metric([queue, state], count)
        yield family

    def _videos(self):
        by_status = GaugeMetricFamily("talkingads_videos", "Videos by status.", labels=["status"])
        counts = dict(Video.objects.order_by().values_list("status").annotate(n=Count("pk")))
        for status in Video.Status.values:
            by_status.add_metric([status], counts.get(status, 0))
        yield by_status
        failures = CounterMetricFamily(
            "talkingads_video_failures", "Failed videos by error code.", labels=["error_code"]
        )
        failed = Video.objects.filter(status=Video.Status.FAILED).order_by()
        for code, n in failed.values_list("error_code").annotate(n=Count("pk")):
            failures.add_metric([code or "unknown"], n)
        yield failures
        window = settings.METRICS_WINDOW_SECONDS
        timings = GaugeHistogramMetricFamily(
            "talkingads_video_stage_seconds",
            f"Seconds per render stage (and in all) of the videos completed in the last "
            f"{window} s.",
            labels=["stage"],
        )
        since = timezone.now() - timedelta(seconds=window)
        for stage, values in stage_durations(since).items():
            timings.add_metric([stage], histogram_buckets(values), gsum_value=sum(values))
        yield timings

    def _workers(self, broker):
        workers = live_workers(broker)
        per_queue = GaugeMetricFamily(
            "talkingads_workers",
            "Worker processes alive (by heartbeat) per queue.",
            labels=["queue"],
        )
        for queue in queue_names(broker):
            per_queue.add_metric([queue], sum(1 for w in workers if queue in w["queues"]))
        yield per_queue
        age = GaugeMetricFamily(
            "talkingads_worker_heartbeat_age_seconds",
            "Seconds since each live worker process last reported.",
            labels=["worker", "queues"],
        )
        now = time.time()
        for w in sorted(workers, key=lambda w: (w["hostname"], w["pid"])):
            name = f"{w['hostname']}:{w['pid']}"
            age.add_metric([name, ",".join(w["queues"])], max(0.0, now - w["seen"]))
        yield age


def render() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TalkingAdsCollector())
    return generate_latest(registry)
