"""The RenderSpec renderer: probe the MP4, check A/V sync, captions files, poster, CLI.

Renders here use the still presenter (lip-sync is tested with its own module
and through test_pipeline), small specs, 1:1 at 15 fps, so they stay quick.
Outputs are probed with the ffmpeg from imageio-ffmpeg (there is no ffprobe).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from avatar.render import RenderOptions, render
from avatar.spec import RenderSpec

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "avatar" / "examples"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
FPS = 15
SIZE = 720


def still_presenter(monkeypatch) -> None:
    import avatar.lipsync as lipsync

    def still(presenter, speech, fps, **_):
        count = lipsync.frame_count_for(speech.duration_s, fps)
        return lipsync._still_track(np.asarray(presenter), count, fps)

    monkeypatch.setattr(lipsync, "animate", still)


def small_spec(**changes) -> RenderSpec:
    data = {
        "output": {"aspect": "1:1", "resolution": "720p", "fps": FPS},
        "brand": {"logo": "media/northwind-logo.png", "primary": "#0F766E"},
        "captions": {"style": "social"},
        "music": {"track": "chill"},
        "scenes": [
            {
                "speech": {"script": "Hello there, friends."},
                "overlays": [{"type": "title", "text": "Hello"}],
            },
            {
                "speech": {"script": "Look at this lovely mug."},
                "layout": "corner",
                "media": [{"src": "media/mug-hero.jpg"}],
                "overlays": [{"type": "price", "price": "$9", "old_price": "$12"}],
                "transition": {"type": "crossfade", "duration_s": 0.4},
            },
        ],
    }
    data.update(changes)
    return RenderSpec.from_dict(data)


@pytest.fixture(scope="module")
def module_patch():
    mp = pytest.MonkeyPatch()
    still_presenter(mp)
    yield
    mp.undo()


@pytest.fixture(scope="module")
def rendered(module_patch, tmp_path_factory):
    from avatar.voices import SpeechCache

    tmp = tmp_path_factory.mktemp("render")
    spec = small_spec()
    cache = SpeechCache(tmp / "speech-cache")  # the second render hears exactly the first's speech
    first = render(spec, tmp / "probe.mp4", RenderOptions(base_dir=EXAMPLES, speech_cache=cache))
    marker = _word_start(first, 1, "lovely")
    options = RenderOptions(
        base_dir=EXAMPLES, workdir=tmp / "work", speech_cache=cache, sync_marker_s=marker
    )
    return render(spec, tmp / "out.mp4", options), marker


def _word_start(result, scene: int, text: str) -> float:
    start = result.scene_starts[scene]
    for cue in result.cues:
        for word in cue.words:
            if word.start >= start - 1e-6 and word.text.strip(".,").lower() == text:
                return word.start
    raise AssertionError(f"{text!r} not in scene {scene}")


def probe(path: Path) -> str:
    return subprocess.run([FFMPEG, "-hide_banner", "-i", str(path)], capture_output=True,
                          text=True).stderr  # fmt: skip


def decode_audio(path: Path, rate: int = 48000) -> np.ndarray:
    command = [FFMPEG, "-v", "error", "-i", str(path), "-map", "0:a:0", "-ac", "1",
               "-ar", str(rate), "-f", "f32le", "-"]  # fmt: skip
    return np.frombuffer(
        subprocess.run(command, capture_output=True, check=True).stdout, np.float32
    )


def decode_luma_means(path: Path) -> np.ndarray:
    command = [FFMPEG, "-v", "error", "-i", str(path), "-vf", "scale=64:64", "-f", "rawvideo",
               "-pix_fmt", "gray", "-"]  # fmt: skip
    raw = subprocess.run(command, capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, 64 * 64).mean(axis=1)


@pytest.mark.slow
def test_it_writes_h264_yuv420p_and_aac_with_the_index_first(rendered):
    result, _ = rendered
    info = probe(result.video)
    assert re.search(r"Video: h264 .*yuv420p\(tv, bt709", info), info
    assert f"{SIZE}x{SIZE}" in info and "Audio: aac" in info and "48000 Hz, stereo" in info
    head = result.video.read_bytes()[:200_000]
    assert head.find(b"moov") != -1 and head.find(b"moov") < head.find(b"mdat")  # +faststart


@pytest.mark.slow
def test_the_video_lasts_its_scenes_and_each_scene_its_speech_within_a_frame(rendered):
    import soundfile

    result, _ = rendered
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(result.video))
    assert frames == result.frame_count
    speech = [
        soundfile.info(str(p)).duration
        for p in sorted((result.video.parent / "work").glob("scene*.wav"))
    ]
    starts = [*result.scene_starts, result.duration_s]
    for i, seconds in enumerate(speech):
        assert 0 <= (starts[i + 1] - starts[i]) - seconds < 1 / FPS + 1e-9
    audio = decode_audio(result.video)
    assert abs(len(audio) / 48000 - result.duration_s) < 1 / FPS


@pytest.mark.slow
def test_a_click_on_a_known_word_lands_on_that_words_frame(rendered):
    from scipy.signal import butter, sosfiltfilt

    result, marker = rendered
    audio = decode_audio(result.video)
    band = sosfiltfilt(butter(4, (11000, 13000), "bandpass", fs=48000, output="sos"), audio)
    envelope = np.abs(band)
    click_s = int(np.argmax(envelope > 0.5 * envelope.max())) / 48000
    luma = decode_luma_means(result.video)
    white = int(np.argmax(luma > 200))
    assert luma[white] > 200 and (luma > 200).sum() == 1
    assert abs(white / FPS - click_s) <= 1 / FPS
    assert abs(click_s - marker) <= 1 / FPS


@pytest.mark.slow
def test_caption_files_carry_exactly_the_word_timings(rendered):
    result, marker = rendered
    vtt = result.vtt.read_text()
    assert result.srt.read_text().startswith("1\n")
    word_starts = [w.start for c in result.cues for w in c.words]
    stamps = [float(s) for s in re.findall(r"<00:00:(\d\d\.\d{3})>", vtt)]
    later = [w.start for c in result.cues for w in c.words if w is not c.words[0]]
    assert stamps == pytest.approx(later, abs=0.0005 + 1e-9)  # ms resolution of the files
    assert min(abs(s - marker) for s in word_starts) < 1 / FPS
    burned = [w.start for c in result.burned_cues for w in c.words]
    assert burned == word_starts  # burned-in and file captions follow the same words


@pytest.mark.slow
def test_the_poster_is_a_real_frame_beside_the_video(rendered):
    result, _ = rendered
    poster = Image.open(result.poster)
    assert result.poster == result.video.with_suffix(".jpg") and poster.format == "JPEG"
    assert poster.size == (SIZE, SIZE)
    assert np.asarray(poster.convert("L"), dtype=np.float32).std() > 20


@pytest.mark.slow
def test_the_soundtrack_is_at_minus_14_lufs(rendered):
    from avatar.music.master import measure_lufs

    result, _ = rendered
    assert result.loudness_lufs == pytest.approx(-14.0, abs=0.2)
    assert result.peak_dbfs <= -1.0 + 1e-3
    assert measure_lufs(decode_audio(result.video), 48000) == pytest.approx(-14.0, abs=1.0)


@pytest.mark.slow
def test_a_single_scene_lasts_its_speech_within_one_frame(module_patch, tmp_path):
    import soundfile

    spec = small_spec(scenes=[{"speech": {"script": "Just one line."}}], music=None)
    result = render(spec, tmp_path / "one.mp4", RenderOptions(base_dir=EXAMPLES, workdir=tmp_path))
    speech_s = soundfile.info(str(tmp_path / "scene0.wav")).duration
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(result.video))
    assert abs(frames / FPS - speech_s) <= 1 / FPS


@pytest.mark.slow
def test_a_missing_file_fails_before_any_work_and_names_its_field(tmp_path):
    from avatar.errors import InvalidInput

    data = json.loads((EXAMPLES / "product-ad-9x16.json").read_text())
    data["scenes"][1]["media"][0]["src"] = "media/gone.jpg"
    with pytest.raises(InvalidInput) as caught:
        render(RenderSpec.from_dict(data), tmp_path / "x.mp4", RenderOptions(base_dir=EXAMPLES))
    assert caught.value.field == "scenes[1].media[0].src"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_cli_render_writes_the_video_poster_and_captions_beside_it(tmp_path):
    spec = {
        "output": {"aspect": "16:9", "fps": 10},
        "scenes": [{"speech": {"script": "A quick look."}, "layout": "voiceover",
                    "avatar": None, "media": [{"src": str(EXAMPLES / "media/mug-desk.jpg")}]}],
    }  # fmt: skip
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = tmp_path / "out" / "ad.mp4"
    done = subprocess.run([sys.executable, "-m", "avatar", "render", str(path), "--out", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    for suffix in (".mp4", ".jpg", ".srt", ".vtt"):
        assert out.with_suffix(suffix).is_file()
    assert json.loads(done.stdout.splitlines()[-1])["width"] == 1280


@pytest.mark.slow
def test_cli_render_reports_a_bad_field_and_exits_2(tmp_path):
    path = tmp_path / "spec.json"
    path.write_text(json.dumps({"scenes": [{"speech": {"script": "Hi"}, "layout": "nope"}]}))
    env = dict(os.environ, PYTHONPATH=str(REPO))
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run([sys.executable, "-m", "avatar", "render", str(path), "--out",
                           str(tmp_path / "o.mp4")], cwd=REPO, env=env, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 2 and done.stderr.startswith("error: scenes[0].layout: ")
