"""The same product ad composed with moviepy clips only, for the render benchmark.

A simplified equivalent of what :mod:`avatar.render` draws: per scene a
backdrop, the product image zooming slowly, the presenter, the overlays (as
images with alpha) and the captions; scenes joined by cuts; the same mixed
soundtrack; libx264 with the same preset, two threads. The overlay and
caption images are drawn with our own code inside the timed function, as a
moviepy pipeline would have to draw them too; the soundtrack is taken from
the render being compared (mixing is not what is compared).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np


def _scene_clips(spec, scene, geometry, duration: float, base_dir: Path):
    from moviepy import ImageClip

    from avatar import presenters
    from avatar.compose import backgrounds, media, overlays
    from avatar.compose.scene import _slot_of

    w, h = geometry.width, geometry.height
    back = backgrounds.brand_gradient(spec.brand.background, spec.brand.primary, (w, h))
    clips = [ImageClip(back).with_duration(duration)]
    if scene.media and geometry.media is not None:
        rect = geometry.media
        image = media.load_image(base_dir / scene.media[0].src, "media")
        plate = media.contain_on_fill(image, (rect.w, rect.h))
        zoom = ImageClip(np.asarray(plate)).with_duration(duration)
        zoom = zoom.resized(lambda t: 1 + 0.12 * t / duration).with_position((rect.x, rect.y))
        clips.append(zoom)
    if scene.avatar and geometry.presenter is not None:
        rect = geometry.presenter
        photo = presenters.load_presenter_image(
            presenters.resolve_presenter(scene.avatar).image_path
        )
        from PIL import Image

        face = np.asarray(Image.fromarray(photo).resize((rect.w, rect.h)))
        clips.append(ImageClip(face).with_duration(duration).with_position((rect.x, rect.y)))
    style = overlays.Style.of(spec.brand, geometry.scale)
    for overlay in scene.overlays:
        slot = geometry.slots.get(_slot_of(overlay), geometry.slots["middle"])
        block = overlays.build(overlay, slot.w, style, True)
        for piece in block.pieces:
            rgba = np.asarray(piece.placed.image)
            clip = ImageClip(rgba[..., :3]).with_mask(ImageClip(rgba[..., 3] / 255.0, is_mask=True))
            start = overlay.start_s + piece.delay
            clip = clip.with_start(start).with_duration(max(0.1, duration - start))
            clips.append(clip.with_position((slot.x + piece.dx, slot.y + piece.dy)))
    return clips


def _caption_clips(result, scene_starts, geometries, painter_for):
    from moviepy import ImageClip

    clips = []
    for cue in result.burned_cues:
        k = max(i for i, s in enumerate(scene_starts) if s <= cue.start + 1e-6)
        painter, box = painter_for(k), geometries[k].captions
        rgba = np.asarray(painter.paint(cue))
        clip = ImageClip(rgba[..., :3]).with_mask(ImageClip(rgba[..., 3] / 255.0, is_mask=True))
        clip = clip.with_start(cue.start).with_duration(max(0.05, cue.end - cue.start))
        clips.append(clip.with_position((box.x, int(box.cy - rgba.shape[0] / 2))))
    return clips


def render_with_moviepy(spec, result, base_dir: Path, out: Path, cache: Path) -> Path:
    """Compose and encode ``spec`` with moviepy, reusing ``result``'s timings and soundtrack."""
    from moviepy import AudioFileClip, CompositeVideoClip

    from avatar.captions import CaptionPainter
    from avatar.compose import layouts
    from avatar.compose.overlays import ink_on
    from avatar.render.job import Job  # noqa: F401  (same layouts and timings as the render)
    from avatar.spec import hex_rgba

    w, h = result.width, result.height
    starts = list(result.scene_starts)
    ends = starts[1:] + [result.duration_s]
    geometries, layers = [], []
    for scene, start, end in zip(spec.scenes, starts, ends, strict=True):
        g = layouts.geometry(scene.layout, w, h, scene.presenter_side, bool(scene.overlays))
        geometries.append(g)
        for clip in _scene_clips(spec, scene, g, end - start, base_dir):
            layers.append(clip.with_start(start + (clip.start or 0)))
    accent = hex_rgba(spec.brand.secondary)

    def painter_for(k: int) -> CaptionPainter:
        return CaptionPainter("social", geometries[k].scale, geometries[k].captions.w, accent,
                              ink_on(accent))  # fmt: skip

    layers += _caption_clips(result, starts, geometries, painter_for)
    video = CompositeVideoClip(layers, size=(w, h)).with_duration(result.duration_s)
    mix = _soundtrack(result, cache)
    video = video.with_audio(AudioFileClip(str(mix)))
    video.write_videofile(str(out), fps=result.fps, codec="libx264", preset="veryfast",
                          audio_codec="aac", threads=2, logger=None)  # fmt: skip
    return out


def _soundtrack(result, cache: Path) -> Path:
    """A WAV as long as the video (the render's own mix is in its temporary folder)."""
    import subprocess

    from avatar.encode import ffmpeg_exe

    wav = cache / "moviepy-mix.wav"
    command = [ffmpeg_exe(), "-v", "error", "-y", "-i", str(result.video), "-vn", str(wav)]
    subprocess.run(command, check=True)
    return wav
