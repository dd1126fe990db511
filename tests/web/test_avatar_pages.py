"""The avatar gallery: stock presenters and own avatars, the instant photo check,
uploads with consent, stock previews made once, and who may do what."""

import io
from html import escape

import dramatiq
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from saas.studio import avatars as service
from saas.studio.avatars import CARD_PX as PORTRAIT_PX
from saas.studio.models import Avatar

from ..conftest import actors_on, web_client
from ..studio import conftest as studio_conftest

stub_worker = studio_conftest.stub_worker
STOCK_IDS = ("daniel", "clara", "marcus", "naomi", "grace", "astronaut", "maya", "theo")
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Each test gets its own storage, so stock previews never leak between tests."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def broker():
    """A private stub broker holding every message sent (nothing consumes them)."""
    from dramatiq.brokers.stub import StubBroker

    with actors_on(StubBroker()) as stub:
        yield stub


def queued(broker, pipeline):
    """What PIPELINE's queued preview jobs are for: (avatar id,) or (stock id,) each."""
    from saas.jobs.models import Job

    messages = [dramatiq.Message.decode(m) for m in list(broker.queues["gpu"].queue)]
    ids = [m.args[0] for m in messages if m.actor_name == f"{pipeline}_render"]
    return [(Job.objects.get(pk=i, kind=pipeline).subject,) for i in ids]


def png(size=(600, 600), colour=(120, 160, 200)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def face_photo(name="grace.jpg") -> SimpleUploadedFile:
    """A real face: the stock presenter Grace Hopper's portrait."""
    from avatar.presenters import STOCK

    return SimpleUploadedFile(name, STOCK["grace"].locate().read_bytes(), "image/jpeg")


def make_avatar(workspace, name="Sam", status=Avatar.Status.READY, **fields):
    avatar = Avatar(workspace=workspace, name=name, status=status, consent_at=timezone.now())
    for key, value in fields.items():
        setattr(avatar, key, value)
    avatar.image.save("photo.png", ContentFile(png()), save=False)
    avatar.save()
    return avatar


def client_of(personas, who):
    user = getattr(personas, who)
    return web_client(user, personas.workspace_b if who == "outsider" else personas.workspace_a)


# The gallery ---------------------------------------------------------------------


def test_it_lists_the_stock_presenters_and_this_workspaces_avatars_only(personas, broker):
    make_avatar(personas.workspace_a, name="Acme presenter")
    make_avatar(personas.workspace_b, name="Globex secret")
    response = client_of(personas, "viewer").get(reverse("avatars"))
    assert response.status_code == 200
    page = response.content.decode()
    for stock_id in STOCK_IDS:
        assert reverse("stock_portrait", args=[stock_id]) in page
    assert "Grace Hopper" in page and "Maya (illustrated)" in page and "Naomi" in page
    assert page.index("Daniel") < page.index("Grace Hopper")  # the default comes first
    assert "Acme presenter" in page
    assert "Globex secret" not in page


def test_it_shows_each_photo_avatars_status_and_follows_processing_ones(personas, broker):
    processing = make_avatar(personas.workspace_a, name="Still cooking", status="processing")
    failed = make_avatar(
        personas.workspace_a,
        name="Broken",
        status="failed",
        quality_report={"ok": False, "errors": [{"message": "The renderer gave up."}]},
    )
    page = client_of(personas, "creator").get(reverse("avatars")).content.decode()
    assert f'data-poll="{reverse("avatar_status", args=[processing.pk])}"' in page
    assert f'data-poll="{reverse("avatar_status", args=[failed.pk])}"' not in page
    assert "Making preview…" in page
    assert "av-status-failed" in page and "The renderer gave up." in page


def test_the_status_json_redraws_the_card_once_the_preview_is_ready(personas, broker):
    avatar = make_avatar(personas.workspace_a, status="processing")
    client = client_of(personas, "viewer")
    url = reverse("avatar_status", args=[avatar.pk])
    assert client.get(url).json()["status"] == "processing"
    avatar.preview.save("preview.mp4", ContentFile(b"not really a video"), save=False)
    avatar.status = Avatar.Status.READY
    avatar.save()
    body = client.get(url).json()
    assert body["status"] == "ready"
    assert f'data-play="{escape(avatar.preview.url)}"' in body["html"]
    assert "data-poll" not in body["html"]
    assert "Delete" not in body["html"]  # the viewer's card has no delete button


def test_stock_portraits_are_served_as_small_jpegs(personas):
    client = client_of(personas, "viewer")
    response = client.get(reverse("stock_portrait", args=["maya"]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(response.content))
    assert image.size[0] <= PORTRAIT_PX
    assert client.get("/avatars/stock/nobody/portrait.jpg").status_code == 404


# The instant photo check -----------------------------------------------------------


def test_the_check_explains_how_to_fix_a_photo_without_a_face(personas):
    client = client_of(personas, "creator")
    photo = SimpleUploadedFile("flat.png", png(), "image/png")
    response = client.post(reverse("avatar_check"), {"image": photo})
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    problem = body["problems"][0]
    assert problem["code"] == "no_face"
    assert problem["title"] == "We couldn't find a face."
    assert problem["fix"] == "Use a front-facing photo where your whole face is visible."
    assert not Avatar.objects.exists()


def test_the_check_passes_a_real_face_and_finds_it(personas):
    response = client_of(personas, "creator").post(reverse("avatar_check"), {"image": face_photo()})
    body = response.json()
    assert body["ok"] is True and body["problems"] == []
    x, y, w, h = body["face_box"]
    width, height = body["size"]
    assert 0 <= x < x + w <= width and 0 <= y < y + h <= height


def test_the_check_says_a_tiny_photo_is_too_small(personas):
    photo = SimpleUploadedFile("tiny.png", png(size=(120, 90)), "image/png")
    body = client_of(personas, "creator").post(reverse("avatar_check"), {"image": photo}).json()
    assert [p["code"] for p in body["problems"]] == ["image_too_small"]
    assert "thumbnail" in body["problems"][0]["fix"]


def test_the_check_refuses_a_file_that_is_not_an_image(personas):
    photo = SimpleUploadedFile("me.jpg", b"GIF89a but not really", "image/jpeg")
    response = client_of(personas, "creator").post(reverse("avatar_check"), {"image": photo})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["field"] == "image" and error["code"] == "not_an_image"
    assert error["feedback"]["problems"][0]["fix"] == "Upload a JPEG, PNG or WebP photo."


def test_the_upload_form_states_the_size_limit(personas, broker):
    page = client_of(personas, "creator").get(reverse("avatars")).content.decode()
    assert "JPEG, PNG or WebP, up to 20 MB." in page
    assert 'accept="image/jpeg,image/png,image/webp"' in page
    assert "I am the person in this photo, or I have their written permission" in page


# Uploading --------------------------------------------------------------------------


def test_an_upload_without_consent_is_refused_naming_the_consent_field(personas, broker):
    client = client_of(personas, "creator")
    response = client.post(reverse("avatar_upload"), {"image": face_photo(), "name": "Me"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Consent: Confirm that you are the person in the photo" in page
    assert 'id="avatar-consent" name="consent" required data-field="consent" aria-invalid' in page
    response = client.post(reverse("avatar_upload"), {"image": face_photo(), "name": "Me"}, **JSON)
    assert response.status_code == 400 and response.json()["error"]["field"] == "consent"
    assert not Avatar.objects.exists()
    assert queued(broker, "avatar_preview") == []


def test_an_upload_of_a_faceless_photo_shows_the_problems(personas, broker):
    photo = SimpleUploadedFile("flat.png", png(), "image/png")
    response = client_of(personas, "creator").post(
        reverse("avatar_upload"), {"image": photo, "name": "Me", "consent": "on"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("We couldn&#x27;t find a face.") == 1
    assert page.count("av-detail") == 0  # the checker's own sentence is not said again
    assert not Avatar.objects.exists()


def test_an_upload_with_consent_creates_the_avatar_and_queues_its_preview(
    personas, broker, django_capture_on_commit_callbacks
):
    client = client_of(personas, "creator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("avatar_upload"),
            {"image": face_photo(), "name": "Grace in the studio", "consent": "on"},
            **JSON,
        )
    assert response.status_code == 201, response.content
    avatar = Avatar.objects.get()
    assert avatar.workspace == personas.workspace_a and avatar.name == "Grace in the studio"
    assert avatar.status == "processing" and avatar.consent_at is not None
    assert queued(broker, "avatar_preview") == [(str(avatar.pk),)]
    assert f'data-poll="{reverse("avatar_status", args=[avatar.pk])}"' in response.json()["html"]


def test_an_upload_without_javascript_redirects_to_the_gallery(
    personas, broker, django_capture_on_commit_callbacks
):
    client = client_of(personas, "admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("avatar_upload"), {"image": face_photo(), "name": "Grace", "consent": "on"}
        )
    assert response.status_code == 302 and response["Location"] == reverse("avatars")
    assert len(queued(broker, "avatar_preview")) == 1
    assert "“Grace” is being prepared" in client.get(reverse("avatars")).content.decode()


# Stock previews -----------------------------------------------------------------------


def test_stock_previews_are_queued_once_however_often_the_gallery_is_seen(
    personas, broker, django_capture_on_commit_callbacks
):
    client = client_of(personas, "viewer")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            page = client.get(reverse("avatars")).content.decode()
            assert page.count("Preview being prepared") == len(STOCK_IDS)
        client_of(personas, "outsider").get(reverse("avatars"))
    assert sorted(queued(broker, "stock_preview")) == sorted((s,) for s in STOCK_IDS)


def test_a_stale_stock_preview_request_is_queued_again(
    personas, broker, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert service.request_stock_preview("grace") is True
        assert service.request_stock_preview("grace") is False
        monkeypatch.setattr(service, "STOCK_PREVIEW_PENDING_SECONDS", 0)
        assert service.request_stock_preview("grace") is True
    assert queued(broker, "stock_preview") == [("grace",), ("grace",)]
    assert service.request_stock_preview("nobody") is False


def test_a_stored_stock_preview_is_played_and_never_queued(personas, broker):
    default_storage.save(service.stock_preview_name("astronaut"), ContentFile(b"mp4"))
    client = client_of(personas, "viewer")
    page = client.get(reverse("avatars")).content.decode()
    url = default_storage.url(service.stock_preview_name("astronaut"))
    assert f'data-play="{escape(url)}"' in page
    assert "Play the talking preview of Eileen Collins" in page
    assert ("astronaut",) not in queued(broker, "stock_preview")
    status = client.get(reverse("stock_avatar_status", args=["astronaut"])).json()
    assert status == {"id": "astronaut", "preview_url": url}
    assert client.get(reverse("stock_avatar_status", args=["maya"])).json()["preview_url"] is None


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)  # the worker thread claims the job's row
def test_a_worker_renders_a_stock_preview_into_storage(personas, stub_worker):
    assert service.request_stock_preview("maya") is True
    stub_worker.drain()
    name = service.stock_preview_name("maya")
    assert default_storage.exists(name)
    with default_storage.open(name, "rb") as handle:
        head = handle.read(12)
    assert head[4:8] == b"ftyp"  # an MP4 container
    assert service.stock_preview_url("maya") == default_storage.url(name)
    assert service.request_stock_preview("maya") is False  # made once, reused
    from saas.jobs.models import Job

    job = Job.objects.get(kind="stock_preview", subject="maya")
    assert job.status == "completed" and set(job.stage_timings) == {"render"}


# Permissions ------------------------------------------------------------------------


def test_a_viewer_sees_the_gallery_but_cannot_upload_check_or_delete(personas, broker):
    avatar = make_avatar(personas.workspace_a)
    client = client_of(personas, "viewer")
    page = client.get(reverse("avatars")).content.decode()
    assert "Grace Hopper" in page and avatar.name in page
    assert (
        reverse("avatar_upload") not in page
        and reverse("avatar_delete", args=[avatar.pk]) not in page
    )
    upload = {"image": face_photo(), "name": "Me", "consent": "on"}
    assert client.post(reverse("avatar_upload"), upload).status_code == 403
    assert client.post(reverse("avatar_check"), {"image": face_photo()}).status_code == 403
    assert client.post(reverse("avatar_delete", args=[avatar.pk])).status_code == 403
    assert Avatar.objects.filter(pk=avatar.pk).exists()
    assert queued(broker, "avatar_preview") == []


@pytest.mark.parametrize("who", ["creator", "admin", "owner"])
def test_creators_and_up_delete_an_avatar_and_its_files(personas, broker, who):
    avatar = make_avatar(personas.workspace_a)
    image_name = avatar.image.name
    client = client_of(personas, who)
    response = client.post(reverse("avatar_delete", args=[avatar.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("avatars")
    assert not Avatar.objects.filter(pk=avatar.pk).exists()
    assert not default_storage.exists(image_name)


def test_the_gallery_shows_a_small_copy_of_the_photo_and_delete_removes_it(personas, broker):
    from saas.studio.avatars import thumbnail_name

    avatar = make_avatar(personas.workspace_a)
    avatar.image.save("big.png", ContentFile(png((2400, 3000))), save=True)
    client = client_of(personas, "creator")
    assert (
        reverse("avatar_thumbnail", args=[avatar.pk])
        in client.get(reverse("avatars")).content.decode()
    )
    response = client.get(reverse("avatar_thumbnail", args=[avatar.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    small = Image.open(io.BytesIO(response.content))
    assert small.format == "JPEG" and small.size == (480, 600)
    assert default_storage.exists(thumbnail_name(avatar))  # made once, then served
    assert client.get(reverse("avatar_thumbnail", args=[avatar.pk])).content == response.content
    client.post(reverse("avatar_delete", args=[avatar.pk]))
    assert not default_storage.exists(thumbnail_name(avatar))
    assert (
        client_of(personas, "outsider")
        .get(reverse("avatar_thumbnail", args=[avatar.pk]))
        .status_code
        == 404
    )


def test_deleting_needs_a_post(personas):
    avatar = make_avatar(personas.workspace_a)
    response = client_of(personas, "owner").get(reverse("avatar_delete", args=[avatar.pk]))
    assert response.status_code == 405
    assert Avatar.objects.filter(pk=avatar.pk).exists()


@pytest.mark.parametrize("view", ["avatar_detail", "avatar_status", "avatar_delete"])
def test_an_outsider_gets_404_for_another_workspaces_avatar(personas, view):
    avatar = make_avatar(personas.workspace_a)
    client = client_of(personas, "outsider")
    url = reverse(view, args=[avatar.pk])
    response = client.post(url) if view == "avatar_delete" else client.get(url)
    assert response.status_code == 404
    assert Avatar.objects.filter(pk=avatar.pk).exists()


def test_the_avatar_page_shows_the_preview_and_the_photo_check(personas):
    avatar = make_avatar(
        personas.workspace_a,
        name="Sam at the desk",
        quality_report={
            "ok": True,
            "errors": [],
            "warnings": [{"code": "mouth_open", "message": "The mouth is open in this photo."}],
        },
    )
    avatar.preview.save("preview.mp4", ContentFile(b"mp4"), save=True)
    page = client_of(personas, "creator").get(reverse("avatar_detail", args=[avatar.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Sam at the desk" in text
    assert f'src="{escape(avatar.preview.url)}"' in text
    assert "The mouth is open." in text
    assert reverse("avatar_delete", args=[avatar.pk]) in text


def test_pages_need_a_login(db):
    from django.test import Client

    response = Client().get(reverse("avatars"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
