"""Phonemes to visemes, coarticulation, and a still mouth in pauses."""

import numpy as np
import pytest

from avatar.lipsync.visemes import (
    PARAMS,
    REACH_S,
    TARGETS,
    VISEME_INDEX,
    segments_from_labels,
    track_from_phonemes,
    viseme_of,
    visemes_of,
)
from avatar.voices.base import Timing

from .lipsync_personas import DURATION, FPS, PAUSES, PHONEMES


@pytest.mark.parametrize(
    "phone, viseme",
    [
        ("m", "PP"), ("b", "PP"), ("p", "PP"), ("M", "PP"), ("B", "PP"), ("P", "PP"),
        ("o", "oh"), ("ɔ", "oh"), ("OW", "oh"), ("u", "ou"), ("ʊ", "ou"), ("w", "ou"),
        ("UW", "ou"), ("W", "ou"), ("i", "ih"), ("ɪ", "ih"), ("IY", "ih"), ("e", "E"),
        ("ɛ", "E"), ("EH", "E"), ("f", "FF"), ("v", "FF"), ("θ", "TH"), ("ð", "TH"),
        ("s", "SS"), ("ʃ", "CH"), ("tʃ", "CH"), ("dʒ", "CH"), ("JH", "CH"), ("k", "kk"),
        ("ɡ", "kk"), ("n", "nn"), ("ŋ", "nn"), ("ɹ", "RR"), ("ɑ", "aa"), ("AA", "aa"),
        ("æ", "aa"), ("pʰ", "PP"), ("aː", "aa"), ("ˈa", "aa"), ("pau", "sil"), ("_", "sil"),
        ("sil", "sil"), ("", "sil"),
    ],
)  # fmt: skip
def test_phonemes_of_every_phone_set_map_to_visemes(phone, viseme):
    assert viseme_of(phone) == viseme


def test_diphthongs_move_between_two_shapes():
    assert visemes_of("aɪ") == ("aa", "ih")
    assert visemes_of("oʊ") == ("oh", "ou")
    assert visemes_of("AW") == ("aa", "ou")


def test_an_unknown_symbol_gets_a_neutral_shape_instead_of_failing():
    assert viseme_of("☃") == "DD"
    assert viseme_of("QQ") == "DD"


def test_lips_close_for_m_b_p_round_for_o_u_w_and_spread_for_i_e():
    open_, width = PARAMS.index("open"), PARAMS.index("width")
    for name in ("PP",):
        assert TARGETS[VISEME_INDEX[name], open_] == 0
    for name in ("oh", "ou"):
        assert TARGETS[VISEME_INDEX[name], width] <= -0.6
    for name in ("ih", "E"):
        assert TARGETS[VISEME_INDEX[name], width] >= 0.5


def _track(phonemes=PHONEMES, duration=DURATION):
    timings = [Timing(p, s, e) for p, s, e in phonemes]
    count = int(np.ceil(duration * FPS))
    return track_from_phonemes(timings, duration, count, FPS)


def test_the_mouth_is_closed_in_pauses_and_exactly_still_far_from_speech():
    track = _track()
    for start, end in PAUSES:
        frames = slice(int(np.ceil(start * FPS)), int(end * FPS))
        assert track.open[frames].max() < 0.01, (start, end)
    # 1.46 s to 2.30 s is a pause; more than REACH_S from any phoneme nothing moves at all.
    deep = slice(int(np.ceil((1.46 + REACH_S) * FPS)), int((2.30 - REACH_S) * FPS))
    assert deep.stop - deep.start >= 4
    assert np.all(track.params[deep] == 0)


def test_the_lips_shut_in_every_m_b_p_even_a_short_one():
    phonemes = [("a", 0.2, 0.4), ("p", 0.4, 0.43), ("a", 0.43, 0.7), ("m", 0.7, 0.75)]
    phonemes.append(("a", 0.75, 1.0))
    track = _track(phonemes, 1.2)
    for start, end in ((0.4, 0.43), (0.7, 0.75)):
        frames = track.open[int(start * FPS) : int(np.ceil(end * FPS)) + 1]
        assert frames.min() == 0
    assert track.open.max() > 0.5


def test_rounding_starts_before_the_rounded_vowel():
    # "s t u": the consonants anticipate the "u" (lip rounding reaches back).
    track = _track([("i", 0.2, 0.5), ("s", 0.5, 0.6), ("t", 0.6, 0.66), ("u", 0.66, 0.9)], 1.2)
    width = track.params[:, PARAMS.index("width")]
    during_t = width[int(0.63 * FPS)]
    assert during_t < -0.3  # already rounding during the "t"
    assert width[int(0.35 * FPS)] > 0.5  # spread in the "i"


def test_vowels_open_the_mouth_more_than_consonants():
    track = _track()
    assert track.open[int(0.70 * FPS)] > 0.6  # "a"
    assert track.open[int(2.68 * FPS)] < 0.35  # "s"


def test_short_gaps_between_phonemes_are_not_pauses():
    track = _track([("a", 0.2, 0.4), ("a", 0.45, 0.7)], 1.0)
    assert track.open[int(0.42 * FPS)] > 0.5


def test_label_runs_become_segments_and_blips_are_merged():
    labels = np.array([0] * 10 + [10] * 8 + [3] + [10] * 8 + [0] * 10)
    segments = segments_from_labels(labels, fps=100)
    assert [s.viseme for s in segments] == [0, 10, 0]
    assert segments[1].start == pytest.approx(0.10) and segments[1].end == pytest.approx(0.27)


def _dense_blend(segments, times):
    """The blend as one (times x segments x params) matrix, as it was: the oracle."""
    from avatar.lipsync import visemes as v

    ids = np.array([s.viseme for s in segments])
    starts = np.array([s.start for s in segments])[None, :]
    ends = np.array([s.end for s in segments])[None, :]
    before = np.maximum(0.0, starts - times[:, None])
    after = np.maximum(0.0, times[:, None] - ends)
    reach = np.exp(-((before / v.ANTICIPATION_S) ** 2) - (after / v.CARRYOVER_S) ** 2)
    reach[(before > v.REACH_S) | (after > v.REACH_S)] = 0.0
    weights = reach[:, :, None] * v.DOMINANCE[ids][None, :, :]
    total = weights.sum(axis=1)
    blended = (weights * v.TARGETS[ids][None, :, :]).sum(axis=1) / np.maximum(total, 1e-9)
    return np.where(total > 1e-9, blended, 0.0)


def _random_segments(seconds: float, seed: int = 0):
    from avatar.lipsync import visemes as v

    rng, t, segments = np.random.default_rng(seed), 0.0, []
    while t < seconds:
        length = rng.uniform(0.03, 0.25)
        segments.append(v.Segment(int(rng.integers(0, len(v.VISEMES))), t, t + length))
        t += length + (rng.uniform(0.1, 0.8) if rng.random() < 0.1 else 0.0)  # some pauses
    return segments


def test_a_long_scene_blends_block_by_block_to_the_same_mouth_as_one_matrix():
    from avatar.lipsync import visemes as v

    segments = _random_segments(40.0)
    times = (np.arange(40 * 30 * v.SUBSAMPLES) + 0.5) / (30 * v.SUBSAMPLES)
    assert np.array_equal(v._blend(segments, times), _dense_blend(segments, times))


def test_the_mouth_track_of_a_long_scene_takes_memory_in_proportion_to_its_length():
    """A 3-minute scene as one matrix: 21,600 sample times by 1,000 segments by 5 params,
    several float64 copies (over 2 GiB); blended by blocks, a few MiB."""
    import tracemalloc

    from avatar.lipsync import visemes as v

    segments = _random_segments(180.0, seed=1)
    tracemalloc.start()
    try:
        track = v.track_from_segments(segments, 180 * 30, 30)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert track.params.shape == (180 * 30, len(v.PARAMS))
    assert float(track.params[:, 0].max()) > 0.3  # the mouth does open
    assert peak < 64, peak
