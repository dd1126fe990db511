"""Three background-music compositions, written as code and rendered by :mod:`synth`.

Each is a seamless loop with two 8-bar sections, so a long video hears some
development rather than one bar repeated:

- ``upbeat``: dance-pop in D major at 118 BPM, I-V-vi-IV (D A Bm G). Four-on-
  the-floor kick, claps on 2 and 4, off-beat hats, an octave-bouncing bass,
  syncopated plucked chords over a side-chained pad; the second section adds
  a bell hook, open hats and a shaker.
- ``corporate``: light and optimistic, C major at 100 BPM, I-V-vi-IV
  (C G Am F). A piano arpeggio over soft pads and a bass; soft kick and
  shaker, then claps, 8th-note bass and a bell counter-melody.
- ``chill``: lo-fi hip hop at 80 BPM, Fmaj7-Em7-Dm7-Cmaj7 on an FM electric
  piano with a slight strum, swung boom-bap drums, vinyl crackle and a dark
  low-pass; the second section adds a soft melody.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from avatar.music import synth
from avatar.music.synth import SR, Bus, midi_hz


@dataclass(frozen=True)
class Grid:
    """Beat arithmetic for a song: ``at(bar, beat)`` is seconds from the start."""

    bpm: float
    bars: int = 16

    @property
    def beat(self) -> float:
        return 60.0 / self.bpm

    @property
    def seconds(self) -> float:
        return self.bars * 4 * self.beat

    def at(self, bar: int, beat: float) -> float:
        return (bar * 4 + beat) * self.beat


def _human(seed: int, size: int, spread: float) -> np.ndarray:
    """Small deterministic timing/velocity variations, so parts do not sound machine-stamped."""
    return np.random.default_rng(seed).uniform(-spread, spread, size)


# --------------------------------------------------------------------------- upbeat

UP_ROOTS = (38, 45, 47, 43)  # D2 A2 B2 G2
UP_CHORDS = ((62, 66, 69), (61, 64, 69), (62, 66, 71), (62, 67, 71))
UP_HOOK = (
    ((0, 78, 1.0), (1, 76, 0.5), (1.5, 74, 0.5), (2, 76, 1.0), (3, 69, 1.0)),
    ((0, 73, 1.5), (1.5, 76, 0.5), (2, 76, 1.0), (3, 73, 1.0)),
    ((0, 74, 1.0), (1, 78, 0.5), (1.5, 76, 0.5), (2, 74, 1.0), (3, 71, 1.0)),
    ((0, 74, 2.0), (2, 71, 1.0), (3, 69, 1.0)),
)


def _up_drums(g: Grid, bus: Bus) -> None:
    jitter = _human(11, g.bars * 16, 0.08)
    for bar in range(g.bars):
        late = bar >= 8
        for beat in range(4):
            bus.add(synth.kick(1.0), g.at(bar, beat), gain=0.9)
            if beat in (1, 3):
                bus.add(synth.clap(0.8, seed=bar), g.at(bar, beat), pan=0.05)
        for step in range(8):
            vel = (0.55 if step % 2 else 0.25) + jitter[bar * 16 + step]
            opened = late and step == 7
            bus.add(synth.hat(vel, open_=opened, seed=step), g.at(bar, step / 2), pan=0.3)
            if late:
                bus.add(synth.shaker(0.3, seed=step), g.at(bar, step / 2 + 0.25), pan=-0.35)


def _up_bass(g: Grid, bus: Bus) -> None:
    for bar in range(g.bars):
        root = UP_ROOTS[bar % 4]
        for step in range(8):
            note = root + 12 if step in (3, 7) else root
            bus.add(synth.bass(midi_hz(note), g.beat * 0.42), g.at(bar, step / 2), gain=0.8)


def _up_chords(g: Grid, bus: Bus, pads: Bus) -> None:
    for bar in range(g.bars):
        chord = UP_CHORDS[bar % 4]
        for beat in (0, 1.5, 3):
            for i, note in enumerate(chord):
                tone = synth.pluck(midi_hz(note), g.beat * 0.45, 0.7, brightness=5000)
                bus.add(tone, g.at(bar, beat), pan=(i - 1) * 0.4, gain=0.5)
        for i, note in enumerate(chord):
            tone = synth.pad(midi_hz(note - 12), g.beat * 4, 0.6)
            pads.add(tone, g.at(bar, 0), pan=(i - 1) * 0.6)


def _up_hook(g: Grid, bus: Bus) -> None:
    for bar in range(8, g.bars):
        for beat, note, length in UP_HOOK[bar % 4]:
            bus.add(synth.bell(midi_hz(note), g.beat * length, 0.7), g.at(bar, beat), pan=-0.15)


def upbeat() -> np.ndarray:
    g = Grid(118)
    drums, bass, chords, pads, lead = (Bus(g.seconds) for _ in range(5))
    _up_drums(g, drums)
    _up_bass(g, bass)
    _up_chords(g, chords, pads)
    _up_hook(g, lead)
    pads.data *= synth.sidechain(len(pads.data), g.beat, depth=0.6)[:, None]
    chords.data *= synth.sidechain(len(chords.data), g.beat, depth=0.3)[:, None]
    music = Bus(g.seconds)
    music.mix(drums, 0.9)
    music.mix(bass, 0.9)
    music.data += synth.reverb(chords.data + pads.data, 1.6, wet=0.3)
    music.data += synth.reverb(lead.data, 2.2, wet=0.45, seed=8) * 0.8
    return synth.loop_wrap(music)


# --------------------------------------------------------------------------- corporate

CO_ROOTS = (36, 43, 45, 41)  # C2 G2 A2 F2
CO_CHORDS = ((60, 64, 67), (59, 62, 67), (60, 64, 69), (60, 65, 69))
CO_ARP = (0, 2, 4, 5, 4, 2, 3, 1)  # indexes into the arpeggio ladder below
# (bar, beat, note, beats) over C G Am F, played in bars 8-11 and again in 12-15.
CO_MELODY = (
    (0, 0, 76, 2), (0, 2, 79, 2), (1, 0, 74, 3), (1, 3, 71, 1),
    (2, 0, 72, 2), (2, 2, 76, 2), (3, 0, 77, 4),
)  # fmt: skip


def _ladder(chord: tuple[int, ...]) -> list[int]:
    low = [chord[0] - 12, chord[1] - 12, chord[2] - 12]
    return low + list(chord)


def _co_piano(g: Grid, bus: Bus) -> None:
    vel = _human(21, g.bars * 8, 0.12)
    for bar in range(g.bars):
        ladder = _ladder(CO_CHORDS[bar % 4])
        for step, index in enumerate(CO_ARP):
            note = ladder[index] + 12
            tone = synth.piano(midi_hz(note), g.beat * 0.9, 0.6 + vel[bar * 8 + step])
            bus.add(tone, g.at(bar, step / 2), pan=(index - 2.5) * 0.15)


def _co_pads_bass(g: Grid, pads: Bus, bass: Bus) -> None:
    for bar in range(g.bars):
        for i, note in enumerate(CO_CHORDS[bar % 4]):
            pads.add(synth.pad(midi_hz(note), g.beat * 4, 0.5), g.at(bar, 0), pan=(i - 1) * 0.7)
        root = CO_ROOTS[bar % 4]
        steps = range(8) if bar >= 8 else (0, 4)
        length = 0.45 if bar >= 8 else 1.9
        for step in steps:
            bass.add(synth.bass(midi_hz(root), g.beat * length, 0.7), g.at(bar, step / 2))


def _co_drums(g: Grid, bus: Bus) -> None:
    for bar in range(g.bars):
        for beat in (0, 2):
            bus.add(synth.kick(0.8, punch=0.6), g.at(bar, beat), gain=0.7)
        if bar >= 4:
            for beat in (1, 3):
                bus.add(synth.clap(0.5, seed=bar), g.at(bar, beat), gain=0.6)
        steps = 16 if bar >= 8 else 8
        for step in range(steps):
            accent = 0.45 if step % 2 else 0.25
            bus.add(synth.shaker(accent, seed=step), g.at(bar, step * 4 / steps), pan=0.4)


def _co_melody(g: Grid, bus: Bus) -> None:
    for first in (8, 12):
        for bar, beat, note, length in CO_MELODY:
            tone = synth.bell(midi_hz(note), g.beat * length, 0.5)
            bus.add(tone, g.at(first + bar, beat), pan=-0.2)


def corporate() -> np.ndarray:
    g = Grid(100)
    piano, pads, bass, drums, lead = (Bus(g.seconds) for _ in range(5))
    _co_piano(g, piano)
    _co_pads_bass(g, pads, bass)
    _co_drums(g, drums)
    _co_melody(g, lead)
    music = Bus(g.seconds)
    music.data += synth.reverb(piano.data * 0.9 + pads.data * 0.8 + lead.data * 0.6, 2.4, 0.35)
    music.mix(bass, 0.8)
    music.mix(drums, 0.7)
    return synth.loop_wrap(music)


# --------------------------------------------------------------------------- chill

CH_ROOTS = (41, 40, 38, 36)  # F2 E2 D2 C2
CH_CHORDS = ((57, 60, 64, 65), (55, 59, 62, 64), (53, 57, 60, 62), (52, 55, 59, 60))
CH_MELODY = ((0.5, 72), (1.0, 69), (2.5, 67), (0.5, 71), (1.5, 67), (0.5, 69), (1.0, 65), (2.5, 64))
SWING = 1 / 6  # off-beat 8ths land a third of the way into the next 8th


def _swung(step: int) -> float:
    return step / 2 + (SWING if step % 2 else 0.0)


def _ch_keys(g: Grid, bus: Bus) -> None:
    timing = _human(31, g.bars * 8, 0.012)
    for bar in range(g.bars):
        for hit, (beat, length) in enumerate(((0.0, 1.6), (2.5, 0.9))):
            for i, note in enumerate(CH_CHORDS[bar % 4]):
                at = g.at(bar, beat) + 0.018 * i + timing[bar * 8 + hit * 4 + i]
                tone = synth.epiano(midi_hz(note), g.beat * length, 0.55 - 0.1 * hit)
                bus.add(tone, max(at, 0.0), pan=(i - 1.5) * 0.25)


def _ch_bass(g: Grid, bus: Bus) -> None:
    for bar in range(g.bars):
        root = CH_ROOTS[bar % 4]
        bus.add(synth.bass(midi_hz(root), g.beat * 1.5, 0.9), g.at(bar, 0))
        bus.add(synth.bass(midi_hz(root + 7), g.beat * 0.8, 0.7), g.at(bar, 2.5))


def _ch_drums(g: Grid, bus: Bus) -> None:
    vel = _human(41, g.bars * 8, 0.1)
    for bar in range(g.bars):
        for beat in (0.0, 2.5) if bar % 2 == 0 else (0.0, 1.75, 2.5):
            bus.add(synth.kick(0.9, punch=0.8), g.at(bar, beat))
        for beat in (1, 3):
            bus.add(synth.snare(0.7, seed=bar % 3), g.at(bar, beat), pan=0.05)
        for step in range(8):
            velocity = (0.35 if step % 2 else 0.5) + vel[bar * 8 + step]
            bus.add(synth.hat(velocity, seed=step % 3), g.at(bar, _swung(step)), pan=0.25)


def _ch_melody(g: Grid, bus: Bus) -> None:
    for bar in range(8, g.bars, 2):
        for i, (beat, note) in enumerate(CH_MELODY):
            at = g.at(bar + i // 4, beat + (i % 4) * 0.25)
            bus.add(synth.epiano(midi_hz(note), g.beat * 0.8, 0.45), at, pan=0.2)


def chill() -> np.ndarray:
    g = Grid(80)
    keys, bass, drums, lead = (Bus(g.seconds) for _ in range(4))
    _ch_keys(g, keys)
    _ch_bass(g, bass)
    _ch_drums(g, drums)
    _ch_melody(g, lead)
    music = Bus(g.seconds)
    music.data += synth.reverb(keys.data + lead.data * 0.8, 2.0, 0.3)
    music.mix(bass, 0.85)
    music.data += synth.filtered(drums.data, "lowpass", 6000) * 0.8
    looped = synth.loop_wrap(music)
    looped = synth.filtered(looped, "lowpass", 5200)
    hiss = synth.crackle(len(looped) / SR)
    return looped + np.stack([hiss, np.roll(hiss, 4800)], axis=1) * 0.12


COMPOSERS: dict[str, Callable[[], np.ndarray]] = {
    "upbeat": upbeat,
    "corporate": corporate,
    "chill": chill,
}
