"""Render caches filled when a worker starts, not by a customer's first video.

The built-in music tracks are synthesised from code the first time one is
used (about 3 CPU seconds each, :func:`avatar.music.track_path`) and cached
as FLAC under MUSIC_CACHE_DIR. Without this, the first video of a fresh
installation that asks for music waits for that synthesis; with it, a worker
renders the missing tracks in a background thread right after it boots (a
no-op once the cache is full, which it stays: the folder is persistent).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import dramatiq

log = logging.getLogger(__name__)


def fill_music_cache(folder: Path) -> list[Path]:
    """Render every built-in track missing from FOLDER; returns the tracks' files."""
    from avatar import music

    return [music.track_path(track, folder) for track in music.TRACKS]


class WarmRenderCaches(dramatiq.Middleware):
    """Dramatiq middleware: fill the music cache in a thread after the worker boots."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None

    def after_worker_boot(self, broker, worker) -> None:
        from django.conf import settings

        self.thread = threading.Thread(
            target=self._fill, args=(Path(settings.MUSIC_CACHE_DIR),),
            name="talkingads-warm-caches", daemon=True,
        )  # fmt: skip
        self.thread.start()

    @staticmethod
    def _fill(folder: Path) -> None:
        try:
            fill_music_cache(folder)
        except Exception:  # a render fills the cache itself; this is only a head start
            log.exception("could not fill the music cache in %s", folder)
