"""End to end with real parts: the API on a live server, Redis, real worker processes,
the database (PostgreSQL in CI), a playable MP4 downloaded over HTTP, and a signed
webhook received on a local receiver. Also: a worker killed with -9 mid-render
loses nothing, and another worker finishes the job exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import imageio_ffmpeg
import pytest
from django.db import connection

from saas.billing import services as billing
from saas.studio.models import Video
from saas.webhooks.models import WebhookDelivery
from saas.webhooks.signing import verify_signature

from ..conftest import REPO, api_client_for
from ..webhooks.receiver import WebhookReceiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCRIPT = (
    "Welcome to the quarterly safety briefing. Today we cover three things: fire exits, "
    "first aid kits, and how to report an incident. Please watch until the end."
)


def database_url() -> str:
    """A URL for the test database, for processes outside this one."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def worker_env(redis_url, redis_broker, live_server, settings):
    from django.conf import settings as conf

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DEBUG": "1"}
    env.update(
        DATABASE_URL=database_url(),
        BROKER_URL=redis_url,
        TEST_MEDIA_ROOT=str(conf.MEDIA_ROOT),
        WEBHOOKS_ALLOWED_HOSTS="127.0.0.1",
        SITE_ROOT=live_server.url,
        RENDER_LEASE_SECONDS="4",
        BROKER_HEARTBEAT_TIMEOUT_MS="3000",
        # A message lost with a killed worker (prefetched, never acked) is re-sent by
        # the sweeper after this long, not the 5 minutes of production
        RENDER_QUEUED_RESEND_SECONDS="15",
        PYTHONUNBUFFERED="1",
    )
    settings.SITE_ROOT = live_server.url
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    return env


class Workers:
    def __init__(self, env):
        self.env, self.processes = env, []

    def start(self):
        command = [sys.executable, "manage.py", "rundramatiq", "-p", "1", "-t", "1"]
        self.processes.append(
            subprocess.Popen(command, cwd=REPO, env=self.env, start_new_session=True)
        )
        return self.processes[-1]

    def start_scheduler(self):
        command = [sys.executable, "manage.py", "run_scheduler"]
        self.processes.append(
            subprocess.Popen(command, cwd=REPO, env=self.env, start_new_session=True)
        )

    def kill9(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)  # the main process stops its children
                try:
                    process.wait(60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def workers(worker_env):
    pool = Workers(worker_env)
    yield pool
    pool.stop()


@pytest.fixture
def funded_team(personas):
    account = billing.account_for(personas.workspace_a)
    account.plan = "team"
    account.save()
    billing.grant_credits(personas.workspace_a, 10_000, note="e2e")
    return personas


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def create_video(client):
    body = {"title": "Safety briefing", "scenes": [{"script": SCRIPT, "voice": "espeak:en-us"}]}
    return client.post("/api/v1/videos", body, format="json").json()


def probe(path) -> str:
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    return subprocess.run(
        [exe, "-hide_banner", "-i", str(path)], capture_output=True, text=True
    ).stderr


def test_api_to_playable_mp4_and_a_signed_webhook(funded_team, workers, tmp_path):
    from saas.webhooks.services import create_endpoint

    with WebhookReceiver() as receiver:
        admin = funded_team.membership(funded_team.admin)
        _, secret = create_endpoint(admin, receiver.url, events=["video.completed"])
        workers.start()
        client = api_client_for(funded_team.creator, funded_team.workspace_a)
        video = create_video(client)
        done = wait_for(
            lambda: (
                (v := client.get(f"/api/v1/videos/{video['id']}").json())["status"]
                in ("completed", "failed")
                and v
            ),
            240,
            "the render",
        )
        assert done["status"] == "completed", done
        out = tmp_path / "download.mp4"
        urllib.request.urlretrieve(done["outputs"]["mp4"], out)
        info = probe(out)
        assert "Video: h264" in info and "Audio: aac" in info
        hook = receiver.wait_for(1, timeout=60)[0]
        assert verify_signature(secret, hook.headers, hook.body)
        assert hook.json()["type"] == "video.completed"
        assert hook.json()["data"]["id"] == video["id"]


def test_a_worker_killed_mid_render_loses_nothing(funded_team, workers):
    client = api_client_for(funded_team.creator, funded_team.workspace_a)
    before = billing.balance(funded_team.workspace_a)
    first = workers.start()
    video = create_video(client)
    wait_for(
        lambda: (
            Video.objects.filter(pk=video["id"], stage="render", status="running")
            .exclude(lease_owner="")
            .exists()
        ),
        180,
        "the render to start",
    )
    workers.kill9(first)
    workers.start()
    workers.start_scheduler()  # its sweeper re-sends the stage once the lease runs out
    done = wait_for(
        lambda: Video.objects.filter(pk=video["id"], status__in=["completed", "failed"]).first(),
        240,
        "another worker to finish the job",
    )
    assert done.status == "completed", (done.error_code, done.error_message)
    assert done.stage_timings.get("render") is not None
    charged = billing.estimate_cost(funded_team.workspace_a, done.duration_s)
    assert billing.balance(funded_team.workspace_a) == before - charged  # charged once
    assert WebhookDelivery.objects.filter(event_type="video.completed").count() <= 1
