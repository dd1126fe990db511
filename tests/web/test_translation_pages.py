"""The translation pages: upload through the form, review side by side, dub, watch."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saas.billing import services as billing
from saas.translations.models import Translation

from ..conftest import web_client
from ..studio import conftest as studio_conftest
from ..translations.test_translations import english_video, make_waiting  # noqa: F401

stub_worker = studio_conftest.stub_worker
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(personas):
    billing.grant_credits(personas.workspace_a, 1000, note="pages")
    return personas


def test_the_page_offers_every_voiced_language_and_says_how_it_is_translated(team):
    page = web_client(team.creator, team.workspace_a).get(reverse("translations")).content.decode()
    assert 'name="target_languages" value="es"' in page
    assert 'Spanish <span class="muted">— translated offline from English' in page
    assert "No translations yet." in page
    viewer = web_client(team.viewer, team.workspace_a).get(reverse("translations")).content.decode()
    assert "Upload and transcribe" not in viewer


def test_a_bad_upload_shows_the_reason_on_the_form(team):
    client = web_client(team.creator, team.workspace_a)
    video = SimpleUploadedFile("x.mp4", b"not a video", "video/mp4")
    response = client.post(
        reverse("translation_create"), {"video": video, "target_languages": "es"}
    )
    assert response.status_code == 400
    assert "This file is text, not a video we can read" in response.content.decode()
    assert not Translation.objects.exists()


@pytest.mark.slow
def test_upload_review_edit_and_dub_from_the_pages(team, stub_worker, english_video):  # noqa: F811
    client = web_client(team.creator, team.workspace_a)
    form = {
        "video": SimpleUploadedFile("briefing.mp4", english_video, "video/mp4"),
        "target_languages": "pt", "voice_pt": "espeak:pt", "review": "on", "title": "Briefing",
    }  # fmt: skip
    response = client.post(reverse("translation_create"), form)
    assert response.status_code == 302
    translation = Translation.objects.get()
    stub_worker.drain()
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for review" in page
    assert "welcome to the quarterly safety briefing" in page.lower()  # as Whisper cased it
    assert 'name="text_0"' in page and "Re-translate" in page
    url = reverse("translation_segments", args=[translation.pk, "pt"])
    edits = {"text_0": "Bem-vindos à reunião de segurança.", "text_1": "As saídas são verdes."}
    client.post(url, {**edits, "action": "dub"})
    stub_worker.drain()
    page = client.get(reverse("translation_detail", args=[translation.pk])).content.decode()
    assert "<video" in page and "Download MP4" in page and "As saídas são verdes." in page
    assert translation.languages.get().status == "completed"


def test_an_outsider_cannot_see_the_page(team):
    translation, _ = make_waiting(team)
    outsider = web_client(team.outsider, team.workspace_b)
    assert outsider.get(reverse("translation_detail", args=[translation.pk])).status_code == 404


def test_the_form_offers_the_workspaces_finished_videos(team):
    from django.core.files.base import ContentFile

    from saas.studio.models import Video

    video = Video(workspace=team.workspace_a, title="Spring ad", stage="done",
                  status="completed", request={}, duration_s=12.0)  # fmt: skip
    video.mp4.save("ad.mp4", ContentFile(b"mp4"), save=False)
    video.save()
    page = web_client(team.creator, team.workspace_a).get(reverse("translations")).content.decode()
    assert 'name="video_id"' in page and f'value="{video.pk}">Spring ad (12 s)' in page
    other = (
        web_client(team.outsider, team.workspace_b).get(reverse("translations")).content.decode()
    )
    assert "Spring ad" not in other
