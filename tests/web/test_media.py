"""Media on local disk: only signed, unexpired URLs open a file, whoever asks; a path
alone, a changed path or signature, or an old link opens nothing."""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client

from saas import media

BODY = b"\x00\x00\x00\x18ftypmp42 a private video"


@pytest.fixture
def stored(db):
    name = default_storage.save("videos/ws/v/video.mp4", ContentFile(BODY))
    return name, default_storage.url(name)


def test_a_signed_url_opens_the_file_for_anyone_who_has_it(stored):
    _, url = stored
    response = Client().get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == BODY
    assert response["Content-Type"] == "video/mp4" and response["X-Content-Type-Options"]


def test_a_path_without_its_signature_or_with_another_opens_nothing(stored):
    name, url = stored
    path, query = urlsplit(url).path, dict(parse_qsl(urlsplit(url).query))
    client = Client()
    assert client.get(path).status_code == 404
    assert client.get(path, {**query, "sig": "0" * 32}).status_code == 404
    assert client.get(path, {**query, "e": str(int(query["e"]) + 3600)}).status_code == 404
    other = default_storage.save("videos/ws/v/other.mp4", ContentFile(b"other"))
    assert client.get(f"/media/{other}", query).status_code == 404  # a signature is per file
    assert client.get("/media/../settings.py", query).status_code == 404


def test_a_link_stops_working_once_it_expires(stored, settings):
    name, _ = stored
    settings.MEDIA_URL_EXPIRE_SECONDS = 60
    query = dict(parse_qsl(media.signed_query(name, now=time.time() - 3 * 3600)))
    assert int(query["e"]) < time.time()
    assert Client().get(f"/media/{name}", query).status_code == 404
    assert not media.valid(name, query)


def test_urls_stay_the_same_within_the_hour_so_pages_cache(stored):
    name, _ = stored
    now = 1_800_000_000
    assert media.signed_query(name, now=now) == media.signed_query(name, now=now + 1)


def test_behind_nginx_the_file_is_sent_by_x_accel_redirect(stored, settings):
    name, url = stored
    settings.MEDIA_ACCEL_REDIRECT = "/protected-media/"
    response = Client().get(url)
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected-media/{name}"


def test_a_file_that_is_not_media_is_a_download_that_cannot_run_as_a_page(db):
    """Whatever name a file ends up with, this site never serves it as a web page."""
    name = default_storage.save("workspaces/ws/assets/a/page.html", ContentFile(b"<form>"))
    response = Client().get(default_storage.url(name))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]


def test_media_is_shown_inline_and_sandboxed_too(stored):
    response = Client().get(stored[1])
    assert response["Content-Type"] == "video/mp4"
    assert not response.get("Content-Disposition", "").startswith("attachment")
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_captions_are_shown_in_the_browser(db):
    for name, kind in (("captions.srt", "text/plain"), ("captions.vtt", "text/vtt")):
        stored = default_storage.save(f"videos/ws/v/{name}", ContentFile(b"1\n00:00:00,000"))
        response = Client().get(default_storage.url(stored))
        assert response["Content-Type"].startswith(kind), name
        assert not response.get("Content-Disposition", "").startswith("attachment"), name
