"""The job engine serves kinds of job it has never seen: a toy pipeline defined only
in tests/jobs/toy_pipeline.py runs through the real engine, on Redis, in a real
worker process (progress, a retried stage, credits, a signed webhook event), and a
parent job's state derives from its children."""

from __future__ import annotations

import sys

import pytest

from saas.billing import services as billing
from saas.jobs import engine
from saas.jobs.models import Job
from saas.webhooks.signing import verify_signature

from ..conftest import REPO
from ..e2e import test_workers as e2e
from ..studio import conftest as studio_conftest
from ..webhooks.receiver import WebhookReceiver
from . import toy_pipeline as toy

stub_worker = studio_conftest.stub_worker
worker_env = e2e.worker_env
pytestmark = pytest.mark.django_db(transaction=True)

WORKER_MODULES = ["django_dramatiq.setup", "saas.webhooks.tasks", "tests.jobs.toy_pipeline"]


@pytest.fixture
def team(personas):
    account = billing.account_for(personas.workspace_a)
    account.plan = "team"  # webhooks are on team plans
    account.save()
    billing.grant_credits(personas.workspace_a, 100, note="engine tests")
    return personas


class ToyWorkers(e2e.Workers):
    def start(self):
        """A real dramatiq worker process that runs the toy pipeline and webhook deliveries."""
        import subprocess

        command = [sys.executable, "-m", "dramatiq", *WORKER_MODULES, "-p", "1", "-t", "2"]
        process = subprocess.Popen(command, cwd=REPO, env=self.env, start_new_session=True)
        self.processes.append(process)
        return process


@pytest.mark.slow
def test_a_pipeline_defined_in_a_test_runs_on_a_real_worker(team, worker_env, redis_broker):
    from saas.webhooks.services import create_endpoint

    workspace = team.workspace_a
    before = billing.balance(workspace)
    pool = ToyWorkers(worker_env)
    with WebhookReceiver() as receiver:
        admin = team.membership(team.admin)
        _, secret = create_endpoint(admin, receiver.url, events=[])  # every event
        job = toy.submit_toy(workspace, reserve=5, charge=3, glitch=True)
        assert billing.balance(workspace) == before - 5  # reserved at submit
        assert redis_broker.client.llen("dramatiq:default") == 1  # really queued in Redis
        pool.start()
        try:
            done = e2e.wait_for(
                lambda: Job.objects.filter(pk=job.pk, status__in=["completed", "failed"]).first(),
                90,
                "the toy job",
            )
            hook = receiver.wait_for(1, timeout=30)[0]
        finally:
            pool.stop()
    assert done.status == "completed", (done.error_code, done.error_message)
    assert done.stage == "done" and done.progress == 100 and done.finished_at
    assert set(done.stage_timings) == {"prepare", "work"}
    # The second stage glitched once and the broker retried it: attempt 2 succeeded.
    assert done.result["prepared"] is True and done.result["attempts"] == 2
    # Progress is the stages' weights (1 and 3): half of "work" is (1 + 1.5) / 4.
    assert done.result["progress_seen"] == 62
    assert done.result["eta_seen"] is not None
    assert billing.balance(workspace) == before - 3  # charged what it cost, the rest returned
    assert verify_signature(secret, hook.headers, hook.body)
    event = hook.json()
    assert event["type"] == "toy.completed" and event["data"]["id"] == str(job.pk)
    assert event["data"]["status"] == "completed"


def test_a_permanent_failure_ends_the_job_with_its_reason_and_costs_nothing(team, stub_worker):
    before = billing.balance(team.workspace_a)
    job = toy.submit_toy(team.workspace_a, fail=True)
    stub_worker.drain()
    job.refresh_from_db()
    assert job.status == "failed" and job.stage == "work"
    assert (job.error_code, job.error_message) == ("toy_refused", "This toy was told to fail.")
    assert billing.balance(team.workspace_a) == before


def test_a_childs_failure_leaves_its_siblings_and_the_parent_derives_from_them(team, stub_worker):
    workspace = team.workspace_a
    before = billing.balance(workspace)
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=workspace)
    children = [toy.new_toy(workspace), toy.new_toy(workspace, fail=True), toy.new_toy(workspace)]
    engine.submit_group(toy.TOY_GROUP, parent, [(toy.TOY, child) for child in children])
    parent.refresh_from_db()
    assert parent.status == "running" and parent.progress == 0

    stub_worker.drain()
    states = [Job.objects.get(pk=c.pk).status for c in children]
    assert states == ["completed", "failed", "completed"]
    parent.refresh_from_db()
    assert parent.status == "completed" and parent.progress == 100
    assert parent.result["children"] == {"completed": 2, "failed": 1, "cancelled": 0}
    assert billing.balance(workspace) == before - 3 - 3  # the failed child cost nothing


def test_a_parent_whose_children_all_fail_fails(team, stub_worker):
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=team.workspace_a)
    children = [toy.new_toy(team.workspace_a, fail=True) for _ in range(2)]
    engine.submit_group(toy.TOY_GROUP, parent, [(toy.TOY, c) for c in children])
    stub_worker.drain()
    parent.refresh_from_db()
    assert parent.status == "failed" and parent.error_code == "children_failed"
    assert parent.error_message == "All 2 parts failed or were cancelled."


def test_a_parents_progress_follows_its_children(team):
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=team.workspace_a)
    children = [toy.new_toy(team.workspace_a) for _ in range(4)]
    engine.submit_group(toy.TOY_GROUP, parent, [(toy.TOY, c) for c in children])
    Job.objects.filter(pk=children[0].pk).update(status="completed", progress=100)
    Job.objects.filter(pk=children[1].pk).update(status="running", progress=50)
    assert engine.refresh_parent(parent.pk) == "running"
    parent.refresh_from_db()
    assert parent.progress == (100 + 50 + 0 + 0) // 4


def test_cancelling_a_parent_cancels_its_children_and_returns_their_credits(team, stub_worker):
    workspace = team.workspace_a
    before = billing.balance(workspace)
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=workspace)
    children = [toy.new_toy(workspace) for _ in range(3)]
    engine.submit_group(toy.TOY_GROUP, parent, [(toy.TOY, c) for c in children])
    assert billing.balance(workspace) == before - 15
    assert engine.cancel(toy.TOY_GROUP, parent.pk) is True
    assert engine.cancel(toy.TOY_GROUP, parent.pk) is False  # once
    stub_worker.drain()  # their queued stages find them cancelled and do nothing
    assert [Job.objects.get(pk=c.pk).status for c in children] == ["cancelled"] * 3
    assert Job.objects.get(pk=parent.pk).status == "cancelled"
    assert billing.balance(workspace) == before


def test_a_gate_stage_waits_for_a_person_and_resumes_once(team, stub_worker):
    workspace = team.workspace_a
    job = toy.new_toy(workspace, review=True)
    job.kind = toy.TOY_REVIEWED.name
    job.save()
    engine.submit(toy.TOY_REVIEWED, job)
    stub_worker.drain()
    job.refresh_from_db()
    assert (job.status, job.stage) == ("waiting", "review") and job.result["prepared"]
    # A waiting job is nobody's work.
    assert engine.sweep() == {"requeued": 0, "failed": 0, "released": 0}
    assert engine.resume(toy.TOY_REVIEWED, job.pk, payload={**job.payload, "edited": True})
    assert not engine.resume(toy.TOY_REVIEWED, job.pk)  # once
    stub_worker.drain()
    job.refresh_from_db()
    assert job.status == "completed" and job.payload["edited"] is True
    assert set(job.stage_timings) == {"prepare", "review", "work"}


def test_a_job_without_review_passes_the_gate_and_a_waiting_one_can_be_cancelled(team, stub_worker):
    before = billing.balance(team.workspace_a)
    straight = toy.new_toy(team.workspace_a, review=False)
    waiting = toy.new_toy(team.workspace_a, review=True)
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=team.workspace_a)
    for child in (straight, waiting):
        child.kind = toy.TOY_REVIEWED.name
        child.save()
    engine.submit_group(
        toy.TOY_GROUP, parent, [(toy.TOY_REVIEWED, straight), (toy.TOY_REVIEWED, waiting)]
    )
    stub_worker.drain()
    assert Job.objects.get(pk=straight.pk).status == "completed"
    assert Job.objects.get(pk=waiting.pk).status == "waiting"
    assert Job.objects.get(pk=parent.pk).status == "running"  # a child still waits
    assert engine.cancel(toy.TOY_REVIEWED, waiting.pk)
    assert Job.objects.get(pk=waiting.pk).status == "cancelled"
    assert Job.objects.get(pk=parent.pk).status == "completed"
    assert billing.balance(team.workspace_a) == before - 3


def test_the_sweeper_requeues_a_toy_stage_whose_worker_vanished(team, monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    sent = []
    monkeypatch.setattr(
        engine, "enqueue", lambda pipeline, job_id, stage: sent.append((pipeline.name, stage))
    )
    job = toy.submit_toy(team.workspace_a)
    assert engine.claim(toy.TOY, job.pk, "prepare", "dead-worker") is not None
    Job.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(minutes=1))
    engine.sweep()
    assert ("toy", "prepare") in sent


def test_a_temporary_error_that_never_passes_fails_the_job_and_returns_its_credits(
    team, monkeypatch
):
    """The broker retries a stage 3 times, then drops the message; the sweeper sent it
    again every 5 minutes for ever, and the job held its credits and render slot."""
    from datetime import timedelta

    from django.utils import timezone

    monkeypatch.setattr(engine, "enqueue", lambda pipeline, job_id, stage: None)
    before = billing.balance(team.workspace_a)
    job = toy.submit_toy(team.workspace_a, glitch="always")
    assert billing.balance(team.workspace_a) < before  # reserved
    engine.run_stage("toy", str(job.pk), "prepare")
    from django.conf import settings

    # the broker's 3 retries of one message, for each of the sweeper's re-sends
    tries = (toy.TOY.stage_by_name["work"].max_retries + 1) * settings.RENDER_MAX_STAGE_ATTEMPTS
    raised = 0
    for round_ in range(tries + 3):
        try:
            engine.run_stage("toy", str(job.pk), "work")  # a retry of the message
        except toy.Glitch:
            raised += 1
        engine.sweep(timezone.now() + timedelta(minutes=10 * (round_ + 1)))
    job.refresh_from_db()
    assert raised == tries - 1  # the last try fails the job instead of raising again
    assert (job.status, job.error_code) == ("failed", "retries_exhausted")
    assert "kept failing" in job.error_message
    assert billing.balance(team.workspace_a) == before
    assert engine.transient_attempts(toy.TOY, "work") == tries


def unlocked(call, tries: int = 50):
    import time

    from django.db import OperationalError

    for _ in range(tries - 1):
        try:
            return call()
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.02)
    return call()


def test_a_stage_that_works_quietly_past_its_lease_keeps_it(team, settings, monkeypatch):
    """A stage that reports no progress for longer than the lease (Whisper on a long
    video) kept working while the sweeper gave it to another worker, which ran it again."""
    import threading
    import time

    from django.utils import timezone

    settings.RENDER_LEASE_SECONDS = 1
    monkeypatch.setattr(engine, "enqueue", lambda pipeline, job_id, stage: None)
    job = toy.submit_toy(team.workspace_a, quiet_seconds=3)
    engine.run_stage("toy", str(job.pk), "prepare")
    worker = threading.Thread(target=engine.run_stage, args=("toy", str(job.pk), "work"))
    worker.start()
    time.sleep(2.2)  # the lease (1 s) would have run out twice
    # (SQLite's shared in-memory test database refuses a write that meets the keeper's
    # at once, "table is locked", where a file or PostgreSQL would wait: try again.)
    unlocked(engine.sweep)
    with pytest.raises(engine.StageBusy):  # what a second worker, sent the stage, gets
        unlocked(lambda: engine.run_stage("toy", str(job.pk), "work"))
    running = unlocked(lambda: Job.objects.get(pk=job.pk))
    assert running.status == "running" and running.lease_expires_at > timezone.now()
    worker.join(10)
    job.refresh_from_db()
    assert job.status == "completed" and job.result["attempts"] == 1


def test_each_run_of_an_object_that_ends_again_is_announced(team, settings):
    """A retried batch is a new job announcing the same batch id: its batch.completed
    was dropped as a repeat of the first run's. Each job's end is announced once."""
    from dataclasses import replace

    from saas.webhooks.models import WebhookDelivery
    from saas.webhooks.services import create_endpoint

    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver here stands for the internet
    same_object = replace(toy.TOY, represent=lambda job: {"id": "batch-1", "status": "done"})
    with WebhookReceiver() as receiver:
        create_endpoint(team.membership(team.owner), receiver.url, events=[])
        first, second = toy.new_toy(team.workspace_a), toy.new_toy(team.workspace_a)
        for job in (first, second, second):  # the second run's end, and a repeat of it
            engine._announce(same_object, job, "toy.completed")
    assert WebhookDelivery.objects.filter(event_type="toy.completed").count() == 2


def test_a_failure_is_announced_in_the_transaction_that_records_it(team, settings, monkeypatch):
    """As if the worker died just after the failure committed (nothing registered to run
    after the commit runs): the delivery exists, for the webhook sweeper to send."""
    from django.db import transaction

    from saas.webhooks.models import WebhookDelivery
    from saas.webhooks.services import create_endpoint

    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]  # the receiver here stands for the internet
    with WebhookReceiver() as receiver:
        create_endpoint(team.membership(team.owner), receiver.url, events=[])
        job = toy.submit_toy(team.workspace_a)
        monkeypatch.setattr(transaction, "on_commit", lambda *args, **kwargs: None)
        assert engine.fail(toy.TOY, job.pk, "toy_refused", "This toy was told to fail.")
    delivery = WebhookDelivery.objects.get(event_type="toy.failed")
    assert delivery.payload["data"]["id"] == str(job.pk)


def test_an_end_hook_that_fails_does_not_stop_the_others(team, monkeypatch):
    """A video's on_end queues its callback; with the broker down it raised, and the
    hooks after it (the parent's refresh) never ran, nor did the caller's code."""
    from dataclasses import replace

    def broker_down(job):
        raise ConnectionError("the broker is restarting")

    calls = []
    monkeypatch.setattr(engine, "refresh_parent", lambda parent_id: calls.append(parent_id))
    parent = Job.objects.create(kind=toy.TOY_GROUP.name, workspace=team.workspace_a)
    child = toy.new_toy(team.workspace_a)
    Job.objects.filter(pk=child.pk).update(parent=parent)
    assert engine.fail(replace(toy.TOY, on_end=broker_down), child.pk, "toy_refused", "No.")
    assert calls == [parent.pk]


def test_the_lease_keeper_outlives_a_dropped_database_connection(team, settings, monkeypatch):
    """psycopg raises InterfaceError (not a DatabaseError) on a closed connection, and
    Django reconnects only between requests: the keeper died, or retried a dead one."""
    import time

    from django.db import InterfaceError
    from django.utils import timezone

    settings.RENDER_LEASE_SECONDS = 1
    monkeypatch.setattr(engine, "enqueue", lambda pipeline, job_id, stage: None)
    job = toy.submit_toy(team.workspace_a)
    assert engine.claim(toy.TOY, job.pk, "prepare", "me") is not None
    keeper = engine.LeaseKeeper(toy.TOY, Job.objects.get(pk=job.pk), "me")
    real, drops = keeper.renew, []

    class Dropped:
        def update(self, **fields):
            if len(drops) < 2:
                drops.append(1)
                raise InterfaceError("connection already closed")
            return unlocked(lambda: real.update(**fields))

    keeper.renew = Dropped()
    try:
        time.sleep(2.5)  # two failed renewals, then good ones; the lease is 1 s
        assert len(drops) == 2 and keeper.thread.is_alive()
        lease = unlocked(lambda: Job.objects.get(pk=job.pk)).lease_expires_at
        assert lease > timezone.now()
    finally:
        keeper.stop()


def test_a_failure_stands_when_its_announcement_cannot_be_made(team, monkeypatch):
    def cannot(*args):
        raise ValueError("a representation that breaks")

    monkeypatch.setattr(engine, "_announce", cannot)
    job = toy.submit_toy(team.workspace_a)
    before = billing.balance(team.workspace_a)
    assert engine.fail(toy.TOY, job.pk, "toy_refused", "No.")
    job.refresh_from_db()
    assert job.status == "failed" and billing.balance(team.workspace_a) > before


def test_a_stage_on_an_unknown_queue_is_refused_when_declared():
    from saas.jobs.pipelines import Stage

    with pytest.raises(ValueError, match="queue must be one of"):
        Stage("x", lambda job, progress: None, queue="cpu")


def test_the_engine_module_says_how_it_works_in_about_ten_lines():
    doc = engine.__doc__.strip().splitlines()
    assert 6 <= len(doc) <= 12
    assert (REPO / "docs" / "adr").is_dir() and any((REPO / "docs" / "adr").glob("*job*.md"))


def test_toy_stages_are_real_actors_on_their_queues():
    assert toy.ACTORS["prepare"].queue_name == "default"
    assert toy.ACTORS["work"].queue_name == "tts"
    assert toy.ACTORS["work"].actor_name == "toy_work"


def test_outages_that_pass_are_retried_and_mistakes_are_not():
    """What the fault suite (make faults) found: a full work disk, unreachable S3 storage
    and an encoder killed from outside used to fail videos for good."""
    import errno

    from botocore.exceptions import EndpointConnectionError

    from avatar.errors import EncodeFailed, InvalidInput

    assert engine.is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert engine.is_transient(EndpointConnectionError(endpoint_url="http://s3.local"))
    assert engine.is_transient(EncodeFailed("stopped", retryable=True))
    assert not engine.is_transient(EncodeFailed("ffmpeg exited with status 1"))
    assert not engine.is_transient(OSError(errno.EACCES, "Permission denied"))
    assert not engine.is_transient(InvalidInput("script", "empty"))
    assert not engine.is_transient(ValueError("a bug"))


def test_a_broker_out_of_reach_when_a_stage_ends_leaves_the_job_to_the_sweeper(team, monkeypatch):
    """`make run`'s restart test found it: the next stage's message failed to send (Redis
    had just died) and that failure ended the finished stage's job as failed."""
    from datetime import timedelta

    from django.utils import timezone
    from redis.exceptions import ConnectionError as RedisDown

    def down(pipeline, job_id, stage):
        raise RedisDown("Error 111 connecting to redis.sock. Connection refused.")

    monkeypatch.setattr(engine, "enqueue", down)
    job = toy.submit_toy(team.workspace_a)  # the first message is not sent either
    job.refresh_from_db()
    assert job.status == "queued"
    claimed = engine.claim(toy.TOY, job.pk, "prepare", "worker-1")
    assert engine.complete_stage(toy.TOY, claimed, "worker-1") != "prepare"
    job.refresh_from_db()
    assert job.status == "running" and not job.error_code  # between stages, not failed

    sent = []
    monkeypatch.setattr(engine, "enqueue", lambda p, job_id, stage: sent.append(stage))
    engine.sweep(timezone.now() + timedelta(hours=1))
    assert sent == [job.stage]  # the sweeper sends it once the broker is back
    assert engine.is_transient(RedisDown("down"))
