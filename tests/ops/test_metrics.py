"""/metrics: Prometheus text with queue depths, videos, failures, stage times and workers."""

import os
import socket
import time
from datetime import timedelta

import dramatiq
import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from saas.ops.heartbeats import WorkerHeartbeats
from saas.studio.models import Video


def scrape(client, token="metrics-token") -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name, **labels):
    return samples.get((name, tuple(sorted(labels.items()))))


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = "metrics-token"
    return "metrics-token"


@pytest.mark.django_db
def test_it_needs_the_bearer_token(client, settings, token):
    settings.DEBUG = False
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer metrics-token")
    assert response.status_code == 200


@pytest.mark.django_db
def test_without_a_token_it_is_open_only_in_debug(client, settings):
    settings.METRICS_TOKEN = ""
    settings.DEBUG = False
    response = client.get("/metrics")
    assert response.status_code == 401
    assert "METRICS_TOKEN" in response.json()["error"]
    settings.DEBUG = True
    assert client.get("/metrics").status_code == 200


def make_video(workspace, status, *, error_code="", timings=None, age_s=0):
    now = timezone.now() - timedelta(seconds=age_s)
    return Video.objects.create(
        workspace=workspace,
        title=status,
        status=status,
        stage="done" if status == "completed" else "render",
        error_code=error_code,
        stage_timings=timings or {},
        started_at=now - timedelta(seconds=50) if timings else None,
        finished_at=now if status in ("completed", "failed") else None,
    )


def test_it_counts_videos_failures_and_stage_times(client, token, personas):
    ws = personas.workspace_a
    make_video(ws, "completed", timings={"speech": 2.0, "render": 40.0, "deliver": 0.5})
    make_video(ws, "completed", timings={"speech": 4.0, "render": 200.0, "deliver": 0.5})
    make_video(ws, "completed", timings={"render": 9.0}, age_s=7200)  # outside the window
    make_video(ws, "failed", error_code="timeout")
    make_video(ws, "failed", error_code="timeout")
    make_video(ws, "failed", error_code="no_face")
    make_video(ws, "queued")
    samples = scrape(client)
    assert value(samples, "talkingads_videos", status="completed") == 3
    assert value(samples, "talkingads_videos", status="failed") == 3
    assert value(samples, "talkingads_videos", status="queued") == 1
    assert value(samples, "talkingads_videos", status="cancelled") == 0
    assert value(samples, "talkingads_video_failures_total", error_code="timeout") == 2
    assert value(samples, "talkingads_video_failures_total", error_code="no_face") == 1
    render = {"stage": "render"}
    assert value(samples, "talkingads_video_stage_seconds_bucket", le="60.0", **render) == 1
    assert value(samples, "talkingads_video_stage_seconds_bucket", le="300.0", **render) == 2
    assert value(samples, "talkingads_video_stage_seconds_bucket", le="+Inf", **render) == 2
    assert value(samples, "talkingads_video_stage_seconds_gcount", **render) == 2
    assert value(samples, "talkingads_video_stage_seconds_gsum", **render) == 240.0
    assert value(samples, "talkingads_video_stage_seconds_gsum", stage="total") == 100.0


def test_it_reads_queue_depths_and_live_workers_from_redis(
    client, token, db, redis_broker, settings
):
    from saas.studio.tasks import STAGE_ACTORS

    settings.WORKER_HEARTBEAT_SECONDS = 1
    STAGE_ACTORS["render"].send("00000000-0000-0000-0000-000000000001")
    STAGE_ACTORS["render"].send("00000000-0000-0000-0000-000000000002")
    STAGE_ACTORS["speech"].send_with_options(args=("x",), delay=600_000)
    samples = scrape(client)
    assert value(samples, "talkingads_queue_messages", queue="gpu", state="ready") == 2
    assert value(samples, "talkingads_queue_messages", queue="tts", state="delayed") == 1
    assert value(samples, "talkingads_queue_messages", queue="default", state="ready") == 0

    # A real worker in this process, on the billing queue (nothing to do there),
    # reports itself. (Workers of other tests may share the Redis: look for ours.)
    me = {"worker": f"{socket.gethostname()}:{os.getpid()}", "queues": "billing"}
    assert value(samples, "talkingads_worker_heartbeat_age_seconds", **me) is None
    redis_broker.add_middleware(WorkerHeartbeats())
    worker = dramatiq.Worker(redis_broker, queues={"billing"}, worker_threads=1)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while value(samples, "talkingads_worker_heartbeat_age_seconds", **me) is None:
            assert time.monotonic() < deadline, "the worker's heartbeat never showed"
            time.sleep(0.1)
            samples = scrape(client)
        assert 0 <= value(samples, "talkingads_worker_heartbeat_age_seconds", **me) < 5
        assert value(samples, "talkingads_workers", queue="billing") >= 1
    finally:
        worker.stop()
    samples = scrape(client)  # the heartbeat is removed when the worker stops
    assert value(samples, "talkingads_worker_heartbeat_age_seconds", **me) is None
