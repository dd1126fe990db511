"""The frame loop builds each scene's stage when it first needs it and drops it after."""

from __future__ import annotations

import numpy as np

from avatar.compose.yuv import Frame
from avatar.render.timeline import FrameLoop, LazyStage, lay_out
from avatar.spec import Transition

SIZE = (16, 16)
FPS = 10


class _Flat:
    def __init__(self, luma: int) -> None:
        self.frame_ = Frame(*SIZE).fill((luma, luma, luma))

    def frame(self, index: int) -> Frame:
        return self.frame_


def test_stages_are_built_on_first_use_and_released_once_passed():
    fade = Transition("crossfade", 0.4)
    rows = [("scene", i, 10, fade if i else None) for i in range(8)]
    segments = lay_out(rows)
    built: list[int] = []

    def maker(i: int):
        def build():
            built.append(i)
            return _Flat(20 + 25 * i)

        return build

    for seg in segments:
        seg.stage = LazyStage(maker(seg.index))
    loop = FrameLoop(segments, FPS, SIZE)
    most_alive, lumas = 0, []
    for n, buf in enumerate(loop):
        alive = sum(seg.stage.built for seg in segments)
        most_alive = max(most_alive, alive)
        assert len(built) == len(set(built)), "a stage was built twice"
        k = next(i for i, s in enumerate(segments) if s.start <= n < s.end)
        assert all(not s.stage.built for s in segments[: max(0, k - 1)]), (n, k)
        lumas.append(int(np.asarray(buf)[: SIZE[0] * SIZE[1]].mean()))
    assert built == list(range(8))  # each once, in order
    assert most_alive <= 3
    # The pictures are right: each scene's own grey, crossfading at the cuts.
    last = int(np.asarray(_Flat(20 + 25 * 7).frame_.buf)[: SIZE[0] * SIZE[1]].mean())
    assert lumas[5] == lumas[4] and lumas[-1] == last
    assert lumas[9] < lumas[10] < lumas[11]  # a crossfade into scene 1 around frame 10


def test_a_stage_given_built_is_not_built_again():
    calls = []
    stage = LazyStage(lambda: calls.append(1) or _Flat(50), _Flat(60))
    assert stage.built and calls == []
    stage.frame(0)
    assert calls == []
    stage.release()
    assert not stage.built


def test_a_released_stage_closes_what_it_reads_from():
    """A video clip's decoder (an ffmpeg process) stops once the loop has passed its
    scene, not when the whole render ends."""
    closed = []

    class _Clip(_Flat):
        def close(self) -> None:
            closed.append(self)

    fade = Transition("crossfade", 0.4)
    segments = lay_out([("scene", i, 10, fade if i else None) for i in range(4)])
    clips = [_Clip(40 * i) for i in range(4)]
    for seg, clip in zip(segments, clips, strict=True):
        seg.stage = LazyStage(lambda c=clip: c)
    for n, _ in enumerate(FrameLoop(segments, FPS, SIZE)):
        if n == 25:  # in scene 2: scene 0 is passed
            assert closed == [clips[0]]
    assert closed == clips[:2]  # the last two are closed by the render's own cleanup


def test_closing_a_stage_stops_its_video_decoders(tmp_path):
    import subprocess

    from avatar.compose.layouts import Rect
    from avatar.compose.stage import MediaTrack, Stage
    from avatar.compose.video import VideoSource
    from avatar.encode import ffmpeg_exe

    clip = tmp_path / "clip.mp4"
    subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=10",
         "-t", "1", "-pix_fmt", "yuv420p", str(clip)], check=True,
    )  # fmt: skip
    backdrop = VideoSource(clip, 32, 32, 10, "cover", "background.src")
    media = VideoSource(clip, 16, 16, 10, "cover", "media[0].src")
    stage = Stage(backdrop, 10, MediaTrack(Rect(0, 0, 16, 16), [media], 1.0))
    stage.frame(0)
    assert backdrop.proc.poll() is None and media.proc.poll() is None
    stage.close()
    assert backdrop.proc.poll() is not None and media.proc.poll() is not None
