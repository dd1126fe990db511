"""Translating a customer's video: upload verified, transcript, translation under review,
dub after review, per-language status, credits only for what was delivered."""

from __future__ import annotations

import subprocess
import uuid

import imageio_ffmpeg
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from saas.billing import services as billing
from saas.jobs.models import Job
from saas.translations.models import Translation, TranslationLanguage
from saas.webhooks.models import WebhookDelivery

from .. import loudness
from ..conftest import api_client_for
from ..studio import conftest as studio_conftest

stub_worker = studio_conftest.stub_worker
pytestmark = pytest.mark.django_db(transaction=True)  # the worker thread writes the jobs

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
ENGLISH = [
    "Welcome to the quarterly safety briefing.",
    "Fire exits are marked in green on every floor.",
]


def ffmpeg(*args) -> None:
    subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args], check=True)


def make_english_video(folder):
    """A presenter's voice saying known sentences, with a pause, over a test picture."""
    from avatar.voices import synthesize

    parts = []
    for index, sentence in enumerate(ENGLISH):
        parts.append(synthesize(sentence, "piper:en_US-joe-medium", folder / f"{index}.wav").wav)
    pause = folder / "pause.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=22050:cl=mono", "-t", "1.2", str(pause))
    joined = folder / "speech.wav"
    inputs = [arg for part in (parts[0], pause, parts[1]) for arg in ("-i", str(part))]
    ffmpeg(*inputs, "-filter_complex", "[0:a][1:a][2:a]concat=n=3:v=0:a=1", str(joined))
    video = folder / "briefing.mp4"
    ffmpeg(
        "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-i", str(joined),
        "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(video),
    )  # fmt: skip
    return video


@pytest.fixture(scope="module")
def english_video(tmp_path_factory) -> bytes:
    return make_english_video(tmp_path_factory.mktemp("english")).read_bytes()


@pytest.fixture
def team(personas, settings):
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    account = billing.account_for(personas.workspace_a)
    account.plan = "team"
    account.save()
    billing.grant_credits(personas.workspace_a, 1000, note="translation tests")
    return personas


def upload(data: bytes, name="briefing.mp4"):
    return SimpleUploadedFile(name, data, "video/mp4")


def post(client, video: bytes, **fields):
    body = {"video": upload(video), "target_languages": "es", **fields}
    return client.post("/api/v1/translations", body, format="multipart")


@pytest.mark.slow
def test_an_english_video_is_transcribed_translated_reviewed_and_dubbed_in_spanish(
    team, stub_worker, english_video, tmp_path
):
    from avatar.audio.transcribe import word_error_rate
    from avatar.dub.probe import probe_video
    from avatar.dub.transcribe import transcribe_file
    from saas.webhooks.services import create_endpoint

    create_endpoint(team.membership(team.admin), "https://127.0.0.1:9/hooks", events=[])
    client = api_client_for(team.creator, team.workspace_a)
    before = billing.balance(team.workspace_a)
    # A voice other than Spanish's default (kokoro:es-jf_alpha), so the choice is seen.
    response = post(client, english_video, voices='{"es": "kokoro:es-jm_kumo"}')
    assert response.status_code == 201, response.content
    created = response.json()
    [spanish] = created["languages"]
    assert spanish["language"] == "es" and spanish["voice"] == "kokoro:es-jm_kumo"
    assert billing.balance(team.workspace_a) == before - spanish["credits"]  # reserved

    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{created['id']}").json()
    assert body["status"] == "review" and body["language"] == "en"  # detected
    assert word_error_rate(" ".join(ENGLISH), " ".join(s["text"] for s in body["transcript"])) < 0.2
    assert len(body["transcript"]) == 2  # a new segment at the pause
    [spanish] = body["languages"]
    assert (spanish["status"], spanish["stage"]) == ("waiting", "review")
    assert spanish["engine"] == "apertium" and spanish["quality"] == "draft"
    assert spanish["quality_note"].startswith("Draft quality")

    # The customer's own lines replace the machine translation (Whisper base reads
    # them back from Kokoro's Spanish; espeak-ng's was heard as Spanish only by chance).
    edited = [{"text": "Bienvenidos a la reunión de seguridad."}, {"text": ""}]
    edited[1]["text"] = "Hoy hablamos de las salidas de emergencia."
    url = f"/api/v1/translations/{created['id']}/languages/es"
    patched = client.patch(url, {"segments": edited}, format="json")
    assert patched.status_code == 200, patched.content
    assert [s["text"] for s in patched.json()["segments"]] == [e["text"] for e in edited]

    assert (
        client.post(f"/api/v1/translations/{created['id']}/dub", {}, format="json").status_code
        == 200
    )
    stub_worker.drain()
    done = client.get(f"/api/v1/translations/{created['id']}").json()
    assert done["status"] == "completed", done
    [spanish] = done["languages"]
    assert spanish["status"] == "completed" and spanish["progress"] == 100
    assert set(spanish["stage_timings"]) == {
        "transcribe",
        "translate",
        "review",
        "dub",
        "lipsync",
        "encode",
    }
    # The test picture has no face: the dub is delivered and lip-sync says it was skipped.
    assert spanish["lipsync"]["synced"] == 0 and "skipped" in spanish["lipsync"]["note"]
    assert spanish["dub_report"]["lines"] == 2
    print("dub report:", spanish["dub_report"], "lipsync:", spanish["lipsync"])

    job = TranslationLanguage.objects.get(pk=spanish["id"])
    dubbed = tmp_path / "dubbed.mp4"
    with job.mp4.open("rb") as handle:
        dubbed.write_bytes(handle.read())
    source = tmp_path / "source.mp4"
    source.write_bytes(english_video)
    original = probe_video(source, max_seconds=600)
    info = probe_video(dubbed, max_seconds=600)
    assert abs(info.duration_s - original.duration_s) / original.duration_s <= 0.05
    heard = transcribe_file(dubbed)
    wer = word_error_rate(" ".join(e["text"] for e in edited), heard.text)
    print(f"dubbed: language {heard.language}, WER {wer:.2f}: {heard.text!r}")
    # The bar: Spanish is heard, WER at most 0.35, and most long words come back.
    from avatar.audio.align import tokenize

    long_words = {w for e in edited for w in tokenize(e["text"]) if len(w) >= 6}
    heard_words = set(tokenize(heard.text))
    assert heard.language == "es" and wer <= 0.35
    assert len(long_words & heard_words) >= len(long_words) / 2, (long_words, heard_words)
    with job.vtt.open("rb") as handle:
        vtt = handle.read().decode()
    assert vtt.startswith("WEBVTT") and "salidas de emergencia" in vtt
    assert billing.balance(team.workspace_a) == before - billing.estimate_cost(
        team.workspace_a, original.duration_s
    )  # charged once, for what was delivered
    [event] = WebhookDelivery.objects.filter(event_type="translation.completed")
    assert event.payload["data"]["id"] == created["id"]


@pytest.mark.slow
def test_a_language_that_cannot_be_translated_fails_alone_and_costs_nothing(
    team, stub_worker, english_video
):
    client = api_client_for(team.creator, team.workspace_a)
    before = billing.balance(team.workspace_a)
    options = '{"review": false}'
    # "de": no engine here, but the source language is only known after detection.
    response = post(client, english_video, target_languages="pt,de", options=options)
    assert response.status_code == 201, response.content
    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{response.json()['id']}").json()
    states = {lang["language"]: lang for lang in body["languages"]}
    assert states["pt"]["status"] == "completed" and states["pt"]["engine"] == "bergamot"
    assert states["de"]["status"] == "failed"
    assert states["de"]["error"]["code"] == "unsupported_language_pair"
    assert "en→pt" in states["de"]["error"]["message"]
    assert body["status"] == "completed"  # one language delivered
    charged = billing.estimate_cost(team.workspace_a, body["duration_s"])
    assert billing.balance(team.workspace_a) == before - charged  # for Portuguese only


@pytest.mark.parametrize(
    "make,field,code",
    [
        (lambda v: b"this is not a video", "video", "not_a_video"),
        (lambda v: v[:4000], "video", "corrupt"),
    ],
    ids=["text-file", "truncated"],
)
def test_a_bad_upload_is_refused_and_nothing_is_stored(team, english_video, make, field, code):
    client = api_client_for(team.creator, team.workspace_a)
    response = post(client, make(english_video))
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["field"], error["code"]) == (field, code)
    assert not Translation.objects.exists() and not Job.objects.exists()
    assert not default_storage.exists(f"workspaces/{team.workspace_a.pk}/translations")


def test_a_video_without_sound_is_refused(team, tmp_path):
    silent = tmp_path / "mute.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=2",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(silent))  # fmt: skip
    response = post(api_client_for(team.creator, team.workspace_a), silent.read_bytes())
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_audio"
    assert "no sound track" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "fields,field,words",
    [
        (
            {"source_language": "en", "target_languages": "de", "options": '{"review": false}'},
            "target_languages",
            "en→es",
        ),
        ({"target_languages": "xx1"}, "target_languages", "not a language code"),
        ({"target_languages": ""}, "target_languages", "at least one language"),
        ({"source_language": "en", "target_languages": "en"}, "target_languages", "already in"),
        ({"voices": '{"es": "piper:en_US-joe-medium"}'}, "voices.es", "not es"),
        ({"voices": '{"ES": "kokoro:es-jm_kumo"}'}, "voices.ES", "not one of the languages"),
        ({"voices": '{"pt": "kokoro:pt-jf_alpha"}'}, "voices.pt", "not one of the languages"),
        ({"target_languages": "tlh"}, "voices.tlh", "No voice here speaks tlh"),
        ({"options": '{"review": "maybe"}'}, "options.review", "true or false"),
        ({"options": '{"loud": true}'}, "options", "Unknown option"),
    ],
)
def test_bad_requests_name_the_field_and_store_nothing(team, english_video, fields, field, words):
    client = api_client_for(team.creator, team.workspace_a)
    response = post(client, english_video, **fields)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == field and words in error["message"], error
    assert not Translation.objects.exists()


@pytest.mark.parametrize("targets", [None, 5, True, {"es": 1}, [["es"]]])
def test_target_languages_that_are_not_codes_are_refused_in_a_json_body(team, targets):
    client = api_client_for(team.creator, team.workspace_a)
    body = {"video_id": str(uuid.uuid4()), "target_languages": targets}
    response = client.post("/api/v1/translations", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["field"] == "target_languages"
    assert not Translation.objects.exists()


def test_a_viewer_cannot_translate_and_a_free_plan_cannot_go_past_its_length(
    personas, english_video
):
    viewer = api_client_for(personas.viewer, personas.workspace_a)
    assert post(viewer, english_video).status_code == 403
    assert not Translation.objects.exists()


def test_the_offered_languages_say_which_pairs_translate_offline(team):
    client = api_client_for(team.viewer, team.workspace_a)
    offered = {
        row["language"]: row
        for row in client.get("/api/v1/translations/languages").json()["results"]
    }
    assert offered["es"]["translated_from"] == ["en"] and "espeak:es" in offered["es"]["voices"]
    assert offered["pt"]["translated_from"] == ["en"]
    assert offered["en"]["neural_voice"] is True and offered["en"]["voice_note"] == ""
    # Kokoro's neural voices speak Spanish and Portuguese, with the accent said.
    assert offered["es"]["voices"][0].startswith("kokoro:") and offered["es"]["neural_voice"]
    assert "Japanese speaker" in offered["pt"]["voice_note"]
    assert offered["de"]["neural_voice"] is False and "espeak-ng" in offered["de"]["voice_note"]


def test_own_subtitles_replace_the_transcript(team, english_video, stub_worker):
    srt = (
        "1\n00:00:00,200 --> 00:00:02,500\nWelcome to the briefing.\n\n"
        "2\n00:00:03,500 --> 00:00:05,000\nFire exits are green.\n"
    )
    client = api_client_for(team.creator, team.workspace_a)
    response = post(
        client, english_video, source_language="en", target_languages="pt",
        subtitles=SimpleUploadedFile("mine.srt", srt.encode(), "text/plain"),
    )  # fmt: skip
    assert response.status_code == 201, response.content
    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{response.json()['id']}").json()
    assert body["transcript_source"] == "uploaded"
    assert [s["text"] for s in body["transcript"]] == [
        "Welcome to the briefing.",
        "Fire exits are green.",
    ]
    [portuguese] = body["languages"]
    assert portuguese["status"] == "waiting"
    assert [s["source"] for s in portuguese["segments"]] == [s["text"] for s in body["transcript"]]


@pytest.mark.parametrize(
    "cue,words",
    [
        ("00:00:09,000 --> 00:00:10,000\nLater.", "Line 2 of the subtitles starts at 9.0 s"),
        ("00:00:04,000 --> 00:00:05,000\n" + "x" * 1001, "Line 2 of the subtitles is 1001"),
    ],
)
def test_subtitles_that_do_not_fit_the_video_are_refused_by_line(team, english_video, cue, words):
    """A line after the video's end, or too long to be a line, could never be saved in
    review: it is refused at the upload, naming the line."""
    srt = f"1\n00:00:00,200 --> 00:00:02,500\nWelcome.\n\n2\n{cue}\n"
    client = api_client_for(team.creator, team.workspace_a)
    upload = SimpleUploadedFile("mine.srt", srt.encode(), "text/plain")
    response = post(client, english_video, source_language="en", target_languages="pt",
                    subtitles=upload)  # fmt: skip
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["field"] == "subtitles" and words in error["message"], error
    assert not Translation.objects.exists()


def test_a_subtitle_line_past_the_end_is_cut_there_and_the_lines_can_be_saved(
    team, english_video, stub_worker
):
    srt = "1\n00:00:00,200 --> 00:00:02,500\nWelcome.\n\n2\n00:00:04,000 --> 00:00:30,000\nBye.\n"
    client = api_client_for(team.creator, team.workspace_a)
    upload = SimpleUploadedFile("mine.srt", srt.encode(), "text/plain")
    response = post(client, english_video, source_language="en", target_languages="pt",
                    subtitles=upload)  # fmt: skip
    assert response.status_code == 201, response.content
    created = response.json()
    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{created['id']}").json()
    assert body["transcript"][1]["end"] <= body["duration_s"]
    url = f"/api/v1/translations/{created['id']}/languages/pt"
    saved = client.patch(url, {"segments": [{"text": "Olá."}, {"text": "Tchau."}]}, format="json")
    assert saved.status_code == 200, saved.json()


@pytest.mark.slow
def test_a_pair_nothing_here_translates_waits_for_the_customers_own_translation(
    team, stub_worker, english_video
):
    client = api_client_for(team.creator, team.workspace_a)
    response = post(client, english_video, target_languages="de")  # review is on by default
    assert response.status_code == 201, response.content
    stub_worker.drain()
    url = f"/api/v1/translations/{response.json()['id']}"
    [german] = client.get(url).json()["languages"]
    assert german["status"] == "waiting" and german["quality"] == "own"
    assert german["quality_note"].startswith("No engine here translates this pair")
    assert [s["text"] for s in german["segments"]] == ["", ""]
    empty = client.post(f"{url}/dub", {}, format="json")
    assert empty.status_code == 400 and empty.json()["error"]["field"] == "languages.de"
    lines = [{"text": "Willkommen zur Sicherheitsbesprechung."}, {"text": "Notausgänge sind grün."}]
    assert (
        client.patch(f"{url}/languages/de", {"segments": lines}, format="json").status_code == 200
    )
    assert client.post(f"{url}/dub", {}, format="json").status_code == 200
    stub_worker.drain()
    [german] = client.get(url).json()["languages"]
    assert german["status"] == "completed" and german["outputs"]["mp4"]


@pytest.mark.slow
def test_a_silent_video_fails_with_the_reason_and_costs_nothing(team, stub_worker, tmp_path):
    silent = tmp_path / "silent.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:duration=3", "-f", "lavfi",
           "-i", "anullsrc=r=44100:cl=mono", "-t", "3", "-c:v", "libx264", "-pix_fmt",
           "yuv420p", "-c:a", "aac", str(silent))  # fmt: skip
    client = api_client_for(team.creator, team.workspace_a)
    before = billing.balance(team.workspace_a)
    response = post(client, silent.read_bytes())
    assert response.status_code == 201, response.content  # it has a sound track
    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{response.json()['id']}").json()
    assert body["status"] == "failed"
    [spanish] = body["languages"]
    assert spanish["error"]["code"] == "silent" and "silent" in spanish["error"]["message"]
    assert billing.balance(team.workspace_a) == before


def test_editing_is_only_for_a_language_under_review_and_checks_each_segment(team):
    translation, job = make_waiting(team)
    client = api_client_for(team.creator, team.workspace_a)
    url = f"/api/v1/translations/{translation.pk}/languages/es"
    short = client.patch(url, {"segments": [{"text": "Hola"}]}, format="json")
    assert short.status_code == 400 and short.json()["error"]["field"] == "segments"
    bad_time = [{"text": "Hola", "start": 5, "end": 1}, {"text": "Adiós"}]
    wrong = client.patch(url, {"segments": bad_time}, format="json")
    assert wrong.status_code == 400 and wrong.json()["error"]["field"] == "segments.0.start"
    # true is not a second, and an empty list of languages names none
    yes = client.patch(url, {"segments": [{"text": "Hola", "start": True}, {"text": "Adiós"}]},
                       format="json")  # fmt: skip
    assert yes.status_code == 400 and yes.json()["error"]["field"] == "segments.0.start"
    none = client.post(f"/api/v1/translations/{translation.pk}/dub", {"languages": []},
                       format="json")  # fmt: skip
    assert none.status_code == 400 and none.json()["error"]["field"] == "languages"
    TranslationLanguage.objects.filter(pk=job.pk).update(status="running", stage="dub")
    busy = client.patch(url, {"segments": [{"text": "a"}, {"text": "b"}]}, format="json")
    assert busy.status_code == 409
    assert (
        client.post(f"/api/v1/translations/{translation.pk}/dub", {}, format="json").status_code
        == 409
    )


def test_a_segment_can_be_translated_again_from_the_original(team):
    translation, job = make_waiting(team)
    client = api_client_for(team.creator, team.workspace_a)
    url = f"/api/v1/translations/{translation.pk}/languages/es/retranslate"
    response = client.post(url, {"index": 1}, format="json")
    assert response.status_code == 200, response.content
    assert "verde" in response.json()["segments"][1]["text"]
    assert client.post(url, {"index": 7}, format="json").json()["error"]["field"] == "index"


def test_cancelling_a_translation_cancels_its_languages_and_returns_the_credits(team):
    translation, job = make_waiting(team)
    client = api_client_for(team.creator, team.workspace_a)
    before = billing.balance(team.workspace_a)
    response = client.post(f"/api/v1/translations/{translation.pk}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert TranslationLanguage.objects.get(pk=job.pk).status == "cancelled"
    assert billing.balance(team.workspace_a) == before + job.credits_reserved


def make_waiting(personas):
    """A translation whose Spanish waits for review (made directly, without a worker)."""
    from django.core.files.base import ContentFile

    from saas.jobs import engine
    from saas.translations.pipeline import LANGUAGE, TRANSLATION

    workspace = personas.workspace_a
    parent = Job.objects.create(kind="translation", workspace=workspace)
    translation = Translation(
        workspace=workspace, title="t", duration_s=6.0, language="en", job=parent,
        segments=[{"start": 0.2, "end": 2.5, "text": ENGLISH[0]},
                  {"start": 3.5, "end": 5.5, "text": ENGLISH[1]}],
    )  # fmt: skip
    translation.source.save("v.mp4", ContentFile(b"x"), save=False)
    translation.save()
    job = TranslationLanguage.objects.create(
        translation=translation, workspace=workspace, language="es", voice="espeak:es",
        stage="transcribe", credits_reserved=5,
    )  # fmt: skip
    engine.submit_group(TRANSLATION, parent, [(LANGUAGE, job)])
    segments = [{**s, "source": s["text"], "text": s["text"]} for s in translation.segments]
    TranslationLanguage.objects.filter(pk=job.pk).update(
        status="waiting", stage="review", segments=segments
    )
    job.refresh_from_db()
    return translation, job


@pytest.fixture(scope="module")
def presenter_video(tmp_path_factory) -> bytes:
    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    folder = tmp_path_factory.mktemp("presenter")
    request = TalkingVideoRequest(script=" ".join(ENGLISH), presenter="grace", aspect="16:9")
    return render_talking_video(request, out_path=folder / "grace.mp4").path.read_bytes()


@pytest.mark.slow
def test_a_presenters_face_is_lip_synced_to_the_dub(team, stub_worker, presenter_video, tmp_path):
    from avatar.dub.probe import probe_video

    client = api_client_for(team.creator, team.workspace_a)
    options = '{"review": false, "captions_burned": true}'
    response = post(client, presenter_video, target_languages="pt", options=options)
    assert response.status_code == 201, response.content
    stub_worker.drain()
    body = client.get(f"/api/v1/translations/{response.json()['id']}").json()
    [portuguese] = body["languages"]
    assert portuguese["status"] == "completed", portuguese["error"]
    lipsync = portuguese["lipsync"]
    assert lipsync["synced"] >= 0.95 * lipsync["frames"] and lipsync["note"] is None
    job = TranslationLanguage.objects.get(pk=portuguese["id"])
    out = tmp_path / "pt.mp4"
    with job.mp4.open("rb") as handle:
        out.write_bytes(handle.read())
    (tmp_path / "src.mp4").write_bytes(presenter_video)
    source, dubbed = (
        probe_video(tmp_path / "src.mp4", max_seconds=60),
        probe_video(out, max_seconds=60),
    )
    assert abs(dubbed.duration_s - source.duration_s) / source.duration_s <= 0.05
    assert (dubbed.width, dubbed.height) == (source.width, source.height)


@pytest.mark.slow
def test_a_finished_video_of_the_workspace_can_be_translated_but_not_anothers(
    team, english_video, stub_worker
):
    from django.core.files.base import ContentFile

    from saas.studio.models import Video

    def finished(workspace):
        video = Video(workspace=workspace, title="Briefing", stage="done", status="completed",
                      request={}, duration_s=8.0)  # fmt: skip
        video.mp4.save("briefing.mp4", ContentFile(english_video), save=False)
        video.save()
        return video

    mine, theirs = finished(team.workspace_a), finished(team.workspace_b)
    client = api_client_for(team.creator, team.workspace_a)
    body = {"video_id": str(mine.pk), "target_languages": ["pt"], "options": {"review": False}}
    response = client.post("/api/v1/translations", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["source_video"] == str(mine.pk)
    assert response.json()["title"] == "Briefing"
    other = client.post("/api/v1/translations", {**body, "video_id": str(theirs.pk)}, format="json")
    assert other.status_code == 404
    stub_worker.drain()
    done = client.get(f"/api/v1/translations/{response.json()['id']}").json()
    assert done["languages"][0]["status"] == "completed"


@pytest.mark.slow
def test_a_presenter_video_is_dubbed_into_spanish_with_her_mouth_following_the_new_voice(
    team, stub_worker, presenter_video, tmp_path
):
    """The whole of it on a face: Spanish heard, same length, nothing but the lower face
    changed, and the mouth opening following the dub rather than the original speech.

    The voice is the one a customer gets for Spanish without choosing (Kokoro): Whisper
    hears espeak-ng's Spanish only half the time as Spanish, and misses one word in
    three on some runs (CI failed on it), which measured Whisper, not the dub."""
    import numpy as np

    from avatar.audio.align import tokenize
    from avatar.audio.transcribe import word_error_rate
    from avatar.dub.probe import probe_video
    from avatar.dub.transcribe import transcribe_file
    from avatar.lipsync import faces
    from avatar.lipsync.video import _box, decode_frames, mouth_opening, track

    client = api_client_for(team.creator, team.workspace_a)
    created = post(client, presenter_video).json()
    stub_worker.drain()
    url = f"/api/v1/translations/{created['id']}"
    assert created["languages"][0]["voice"].startswith("kokoro:es-"), created
    lines = [{"text": "Bienvenidos a la reunión de seguridad."},
             {"text": "Hoy hablamos de las salidas de emergencia."}]  # fmt: skip
    count = len(client.get(url).json()["languages"][0]["segments"])  # Whisper's lines: 1 or 2
    edits = (
        lines
        if count == 2
        else [{"text": " ".join(x["text"] for x in lines)}] + [{"text": ""}] * (count - 1)
    )
    patched = client.patch(f"{url}/languages/es", {"segments": edits}, format="json")
    assert patched.status_code == 200, patched.json()
    assert client.post(f"{url}/dub", {}, format="json").status_code == 200
    stub_worker.drain()
    [spanish] = client.get(url).json()["languages"]
    assert spanish["status"] == "completed", spanish["error"]
    assert spanish["lipsync"]["synced"] >= 0.95 * spanish["lipsync"]["frames"]

    job = TranslationLanguage.objects.get(pk=spanish["id"])
    source, dubbed, voice = tmp_path / "en.mp4", tmp_path / "es.mp4", tmp_path / "voice.wav"
    source.write_bytes(presenter_video)
    with job.mp4.open("rb") as handle:
        dubbed.write_bytes(handle.read())
    folder = f"workspaces/{job.workspace_id}/translations/{job.translation_id}/es"
    with default_storage.open(f"{folder}/voice.wav", "rb") as handle:
        voice.write_bytes(handle.read())

    original, info = probe_video(source, max_seconds=60), probe_video(dubbed, max_seconds=60)
    assert abs(info.duration_s - original.duration_s) / original.duration_s <= 0.05
    heard = transcribe_file(dubbed)
    wer = word_error_rate(" ".join(line["text"] for line in lines), heard.text)
    print(f"dubbed presenter: language {heard.language}, WER {wer:.2f}: {heard.text!r}")
    assert heard.language == "es" and wer <= 0.35
    assert {"reunión", "seguridad", "emergencia"} & set(tokenize(heard.text))

    points, _ = track(source)
    outside, inside, openings = [], [], []
    pairs = zip(decode_frames(source), decode_frames(dubbed), strict=False)  # a frame apart at most
    for index, (before, after) in enumerate(pairs):
        x0, y0, x1, y1 = _box(points[index], before.shape)
        difference = np.abs(before.astype(np.int16) - after.astype(np.int16)).mean(axis=2)
        mask = np.ones(difference.shape, dtype=bool)
        mask[y0:y1, x0:x1] = False
        outside.append(difference[mask].mean())
        inside.append(difference[~mask].mean())
        meshes = faces.face_meshes(after)
        openings.append(mouth_opening(meshes[0]) if meshes else 0.0)
    print(
        f"mean change outside the lower face {np.mean(outside):.2f}, inside {np.mean(inside):.2f}"
    )
    # Outside, only the encoder's noise (both files are H.264): far below what changed inside.
    assert np.max(outside) < 3.0 and np.mean(inside) > 2 * np.mean(outside)
    new = loudness.correlation(openings, voice, original.fps)
    old = loudness.correlation(openings, source, original.fps)
    print(f"mouth opening vs the dub r={new:.2f}, vs the original speech r={old:.2f}")
    assert new > old and new > 0.2


@pytest.mark.slow
def test_two_speakers_are_labelled_and_dubbed_in_two_voices(team, stub_worker, tmp_path):
    import soundfile

    from ..avatar.test_speakers import conversation

    samples, _ = conversation(tmp_path, pause=1.2)
    soundfile.write(tmp_path / "talk.wav", samples, 16000)
    video = tmp_path / "talk.mp4"
    sound = str(tmp_path / "talk.wav")
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-i", sound, "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(video))  # fmt: skip
    client = api_client_for(team.creator, team.workspace_a)
    created = post(client, video.read_bytes(), target_languages="es").json()
    stub_worker.drain()
    url = f"/api/v1/translations/{created['id']}"
    body = client.get(url).json()
    labels = [s["speaker"] for s in body["transcript"]]
    print("speakers:", labels, [s["text"] for s in body["transcript"]])
    assert set(labels) == {"S1", "S2"} and labels[0] == "S1" and labels[1] == "S2"
    [spanish] = body["languages"]
    assert [s["speaker"] for s in spanish["segments"]] == labels

    refused = client.patch(f"{url}/languages/es", {"speaker_voices": {"S9": "espeak:es"}},
                           format="json")  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["error"]["field"] == "speaker_voices.S9"
    english = {"speaker_voices": {"S2": "piper:en_US-joe-medium"}}
    wrong = client.patch(f"{url}/languages/es", english, format="json")
    assert wrong.status_code == 400 and "not es" in wrong.json()["error"]["message"]
    # Both parts or neither: a refused voice keeps the edited lines unsaved too.
    edited = [{"text": f"Línea {n}."} for n in range(len(labels))]
    both = {"segments": edited, "speaker_voices": {"S9": "espeak:es"}}
    assert client.patch(f"{url}/languages/es", both, format="json").status_code == 400
    after = client.get(url).json()["languages"][0]["segments"]
    assert [s["text"] for s in after] == [s["text"] for s in spanish["segments"]]
    # The code in capitals is the same language.
    chosen = client.patch(f"{url}/languages/ES", {"speaker_voices": {"S2": "espeak:es+f3"}},
                          format="json")  # fmt: skip
    assert chosen.status_code == 200, chosen.json()
    assert chosen.json()["speaker_voices"] == {"S2": "espeak:es+f3"}
    assert client.post(f"{url}/dub", {}, format="json").status_code == 200
    stub_worker.drain()
    [spanish] = client.get(url).json()["languages"]
    assert spanish["status"] == "completed", spanish["error"]
    voices = spanish["speaker_voices"]
    assert voices["S2"] == "espeak:es+f3" and voices["S1"] == spanish["voice"] != voices["S2"]


def test_each_further_speaker_gets_another_voice_of_the_language_unless_chosen():
    from types import SimpleNamespace

    from avatar.voices import get_voice
    from saas.translations.services import voices_per_speaker

    segments = [{"speaker": s} for s in ("S1", "S2", "S1", "S3")]
    job = SimpleNamespace(segments=segments, voice="kokoro:es-jf_alpha", language="es",
                          speaker_voices={})  # fmt: skip
    voices = voices_per_speaker(job)
    assert voices["S1"] == "kokoro:es-jf_alpha" and len(set(voices.values())) == 3
    assert get_voice(voices["S2"]).gender != get_voice(voices["S1"]).gender  # told apart
    assert all(get_voice(v).primary_language == "es" for v in voices.values())
    job.speaker_voices = {"S3": "espeak:es"}
    assert voices_per_speaker(job)["S3"] == "espeak:es"
    unlabelled = SimpleNamespace(segments=[{"text": "x"}], voice="espeak:es", language="es",
                                 speaker_voices={})  # fmt: skip
    assert voices_per_speaker(unlabelled) == {"": "espeak:es"}


def test_retranslating_one_segment_keeps_the_reviewers_edits_to_the_others(personas, monkeypatch):
    """Re-translate is a button of the review form: the edits typed in the other
    segments come with it, and were dropped."""
    from django.urls import reverse

    from avatar.dub import translate

    from ..conftest import web_client

    def machine(texts, *args, **kwargs):
        return ["(machine again)"] * len(texts), None

    monkeypatch.setattr(translate, "translate_texts", machine)
    translation, job = make_waiting(personas)
    page = web_client(personas.creator, personas.workspace_a)
    url = reverse("translation_retranslate", args=[translation.pk, "es", 1])
    page.post(url, {"text_0": "MY CAREFUL EDIT", "text_1": job.segments[1]["text"]})
    job.refresh_from_db()
    assert job.segments[0]["text"] == "MY CAREFUL EDIT"
    assert job.segments[1]["text"] == "(machine again)"


def test_a_segment_is_counted_as_the_textarea_counts_it(personas):
    """The browser sends each line break as CRLF; the textarea's maxlength counts one."""
    from saas.translations import services as translations

    translation, job = make_waiting(personas)
    text = ("a" * 99 + "\r\n") * 9 + "a" * 100  # 1000 as typed, 1009 as sent
    segments = [{"text": s["text"]} for s in job.segments]
    segments[0] = {"text": text}
    translations.update_segments(
        personas.membership(personas.creator), translation.pk, "es", segments
    )
    job.refresh_from_db()
    assert job.segments[0]["text"] == text.replace("\r\n", "\n")
