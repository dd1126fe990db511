"""A render with a chunk cache encodes only the chunks whose pictures changed.

Renders are 1:1 720p at 15 fps with the stock presenter lip-synced for real, so
that the cached path's way into the middle of a scene (lip-sync started part
way) is what is checked. A re-render is compared with a full render of the same
spec, decoded: only x264's own noise may tell them apart.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest

from avatar.encode import EncodeSettings, encode_chunks
from avatar.errors import EncodeFailed
from avatar.render import RenderOptions, render
from avatar.render.chunks import Chunk, ChunkCache, InOrder, plan, runs
from avatar.render.timeline import lay_out, window
from avatar.spec import RenderSpec, Transition
from tests.avatar.test_render import FPS, small_spec

EXAMPLES = Path(__file__).resolve().parents[2] / "avatar" / "examples"
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def spec_of(middle: str = "This mug keeps coffee hot all day long.", **changes) -> RenderSpec:
    """test_render's small spec (1:1, 15 fps, logo, social captions, music) in three
    lip-synced scenes joined by a crossfade and a slide."""
    fade = {"type": "crossfade", "duration_s": 0.4}
    scenes = [
        {"speech": {"script": "Hello there, friends."}, "avatar": "grace",
         "overlays": [{"type": "title", "text": "Hello"}]},
        {"speech": {"script": middle}, "avatar": "grace", "layout": "corner",
         "media": [{"src": "media/mug-hero.jpg", "motion": "zoom_in"}], "transition": fade},
        {"speech": {"script": "Order yours today."}, "avatar": "grace",
         "transition": {"type": "slide", "direction": "left", "duration_s": 0.4}},
    ]  # fmt: skip
    return small_spec(**{"scenes": scenes, **changes})


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("chunks")


def render_with(spec: RenderSpec, out: Path, folder: Path, chunks: bool = True):
    from avatar.voices import SpeechCache

    options = RenderOptions(
        base_dir=EXAMPLES,
        speech_cache=SpeechCache(folder / "speech"),
        music_cache=folder / "music",
        chunk_cache=ChunkCache(folder / "chunks") if chunks else None,
    )
    return render(spec, out, options)


def luma(path: Path, size: int = 720) -> np.ndarray:
    raw = subprocess.run(
        [FFMPEG, "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(raw, np.uint8).reshape(-1, size, size)


def psnr(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per frame, in dB."""
    diff = a.astype(np.float64) - b.astype(np.float64)
    mse = (diff**2).reshape(len(a), -1).mean(axis=1)
    return 10 * np.log10(255.0**2 / np.maximum(mse, 1e-10))


@pytest.fixture(scope="module")
def first(folder):
    return render_with(spec_of(), folder / "first.mp4", folder)


def test_the_same_spec_again_takes_every_chunk_from_the_cache(first, folder):
    again = render_with(spec_of(), folder / "again.mp4", folder)
    assert first.reused_frames == 0
    assert again.reused_frames == again.frame_count == first.frame_count
    assert np.array_equal(luma(again.video), luma(first.video))
    assert again.poster.read_bytes() == first.poster.read_bytes()
    assert again.srt.read_text() == first.srt.read_text()


def test_an_edited_middle_scene_is_encoded_again_and_looks_like_a_full_render(first, folder):
    edited = spec_of("This steel mug keeps your coffee hot for twelve hours.")
    cached = render_with(edited, folder / "edited.mp4", folder)
    full = render_with(edited, folder / "edited-full.mp4", folder, chunks=False)
    assert cached.frame_count == full.frame_count != first.frame_count
    # The first scene's body and the last scene's body come from the cache.
    starts = [round(s * FPS) for s in cached.scene_starts]
    assert cached.reused_frames >= starts[1] - 3 + (cached.frame_count - starts[2]) - 3
    assert cached.reused_frames < cached.frame_count - (starts[2] - starts[1])
    a, b = luma(cached.video), luma(full.video)
    assert a.shape == b.shape
    assert psnr(a, b).min() > 35  # x264's noise; a wrong or shifted frame is far below
    assert cached.duration_s == pytest.approx(full.duration_s, abs=1e-6)


def test_a_brand_change_redraws_every_chunk(first, folder):
    recoloured = spec_of(brand={"logo": "media/northwind-logo.png", "primary": "#B91C1C"})
    result = render_with(recoloured, folder / "recoloured.mp4", folder)
    assert result.reused_frames == 0


def test_an_edited_file_under_the_same_name_is_drawn_again(folder, tmp_path):
    """Keys hold a file's content, not its name: an upload replaced in place is seen."""
    from PIL import Image

    media = tmp_path / "media"
    media.mkdir()
    Image.open(EXAMPLES / "media" / "mug-hero.jpg").save(media / "mug-hero.jpg")
    (media / "northwind-logo.png").write_bytes((EXAMPLES / "media/northwind-logo.png").read_bytes())
    one = spec_of(scenes=[spec_of().to_dict()["scenes"][1]])
    options = {"speech": folder / "speech", "music": folder / "music"}
    from avatar.voices import SpeechCache

    def go(name: str):
        return render(one, tmp_path / name, RenderOptions(
            base_dir=tmp_path, speech_cache=SpeechCache(options["speech"]),
            music_cache=options["music"], chunk_cache=ChunkCache(tmp_path / "chunks"),
        ))  # fmt: skip

    assert go("a.mp4").reused_frames == 0
    assert go("b.mp4").reused_frames > 0
    Image.open(media / "mug-hero.jpg").rotate(180).save(media / "mug-hero.jpg")
    assert go("c.mp4").reused_frames == 0


# ---------------------------------------------------------------- the plan


def _segments(*counts: int, fade: float = 0.4):
    rows = [("scene", i, c, Transition("crossfade", fade) if i else None)
            for i, c in enumerate(counts)]  # fmt: skip
    segments = lay_out(rows)
    return segments, [window(segments, k, 10) for k in range(len(segments))]


def _nothing_over(a: int, b: int):
    return None


def test_the_plan_covers_every_frame_once_cut_at_the_transitions():
    segments, windows = _segments(30, 40, 25)
    chunks = plan(segments, windows, ["a", "b", "c"], _nothing_over)
    assert chunks[0].start == 0 and chunks[-1].end == 95
    assert all(x.end == y.start for x, y in zip(chunks, chunks[1:], strict=False))
    assert [(c.start, c.end) for c in chunks] == [(0, 28), (28, 32), (32, 68), (68, 72),
                                                  (72, 95)]  # fmt: skip


def test_a_changed_segment_changes_its_body_and_both_transitions_only():
    segments, windows = _segments(30, 40, 25, 20)
    before = plan(segments, windows, ["a", "b", "c", "d"], _nothing_over)
    after = plan(segments, windows, ["a", "B", "c", "d"], _nothing_over)
    changed = [x.key != y.key for x, y in zip(before, after, strict=True)]
    assert changed == [False, True, True, True, False, False, False]


def test_what_is_drawn_over_the_frames_is_part_of_the_key():
    segments, windows = _segments(30, 40)
    plain = plan(segments, windows, ["a", "b"], _nothing_over)
    captioned = plan(segments, windows, ["a", "b"], lambda a, b: ["cue"] if a >= 32 else None)
    assert [x.key == y.key for x, y in zip(plain, captioned, strict=True)] == [True, True, False]


def test_runs_group_the_missing_chunks_that_follow_each_other():
    chunks = [Chunk(0, 5, "a"), Chunk(5, 9, "b"), Chunk(9, 12, "c"), Chunk(12, 20, "d")]
    groups = runs(chunks, lambda c: c.key in {"b"})
    assert [[c.key for c in g] for g in groups] == [["a"], ["c", "d"]]


# ---------------------------------------------------------------- cache and encoder


def test_the_cache_is_trimmed_least_recently_used_first(tmp_path):
    cache = ChunkCache(tmp_path / "c", max_bytes=2500)
    for i, key in enumerate(["old", "mid", "new"]):
        part = tmp_path / f"{key}.part"
        part.write_bytes(b"x" * 1000)
        cache.put(key, part)
        os.utime(cache.path(key), (time.time() - 100 + i, time.time() - 100 + i))
    assert cache.has(Chunk(0, 1, "old"))  # used now: the newest
    cache.trim()
    assert sorted(p.stem for p in (tmp_path / "c").iterdir()) == ["new", "old"]
    cache.max_bytes = 0
    cache.trim(keep={"new"})
    assert [p.stem for p in (tmp_path / "c").iterdir()] == ["new"]


def test_the_encoder_refuses_to_cut_chunks_it_has_no_frames_for(tmp_path):
    settings = EncodeSettings(64, 64, FPS, input_pix_fmt="yuv420p")
    frames = (np.full(64 * 64 * 3 // 2, 16 * i, np.uint8) for i in range(10))
    with pytest.raises(EncodeFailed, match="cut 2 chunks where 3 were asked"):
        encode_chunks(frames, [4, 6, 5], tmp_path, settings)
    assert list(tmp_path.iterdir()) == []


def test_chunks_from_two_runs_join_into_one_video_frame_for_frame(tmp_path):
    from avatar.encode import join

    settings = EncodeSettings(64, 64, FPS, input_pix_fmt="yuv420p")

    def frames(lumas):
        for v in lumas:  # grey: luma V, neutral chroma
            buf = np.full(64 * 64 * 3 // 2, 128, np.uint8)
            buf[: 64 * 64] = v
            yield buf

    one = encode_chunks(frames([40] * 5 + [90] * 7), [5, 7], tmp_path / "one", settings)
    two = encode_chunks(frames([200] * 4), [4], tmp_path / "two", settings)
    out = join([one[0], two[0], one[1]], None, tmp_path / "joined.mp4")
    means = luma(out, 64).reshape(16, -1).mean(axis=1)
    expected = (np.array([40] * 5 + [200] * 4 + [90] * 7) - 16) * 255 / 219  # TV range to full
    assert np.allclose(means, expected, atol=3)


class _Stream:
    """A stage whose frames come from a stream (a video clip): it records each ask."""

    def __init__(self, seekable: bool) -> None:
        self.asked: list[int] = []
        self.seekable = seekable

    def frame(self, index: int) -> int:
        self.asked.append(index)
        return index

    def skip_to(self, index: int) -> bool:
        if self.seekable:
            self.asked.append(("skip", index))
        return self.seekable


def test_a_stage_read_from_the_middle_is_driven_through_the_frames_before():
    stream = _Stream(seekable=False)
    stage = InOrder(stream, first=-2)
    assert stage.frame(3) == 3
    assert stream.asked == [-2, -1, 0, 1, 2, 3]
    stage.frame(4)
    assert stream.asked[-1] == 4 and len(stream.asked) == 7


def test_a_stage_that_can_skip_is_not_driven():
    stream = _Stream(seekable=True)
    InOrder(stream, first=0).frame(40)
    assert stream.asked == [("skip", 40), 40]


def test_a_chunk_from_another_file_system_is_copied_in_whole(tmp_path, monkeypatch):
    import errno

    from avatar.render import chunks

    real = os.replace
    source = tmp_path / "work.ts"
    source.write_bytes(b"chunk" * 100)

    def across(src, dst):
        if Path(src) == source:  # a rename cannot cross file systems
            raise OSError(errno.EXDEV, "Invalid cross-device link")
        real(src, dst)

    monkeypatch.setattr(chunks.os, "replace", across)
    cache = ChunkCache(tmp_path / "cache")
    path = cache.put("k", source)
    assert path.read_bytes() == b"chunk" * 100 and not source.exists()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == ["k.ts"]


def test_an_audio_encode_stopped_from_outside_is_tried_again(tmp_path):
    import wave

    from avatar.encode import AudioEncode

    wav = tmp_path / "long.wav"
    with wave.open(str(wav), "wb") as out:  # ten minutes: still encoding when killed
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(np.zeros(8000 * 600, np.int16).tobytes())
    settings = EncodeSettings(64, 64, FPS, input_pix_fmt="yuv420p")
    aac = AudioEncode(wav, tmp_path / "audio.m4a", settings)
    aac.proc.kill()
    with pytest.raises(EncodeFailed) as failure:
        aac.result()
    assert failure.value.retryable and "signal 9" in failure.value.message


def test_a_scenes_captions_fall_on_the_same_frames_wherever_the_scene_starts():
    """An edit that lengthens scene 1 moves scene 2 by whole frames; its chunks are found
    again only if its captions change on the same frames of it. Word times that sit on
    a frame (ms timings at 30 fps do, every 0.1 s) used to land a frame either way as the
    rounding of scene start + word time fell."""
    from types import SimpleNamespace

    from avatar import captions as cap
    from avatar.render.timeline import CaptionTrack

    fps = 30
    starts = [round(0.1 * (3 * i + 1), 3) for i in range(12)]
    tokens = [SimpleNamespace(text=f"w{i}", start=s, end=s + 0.25) for i, s in enumerate(starts)]

    def frames_of_scene(start: int) -> list:
        words = cap.words_from_tokens(tokens, start / fps)
        cues = cap.build_cues(words, cap.Fit(lambda text: 10.0 * len(text), 200, 2))
        track = CaptionTrack(cues, [None] * len(cues), [None] * len(cues), "center", True)
        return [track.at_frame(start + m, fps) for m in range(130)]

    here = frames_of_scene(0)
    assert len({state for state in here if state is not None}) > 10  # words change often
    moved = [start for start in range(1, 300) if frames_of_scene(start) != here]
    assert moved == []


def test_a_music_upload_that_is_not_audio_stops_the_render_early(tmp_path):
    """The frames are drawn while the soundtrack is mixed; a mix that fails stops the
    frame loop (within PROGRESS_EVERY frames of failing), with the field named."""
    from avatar.errors import InvalidInput
    from avatar.voices import SpeechCache

    (tmp_path / "song.mp3").write_bytes(b"this is not a song " * 500)
    spec = RenderSpec.from_dict({
        "output": {"aspect": "1:1", "resolution": "720p", "fps": FPS},
        "music": {"src": "song.mp3"},
        "scenes": [{"speech": {"script": "Hello there, friends. This scene has music under "
                                         "it, and it goes on for a few seconds more."}}],
    })  # fmt: skip
    reached = []
    options = RenderOptions(
        base_dir=tmp_path, speech_cache=SpeechCache(tmp_path / "speech"),
        chunk_cache=ChunkCache(tmp_path / "chunks"), progress=reached.append,
    )  # fmt: skip
    with pytest.raises(InvalidInput) as failure:
        render(spec, tmp_path / "out.mp4", options)
    assert failure.value.field == "music.src"
    assert not (tmp_path / "out.mp4").exists()
    # Drawn to the end, the loop would have reported progress 3 times (6 s at 15 fps).
    assert len(reached) <= 1, reached
