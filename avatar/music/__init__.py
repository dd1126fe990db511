"""Background music: three built-in tracks composed and synthesised by this project.

The project is the author of the tracks and dedicates them to the public
domain (CC0 1.0, see ``avatar/music/LICENSE.md``), so customers may publish
videos with them anywhere. A track is rendered from code the first time it
is needed (a few seconds) and cached as a 48 kHz stereo FLAC; it loops
seamlessly to any length. Customers may instead upload their own music
(anything :func:`avatar.audio.io.decode_audio` reads).
"""

from __future__ import annotations

import os
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.errors import InvalidInput

SAMPLE_RATE = 48000
# Bump when a composition or the synthesiser changes, so cached files are re-rendered.
MUSIC_VERSION = 1
FILE_LUFS = -18.0
FILE_PEAK_DBFS = -1.0


@dataclass(frozen=True)
class Track:
    """A built-in track."""

    id: str
    title: str
    bpm: int
    mood: str
    licence: str = "CC0-1.0 (composed and synthesised by this project)"


TRACKS: dict[str, Track] = {
    "upbeat": Track("upbeat", "Bright Side", 118, "energetic dance-pop for product ads"),
    "corporate": Track("corporate", "Forward Motion", 100, "light piano and pads for explainers"),
    "chill": Track("chill", "Late Window", 80, "lo-fi hip hop for relaxed lifestyle videos"),
}


def default_cache_dir() -> Path:
    """Where rendered tracks are kept when the caller names no folder."""
    return Path(tempfile.gettempdir()) / "avatar-music"


def track_path(track_id: str, cache_dir: Path | None = None) -> Path:
    """The FLAC file of a built-in track, rendering it on first use.

    Raises:
        InvalidInput: ``field="music.track"`` for an unknown id.
    """
    if track_id not in TRACKS:
        raise InvalidInput("music.track", f"unknown track {track_id!r}; use {', '.join(TRACKS)}")
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = folder / f"{track_id}-v{MUSIC_VERSION}.flac"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        _write_flac(path, render_track(track_id))
    return path


def render_track(track_id: str) -> np.ndarray:
    """Synthesise one loop of a built-in track: float32 (n, 2) at 48 kHz, -18 LUFS."""
    from avatar.music.master import master
    from avatar.music.tracks import COMPOSERS

    return master(COMPOSERS[track_id](), SAMPLE_RATE, FILE_LUFS, FILE_PEAK_DBFS)


def _write_flac(path: Path, stereo: np.ndarray) -> None:
    import soundfile

    part = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        soundfile.write(str(part), stereo, SAMPLE_RATE, format="FLAC", subtype="PCM_16")
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def load_music(path: Path) -> np.ndarray:
    """Read a music file (a cached track or an upload) as float32 stereo at 48 kHz.

    Raises:
        InvalidInput: ``field="audio"`` (from the decoder) when it is not audio.
    """
    import soundfile

    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (RuntimeError, soundfile.LibsndfileError):
        return _decode_any(path)
    if rate != SAMPLE_RATE:
        return _decode_any(path)
    return data[:, :2] if data.shape[1] >= 2 else np.repeat(data, 2, axis=1)


def _decode_any(path: Path) -> np.ndarray:
    from avatar.audio.io import decode_audio

    mono = decode_audio(path, rate=SAMPLE_RATE, max_seconds=900)
    return np.repeat(mono[:, None], 2, axis=1)
