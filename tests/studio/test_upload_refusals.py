"""Uploads that are bombs or lies are refused, naming the field and the reason, and
nothing is stored: images declaring huge sizes, files that are two things at once,
names that claim another type, and recordings ffmpeg's header shows are not sane."""

import io
import struct
import subprocess
import zipfile
import zlib

import imageio_ffmpeg
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from saas import file_checks
from saas.studio.models import Asset, Avatar

from ..conftest import api_client_for, web_client

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


# Files built to hurt -------------------------------------------------------------------


def png_declaring(width: int, height: int) -> bytes:
    """A well-formed PNG whose header declares WIDTH x HEIGHT (a few bytes of pixels)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def image_bytes(fmt="JPEG", size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


HTML = b"<html><body><script>fetch('/api/v1/keys').then(r => r.text())</script></body></html>"


def jpeg_with_html_comment() -> bytes:
    """A JPEG that any viewer shows, with a web page in its comment segment (COM)."""
    jpeg = image_bytes("JPEG")
    comment = b"\xff\xfe" + struct.pack(">H", len(HTML) + 2) + HTML
    return jpeg[:2] + comment + jpeg[2:]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ffmpeg(tmp_path, name: str, *args) -> bytes:
    out = tmp_path / name
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-y", *args, str(out)], check=True
    )
    return out.read_bytes()


def talking_video(tmp_path, size="320x240", seconds=2, name="clip.mp4", *codecs) -> bytes:
    codecs = codecs or ("-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac")
    return ffmpeg(
        tmp_path, name, "-f", "lavfi", "-i", f"color=size={size}:rate=5:d={seconds}",
        "-f", "lavfi", "-i", f"sine=d={seconds}", *codecs, "-shortest",
    )  # fmt: skip


# Helpers ---------------------------------------------------------------------------------


def post_asset(client, name, data, **extra):
    body = {"file": SimpleUploadedFile(name, data), **extra}
    return client.post("/api/v1/assets", body, format="multipart")


def post_avatar(client, field, name, data):
    body = {field: SimpleUploadedFile(name, data), "name": "Me", "consent": "true"}
    return client.post("/api/v1/avatars", body, format="multipart")


def refused(response, field, code, *words):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["field"], error["code"]) == (field, code), error
    for word in words:
        assert word in error["message"], error["message"]
    return error["message"]


def nothing_stored(workspace):
    assert not Asset.objects.exists() and not Avatar.objects.exists()
    assert not default_storage.exists(f"workspaces/{workspace.pk}")


@pytest.fixture
def creator(personas):
    return api_client_for(personas.creator, personas.workspace_a)


# Images: assets, photo avatars, the photo check ---------------------------------------------


def test_a_png_declaring_100000_by_100000_pixels_is_refused_from_its_header(personas, creator):
    bomb = png_declaring(100_000, 100_000)
    assert len(bomb) < 200  # the whole "image" is a header
    message = refused(post_asset(creator, "banner.png", bomb), "file", "image_too_large",
                      "100,000×100,000 pixels", "50 megapixels")  # fmt: skip
    assert "Scale it down" in message
    nothing_stored(personas.workspace_a)


def test_an_image_just_over_the_limit_is_refused_where_pillow_would_only_warn(personas, creator):
    # 8000 x 8000 = 64 MP: over Image.MAX_IMAGE_PIXELS (a DecompressionBombWarning),
    # under twice it (where Pillow raises DecompressionBombError itself).
    assert Image.MAX_IMAGE_PIXELS == file_checks.MAX_IMAGE_PIXELS
    assert Image.MAX_IMAGE_PIXELS < 8000 * 8000 < 2 * Image.MAX_IMAGE_PIXELS
    response = post_asset(creator, "poster.png", png_declaring(8000, 8000))
    refused(response, "file", "image_too_large", "8,000×8,000")
    nothing_stored(personas.workspace_a)


def test_pillow_itself_refuses_a_bomb_the_header_check_did_not_measure():
    from saas.errors import ServiceError
    from saas.studio.uploads import _open_and_verify

    upload = SimpleUploadedFile("bomb.png", png_declaring(100_000, 100_000))
    with pytest.raises(ServiceError) as caught:
        _open_and_verify(upload, "png", "file")
    assert caught.value.code == "image_too_large" and "too many pixels" in caught.value.message


@pytest.mark.parametrize(
    "name, data, code, words",
    [
        ("shoe.jpg", b"<!DOCTYPE html>" + HTML, "not_an_image", ["a web page (HTML), not an"]),
        ("shoe.jpg", zip_bytes({"payload.html": HTML}), "not_an_image", ["a ZIP archive"]),
        ("shoe.jpg", b"%PDF-1.7\n%...", "not_an_image", ["a PDF document"]),
        ("shoe.jpg", jpeg_with_html_comment(), "unsafe_file", ["web page code", "<html>"]),
        ("shoe.jpg", image_bytes("JPEG") + HTML, "unsafe_file", ["web page code"]),
        ("shoe.jpg", image_bytes("JPEG") + zip_bytes({"a.class": b"\xca\xfe"}), "unsafe_file",
         ["a ZIP archive hidden inside"]),
        ("shoe.jpg", image_bytes("PNG"), "type_mismatch", ["named .jpg but is a PNG image"]),
        ("shoe.png", image_bytes("WEBP"), "type_mismatch", ["named .png but is a WebP image"]),
        ("shoe.mp3", image_bytes("JPEG"), "type_mismatch", ["named .mp3 but is a JPEG image"]),
        ("shoe.jpg", image_bytes("GIF"), "not_an_image", ["a GIF image", "JPEG, PNG or WebP"]),
    ],
    ids=["html-as-jpg", "zip-as-jpg", "pdf-as-jpg", "jpeg-with-html-comment",
         "jpeg-then-html", "jpeg-then-zip", "png-as-jpg", "webp-as-png", "jpeg-as-mp3", "gif"],
)  # fmt: skip
def test_an_image_that_is_not_what_it_says_is_refused(personas, creator, name, data, code, words):
    kind = "image" if name.endswith(".mp3") else None  # an .mp3 name would be taken as audio
    response = post_asset(creator, name, data, **({"kind": kind} if kind else {}))
    refused(response, "file", code, *words)
    nothing_stored(personas.workspace_a)


def test_real_images_still_pass_whatever_their_extension_case(personas, creator):
    for name, fmt in [("a.JPG", "JPEG"), ("b.jpeg", "JPEG"), ("c.png", "PNG"), ("d.webp", "WEBP"),
                      ("no-extension", "PNG")]:  # fmt: skip
        response = post_asset(creator, name, image_bytes(fmt, size=(640, 480)))
        assert response.status_code == 201, (name, response.content)
        assert (response.json()["width"], response.json()["height"]) == (640, 480)


def test_a_photo_avatar_bomb_is_refused_on_the_page_and_by_the_api(personas, creator):
    bomb = png_declaring(100_000, 100_000)
    refused(post_avatar(creator, "image", "me.png", bomb), "image", "image_too_large")
    web = web_client(personas.creator, personas.workspace_a)
    check = web.post(reverse("avatar_check"), {"image": SimpleUploadedFile("me.png", bomb)})
    assert check.status_code == 400
    error = check.json()["error"]
    assert (error["field"], error["code"]) == ("image", "image_too_large")
    assert error["feedback"]["problems"][0]["title"] == "The photo has too many pixels."
    form = {"image": SimpleUploadedFile("me.jpg", jpeg_with_html_comment()), "consent": "on"}
    page = web.post(reverse("avatar_upload"), form)
    assert page.status_code == 400
    assert "has web page code" in page.content.decode()
    nothing_stored(personas.workspace_a)


# Audio assets ---------------------------------------------------------------------------


def test_a_video_named_mp3_is_refused_by_what_ffmpeg_reads(personas, creator, tmp_path):
    video = talking_video(tmp_path)
    refused(post_asset(creator, "jingle.mp3", video), "file", "type_mismatch",
            "named .mp3 but is an MP4 or MOV file")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_web_page_named_mp3_is_refused_before_ffmpeg_sees_it(personas, creator):
    refused(post_asset(creator, "jingle.mp3", HTML), "file", "not_audio", "a web page (HTML)")
    nothing_stored(personas.workspace_a)


def test_audio_over_ten_minutes_is_refused_from_the_header(
    personas, creator, tmp_path, monkeypatch
):
    long = ffmpeg(tmp_path, "long.mp3", "-f", "lavfi", "-i", "sine=d=606", "-ar", "8000",
                  "-b:a", "8k")  # fmt: skip
    import avatar.audio.io

    def no_decoding(*args, **kwargs):
        raise AssertionError("a recording over the limit must not be decoded")

    monkeypatch.setattr(avatar.audio.io, "decode_audio", no_decoding)
    refused(post_asset(creator, "music.mp3", long), "file", "audio_too_long",
            "10 min 6 s long", "the limit is 10 minutes")  # fmt: skip
    nothing_stored(personas.workspace_a)


# Video avatars (recordings) --------------------------------------------------------------


def test_an_mp4_that_is_really_a_text_file_is_refused(personas, creator):
    text = b"Hello! This is a text file with an .mp4 name.\n" * 20
    refused(post_avatar(creator, "video", "me.mp4", text), "video", "not_a_video",
            "This file is text, not a video")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_webm_named_mp4_is_refused(personas, creator, tmp_path):
    webm = talking_video(tmp_path, "320x240", 2, "clip.webm", "-c:v", "libvpx", "-c:a", "libopus")
    refused(post_avatar(creator, "video", "me.mp4", webm), "video", "type_mismatch",
            "named .mp4 but is a WebM or Matroska file")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_picture_wider_than_4096_pixels_is_refused_before_decoding(personas, creator, tmp_path):
    wide = talking_video(tmp_path, "4112x64", 1)
    refused(post_avatar(creator, "video", "me.mp4", wide), "video", "dimensions_too_large",
            "4112×64 pixels", "4096")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_file_with_no_video_and_no_sound_is_refused(personas, creator, tmp_path):
    subs = tmp_path / "subs.srt"
    subs.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    only_subtitles = ffmpeg(tmp_path, "subs.mp4", "-i", str(subs), "-c:s", "mov_text")
    refused(post_avatar(creator, "video", "me.mp4", only_subtitles), "video", "not_a_video",
            "no video and no sound")  # fmt: skip
    sound_only = ffmpeg(tmp_path, "sound.mp4", "-f", "lavfi", "-i", "sine=d=2", "-c:a", "aac")
    refused(post_avatar(creator, "video", "me.mp4", sound_only), "video", "not_a_video",
            "no picture")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_recording_over_five_minutes_is_refused_from_the_header(personas, creator, tmp_path,
                                                                 monkeypatch):  # fmt: skip
    long = talking_video(tmp_path, "32x32", 302)
    import avatar.dub.probe

    def no_decoding(*args, **kwargs):
        raise AssertionError("a recording over the limit must not be opened by PyAV")

    monkeypatch.setattr(avatar.dub.probe, "probe_video", no_decoding)
    refused(post_avatar(creator, "video", "me.mp4", long), "video", "too_long",
            "5 min 2 s long", "a video avatar's recording is up to 5 minutes")  # fmt: skip
    nothing_stored(personas.workspace_a)


def test_a_probe_that_stalls_is_refused(personas, creator, tmp_path, monkeypatch):
    monkeypatch.setattr(file_checks, "PROBE_TIMEOUT_S", 0.001)
    video = talking_video(tmp_path)
    refused(
        post_avatar(creator, "video", "me.mp4", video), "video", "unsafe_file", "took more than"
    )
    nothing_stored(personas.workspace_a)


# Translations take the same checks -----------------------------------------------------------


def test_a_translation_upload_that_is_a_web_page_is_refused(personas, creator):
    from saas.translations.models import Translation

    body = {"video": SimpleUploadedFile("talk.mp4", HTML, "video/mp4"), "target_languages": "es"}
    refused(creator.post("/api/v1/translations", body, format="multipart"), "video",
            "not_a_video", "a web page (HTML), not a video")  # fmt: skip
    subtitles = SimpleUploadedFile("talk.srt", image_bytes("PNG"))
    body = {"video": SimpleUploadedFile("talk.mp4", b"x"), "subtitles": subtitles,
            "source_language": "en", "target_languages": "es"}  # fmt: skip
    refused(creator.post("/api/v1/translations", body, format="multipart"), "subtitles",
            "invalid_subtitles", "a PNG image, not SRT or WebVTT")  # fmt: skip
    assert not Translation.objects.exists()


def test_a_translation_longer_than_the_plan_allows_is_refused_from_the_header(
    personas, creator, tmp_path, monkeypatch
):
    import avatar.dub.probe
    from saas.translations.models import Translation

    def no_decoding(*args, **kwargs):
        raise AssertionError("a video over the plan's length must not be opened by PyAV")

    monkeypatch.setattr(avatar.dub.probe, "probe_video", no_decoding)
    long = talking_video(tmp_path, "32x32", 63)  # the Free plan translates up to a minute
    body = {"video": SimpleUploadedFile("talk.mp4", long), "target_languages": "es"}
    refused(creator.post("/api/v1/translations", body, format="multipart"), "video", "too_long",
            "1 min 3 s long; your plan translates videos of up to 1 minute")  # fmt: skip
    assert not Translation.objects.exists()


# What a name cannot do -------------------------------------------------------------------


def test_a_recording_named_like_a_web_page_is_stored_and_served_as_the_recording(
    personas, creator, tmp_path
):
    """A real WAV with a web page after its samples passes every audio check; named
    promo.html it was kept as promo.html and served from this site as text/html."""
    wav = ffmpeg(tmp_path, "tone.wav", "-f", "lavfi", "-i", "sine=d=1")
    page = b"<html><body><form action='/v3/webhooks/endpoints'>Log in</form></body></html>"
    response = post_asset(creator, "promo.html", wav + page, kind="audio")
    assert response.status_code == 201, response.content
    asset = Asset.objects.get()
    assert asset.file.name.endswith("/promo.wav") and asset.content_type == "audio/wav"
    assert asset.original_name == "promo.html"
    served = Client().get(asset.file.url)
    assert served.status_code == 200 and served["Content-Type"] == "audio/x-wav"


def test_an_image_is_stored_under_the_extension_of_what_it_is(personas, creator):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG")
    response = post_asset(creator, "product shot", out.getvalue(), kind="image")
    assert response.status_code == 201, response.content
    asset = Asset.objects.get()
    assert asset.file.name.endswith("/product_shot.png") and asset.content_type == "image/png"
