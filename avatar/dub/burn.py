"""Captions burned into a dubbed video, in the target language, with the project's fonts.

The translated lines become words spread over each line's time (by length),
grouped into cues by avatar.captions (at most two lines that fit, measured with
the real font: Noto for CJK, Arabic and Hebrew), and painted in the `subtitle`
style at the bottom of the picture.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from avatar import captions as cap

MARGIN = 0.06  # of the height, below the captions


def words_of(segments) -> list[cap.Word]:
    """Each segment's words, timed by their share of its characters."""
    words = []
    for segment in segments:
        text = segment.text.strip()
        if not text:
            continue
        tokens = text.split() if " " in text else list(text)  # CJK: a character each
        total = sum(len(t) for t in tokens) or 1
        start, span = segment.start, max(0.2, segment.end - segment.start)
        for token in tokens:
            length = span * len(token) / total
            words.append(cap.Word(token, round(start, 3), round(start + length, 3)))
            start += length
    return words


class Burner:
    """Paints the cue showing at a time onto frames of one size."""

    def __init__(self, segments, width: int, height: int, language: str | None) -> None:
        scale = min(width, height) / 720
        self.width, self.height = width, height
        self.painter = cap.CaptionPainter(
            "subtitle", scale, int(width * 0.86), (255, 255, 255, 255), (0, 0, 0, 255), language
        )
        words = words_of(segments)
        sample = "".join(w.text for w in words) or "Aa"
        fit = cap.Fit(self.painter.measure_for(sample), int(width * 0.86), 2)
        self.cues = cap.build_cues(words, fit)
        self.ends = [cap.display_end(self.cues, i) for i in range(len(self.cues))]
        self._images: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    def cue_at(self, t: float) -> int | None:
        for index, cue in enumerate(self.cues):
            if cue.start <= t < self.ends[index]:
                return index
        return None

    def _image(self, index: int):
        if index not in self._images:
            rgba = np.asarray(self.painter.paint(self.cues[index]), dtype=np.float32)
            self._images[index] = (rgba[..., :3], rgba[..., 3:] / 255.0)
        return self._images[index]

    def burn(self, frame: np.ndarray, t: float) -> np.ndarray:
        index = self.cue_at(t)
        if index is None:
            return frame
        rgb, alpha = self._image(index)
        h, w = rgb.shape[:2]
        x = (self.width - w) // 2
        y = max(0, self.height - h - int(MARGIN * self.height))
        h, w = min(h, self.height - y), min(w, self.width - x)
        out = frame.copy()
        region = out[y : y + h, x : x + w].astype(np.float32)
        mixed = region + (rgb[:h, :w] - region) * alpha[:h, :w]
        out[y : y + h, x : x + w] = (mixed + 0.5).astype(np.uint8)
        return out


def burn_captions(video: Path, segments, language: str | None, audio_wav: Path, out_mp4: Path):
    """VIDEO's frames with the captions of SEGMENTS burned in, AUDIO_WAV as sound, to OUT_MP4."""
    from avatar.lipsync.video import decode_frames, encode_frames, video_format

    form = video_format(video)
    settings = form.encode_settings()
    burner = Burner(segments, settings.width, settings.height, language)
    frames = (
        burner.burn(np.ascontiguousarray(f[: settings.height, : settings.width]), i / form.fps)
        for i, f in enumerate(decode_frames(video))
    )
    return encode_frames(frames, form, audio_wav, out_mp4)
