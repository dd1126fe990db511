"""The walking skeleton: `manage.py make_video` renders a real talking MP4."""

import subprocess

import imageio_ffmpeg
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.slow


def probe(path) -> str:
    """ffmpeg's description of a media file (imageio-ffmpeg ships no ffprobe)."""
    result = subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-i", str(path)],
        capture_output=True,
        text=True,
    )
    return result.stderr


def test_make_video_renders_h264_and_aac_speech_over_a_presenter(tmp_path, capsys):
    out = tmp_path / "out.mp4"
    call_command("make_video", "--script", "Hello from the walking skeleton.", "--out", str(out))
    info = probe(out)
    assert "Video: h264" in info and "1280x720" in info
    assert "Audio: aac" in info
    frames, seconds = imageio_ffmpeg.count_frames_and_secs(str(out))
    assert 1.0 < seconds < 10.0 and frames > 25
    stages = capsys.readouterr().out
    for stage in ("speech", "lipsync", "compose", "encode"):
        assert stage in stages


def test_make_video_in_9_by_16(tmp_path):
    out = tmp_path / "tall.mp4"
    call_command("make_video", "--script", "Tall.", "--aspect", "9:16", "--out", str(out))
    assert "720x1280" in probe(out)


def test_make_video_from_a_product_url(tmp_path, settings, capsys):
    from .scraper.server import ShopServer

    settings.SCRAPER_ALLOW_NETWORKS = ["127.0.0.1/32"]
    out = tmp_path / "ad.mp4"
    shop = ShopServer().start()
    try:
        call_command(
            "make_video", "--url", f"{shop.base}/product", "--length", "15",
            "--voice", "espeak:en-us", "--out", str(out),
        )  # fmt: skip
    finally:
        shop.stop()
    info = probe(out)
    assert "720x1280" in info and "Audio: aac" in info
    assert "product: " in capsys.readouterr().out


def test_make_video_from_a_refused_url_says_why(tmp_path):
    with pytest.raises(CommandError, match="--url: .*refused_url"):
        call_command("make_video", "--url", "http://10.0.0.1/p/1", "--out", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_make_video_names_the_bad_option(tmp_path):
    with pytest.raises(CommandError, match="^--script: "):
        call_command("make_video", "--script", "   ", "--out", str(tmp_path / "x.mp4"))
    with pytest.raises(CommandError, match="^--voice: "):
        call_command(
            "make_video", "--script", "Hi", "--voice", "nope", "--out", str(tmp_path / "x.mp4")
        )
    with pytest.raises(CommandError, match="^--avatar: "):
        call_command(
            "make_video",
            "--script",
            "Hi",
            "--avatar",
            "/no/such.png",
            "--out",
            str(tmp_path / "x.mp4"),
        )
