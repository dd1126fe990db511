"""The dashboard, the video page, share links, duplicate, cancel and delete (web pages)."""

import re
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from saas.studio.models import Draft, Video

from ..conftest import web_client

Status, Stage = Video.Status, Video.Stage
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
VTT = b"WEBVTT\n\n00:00.000 --> 00:01.500\nMeet our new mug!\n"
SRT = b"1\n00:00:00,000 --> 00:00:01,500\nMeet our new mug!\n"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32 + b"\xff\xd9"


def make_video(workspace, user=None, *, title="Mug ad", status=Status.COMPLETED, **fields):
    active = status in Video.ACTIVE
    fields.setdefault("stage", Stage.RENDER if active or status == Status.FAILED else Stage.DONE)
    fields.setdefault("progress", 100 if status == Status.COMPLETED else 40)
    aspect = fields.pop("aspect", "9:16")
    return Video.objects.create(
        workspace=workspace,
        title=title,
        status=status,
        request={"aspect": aspect, "resolution": "720p", "scenes": [{"script": "Hi"}]},
        created_by=user,
        **fields,
    )


def with_files(video):
    video.mp4.save("video.mp4", ContentFile(MP4), save=False)
    video.poster.save("poster.jpg", ContentFile(JPEG), save=False)
    video.srt.save("captions.srt", ContentFile(SRT), save=False)
    video.vtt.save("captions.vtt", ContentFile(VTT), save=False)
    video.duration_s = 12.4
    video.save()
    return video


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def card_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="vd-card-title"><a href="[^"]+">([^<]+)</a>', page)


@pytest.fixture
def acme(personas):
    return web_client(personas.owner, personas.workspace_a)


# The dashboard ---------------------------------------------------------------------


def test_the_dashboard_lists_only_the_workspaces_videos(personas, acme):
    make_video(personas.workspace_a, personas.owner, title="Acme mug")
    make_video(personas.workspace_b, personas.outsider, title="Globex secret")
    assert card_titles(html(acme.get("/dashboard/"))) == ["Acme mug"]
    globex = web_client(personas.outsider, personas.workspace_b)
    assert card_titles(html(globex.get("/dashboard/"))) == ["Globex secret"]


def test_a_card_shows_status_stage_progress_eta_and_creator(personas, acme):
    make_video(
        personas.workspace_a, personas.creator, title="Rendering mug",
        status=Status.RUNNING, progress=42, eta_seconds=90,
    )  # fmt: skip
    with_files(make_video(personas.workspace_a, personas.owner, title="Done mug"))
    page = html(acme.get("/dashboard/"))
    assert 'role="progressbar"' in page and 'aria-valuenow="42"' in page
    assert "Rendering" in page and "About 1 min 30 s left" in page
    assert "creator@acme.test" in page and "Running" in page and "Completed" in page
    assert re.search(r'<img src="[^"]+poster[^"]*\.jpg\?[^"]+"', page)
    assert 'data-active="true"' in page and 'data-active="false"' in page


def test_search_and_filters_narrow_the_dashboard(personas):
    ws = personas.workspace_a
    make_video(ws, personas.creator, title="Red mug", aspect="9:16")
    make_video(ws, personas.owner, title="Blue shoe", status=Status.RUNNING, aspect="16:9")
    make_video(ws, personas.creator, title="Green hat", status=Status.FAILED, aspect="1:1")
    client = web_client(personas.creator, ws)

    def titles(query):
        return sorted(card_titles(html(client.get("/dashboard/" + query))))

    assert titles("") == ["Blue shoe", "Green hat", "Red mug"]
    assert titles("?q=MUG") == ["Red mug"]
    assert titles("?status=active") == ["Blue shoe"]
    assert titles("?status=failed") == ["Green hat"]
    assert titles("?aspect=16:9") == ["Blue shoe"]
    assert titles("?mine=1") == ["Green hat", "Red mug"]
    assert titles("?mine=1&status=completed") == ["Red mug"]
    assert "No videos match" in html(client.get("/dashboard/?q=nothing-like-this"))


def test_the_dashboard_pages_by_24_and_keeps_the_filters(personas, acme):
    for n in range(26):
        make_video(personas.workspace_a, personas.owner, title=f"Mug {n:02}")
    first = html(acme.get("/dashboard/?q=mug"))
    assert len(card_titles(first)) == 24 and "Page 1 of 2" in first
    assert 'href="?q=mug&amp;page=2"' in first
    second = card_titles(html(acme.get("/dashboard/?q=mug&page=2")))
    assert second == ["Mug 01", "Mug 00"]


def test_an_empty_workspace_guides_to_create_and_paste_a_link(personas, acme):
    page = html(acme.get("/dashboard/"))
    assert "Make your first video" in page
    assert 'href="/create/"' in page and 'href="/create/link/"' in page
    viewer = html(web_client(personas.viewer, personas.workspace_a).get("/dashboard/"))
    assert "Make your first video" in viewer and 'href="/create/link/"' not in viewer


# Live progress --------------------------------------------------------------------


def test_live_json_reports_only_this_workspaces_videos(personas, acme):
    running = make_video(
        personas.workspace_a, title="A", status=Status.RUNNING, progress=55, eta_seconds=20
    )
    done = with_files(make_video(personas.workspace_a, title="B"))
    foreign = make_video(personas.workspace_b, title="C", status=Status.RUNNING)
    ids = ",".join(str(v.pk) for v in (running, done, foreign)) + ",not-a-uuid"
    response = acme.get(f"/dashboard/live.json?ids={ids}")
    assert response.status_code == 200
    videos = {v["id"]: v for v in response.json()["videos"]}
    assert set(videos) == {str(running.pk), str(done.pk)}
    live = videos[str(running.pk)]
    assert (live["status"], live["stage"]) == ("running", "render")
    assert live["stage_label"] == "Rendering"
    assert (live["progress"], live["eta_seconds"], live["active"]) == (55, 20, True)
    assert live["poster"] is None and live["url"] == f"/videos/{running.pk}/"
    assert urlsplit(videos[str(done.pk)]["poster"]).path.endswith("poster.jpg")
    assert videos[str(done.pk)]["active"] is False


# One video ------------------------------------------------------------------------


def test_a_completed_video_has_a_player_with_captions_and_downloads(personas, acme):
    video = with_files(make_video(personas.workspace_a, personas.owner, title="Mug launch"))
    page = html(acme.get(f"/videos/{video.pk}/"))
    assert re.search(r'<video [^>]*poster="[^"]+poster[^"]*\.jpg\?[^"]+"', page)
    assert re.search(r'<source src="[^"]+video[^"]*\.mp4\?[^"]+" type="video/mp4">', page)
    assert re.search(r'<track kind="captions" src="[^"]+\.vtt\?[^"]+"', page)
    for ext in ("mp4", "srt", "vtt"):
        assert re.search(rf'<a class="vv-dl" href="[^"]+\.{ext}\?[^"]+" download>', page), ext
    assert "12.4 s" in page and "720×1280" in page and "Duplicate and edit" in page
    assert "Cancel render" not in page and 'role="progressbar"' not in page
    # The links work: signed URLs to local media
    url = re.search(r'<source src="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert b"".join(acme.get(url).streaming_content) == MP4 and "/media/" in url


def test_an_active_video_shows_live_progress_and_can_be_cancelled(personas, acme):
    video = make_video(
        personas.workspace_a, title="Soon", status=Status.RUNNING, progress=30, eta_seconds=45,
        stage_timings={"speech": 4.2}, source_url="https://shop.example/p/1",
    )  # fmt: skip
    page = html(acme.get(f"/videos/{video.pk}/"))
    assert 'aria-valuenow="30"' in page and "About 45 s left" in page
    assert "Recording the voice" in page and "4.2 s" in page  # the speech step's timing
    assert "https://shop.example/p/1" in page and "<video" not in page
    response = acme.post(f"/videos/{video.pk}/cancel", follow=True)
    assert "Video cancelled" in html(response)
    video.refresh_from_db()
    assert video.status == Status.CANCELLED


def test_cancelling_a_finished_video_says_why_not(personas, acme):
    video = make_video(personas.workspace_a, title="Done")
    page = html(acme.post(f"/videos/{video.pk}/cancel", follow=True))
    assert "only queued or running videos stop" in page


def test_a_failed_video_explains_and_offers_duplicate(personas, acme):
    video = make_video(
        personas.workspace_a, title="Broken", status=Status.FAILED,
        error_code="timeout", error_message="The rendering step took too long.",
    )  # fmt: skip
    page = html(acme.get(f"/videos/{video.pk}/"))
    assert "The rendering step took too long." in page and "timeout" in page
    assert f'action="/videos/{video.pk}/duplicate"' in page
    assert "<video" not in page


def test_duplicate_makes_a_draft_and_opens_the_editor(personas):
    video = make_video(personas.workspace_a, personas.owner, title="Mug ad")
    client = web_client(personas.creator, personas.workspace_a)
    response = client.post(f"/videos/{video.pk}/duplicate")
    draft = Draft.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/drafts/{draft.pk}/"
    assert draft.workspace == personas.workspace_a and draft.title == "Mug ad (copy)"
    assert draft.request["aspect"] == "9:16" and draft.created_by == personas.creator


def test_delete_removes_the_video_and_its_files(personas, acme):
    video = with_files(make_video(personas.workspace_a, title="Old mug"))
    names = [video.mp4.name, video.vtt.name]
    response = acme.post(f"/videos/{video.pk}/delete", follow=True)
    assert "“Old mug” was deleted." in html(response)
    assert not Video.objects.filter(pk=video.pk).exists()
    assert not any(default_storage.exists(name) for name in names)


# Share links ----------------------------------------------------------------------


def test_a_share_link_opens_a_public_page_until_revoked(personas):
    video = with_files(make_video(personas.workspace_a, title="Mug launch"))
    client = web_client(personas.creator, personas.workspace_a)
    client.post(f"/videos/{video.pk}/share")
    video.refresh_from_db()
    token = video.share_token
    assert len(token) >= 43  # secrets.token_urlsafe(32)
    assert f"/s/{token}/" in html(client.get(f"/videos/{video.pk}/"))

    public = Client().get(f"/s/{token}/")
    page = html(public)
    assert "Mug launch" in page and "Made with" in page
    media = re.search(r'<source src="([^"]+\.mp4\?[^"]+)"', page).group(1)
    assert "Log out" not in page and "Delete video" not in page and "vv-dl" not in page
    assert public["Referrer-Policy"] == "no-referrer"
    fetched = Client().get(media.replace("&amp;", "&"))
    assert fetched.status_code == 200 and b"".join(fetched.streaming_content) == MP4

    client.post(f"/videos/{video.pk}/share/revoke")
    assert Client().get(f"/s/{token}/").status_code == 404
    assert Client().get(media.replace("&amp;", "&")).status_code == 404  # its copied media too
    video.refresh_from_db()
    assert video.share_token == ""
    client.post(f"/videos/{video.pk}/share")
    video.refresh_from_db()
    assert video.share_token and video.share_token != token  # a new link, never the old one


def test_share_pages_404_for_unknown_tokens_and_unfinished_videos(personas, acme):
    assert Client().get("/s/not-a-real-token/").status_code == 404
    assert Client().get("/s/" + "x" * 80 + "/").status_code == 404
    running = make_video(personas.workspace_a, status=Status.RUNNING, share_token="tok" * 14)
    assert Client().get(f"/s/{running.share_token}/").status_code == 404
    queued = make_video(personas.workspace_a, title="Later", status=Status.QUEUED)
    page = html(acme.post(f"/videos/{queued.pk}/share", follow=True))
    assert "Only finished videos can be shared." in page
    queued.refresh_from_db()
    assert queued.share_token == ""


# Roles and workspaces --------------------------------------------------------------


def test_a_viewer_sees_but_cannot_act(personas):
    video = with_files(make_video(personas.workspace_a, title="Mug", share_token="t" * 43))
    running = make_video(personas.workspace_a, title="Busy", status=Status.RUNNING)
    viewer = web_client(personas.viewer, personas.workspace_a)
    page = html(viewer.get(f"/videos/{video.pk}/"))
    assert "<video" in page and "download>" in page
    for hidden in ("/duplicate", "/delete", "/share", "Create share link", "t" * 43):
        assert hidden not in page, hidden
    assert "/cancel" not in html(viewer.get(f"/videos/{running.pk}/"))

    for action in ("duplicate", "delete", "share", "share/revoke"):
        response = viewer.post(f"/videos/{video.pk}/{action}", follow=True)
        assert "This needs the creator role" in html(response), action
    response = viewer.post(f"/videos/{running.pk}/cancel", follow=True)
    assert "This needs the creator role" in html(response)
    video.refresh_from_db()
    running.refresh_from_db()
    assert video.share_token == "t" * 43 and running.status == Status.RUNNING
    assert not Draft.objects.exists()


OUTSIDER_GETS = ["/videos/{pk}/", "/dashboard/live.json?ids={pk}"]
OUTSIDER_POSTS = ["cancel", "delete", "duplicate", "share", "share/revoke"]


def test_an_outsider_gets_404_on_every_url(personas):
    video = with_files(make_video(personas.workspace_a, title="Acme only", share_token="s" * 43))
    running = make_video(personas.workspace_a, title="Acme busy", status=Status.RUNNING)
    outsider = web_client(personas.outsider, personas.workspace_b)
    for url in OUTSIDER_GETS:
        for target in (video, running):
            assert outsider.get(url.format(pk=target.pk)).status_code == 404, url
    for action in OUTSIDER_POSTS:
        for target in (video, running):
            response = outsider.post(f"/videos/{target.pk}/{action}")
            assert response.status_code == 404, action
    video.refresh_from_db()
    running.refresh_from_db()
    assert video.share_token == "s" * 43 and running.status == Status.RUNNING
    assert not Draft.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(personas):
    video = make_video(personas.workspace_a)
    for url in ("/dashboard/", f"/videos/{video.pk}/", "/dashboard/live.json"):
        response = Client().get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = Client().post(f"/videos/{video.pk}/delete")
    assert response.status_code == 302 and Video.objects.filter(pk=video.pk).exists()
