"""A worker fills the music cache when it boots, so no customer's video waits for it."""

import soundfile

from avatar import music
from saas.ops.warmup import WarmRenderCaches


def _boot(settings, folder):
    settings.MUSIC_CACHE_DIR = str(folder)
    warm = WarmRenderCaches()
    warm.after_worker_boot(broker=None, worker=None)
    warm.thread.join(timeout=120)
    assert not warm.thread.is_alive()


def test_a_booting_worker_renders_the_missing_music_tracks(tmp_path, settings):
    folder = tmp_path / "music"
    _boot(settings, folder)
    files = sorted(folder.glob("*.flac"))
    assert [f.name.split("-v")[0] for f in files] == sorted(music.TRACKS)
    for f in files:
        info = soundfile.info(str(f))
        assert info.samplerate == music.SAMPLE_RATE and info.channels == 2 and info.duration > 5
    # Already full: the next boot renders nothing (the files are not rewritten).
    stamps = [f.stat().st_mtime_ns for f in files]
    _boot(settings, folder)
    assert [f.stat().st_mtime_ns for f in files] == stamps
