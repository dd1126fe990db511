"""measure_lufs streams the signal, and still gives pyloudnorm's figure to the last bit."""

import numpy as np
import pyloudnorm
import pytest

from avatar.music import master, mix


def pyloudnorm_lufs(samples: np.ndarray, rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64)))


@pytest.mark.parametrize("rate", [48000, 22050])
@pytest.mark.parametrize("stereo", [True, False])
def test_the_same_figure_as_pyloudnorm_across_chunks(rate, stereo):
    rng = np.random.default_rng(rate)
    n = int(2.7 * master.LUFS_CHUNK) + 123  # several chunks, the last one partial
    shape = (n, 2) if stereo else (n,)
    samples = (rng.standard_normal(shape) * 0.2).astype(np.float32)
    samples[: n // 4] *= 1e-4  # quiet blocks for the gates to drop
    assert master.measure_lufs(samples, rate) == pyloudnorm_lufs(samples, rate)


def test_silence_and_short_signals():
    assert master.measure_lufs(np.zeros((48000, 2), np.float32), 48000) == float("-inf")
    assert master.measure_lufs(np.ones((100, 2), np.float32), 48000) == float("-inf")


def test_duck_gain_over_several_interpolation_chunks():
    rng = np.random.default_rng(3)
    speech = np.zeros(int(2.3 * mix.INTERP_CHUNK), np.float32)
    speech[20000:200000] = rng.standard_normal(180000).astype(np.float32) * 0.3
    gain = mix.duck_gain(speech, -14.0)
    assert gain.dtype == np.float32 and len(gain) == len(speech)
    assert gain[0] == 1.0 and gain[100000] < 0.5  # ducked under speech
