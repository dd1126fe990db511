"""Phonemes to visemes, and visemes to a smooth per-frame mouth-shape track.

The viseme set is the common 15-class one (as in the Oculus/Meta lip-sync
set): ``sil PP FF TH DD kk CH SS nn RR aa E ih oh ou``. Every voice gives IPA
phonemes (ARPAbet phones go through :func:`avatar.voices.phones.arpabet_to_ipa`
first; :func:`viseme_of` accepts both).

A mouth shape is five numbers (``PARAMS``):

* ``open``: jaw and lip opening, 0 (closed) to 1 (a wide "ah").
* ``width``: -1 rounded and pushed forward (o, u, w) to +1 spread (i, e).
* ``tuck``: the lower lip against the upper teeth (f, v).
* ``tongue``: the tongue tip raised into view (th, t, d, n, l).
* ``press``: lips pressed together (m, b, p).

Coarticulation follows the dominance model of Cohen and Massaro: every
phoneme pulls each parameter towards its target with a strength that decays
with distance in time, reaching further ahead (anticipation) than behind
(carry-over). Weak consonants (t, k, n) barely pull on lip width, so the
rounding of a coming "oo" starts during the consonants before it. Lips are
then forced shut inside m, b and p, and far from any speech the track is
exactly the rest shape, so the mouth never jitters in a pause.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

import numpy as np

from avatar.voices.phones import SILENCE, SILENCES, arpabet_to_ipa

VISEMES = ("sil", "PP", "FF", "TH", "DD", "kk", "CH", "SS", "nn", "RR", "aa", "E", "ih", "oh", "ou")
VISEME_INDEX = {name: i for i, name in enumerate(VISEMES)}
PARAMS = ("open", "width", "tuck", "tongue", "press")

# Target mouth shape of each viseme: open, width, tuck, tongue, press.
TARGETS = np.array(
    [
        [0.00, 0.00, 0.0, 0.0, 0.0],  # sil
        [0.00, 0.00, 0.0, 0.0, 1.0],  # PP  m b p
        [0.10, 0.10, 1.0, 0.0, 0.0],  # FF  f v
        [0.24, 0.10, 0.0, 1.0, 0.0],  # TH  θ ð
        [0.26, 0.15, 0.0, 0.5, 0.0],  # DD  t d l
        [0.32, 0.05, 0.0, 0.0, 0.0],  # kk  k g h
        [0.22, -0.60, 0.0, 0.0, 0.0],  # CH  ʃ ʒ tʃ dʒ
        [0.12, 0.50, 0.0, 0.0, 0.0],  # SS  s z
        [0.22, 0.10, 0.0, 0.6, 0.0],  # nn  n ŋ
        [0.24, -0.50, 0.0, 0.0, 0.0],  # RR  r ɹ
        [1.00, 0.15, 0.0, 0.0, 0.0],  # aa  a ɑ æ ʌ
        [0.58, 0.55, 0.0, 0.0, 0.0],  # E   e ɛ ə
        [0.32, 0.90, 0.0, 0.0, 0.0],  # ih  i ɪ
        [0.64, -0.65, 0.0, 0.0, 0.0],  # oh  o ɔ
        [0.30, -1.00, 0.0, 0.0, 0.0],  # ou  u ʊ w
    ],
    dtype=np.float32,
)
# How strongly each viseme holds each parameter against its neighbours.
DOMINANCE = np.array(
    [
        [2.0, 1.0, 3.0, 3.0, 3.0],  # sil
        [2.5, 0.6, 3.0, 3.0, 8.0],  # PP
        [2.0, 0.6, 8.0, 3.0, 3.0],  # FF
        [1.5, 0.4, 3.0, 6.0, 3.0],  # TH
        [0.6, 0.2, 3.0, 2.0, 3.0],  # DD
        [0.5, 0.2, 3.0, 2.0, 3.0],  # kk
        [1.5, 2.5, 3.0, 3.0, 3.0],  # CH
        [1.5, 1.2, 3.0, 3.0, 3.0],  # SS
        [0.6, 0.2, 3.0, 2.0, 3.0],  # nn
        [1.0, 1.5, 3.0, 3.0, 3.0],  # RR
        [1.0, 1.0, 3.0, 3.0, 3.0],  # aa
        [1.0, 1.0, 3.0, 3.0, 3.0],  # E
        [1.0, 1.2, 3.0, 3.0, 3.0],  # ih
        [1.0, 1.5, 3.0, 3.0, 3.0],  # oh
        [1.0, 2.0, 3.0, 3.0, 3.0],  # ou
    ],
    dtype=np.float32,
)
ANTICIPATION_S = 0.07  # decay length (Gaussian) before a phoneme
CARRYOVER_S = 0.045  # and after it
REACH_S = 0.30  # beyond this a phoneme has no pull at all
GAP_S = 0.12  # a gap between phonemes shorter than this is not a pause
SUBSAMPLES = 4  # time samples averaged per frame, against temporal aliasing

_VOWELS = {
    "aa": "aɑæʌɐɒäɶ",
    "E": "eɛəɜɘɤ",
    "ih": "iɪɨ",
    "oh": "oɔɵœɞ",
    "ou": "uʊɯʉyʏøɥwʍ",
}
_CONSONANTS = {
    "PP": "pbmɓʙ",
    "FF": "fvɱʋɸβ",
    "TH": "θð",
    "DD": "tdɾʈɖɗlɫɭʎɺ",
    "kk": "kgɡxɣqɢʔhɦχʁħʕcɟɰ",
    "CH": "ʃʒɕʑʂʐçʝ",
    "SS": "sz",
    "nn": "nɲɳŋɴ",
    "RR": "rɹɻʀɽ",
}
_BY_SYMBOL = {
    symbol: name
    for group in (_VOWELS, _CONSONANTS)
    for name, chars in group.items()
    for symbol in chars
}
_BY_SYMBOL.update({"j": "ih", "ɚ": "RR", "ɝ": "RR"})
_CLUSTERS = {
    "tʃ": ("CH",), "dʒ": ("CH",), "ts": ("SS",), "dz": ("SS",), "tɕ": ("CH",), "dʑ": ("CH",),
    "ʈʂ": ("CH",), "aɪ": ("aa", "ih"), "aʊ": ("aa", "ou"), "eɪ": ("E", "ih"),
    "oʊ": ("oh", "ou"), "əʊ": ("E", "ou"), "ɔɪ": ("oh", "ih"), "eə": ("E", "E"),
    "ɪə": ("ih", "E"), "ʊə": ("ou", "E"), "ɛə": ("E", "E"),
}  # fmt: skip


def _base_letters(phone: str) -> str:
    """Drop diacritics, stress, length and tone marks: they do not change the lips."""
    decomposed = unicodedata.normalize("NFD", phone)
    return "".join(
        c for c in decomposed if unicodedata.category(c) not in ("Mn", "Lm", "Sk", "Nd", "Po")
    )


def visemes_of(phone: str) -> tuple[str, ...]:
    """The viseme(s) of one phoneme, IPA or ARPAbet; a diphthong gives two.

    Silence markers give ``("sil",)``; an unknown symbol gives ``("DD",)``, a
    neutral half-open consonant, rather than failing a render.
    """
    if not phone or phone in SILENCES or phone == SILENCE or phone.strip() == "":
        return ("sil",)
    if phone.rstrip("012").isupper() and phone.isascii():
        try:
            phone = arpabet_to_ipa(phone)
        except KeyError:
            return ("DD",)
        if phone == SILENCE:
            return ("sil",)
    base = _base_letters(phone)
    if base in _CLUSTERS:
        return _CLUSTERS[base]
    found = [_BY_SYMBOL[c] for c in base if c in _BY_SYMBOL]
    if not found:
        return ("DD",)
    vowels = [v for v in found if v in _VOWELS]
    if len(vowels) >= 2:
        return (vowels[0], vowels[-1])
    return (vowels[0],) if vowels else (found[0],)


def viseme_of(phone: str) -> str:
    """The main viseme of one phoneme (the first part of a diphthong)."""
    return visemes_of(phone)[0]


@dataclass(frozen=True)
class Segment:
    """One viseme held from ``start`` to ``end`` seconds."""

    viseme: int
    start: float
    end: float


def segments_from_phonemes(phonemes, duration_s: float) -> list[Segment]:
    """Viseme segments from phoneme timings (objects with ``text``, ``start``, ``end``).

    Diphthongs are split 60/40. A gap between phonemes of at least ``GAP_S``
    is a pause (silence); a shorter one is shared by its two neighbours.
    """
    segments: list[Segment] = []
    for phone in sorted(phonemes, key=lambda p: p.start):
        start, end = float(phone.start), min(float(phone.end), duration_s)
        if segments:
            start = max(start, segments[-1].end)
        if end <= start:
            continue
        segments.extend(_split(visemes_of(phone.text), start, end))
    return _fill_gaps(segments, duration_s)


def _fill_gaps(segments: list[Segment], duration_s: float) -> list[Segment]:
    filled: list[Segment] = []
    cursor = 0.0
    for segment in segments:
        gap = segment.start - cursor
        if gap >= GAP_S or (not filled and gap > 1e-3):
            filled.append(Segment(0, cursor, segment.start))
        elif gap > 1e-3:
            middle = cursor + gap / 2
            filled[-1] = Segment(filled[-1].viseme, filled[-1].start, middle)
            segment = Segment(segment.viseme, middle, segment.end)
        filled.append(segment)
        cursor = segment.end
    if duration_s > cursor + 1e-3:
        filled.append(Segment(0, cursor, duration_s))
    return filled


def _split(names: tuple[str, ...], start: float, end: float) -> list[Segment]:
    if len(names) == 1:
        return [Segment(VISEME_INDEX[names[0]], start, end)]
    middle = start + 0.6 * (end - start)
    return [
        Segment(VISEME_INDEX[names[0]], start, middle),
        Segment(VISEME_INDEX[names[1]], middle, end),
    ]


@dataclass(frozen=True)
class VisemeTrack:
    """Per-frame mouth shapes: ``params`` (F, 5) in ``PARAMS`` order, ``visemes`` (F,) ids."""

    params: np.ndarray
    visemes: np.ndarray
    fps: float

    @property
    def open(self) -> np.ndarray:
        return self.params[:, 0]


def track_from_segments(segments: list[Segment], frame_count: int, fps: float) -> VisemeTrack:
    """Blend viseme segments into one mouth shape per frame (see the module docstring)."""
    offsets = (np.arange(SUBSAMPLES) + 0.5) / SUBSAMPLES
    times = (np.arange(frame_count)[:, None] + offsets[None, :]).reshape(-1) / fps
    params = _blend(segments, times).reshape(frame_count, SUBSAMPLES, len(PARAMS)).mean(axis=1)
    frame_times = (np.arange(frame_count) + 0.5) / fps
    ids = _dominant(segments, frame_times)
    params[_closures(segments, frame_count, fps), 0] = 0.0
    return VisemeTrack(params.astype(np.float32), ids, fps)


def track_from_phonemes(phonemes, duration_s: float, frame_count: int, fps: float) -> VisemeTrack:
    """The mouth-shape track for a speech track's phoneme timings."""
    return track_from_segments(segments_from_phonemes(phonemes, duration_s), frame_count, fps)


BLEND_BLOCK = 1024  # sample times blended at once


def _blend(segments: list[Segment], times: np.ndarray) -> np.ndarray:
    """The coarticulated mouth parameters at each of ``times`` (sorted ascending).

    Only segments within REACH_S of a time reach it, so the times are blended a
    block at a time with the segments near that block: memory and work grow with
    the scene's length, not with its square (a 90-second scene, 10,800 sample
    times by 1,000 phonemes, took over 1 GiB as one matrix).
    """
    out = np.zeros((len(times), len(PARAMS)))
    if not segments:
        return out.astype(np.float32)
    ids = np.array([s.viseme for s in segments])
    starts = np.array([s.start for s in segments])
    ends = np.array([s.end for s in segments])
    for lo in range(0, len(times), BLEND_BLOCK):
        block = times[lo : lo + BLEND_BLOCK]
        near = (starts - REACH_S <= block.max()) & (ends + REACH_S >= block.min())
        out[lo : lo + len(block)] = _blend_near(ids[near], starts[near], ends[near], block)
    return out


def _blend_near(ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, times: np.ndarray):
    before = np.maximum(0.0, starts[None, :] - times[:, None])  # the phoneme is still ahead
    after = np.maximum(0.0, times[:, None] - ends[None, :])  # the phoneme is over
    reach = np.exp(-((before / ANTICIPATION_S) ** 2) - (after / CARRYOVER_S) ** 2)
    reach[(before > REACH_S) | (after > REACH_S)] = 0.0
    weights = reach[:, :, None] * DOMINANCE[ids][None, :, :]  # (T, S, P)
    total = weights.sum(axis=1)
    blended = (weights * TARGETS[ids][None, :, :]).sum(axis=1) / np.maximum(total, 1e-9)
    return np.where(total > 1e-9, blended, 0.0)


def _dominant(segments: list[Segment], times: np.ndarray) -> np.ndarray:
    ids = np.zeros(len(times), dtype=np.int64)
    for segment in segments:
        ids[(times >= segment.start) & (times < segment.end)] = segment.viseme
    return ids


def _closures(segments: list[Segment], frame_count: int, fps: float) -> np.ndarray:
    """Frames where the lips must be shut: inside every m, b, p, and at least its middle frame."""
    shut = np.zeros(frame_count, dtype=bool)
    for segment in segments:
        if segment.viseme != VISEME_INDEX["PP"]:
            continue
        first = math.ceil(segment.start * fps - 0.5)
        last = math.floor(segment.end * fps - 0.5)
        middle = math.floor((segment.start + segment.end) / 2 * fps)
        for frame in (*range(first, last + 1), middle):
            if 0 <= frame < frame_count:
                shut[frame] = True
    return shut


def frame_labels(segments: list[Segment], frame_count: int, fps: float) -> np.ndarray:
    """The viseme id at the centre of each frame (for training and evaluation)."""
    return _dominant(segments, (np.arange(frame_count) + 0.5) / fps)


def segments_from_labels(labels: np.ndarray, fps: float, min_s: float = 0.03) -> list[Segment]:
    """Runs of equal per-frame labels as segments; runs shorter than ``min_s`` join a neighbour."""
    runs: list[list[float]] = []
    for i, label in enumerate(labels.tolist()):
        if runs and runs[-1][0] == label:
            runs[-1][2] = (i + 1) / fps
        else:
            runs.append([label, i / fps, (i + 1) / fps])
    merged: list[list[float]] = []
    for run in runs:
        if merged and (run[2] - run[1] < min_s or merged[-1][0] == run[0]):
            merged[-1][2] = run[2]
        else:
            merged.append(run)
    return [Segment(int(label), start, end) for label, start, end in merged]
