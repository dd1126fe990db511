"""Built-in music (generated, CC0) and the soundtrack mix: ducking, fades, -14 LUFS.

Nobody can listen here, so the tracks are checked for what music has and test
tones lack: a steady beat at the stated tempo, energy spread over bass, mids
and highs, stereo width, and no clipping or DC.
"""

from __future__ import annotations

import numpy as np
import pytest
import soundfile

from avatar import music
from avatar.music import mix
from avatar.music.master import measure_lufs

SR = music.SAMPLE_RATE


@pytest.fixture(scope="module")
def tracks(tmp_path_factory) -> dict[str, np.ndarray]:
    cache = tmp_path_factory.mktemp("music")
    return {tid: music.load_music(music.track_path(tid, cache)) for tid in music.TRACKS}


def _band_share(mono: np.ndarray, low: float, high: float) -> float:
    power = np.abs(np.fft.rfft(mono)) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / SR)
    return float(power[(freqs >= low) & (freqs < high)].sum() / power.sum())


def _beat_strength(mono: np.ndarray, bpm: float) -> float:
    """How the onset envelope's autocorrelation at one beat ranks among lags of 0.25-2 s
    (1.0: the strongest periodicity is the beat or a multiple of it)."""
    hop = 480  # 10 ms
    frames = len(mono) // hop
    energy = np.sqrt((mono[: frames * hop].reshape(frames, hop) ** 2).mean(axis=1))
    onset = np.maximum(np.diff(np.log(energy + 1e-4)), 0)
    onset -= onset.mean()
    corr = np.correlate(onset, onset, "full")[len(onset) - 1 :]
    lags = np.arange(len(corr)) * hop / SR
    window = (lags >= 0.25) & (lags <= 2.0)
    beat = corr[int(round(60 / bpm * SR / hop))]
    return float((corr[window] <= beat).mean())


@pytest.mark.slow
def test_there_are_three_tracks_with_a_clear_licence(tracks):
    assert set(tracks) >= {"upbeat", "corporate", "chill"}
    assert all("CC0" in t.licence for t in music.TRACKS.values())


@pytest.mark.slow
@pytest.mark.parametrize("track_id", ["upbeat", "corporate", "chill"])
def test_a_track_is_a_clean_stereo_loop_at_a_steady_level(tracks, track_id):
    stereo = tracks[track_id]
    assert stereo.ndim == 2 and stereo.shape[1] == 2 and len(stereo) / SR >= 20
    assert float(np.abs(stereo).max()) <= 10 ** (-1 / 20) + 1e-4  # no clipping: peak <= -1 dBFS
    assert abs(float(stereo.mean())) < 1e-3  # no DC
    assert measure_lufs(stereo, SR) == pytest.approx(music.FILE_LUFS, abs=0.5)
    seconds = 2 * SR
    levels = [
        20 * np.log10(np.sqrt((stereo[i : i + seconds] ** 2).mean()))
        for i in range(0, len(stereo) - seconds, seconds)
    ]
    assert max(levels) - min(levels) < 6  # no silent holes, no sudden jumps
    seam = np.abs(stereo[-200:]).mean() / max(np.abs(stereo[:200]).mean(), 1e-6)
    assert 0.05 < seam < 20  # the loop's end and start are at similar levels


@pytest.mark.slow
@pytest.mark.parametrize("track_id", ["upbeat", "corporate", "chill"])
def test_a_track_sounds_like_music_not_a_tone(tracks, track_id):
    stereo = tracks[track_id]
    mono = stereo.mean(axis=1)
    bpm = music.TRACKS[track_id].bpm
    assert _beat_strength(mono, bpm) > 0.8  # a steady beat at the stated tempo...
    assert _beat_strength(mono, bpm) > _beat_strength(mono, bpm * 1.37)  # ...not just any
    assert _band_share(mono, 40, 250) > 0.2  # bass and kick
    assert _band_share(mono, 250, 2000) > 0.04  # chords and melody
    assert _band_share(mono, 2000, 16000) > 0.002  # hats, shakers, attacks
    left, right = stereo[:, 0], stereo[:, 1]
    assert 0.3 < np.corrcoef(left, right)[0, 1] < 0.99  # panned parts, a real stereo image


def _speech_like(seconds: float, start: float, end: float) -> np.ndarray:
    """A voice stand-in: band-limited noise bursts (syllables) between start and end."""
    rng = np.random.default_rng(1)
    t = np.arange(int(seconds * SR)) / SR
    syllables = (np.sin(2 * np.pi * 4 * t) > 0) & (t >= start) & (t < end)
    return (rng.standard_normal(len(t)) * 0.2 * syllables).astype(np.float32)


def test_music_ducks_under_speech_and_fades_in_and_out(tmp_path):
    seconds = 10.0
    speech = _speech_like(seconds, 3.0, 6.0)
    wav = tmp_path / "speech.wav"
    soundfile.write(str(wav), speech, SR)
    bed_source = np.random.default_rng(2).standard_normal((SR * 4, 2)).astype(np.float32) * 0.1
    settings = mix.MixSettings(duck_db=-15.0)
    bed = mix.bed(
        bed_source, mix.speech_track([mix.Placement(wav, 0.0)], int(seconds * SR)), settings
    )

    def level(a: float, b: float) -> float:
        part = bed[int(a * SR) : int(b * SR)]
        return 20 * np.log10(np.sqrt((part**2).mean()) + 1e-12)

    assert level(4.0, 5.5) < level(1.5, 2.5) - 12  # ducked while speaking
    assert level(7.0, 7.5) > level(4.0, 5.5) + 10  # back up 300 ms-ish after speech ends
    assert level(0.0, 0.05) < level(1.5, 2.5) - 20  # fades in
    assert level(seconds - 0.05, seconds) < level(1.5, 2.5) - 20  # fades out
    assert level(2.9, 3.0) < level(1.5, 2.5) - 3  # the dip starts just before the first word


def test_the_final_mix_is_minus_14_lufs_with_peaks_under_minus_1_dbfs(tmp_path):
    wav = tmp_path / "speech.wav"
    soundfile.write(str(wav), _speech_like(8.0, 1.0, 7.0), SR)
    bed = np.random.default_rng(3).standard_normal((SR * 3, 2)).astype(np.float32) * 0.05
    out = mix.mix([mix.Placement(wav, 0.5)], 8.0, bed, mix.MixSettings())
    assert out.shape == (8 * SR, 2)
    assert measure_lufs(out, SR) == pytest.approx(-14.0, abs=0.3)
    assert float(np.abs(out).max()) <= 10 ** (-1 / 20) + 1e-4


def test_an_uploaded_song_is_read_as_48_khz_stereo(tmp_path):
    song = tmp_path / "song.wav"
    tone = np.sin(2 * np.pi * 220 * np.arange(22050 * 2) / 22050).astype(np.float32) * 0.3
    soundfile.write(str(song), tone, 22050)
    stereo = music.load_music(song)
    assert stereo.shape[1] == 2 and abs(len(stereo) - 2 * SR) < SR * 0.05


# ---------------------------------------------------------------- the streamed mix


def _whole_track_mix(placements, duration_s, bed_source, settings, click_at_s=None):
    """The mix computed on whole arrays, as it was before it was streamed: the oracle."""
    from avatar.music.master import normalize

    length = int(round(duration_s * SR))
    speech = np.zeros(length, np.float32)
    for p in placements:
        samples, rate = soundfile.read(str(p.wav), dtype="float32")
        from avatar.audio.io import resample

        samples = resample(samples, rate, SR)
        start = int(round(p.start_s * SR))
        end = min(length, start + len(samples))
        speech[start:end] += samples[: end - start]
    if click_at_s is not None:
        mix._add_marker(speech, click_at_s)
    out = np.repeat(speech[:, None], 2, axis=1)
    level_db = mix.SPEECH_LUFS - mix.BED_UNDER_SPEECH_LU - mix.MUSIC_FILE_LUFS + settings.volume_db
    gain = 10 ** (level_db / 20) * mix.duck_gain(speech, settings.duck_db)
    gain *= mix.fades(length, settings.fade_in_s, settings.fade_out_s)
    reps = int(np.ceil(length / len(bed_source)))
    out += np.tile(bed_source, (reps, 1))[:length] * gain[:, None]
    return normalize(out, SR, settings.loudness_lufs, settings.peak_dbfs)


def _scenes(tmp_path, count: int, every_s: float) -> list:
    tone = _speech_like(6.0, 0.3, 5.5)
    wav = tmp_path / "scene.wav"
    soundfile.write(str(wav), tone, SR)
    return [mix.Placement(wav, 0.4 + i * every_s) for i in range(count)]


@pytest.mark.parametrize("chunk", [mix.CHUNK, 4801])
def test_the_streamed_mix_is_the_whole_track_mix_to_the_bit(tmp_path, monkeypatch, chunk):
    """Streaming (a chunk at a time, the limiter reading past each chunk's edges) changes
    no sample, also where the limiter works (loud, spiky music) and at odd chunk sizes."""
    monkeypatch.setattr(mix, "CHUNK", chunk)
    placements = _scenes(tmp_path, 2, 6.5)
    loud = np.random.default_rng(5).standard_normal((SR * 3, 2)).astype(np.float32) * 0.6
    loud[::997] *= 6
    settings = mix.MixSettings(volume_db=8.0, duck_db=-3.0)
    expected = _whole_track_mix(placements, 13.0, loud, settings, click_at_s=2.0)
    got = mix.mix(placements, 13.0, loud, settings, click_at_s=2.0)
    assert float(np.abs(expected).max()) == pytest.approx(10 ** (-1 / 20), abs=1e-4)  # limited
    assert got.shape == expected.shape and np.array_equal(got, expected)
    levels = mix.mix_to_wav(placements, 13.0, loud, settings, tmp_path / "mix.wav", 2.0)
    written, rate = soundfile.read(str(tmp_path / "mix.wav"), dtype="float32")
    assert rate == SR and written.shape == expected.shape
    assert np.abs(written - np.clip(expected, -1, 1)).max() <= 1 / 32768 + 1e-6  # 16-bit
    assert levels["lufs"] == pytest.approx(measure_lufs(expected, SR), abs=0.01)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mix-")] == []


def test_the_mix_takes_the_same_memory_for_a_long_video_as_for_a_short_one(tmp_path):
    """A 3-minute soundtrack held whole would be 66 MiB of float32 stereo and copies of it;
    streamed, its peak of traced allocations is within a few MiB of a 20-second one's."""
    import tracemalloc

    bed_source = np.random.default_rng(6).standard_normal((SR * 4, 2)).astype(np.float32) * 0.1
    peaks = {}
    for seconds in (20, 180):
        placements = _scenes(tmp_path, int(seconds // 7), 7.0)
        tracemalloc.start()
        try:
            mix.mix_to_wav(placements, seconds, bed_source, mix.MixSettings(),
                           tmp_path / f"mix{seconds}.wav")  # fmt: skip
            peaks[seconds] = tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()
        assert soundfile.info(str(tmp_path / f"mix{seconds}.wav")).frames == seconds * SR
    assert peaks[180] - peaks[20] < 8, peaks
    assert peaks[180] < 40, peaks
