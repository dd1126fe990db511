"""Photo avatars that talk: the quality gate, preparation, and the renderer's behaviour."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from avatar.errors import InvalidInput
from avatar.lipsync import (
    FrameTrack,
    PreparedAvatar,
    animate,
    assess_photo,
    check_photo,
    faces,
    frame_count_for,
    prepare_avatar,
    viseme_track,
)
from avatar.presenters import stock_avatars

from .lipsync_personas import (
    FPS,
    PAUSES,
    grace,
    mouth_box,
    mouth_opening,
    save,
    speech,
)

pytestmark = pytest.mark.skipif(
    not faces.available(), reason="the face mesh comes from mediapipe==0.10.21"
)


@pytest.fixture(scope="module")
def grace_avatar(tmp_path_factory) -> PreparedAvatar:
    folder = tmp_path_factory.mktemp("grace")
    avatar, report = prepare_avatar(save(grace(), folder / "grace.png"), folder / "prepared")
    assert report.ok
    return PreparedAvatar.load(folder / "prepared")


@pytest.fixture(scope="module")
def talking(grace_avatar, tmp_path_factory):
    """Grace saying "mapa bu ... wisou", every frame kept (a short clip)."""
    said = speech(tmp_path_factory.mktemp("speech"))
    track = animate(grace_avatar, said, FPS, device="cpu")
    frames = list(track)
    return track, frames, viseme_track(said, len(frames), FPS)


# --- the quality gate -------------------------------------------------------------


def test_a_frontal_portrait_is_accepted_with_its_measurements(tmp_path):
    report = check_photo(save(grace(), tmp_path / "grace.jpg"))
    assert report.ok and report.errors == []
    assert report.measurements["face_width_px"] > 160
    assert abs(report.measurements["yaw_deg"]) < 10
    x, y, w, h = report.face_box
    assert 120 < x < 220 and 100 < y < 180 and 150 < w < 230


def _refusal(path) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        check_photo(path)
    assert caught.value.field == "image"
    return caught.value


def test_a_photo_without_a_face_is_refused(tmp_path):
    noise = np.random.default_rng(0).integers(0, 255, (400, 400, 3), dtype=np.uint8)
    error = _refusal(save(noise, tmp_path / "noise.png"))
    assert error.code == "no_face" and "face" in error.message


def test_a_photo_with_two_faces_is_refused(tmp_path):
    two = np.concatenate([grace(), grace()], axis=1)
    error = _refusal(save(two, tmp_path / "two.png"))
    assert error.code == "several_faces" and "2 faces" in error.message


def test_a_tiny_face_is_refused_with_the_size_needed(tmp_path):
    small = np.asarray(Image.fromarray(grace()).resize((340, 398)))
    canvas = np.full((1000, 1000, 3), 200, np.uint8)
    canvas[300:698, 300:640] = small
    error = _refusal(save(canvas, tmp_path / "far.png"))
    assert error.code == "face_too_small" and "160" in error.message


def test_a_tiny_or_dark_image_is_refused(tmp_path):
    tiny = np.asarray(Image.fromarray(grace()).resize((128, 150)))
    assert _refusal(save(tiny, tmp_path / "tiny.png")).code == "image_too_small"
    dark = (grace() * 0.15).astype(np.uint8)
    assert _refusal(save(dark, tmp_path / "dark.png")).code == "too_dark"


def test_a_head_tilted_far_to_one_side_is_refused(tmp_path):
    tilted = Image.fromarray(grace()).rotate(35, fillcolor=(128, 128, 128))
    assert _refusal(save(np.asarray(tilted), tmp_path / "tilted.png")).code == "head_tilted"


def test_unsupported_or_broken_files_are_refused(tmp_path):
    gif = tmp_path / "face.gif"
    Image.fromarray(grace()).save(gif)
    assert _refusal(gif).code == "unsupported_format"
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a jpeg")
    assert _refusal(broken).code == "unreadable_image"


def test_an_open_smile_is_accepted_with_a_warning():
    astronaut = next(s for s in stock_avatars() if s.id == "astronaut")
    report, _, _ = assess_photo(astronaut.image_path)
    assert report.ok
    assert [w.code for w in report.warnings] == ["teeth_visible"]


def test_the_prepare_command_states_why_a_photo_is_refused(tmp_path):
    two = save(np.concatenate([grace(), grace()], axis=1), tmp_path / "two.png")
    result = subprocess.run(
        [sys.executable, "-m", "avatar", "prepare", "--image", str(two)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "several_faces" in result.stdout and "2 faces" in result.stderr


def test_the_prepare_command_reports_and_saves_an_accepted_photo(tmp_path):
    photo = save(grace(), tmp_path / "grace.png")
    result = subprocess.run(
        [sys.executable, "-m", "avatar", "prepare", "--image", str(photo), "--out",
         str(tmp_path / "avatar")],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("accepted") and "face_width_px" in result.stdout
    assert PreparedAvatar.load(tmp_path / "avatar").face_box == check_photo(photo).face_box


# --- preparation -----------------------------------------------------------------------


def test_a_prepared_avatar_round_trips_through_its_folder(grace_avatar):
    assert grace_avatar.report.ok and grace_avatar.report.measurements["face_width_px"] > 160
    assert grace_avatar.points.shape == (478, 3)
    assert grace_avatar.image.shape == (600, 512, 3)
    assert 0.05 < grace_avatar.change_mask.mean() < 0.4  # the head and neck, not the picture
    assert grace_avatar.matte[300, 256] > 0.9 and grace_avatar.matte[20, 5] < 0.1
    teeth = np.array(grace_avatar.palette.teeth)
    cavity = np.array(grace_avatar.palette.cavity)
    assert teeth.mean() > 150 and cavity.mean() < 70


def test_the_change_mask_covers_the_face_but_not_the_background(grace_avatar):
    x, y, w, h = grace_avatar.face_box
    mask = grace_avatar.change_mask
    assert mask[y + h // 2, x + w // 2] == 1.0
    background = grace_avatar.matte < 0.05
    assert (mask[background] >= 0.5).mean() < 0.005  # at most a soft edge reaches it


# --- rendering ---------------------------------------------------------------------------


def test_the_track_streams_frames_the_size_of_the_photo(talking, grace_avatar):
    track, frames, _ = talking
    assert isinstance(track, FrameTrack)
    assert track.frame_count == len(frames) == frame_count_for(3.8, FPS)
    assert not isinstance(track.frames, list)  # an iterator, rendered batch by batch
    assert (track.width, track.height) == (512, 600)
    assert track.face_box == grace_avatar.face_box
    assert track.matte.shape == (600, 512)
    assert all(f.shape == (600, 512, 3) and f.dtype == np.uint8 for f in frames)
    assert np.array_equal(frames[0], grace_avatar.image)  # starts at rest, on the photo


def test_the_mouth_opening_follows_the_viseme_track(talking, grace_avatar):
    _, frames, visemes = talking
    box = mouth_box(grace_avatar.points)
    opening = [mouth_opening(f, grace_avatar.image, box) for f in frames]
    correlation = np.corrcoef(opening, visemes.open)[0, 1]
    print(f"mouth opening vs visemes r={correlation:.3f}")
    assert correlation >= 0.8, correlation


def test_the_mouth_is_closed_in_silences(talking, grace_avatar):
    _, frames, visemes = talking
    box = mouth_box(grace_avatar.points)
    opening = np.array([mouth_opening(f, grace_avatar.image, box) for f in frames])
    widest = opening.max()
    for start, end in PAUSES:
        quiet = slice(int(np.ceil(start * FPS)), int(end * FPS))
        assert np.all(visemes.open[quiet] < 0.01)
        assert np.all(opening[quiet] < 0.1 * widest), (start, end, opening[quiet])


def test_pixels_outside_the_face_head_and_neck_never_change(talking, grace_avatar):
    _, frames, _ = talking
    outside = grace_avatar.change_mask == 0
    assert outside.mean() > 0.6
    for frame in frames:
        assert np.array_equal(frame[outside], grace_avatar.image[outside])


def test_the_track_says_where_its_frames_can_differ_from_the_still(talking, grace_avatar):
    track, frames, _ = talking
    x0, y0, x1, y1 = track.changes
    assert track.still is grace_avatar.image
    assert (x1 - x0) * (y1 - y0) < 0.8 * track.width * track.height
    outside = np.ones(track.still.shape[:2], bool)
    outside[y0:y1, x0:x1] = False
    for frame in frames:
        assert np.array_equal(frame[outside], track.still[outside])
    assert any(not np.array_equal(f[y0:y1, x0:x1], track.still[y0:y1, x0:x1]) for f in frames)


@pytest.mark.parametrize("layout", ["presenter", "split", "bottom", "corner"])
def test_the_presenter_scaled_in_part_matches_it_scaled_whole(talking, layout):
    """Composition redoes only the changing part of a lip-sync frame: the pictures
    equal those of scaling the whole frame, but for rounding."""
    from avatar.compose import layouts
    from avatar.compose.presenter import PresenterView, resize_planes

    track, frames, _ = talking
    for size in [(720, 1280), (1280, 720), (1080, 1080)]:
        view = PresenterView(track, layouts.geometry(layout, *size, "right", True))
        if layout == "presenter":
            assert view._partial is not None  # the full-frame presenter is where it pays
        for frame in frames[::7]:
            view._last = None
            shown = view.render(frame)[-1][0]
            shown = getattr(shown, "planes", shown)
            whole = resize_planes(frame, view.size, view.crop)
            for plane in "yuv":
                a = getattr(shown, plane).astype(int)
                b = getattr(whole, plane).astype(int)
                assert a.shape == b.shape
                differ = np.abs(a - b)
                assert differ.max() <= 2 and (differ > 0).mean() < 0.02, (size, plane)


def test_the_head_moves_a_little_while_the_background_stays(talking, grace_avatar):
    _, frames, _ = talking
    x, y, w, h = grace_avatar.face_box
    eyes = (slice(y + h // 4, y + h // 2), slice(x, x + w))
    moved = [np.abs(f[eyes].astype(int) - frames[0][eyes]).mean() for f in frames]
    assert max(moved) > 1.0  # idle motion is visible...
    assert max(moved) < 25  # ...but subtle


def test_the_presenter_blinks(grace_avatar, tmp_path):
    said = speech(tmp_path, phonemes=(), duration=8.0)
    frames = list(animate(grace_avatar, said, FPS, device="cpu", seed=3))
    points = grace_avatar.points
    top, bottom = int(points[159, 1] - 6), int(points[145, 1] + 4)
    left, right = int(points[33, 0] - 4), int(points[133, 0] + 4)
    darkness = [255 - f[top:bottom, left:right].mean() for f in frames]
    # The pupil disappears under the lid: the eye gets much lighter for a frame or three.
    assert min(darkness) < np.median(darkness) - 8


def test_rounded_and_spread_mouths_look_different(grace_avatar):
    from avatar.lipsync.render import Renderer

    renderer = Renderer(grace_avatar, device="cpu")
    rig = np.zeros((3, 6), np.float32)
    rig[1, [0, 2]] = (0.3, 1.0)  # "oo": a little open, fully rounded
    rig[2, [0, 1]] = (0.3, 1.0)  # "ee": as open, fully spread
    rois = renderer.render_rois(rig, np.zeros((3, 3), np.float32), np.zeros(3))
    x0, y0, x1, y1 = mouth_box(grace_avatar.points)
    box = (slice(y0 - renderer.roi.y0, y1 - renderer.roi.y0),
           slice(x0 - renderer.roi.x0, x1 - renderer.roi.x0))  # fmt: skip
    rois = [roi[box] for roi in rois]
    shapes = []
    for roi in rois[1:]:
        value = roi.max(axis=2).astype(int)
        pale = (value > 110) & ((value - roi.min(axis=2)) / np.maximum(value, 1) < 0.18)
        inside = ((value < 70) | pale) & ~_interior_at_rest(rois[0])
        ys, xs = np.nonzero(inside)
        shapes.append((np.ptp(xs), np.ptp(ys)))
    (round_w, round_h), (spread_w, spread_h) = shapes
    assert spread_w > 1.4 * round_w  # "ee" is a wide slot...
    assert round_h / round_w > 1.5 * spread_h / spread_w  # ..."oo" a rounder hole


def _interior_at_rest(roi):
    value = roi.max(axis=2).astype(int)
    pale = (value > 110) & ((value - roi.min(axis=2)) / np.maximum(value, 1) < 0.18)
    return (value < 70) | pale


def test_renders_are_deterministic_and_stable_between_frames(grace_avatar, tmp_path):
    said = speech(tmp_path)
    first = [f for i, f in enumerate(animate(grace_avatar, said, FPS, device="cpu")) if i < 12]
    again = [f for i, f in enumerate(animate(grace_avatar, said, FPS, device="cpu")) if i < 12]
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    steps = [np.abs(b.astype(int) - a).mean() for a, b in zip(first, first[1:], strict=False)]
    assert max(steps) < 2.0  # no flicker: consecutive frames barely differ overall


def test_a_portrait_array_is_prepared_on_the_fly(tmp_path):
    said = speech(tmp_path, duration=0.6, phonemes=(("a", 0.1, 0.5),))
    track = animate(grace(), said, FPS, device="auto")
    frames = list(track)
    assert track.face_box is not None and len(frames) == 15


def test_every_stock_presenter_is_licensed_and_passes_the_gate():
    stock = stock_avatars()
    assert len(stock) >= 3
    assert {"grace", "astronaut"} <= {s.id for s in stock}
    for presenter in stock:
        assert presenter.licence and presenter.source
        from avatar.lipsync import prepare_image

        avatar, report = prepare_image(presenter.image())
        assert avatar is not None, (presenter.id, report.errors)


def test_frames_written_into_two_buffers_are_the_same_pictures(talking, grace_avatar, tmp_path):
    """reuse_frames (the compositor's way of reading) saves a copy of the photo a frame:
    each frame, read before the one after next, is pixel for pixel the kept frame."""
    _, kept, _ = talking
    said = speech(tmp_path)
    seen, objects = [], set()
    for frame in animate(grace_avatar, said, FPS, device="cpu", reuse_frames=True):
        assert not frame.flags.writeable
        seen.append(frame.copy())
        objects.add(id(frame))
    assert len(seen) == len(kept)
    assert all(np.array_equal(a, b) for a, b in zip(seen, kept, strict=True))
    assert len(objects) == 2  # two buffers in turn: consecutive frames are never one object


def test_a_track_started_part_way_shows_what_the_whole_one_shows_there(talking, grace_avatar,
                                                                         tmp_path):  # fmt: skip
    """seek(i) (a cached render's way into a scene whose first frames are not needed)
    gives frames i.. pixel for pixel, blinks and head motion included."""
    _, kept, _ = talking
    said = speech(tmp_path)
    track = animate(grace_avatar, said, FPS, device="cpu", reuse_frames=True)
    start = len(kept) // 2 + 1
    tail = [frame.copy() for frame in track.seek(start)]
    assert len(tail) == len(kept) - start
    assert all(np.array_equal(a, b) for a, b in zip(tail, kept[start:], strict=True))


# --- rendering at a smaller scale (a layout that shows the presenter small) -----------


def test_a_smaller_render_is_the_same_picture_at_its_size(talking, grace_avatar, tmp_path):
    """scale=0.75: little more than half the pixels to warp, the same talking face. Each
    frame, against the full-size frame reduced to its size, differs by what the second
    resampling does."""
    _, kept, _ = talking
    said = speech(tmp_path)
    track = animate(grace_avatar, said, FPS, device="cpu", scale=0.75)
    frames = [frame.copy() for frame in track]
    width, height = grace_avatar.size
    assert (track.width, track.height) == (round(width * 0.75), round(height * 0.75))
    assert frames[0].shape == (track.height, track.width, 3) and len(frames) == len(kept)
    fx, fy, fw, fh = grace_avatar.face_box
    sx, sy, sw, sh = track.face_box
    assert abs(sx - fx * 0.75) <= 2 and abs(sy - fy * 0.75) <= 2 and abs(sw - fw * 0.75) <= 2
    assert track.changes[2] - track.changes[0] < 0.8 * track.width  # still only the head
    for i in (0, len(kept) // 3, 2 * len(kept) // 3):
        reduced = Image.fromarray(kept[i]).resize((track.width, track.height),
                                                  Image.Resampling.LANCZOS)  # fmt: skip
        error = np.abs(np.asarray(reduced, np.float32) - frames[i].astype(np.float32))
        psnr = 10 * np.log10(255**2 / max(float((error**2).mean()), 1e-9))
        assert psnr > 35, (i, psnr)
    # The mouth still opens and closes with the speech.
    small = grace_avatar.scaled(track.width / width)
    box = mouth_box(small.points)
    opening = np.array([mouth_opening(f, track.still, box) for f in frames])
    assert opening.max() > 20 and opening.min() < 0.25 * opening.max()


def test_a_render_scale_is_rounded_up_and_keeps_the_face_drawable(grace_avatar, tmp_path):
    from avatar.lipsync import MIN_FACE_PX
    from avatar.lipsync.landmarks import face_width

    said = speech(tmp_path)
    width = grace_avatar.size[0]
    assert animate(grace_avatar, said, FPS, device="cpu", scale=1.7).width == width
    three_quarters = round(width * 0.75)
    assert animate(grace_avatar, said, FPS, device="cpu", scale=0.75).width == three_quarters
    # 0.71 is rendered at 12/16
    assert animate(grace_avatar, said, FPS, device="cpu", scale=0.71).width == three_quarters
    tiny = animate(grace_avatar, said, FPS, device="cpu", scale=0.01)
    assert tiny.width < three_quarters
    assert face_width(grace_avatar.points) * tiny.width / width >= MIN_FACE_PX
    again = animate(grace_avatar, said, FPS, device="cpu", scale=0.75)
    assert again.still is animate(grace_avatar, said, FPS, device="cpu", scale=0.75).still


def test_the_compiled_passes_give_torchs_frames(grace_avatar, monkeypatch):
    """On the CPU the pixels are compiled passes: the warp (upsampled field, sampled
    photo, blend into it, bytes), the lids of a blink, and the blend of the painted
    mouths. torch's own ops (the CUDA path) give the same bytes but for a level here and
    there (the last bit of a float)."""
    from avatar.lipsync import motion, render
    from avatar.lipsync.geometry import rig_params

    if render._warp_kernel() is None:
        pytest.skip("numba is not installed")
    renderer = render.Renderer(grace_avatar, device="cpu")
    params = np.zeros((32, 5), np.float32)
    params[:, 0] = np.clip(np.sin(np.arange(32) / 2.0), 0, None) * 0.8  # the mouth opens
    blinks = motion.blinks(32, FPS, seed=1)
    blinks[20:26] = [0.3, 0.8, 1.0, 1.0, 0.7, 0.2]  # and the eyes shut
    rig = rig_params(params, blinks)
    head, tongue = motion.head_motion(32, FPS, 300.0, params[:, 0], seed=1), params[:, 3]
    compiled = renderer.render_rois(rig, head, tongue)
    monkeypatch.setattr(render, "_warp_kernel", lambda: None)
    monkeypatch.setattr(render, "_blend_kernel", lambda: None)
    plain = renderer.render_rois(rig, head, tongue)
    assert compiled.shape == plain.shape == (32, renderer.roi.height, renderer.roi.width, 3)
    assert compiled.dtype == np.uint8 and compiled.flags.c_contiguous
    differ = np.abs(compiled.astype(int) - plain)
    assert differ.max() <= 1 and (differ > 0).mean() < 1e-4
    assert np.abs(compiled.astype(int) - compiled[0]).max() > 20  # the mouth moved
    x0, y0, x1, y1 = (int(v) for v in renderer.eyes[0].box)
    eye = np.s_[
        y0 - renderer.roi.y0 : y1 - renderer.roi.y0, x0 - renderer.roi.x0 : x1 - renderer.roi.x0
    ]
    assert np.abs(compiled[22][eye].astype(int) - compiled[19][eye]).max() > 20  # lids down
    # Where the change mask is 0 the frame is the photo's, byte for byte.
    still = renderer._still_bytes
    outside = renderer._mask_np == 0
    assert outside.any() and (compiled[:, outside] == still[outside]).all()
