"""Walking skeleton: script -> speech -> presenter -> H.264/AAC MP4 (a one-scene RenderSpec).

No Django here: run with ``-p no:django``. Outputs are probed with the
ffmpeg from imageio-ffmpeg (it ships no ffprobe), by parsing ``ffmpeg -i``
and by decoding the streams back.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from avatar import compose, encode, lipsync, presenters
from avatar.errors import AvatarError, InvalidInput
from avatar.pipeline import RenderResult, TalkingVideoRequest, render_talking_video
from avatar.voices.base import read_speech_result

REPO_ROOT = Path(__file__).resolve().parents[2]
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
SENTENCE = "Hello, I am your presenter."
FPS = 25
# AAC codes audio in frames of 1024 samples. ffmpeg's MP4 muxer records the
# encoder's priming and padding so decoding gives back the exact length, but
# allowing one AAC frame keeps the test about sync, not about one muxer detail.
AAC_FRAME_SAMPLES = 1024


@dataclass(frozen=True)
class Rendered:
    result: RenderResult
    wav: Path
    aspect: str


@dataclass(frozen=True)
class Probe:
    video_codec: str
    width: int
    height: int
    audio_codec: str
    container_s: float


def probe(path: Path) -> Probe:
    """Streams and container duration, parsed from ``ffmpeg -i`` (no ffprobe here)."""
    info = subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True, text=True)
    video = re.search(r"Stream #\S+: Video: (\w+).*?, (\d{2,5})x(\d{2,5})", info.stderr)
    audio = re.search(r"Stream #\S+: Audio: (\w+)", info.stderr)
    duration = re.search(r"Duration: (\d+):(\d+):(\d+\.\d+)", info.stderr)
    assert video and audio and duration, info.stderr
    h, m, s = duration.groups()
    container_s = int(h) * 3600 + int(m) * 60 + float(s)
    vcodec, width, height = video.group(1), int(video.group(2)), int(video.group(3))
    return Probe(vcodec, width, height, audio.group(1), container_s)


def decode_audio(path: Path, sample_rate: int) -> np.ndarray:
    """Decode a file's first audio stream to mono int16 samples."""
    command = [FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1"]
    command += ["-ar", str(sample_rate), "-f", "s16le", "-"]
    pcm = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(pcm, dtype=np.int16)


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        return np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)


def rms(samples: np.ndarray) -> float:
    return float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))


@pytest.fixture(scope="module", params=["16:9", "9:16"])
def rendered(request, tmp_path_factory) -> Rendered:
    tmp = tmp_path_factory.mktemp("render")
    req = TalkingVideoRequest(script=SENTENCE, aspect=request.param, fps=FPS)
    result = render_talking_video(req, out_path=tmp / "out.mp4", workdir=tmp / "work")
    return Rendered(result, tmp / "work" / "scene0.wav", request.param)


@pytest.mark.slow
def test_it_writes_h264_video_and_aac_audio_at_the_aspects_size(rendered):
    info = probe(rendered.result.path)
    expected = {"16:9": (1280, 720), "9:16": (720, 1280)}[rendered.aspect]
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height) == expected
    assert (rendered.result.width, rendered.result.height) == expected


@pytest.mark.slow
def test_video_lasts_as_long_as_the_speech_within_one_frame(rendered):
    speech_s = read_speech_result(rendered.wav).duration_s
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(rendered.result.path))
    assert abs(frames / FPS - speech_s) <= 1 / FPS
    assert abs(rendered.result.duration_s - speech_s) <= 1 / FPS
    # Container duration is printed in centiseconds: allow that rounding.
    assert abs(probe(rendered.result.path).container_s - speech_s) <= 1 / FPS + 0.01


@pytest.mark.slow
def test_audio_track_is_the_speech_and_not_silent(rendered):
    speech = read_wav(rendered.wav)
    rate = read_speech_result(rendered.wav).sample_rate
    decoded = decode_audio(rendered.result.path, rate)
    assert abs(len(decoded) - len(speech)) <= AAC_FRAME_SAMPLES
    assert rms(speech) > 300  # the voice itself is audible (int16 full scale is 32767)
    assert rms(decoded) > 0.5 * rms(speech)
    n = min(len(decoded), len(speech))
    correlation = np.corrcoef(decoded[:n].astype(float), speech[:n].astype(float))[0, 1]
    assert correlation > 0.8  # same waveform, in sync, despite lossy AAC


@pytest.mark.slow
def test_it_reports_a_time_for_every_stage(rendered):
    seconds = rendered.result.stage_seconds
    assert {"speech", "lipsync", "compose", "encode", "total"} <= set(seconds)
    assert all(value >= 0 for value in seconds.values())
    # The soundtrack is mixed in a thread while the layers are prepared: leave it out.
    parts = sum(v for k, v in seconds.items() if k not in ("total", "audio"))
    assert parts <= seconds["total"] + 1e-3


@pytest.mark.slow
def test_the_frame_shows_the_presenter_undistorted_in_the_middle(rendered):
    out = rendered.result
    frame_png = out.path.with_suffix(f".{rendered.aspect.replace(':', 'x')}.png")
    command = [FFMPEG, "-v", "error", "-y", "-i", str(out.path), "-frames:v", "1", str(frame_png)]
    subprocess.run(command, check=True)
    from PIL import Image

    frame = np.asarray(Image.open(frame_png).convert("RGB"), dtype=np.float64)
    default = presenters.resolve_presenter(presenters.DEFAULT_PRESENTER)  # the request's
    image = presenters.load_presenter_image(default.image_path)
    box = compose.fit_box(image.shape[1], image.shape[0], out.width, out.height)
    # Frames are composited in YUV 4:2:0, so the picture sits on even pixels.
    x, w, h = box.x // 2 * 2, box.width // 2 * 2, box.height // 2 * 2
    y = out.height - h if image.shape[0] >= image.shape[1] else box.y // 2 * 2
    expected = np.asarray(Image.fromarray(image).resize((w, h)), dtype=np.float64)
    inside = frame[y : y + h, x : x + w]
    assert np.abs(inside - expected).mean() < 8  # only H.264 loss (and lip-sync's first frame)
    assert box.width / box.height == pytest.approx(image.shape[1] / image.shape[0], rel=0.01)


@pytest.mark.slow
def test_without_workdir_temporary_files_are_removed(tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    req = TalkingVideoRequest(script="Hi.", aspect="1:1")
    result = render_talking_video(req, out_path=tmp_path / "nested" / "clip.mp4")
    assert result.path.is_file() and (result.width, result.height) == (720, 720)
    assert list(scratch.iterdir()) == []
    assert [p.name for p in result.path.parent.iterdir()] == ["clip.mp4"]  # no .part left


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("script", {"script": ""}),
        ("script", {"script": "   \n\t"}),
        ("script", {"script": "a" * 5001}),
        ("voice", {"voice": "piper:xx_XX-nobody"}),
        ("presenter", {"presenter": "nobody"}),
        ("presenter", {"presenter": "/no/such/face.png"}),
        ("aspect", {"aspect": "4:3"}),
        ("resolution", {"resolution": "4k"}),
        ("fps", {"fps": 0}),
        ("fps", {"fps": 61}),
        ("fps", {"fps": True}),
    ],
)
def test_invalid_requests_name_the_field(field, changes):
    fields = {"script": "Hello."} | changes
    with pytest.raises(InvalidInput) as caught:
        TalkingVideoRequest(**fields)
    assert caught.value.field == field
    assert caught.value.code in {"invalid_input", "unknown_voice"} and not caught.value.retryable
    assert caught.value.message


@pytest.mark.slow
def test_a_script_with_nothing_speakable_fails_on_the_script_field(tmp_path):
    req = TalkingVideoRequest(script="...")
    with pytest.raises(AvatarError) as caught:
        render_talking_video(req, out_path=tmp_path / "out.mp4")
    assert (caught.value.code, caught.value.field) == ("nothing_to_say", "script")
    assert not (tmp_path / "out.mp4").exists()


def test_an_unreadable_presenter_file_is_reported_on_the_presenter_field(tmp_path):
    fake = tmp_path / "face.jpg"
    fake.write_bytes(b"this is not a jpeg")
    with pytest.raises(InvalidInput) as caught:
        presenters.load_presenter_image(fake)
    assert caught.value.field == "presenter"


@pytest.mark.slow
def test_ffmpeg_failure_raises_encode_failed_and_leaves_no_file(tmp_path):
    not_audio = tmp_path / "speech.wav"
    not_audio.write_bytes(b"RIFF garbage")
    out = tmp_path / "out.mp4"
    frames = [np.zeros((16, 16, 3), np.uint8)] * 3
    settings = encode.EncodeSettings(width=16, height=16, fps=FPS)
    with pytest.raises(AvatarError) as caught:
        encode.encode(frames, not_audio, out, settings)
    assert caught.value.code == "encode_failed" and not caught.value.retryable
    assert "speech.wav" in caught.value.message  # ffmpeg's stderr tail is included
    assert list(tmp_path.iterdir()) == [not_audio]


def test_lipsync_is_a_still_presenter_covering_the_speech(tmp_path):
    wav = tmp_path / "tone.wav"
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(16000)
        out.writeframes(np.zeros(16000 * 2 + 10, np.int16).tobytes())  # 2.000625 s
    face = np.random.default_rng(0).integers(0, 255, (40, 30, 3), dtype=np.uint8)
    track = lipsync.animate(face, read_speech_result(wav), fps=FPS)
    frames = list(track)
    assert track.frame_count == len(frames) == 51  # 50 frames would stop short of the audio
    assert all(np.array_equal(f, face) for f in frames)


@pytest.mark.parametrize("size", sorted(set(compose.CANVAS_SIZES.values())))
@pytest.mark.parametrize("source", [(512, 600), (1600, 900), (300, 300)])
def test_the_presenter_fits_the_canvas_without_distortion(size, source):
    box = compose.fit_box(*source, *size)
    assert 0 <= box.x and box.x + box.width <= size[0]
    assert 0 <= box.y and box.y + box.height <= size[1]
    assert box.width == size[0] or box.height == size[1]  # as large as fits
    assert abs(box.width / box.height - source[0] / source[1]) < 2 / min(box.width, box.height)
    assert abs((size[0] - box.width) - 2 * box.x) <= 1  # centred horizontally
    portrait = source[1] >= source[0]  # head-and-shoulders: stands on the bottom edge
    expected_y = size[1] - box.height if portrait else (size[1] - box.height) // 2
    assert box.y == expected_y


def test_the_background_is_a_darkened_copy_and_computed_once():
    face = np.full((100, 80, 3), 200, np.uint8)
    layout = compose.build_layout(face, 320, 180)
    assert layout.background.shape == (180, 320, 3)
    assert 60 < layout.background.mean() < 120  # darkened, not black
    moving = [np.full((100, 80, 3), v, np.uint8) for v in (10, 250)]
    canvases = list(compose.compose([moving[0], moving[0], moving[1]], layout))
    box = layout.box
    assert canvases[0] is canvases[1]  # a repeated still is not recomposed
    assert (canvases[2][box.y + 5, box.x + 5] == 250).all()
    assert np.array_equal(canvases[2][:, : box.x], layout.background[:, : box.x])


def run_python(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, *args]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True)


@pytest.mark.slow
def test_importing_avatar_loads_neither_torch_nor_django():
    code = (
        "import sys, avatar, avatar.pipeline, avatar.__main__\n"
        "bad = [m for m in ('torch', 'django') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    done = run_python("-c", code)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_cli_reports_a_bad_field_and_exits_2(tmp_path):
    done = run_python("-m", "avatar", "talk", "--text", " ", "--out", str(tmp_path / "o.mp4"))
    assert done.returncode == 2
    assert done.stderr.startswith("error: script: ")
    assert not (tmp_path / "o.mp4").exists()
