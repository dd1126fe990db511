"""Render jobs: stages claimed once, leases, cancel, failures that cost nothing."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from saas.billing import services as billing
from saas.jobs import engine
from saas.studio.models import Video
from saas.studio.pipeline import VIDEO

from ..conftest import api_client_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SCENE = {"script": "Hello from the render queue.", "voice": "espeak:en-us", "avatar": "grace"}


def create(client, **extra):
    body = {"title": "Queue test", "scenes": [SCENE], **extra}
    return client.post("/api/v1/videos", body, format="json")


def test_a_video_goes_from_queued_to_completed_and_is_charged_once(funded, stub_worker):
    client = api_client_for(funded.creator, funded.workspace_a)
    before = billing.balance(funded.workspace_a)
    response = create(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "queued" and body["stage"] == "speech" and body["error"] is None
    assert billing.balance(funded.workspace_a) == before - body["credits"]  # reserved

    stub_worker.drain()
    done = client.get(f"/api/v1/videos/{body['id']}").json()
    assert done["status"] == "completed" and done["progress"] == 100, done
    assert urlsplit(done["outputs"]["mp4"]).path.endswith(".mp4")
    assert set(done["stage_timings"]) == {"speech", "render", "deliver"}
    video = Video.objects.get(pk=body["id"])
    assert video.mp4.storage.exists(video.mp4.name)
    charged = billing.estimate_cost(funded.workspace_a, video.duration_s)
    assert billing.balance(funded.workspace_a) == before - charged
    # The video says what it cost, not what was held for it.
    assert body["credits_charged"] is None and body["credits"] >= charged
    assert done["credits"] == done["credits_charged"] == charged


def test_a_stage_is_claimed_by_one_worker_at_a_time(funded):
    video = make_video(funded)
    assert engine.claim(VIDEO, video.pk, "speech", "worker-1") is not None
    assert engine.claim(VIDEO, video.pk, "speech", "worker-2") is None
    Video.objects.filter(pk=video.pk).update(lease_expires_at=timezone.now() - timedelta(1))
    taken = engine.claim(VIDEO, video.pk, "speech", "worker-2")  # worker-1 died
    assert taken is not None and taken.stage_attempts == 2
    with pytest.raises(engine.LeaseLost):
        engine.complete_stage(VIDEO, Video.objects.get(pk=video.pk), "worker-1")
    assert engine.complete_stage(VIDEO, taken, "worker-2") == "render"
    assert engine.claim(VIDEO, video.pk, "speech", "worker-3") is None  # already past it


def test_cancel_stops_the_worker_and_releases_the_credits(funded):
    before = billing.balance(funded.workspace_a)
    video = make_video(funded)
    running = engine.claim(VIDEO, video.pk, "speech", "worker-1")
    client = api_client_for(funded.creator, funded.workspace_a)
    response = client.post(f"/api/v1/videos/{video.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    with pytest.raises(engine.LeaseLost):
        engine.heartbeat(VIDEO, running, "worker-1", 0.5)
    assert billing.balance(funded.workspace_a) == before
    again = client.post(f"/api/v1/videos/{video.pk}/cancel")
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"


def test_an_unknown_avatar_is_refused_before_anything_is_queued(funded):
    client = api_client_for(funded.creator, funded.workspace_a)
    response = create(client, scenes=[{**SCENE, "avatar": "/etc/passwd"}])
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "scenes.0.avatar"
    assert not Video.objects.exists()


def test_a_permanent_failure_names_the_reason_and_costs_nothing(funded, stub_worker, monkeypatch):
    from avatar.errors import InvalidInput
    from saas.studio import rendering

    def broken(video, workdir, progress):
        raise InvalidInput("scenes[0].media[0].src", "file not found: mug.jpg")

    monkeypatch.setattr(rendering, "render_video", broken)
    client = api_client_for(funded.creator, funded.workspace_a)
    before = billing.balance(funded.workspace_a)
    body = create(client).json()
    stub_worker.drain()
    failed = client.get(f"/api/v1/videos/{body['id']}").json()
    assert failed["status"] == "failed"
    assert failed["error"] == {"code": "invalid_input", "message": "file not found: mug.jpg"}
    assert billing.balance(funded.workspace_a) == before


def on_free_plan(workspace):
    account = billing.account_for(workspace)
    account.plan = "free"  # videos of up to a minute
    account.save()


def test_uploaded_sounds_count_at_their_length_against_the_plan_and_the_price(funded):
    from django.core.files.base import ContentFile

    from saas.studio.models import Asset

    on_free_plan(funded.workspace_a)
    sound = Asset(workspace=funded.workspace_a, kind=Asset.Kind.AUDIO, original_name="talk.wav",
                  content_type="audio/wav", size=4, sha256="0" * 64, duration_s=600.0)  # fmt: skip
    sound.file.save("talk.wav", ContentFile(b"RIFF"), save=False)
    sound.save()
    client = api_client_for(funded.creator, funded.workspace_a)
    scenes = [{"audio": str(sound.pk), "avatar": "grace"}] * 3
    estimate = client.post("/api/v1/estimate", {"scenes": scenes}, format="json").json()
    assert estimate["duration_s"] >= 1800 and not estimate["allowed"], estimate  # 1.8 s before
    response = create(client, scenes=scenes)
    assert response.status_code == 403, response.content
    assert response.json()["error"]["code"] == "plan_limit"
    assert not Video.objects.exists()


def test_a_script_is_estimated_by_its_letters_digits_and_characters_not_only_its_spaces():
    from saas.studio.estimates import speech_seconds

    assert speech_seconds("Hello from the render queue.") == pytest.approx(5 / 2.6)
    assert speech_seconds("word," * 1000) > 300  # one "word" by its spaces: 0.4 s before
    assert speech_seconds("中文" * 2400) > 900  # no spaces at all
    assert speech_seconds("Call 0800 123 456 789") > speech_seconds("Call now")
    fast = speech_seconds("Hello there", rate=2.0)
    assert fast == pytest.approx(speech_seconds("Hello there") / 2)


def test_speech_that_runs_past_the_plan_fails_before_the_render_and_costs_nothing(
    funded, stub_worker, monkeypatch
):
    """The estimate was short (what a script says is longer than it looks): the measured
    speech is held to the plan, and the job fails with the plan's message."""
    from saas.studio import rendering

    on_free_plan(funded.workspace_a)
    rendered = []
    monkeypatch.setattr(rendering, "synthesize_speech",
                        lambda video, workdir, progress: rendering.Spoken(1, 300.0))  # fmt: skip
    monkeypatch.setattr(rendering, "render_video", lambda *args: rendered.append(args))
    client = api_client_for(funded.creator, funded.workspace_a)
    before = billing.balance(funded.workspace_a)
    body = create(client).json()
    stub_worker.drain()
    failed = client.get(f"/api/v1/videos/{body['id']}").json()
    assert failed["status"] == "failed" and failed["error"]["code"] == "plan_limit", failed
    assert "up to 1 minute; this one is 301 seconds" in failed["error"]["message"]
    assert rendered == [] and billing.balance(funded.workspace_a) == before


def test_speech_within_the_plan_goes_on_to_the_render(funded):
    from saas.studio.pipeline import check_spoken_length

    on_free_plan(funded.workspace_a)
    check_spoken_length(make_video(funded), 55.0)  # a minute, with a scene's overhead


def test_a_transient_error_frees_the_stage_for_a_retry(funded, monkeypatch):
    from saas.studio import rendering

    video = make_video(funded)

    def flaky(video, workdir, progress):
        raise ConnectionError("storage went away")

    monkeypatch.setattr(rendering, "synthesize_speech", flaky)
    with pytest.raises(ConnectionError):
        engine.run_stage("video", str(video.pk), "speech")
    video.refresh_from_db()
    assert video.status == "running" and video.lease_expires_at is None
    assert engine.claim(VIDEO, video.pk, "speech", "retry") is not None


def test_a_message_for_a_leased_stage_is_retried_not_dropped(funded):
    video = make_video(funded)
    engine.claim(VIDEO, video.pk, "speech", "maybe-dead-worker")
    with pytest.raises(engine.StageBusy) as busy:
        engine.run_stage("video", str(video.pk), "speech")
    assert engine.is_transient(busy.value)


def test_the_sweeper_requeues_lost_stages_and_fails_hopeless_ones(funded, monkeypatch):
    sent = []
    monkeypatch.setattr(
        engine, "enqueue", lambda pipeline, video_id, stage: sent.append((video_id, stage))
    )
    lost, hopeless, slow = (make_video(funded) for _ in range(3))
    past = timezone.now() - timedelta(minutes=5)
    for video in (lost, hopeless, slow):
        engine.claim(VIDEO, video.pk, "speech", "dead-worker")
    Video.objects.filter(pk__in=[lost.pk, hopeless.pk, slow.pk]).update(lease_expires_at=past)
    Video.objects.filter(pk=hopeless.pk).update(stage_attempts=99)
    Video.objects.filter(pk=slow.pk).update(stage_started_at=past - timedelta(days=1))
    counts = engine.sweep()
    assert (lost.pk, "speech") in sent
    assert Video.objects.get(pk=hopeless.pk).error_code == "worker_lost"
    assert Video.objects.get(pk=slow.pk).error_code == "timeout"
    assert counts["failed"] == 2 and counts["requeued"] >= 1


def test_the_sweeper_resends_a_next_stage_whose_message_was_lost(funded, monkeypatch):
    """A stage done, the next one's message prefetched by a worker then killed -9: the
    job waits between stages with no lease, and the sweeper sends that stage again."""
    sent = []
    monkeypatch.setattr(
        engine, "enqueue", lambda pipeline, video_id, stage: sent.append((video_id, stage))
    )
    waiting, fresh = make_video(funded), make_video(funded)
    for video in (waiting, fresh):
        job = engine.claim(VIDEO, video.pk, "speech", "worker-1")
        assert engine.complete_stage(VIDEO, job, "worker-1") == "render"
    sent.clear()  # the messages the stages' ends sent (then lost)
    past = timezone.now() - timedelta(minutes=10)
    Video.objects.filter(pk=waiting.pk).update(stage_started_at=past)
    engine.sweep()
    assert (waiting.pk, "render") in sent and (fresh.pk, "render") not in sent


def test_the_same_idempotency_key_replays_the_first_response(funded):
    client = api_client_for(funded.creator, funded.workspace_a)
    body = {"title": "Once", "scenes": [SCENE]}
    first = client.post("/api/v1/videos", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    second = client.post("/api/v1/videos", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert second.headers["Idempotent-Replayed"] == "true"
    assert Video.objects.count() == 1
    other = {"title": "Other", "scenes": [SCENE]}
    reused = client.post("/api/v1/videos", other, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "idempotency_key_reused"


def test_videos_over_the_plans_render_slots_wait_in_line_and_start_as_slots_free(funded):
    client = api_client_for(funded.creator, funded.workspace_a)
    limit = billing.plan_for(funded.workspace_a).max_concurrent_renders
    rendering = [create(client).json() for _ in range(limit)]
    assert all(v["queue_position"] is None for v in rendering)
    over = [create(client) for _ in range(2)]
    assert [r.status_code for r in over] == [201, 201]  # in line, not refused
    waiting = [r.json() for r in over]
    assert [(v["status"], v["queue_position"]) for v in waiting] == [("queued", 1), ("queued", 2)]
    heygen = client.get(f"/v1/video_status.get?video_id={waiting[0]['id']}")
    assert heygen.json()["data"]["status"] == "waiting", heygen.content
    # No worker may start a video in line, even on a stray message.
    assert engine.claim(VIDEO, waiting[0]["id"], "speech", "worker-1") is None
    assert engine.sweep(timezone.now() + timedelta(hours=1))["requeued"] == limit

    # One rendering video ends (cancelled here): the first in line goes to a worker.
    assert client.post(f"/api/v1/videos/{rendering[0]['id']}/cancel").status_code == 200
    first, second = (client.get(f"/api/v1/videos/{v['id']}").json() for v in waiting)
    assert first["queue_position"] is None and second["queue_position"] == 1
    assert engine.claim(VIDEO, first["id"], "speech", "worker-1") is not None
    assert engine.claim(VIDEO, second["id"], "speech", "worker-1") is None

    # A release lost with a crashed process is made by the sweeper.
    Video.objects.filter(pk=rendering[1]["id"]).update(status=Video.Status.FAILED)
    assert engine.sweep()["released"] == 1
    assert client.get(f"/api/v1/videos/{second['id']}").json()["queue_position"] is None


def test_requests_over_the_workspace_rate_limit_get_429(funded, monkeypatch):
    from django.core.cache import cache

    from saas.api.throttling import WorkspaceRateThrottle

    cache.clear()
    monkeypatch.setattr(WorkspaceRateThrottle, "THROTTLE_RATES", {"workspace": "3/min"})
    client = api_client_for(funded.viewer, funded.workspace_a)
    codes = [client.get("/api/v1/videos").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    other = api_client_for(funded.outsider, funded.workspace_b)
    assert other.get("/api/v1/videos").status_code == 200  # another workspace's budget
    cache.clear()


@pytest.mark.parametrize(
    "scene,field",
    [
        ({"voice": "espeak:en-us"}, "scenes.0.script"),
        ({"script": "Hi", "voice": "klingon:worf"}, "scenes.0.voice"),
        ({"script": "x" * 5001}, "scenes.0.script"),
    ],
)
def test_bad_scenes_name_the_field(funded, scene, field):
    client = api_client_for(funded.creator, funded.workspace_a)
    response = create(client, scenes=[scene])
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


@pytest.mark.parametrize(
    "field,value",
    [
        (field, value)
        for field in ("brand", "music", "captions", "transitions")
        for value in ("acme", True, 5, ["a"])
        if (field, value) != ("captions", True)  # the shorthand for the default captions
    ],
)
def test_a_part_that_is_not_an_object_is_refused_by_its_field(funded, field, value):
    client = api_client_for(funded.creator, funded.workspace_a)
    response = create(client, **{field: value})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"].split(".")[0] == field


def make_video(personas) -> Video:
    from saas.studio.services import create_video

    return create_video(personas.membership(personas.creator), {"scenes": [SCENE]})


def test_the_speech_stage_speaks_two_scripts_at_once_longest_first(funded, tmp_path, monkeypatch):
    """Piper runs on one core, so the speech stage speaks two scenes at a time (as a render
    does), the longest scripts first; progress is reported from the stage's own thread."""
    import threading

    from avatar import voices
    from saas.studio import rendering
    from saas.studio.services import create_video

    scripts = ["Hi.", "A few more words than that.", "And the longest script of the three, by far."]
    scenes = [{"script": s, "voice": "piper:en_US-joe-medium", "avatar": "grace"} for s in scripts]
    video = create_video(funded.membership(funded.creator), {"scenes": scenes})
    original, lock, started = voices.synthesize, threading.Lock(), []
    both = threading.Barrier(2, timeout=60)

    def counted(text, *args, **kwargs):
        with lock:
            started.append(scripts.index(text))
        if text in scripts[1:]:
            both.wait()  # the two longest are spoken at the same time
        return original(text, *args, **kwargs)

    monkeypatch.setattr(voices, "synthesize", counted)
    reports = []
    main = threading.get_ident()
    stored = rendering.synthesize_speech(
        video, tmp_path, lambda share: reports.append((share, threading.get_ident()))
    )
    assert sorted(started[:2]) == [1, 2] and started[2] == 0
    assert [share for share, _ in reports] == [1 / 3, 2 / 3, 1.0]
    assert {thread for _, thread in reports} == {main}
    assert stored.files >= 3 and stored.seconds > 1.0  # every sentence is in the stored cache
