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


def test_make_video_from_a_url_says_it_is_not_there_yet(tmp_path):
    with pytest.raises(CommandError, match="--url: URL-to-video is not available yet"):
        call_command("make_video", "--url", "https://shop.test/p/1", "--out", str(tmp_path / "x"))
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
