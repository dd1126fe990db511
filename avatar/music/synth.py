"""A small numpy synthesiser: instruments, drums, effects and a stereo mixing bus.

Tones are additive (band-limited wavetables read at the note's pitch) or FM
(the electric piano); drums are pitch-swept sines and filtered noise; the
reverb convolves with a generated, decaying stereo noise impulse. Everything
is deterministic: noise comes from seeded generators.
"""

from __future__ import annotations

import functools

import numpy as np

SR = 48000
TABLE_SIZE = 2048


def midi_hz(note: float) -> float:
    """Frequency of a MIDI note number (69 = A4 = 440 Hz)."""
    return 440.0 * 2.0 ** ((note - 69) / 12)


def _time(seconds: float) -> np.ndarray:
    return np.arange(max(1, int(seconds * SR)), dtype=np.float32) / SR


@functools.lru_cache(maxsize=64)
def _table(kind: str, octave: int) -> np.ndarray:
    """One band-limited cycle of ``kind`` for notes around ``octave`` (harmonics < 16 kHz)."""
    top_hz = midi_hz(12 * (octave + 2))  # highest note this table serves
    count = max(1, int(16000 // top_hz))
    phase = np.arange(TABLE_SIZE, dtype=np.float64) / TABLE_SIZE
    wave = np.zeros(TABLE_SIZE)
    for n in range(1, count + 1):
        if kind == "saw":
            wave += np.sin(2 * np.pi * n * phase) / n
        elif kind == "square" and n % 2:
            wave += np.sin(2 * np.pi * n * phase) / n
        elif kind == "soft":  # a mellow saw: harmonics fall faster
            wave += np.sin(2 * np.pi * n * phase) / n**1.8
    peak = np.abs(wave).max()
    return (np.append(wave, wave[0]) / peak).astype(np.float32)


def oscillator(kind: str, freq: float, seconds: float, detune_cents: float = 0.0, phase=0.0):
    """A band-limited ``saw``, ``square`` or ``soft`` wave at ``freq`` for ``seconds``."""
    freq = freq * 2 ** (detune_cents / 1200)
    octave = int(np.clip(np.log2(freq / 16.35), 0, 9))
    table = _table(kind, octave)
    t = _time(seconds)
    index = ((t * freq + phase) % 1.0) * TABLE_SIZE
    return np.interp(index, np.arange(TABLE_SIZE + 1), table).astype(np.float32)


def sine(freq, seconds: float, phase: float = 0.0) -> np.ndarray:
    """A sine at ``freq`` (a number, or an array of per-sample frequencies)."""
    t = _time(seconds)
    if np.ndim(freq):
        return np.sin(2 * np.pi * np.cumsum(freq) / SR + phase).astype(np.float32)
    return np.sin(2 * np.pi * freq * t + phase).astype(np.float32)


def envelope(seconds: float, attack: float, decay: float, sustain: float, release: float):
    """ADSR over a note held ``seconds`` (the release is added after it)."""
    n_hold = max(1, int(seconds * SR))
    n_rel = max(1, int(release * SR))
    t = np.arange(n_hold, dtype=np.float32) / SR
    rise = np.minimum(1.0, t / max(attack, 1e-4))
    fall = sustain + (1 - sustain) * np.exp(-np.maximum(t - attack, 0) / max(decay, 1e-4))
    held = rise * fall
    tail = held[-1] * np.exp(-np.arange(n_rel, dtype=np.float32) / SR / (release / 4))
    return np.concatenate([held, tail]).astype(np.float32)


def _sos(kind: str, cutoff, order: int = 2):
    from scipy.signal import butter

    return butter(order, cutoff, btype=kind, fs=SR, output="sos")


def filtered(samples: np.ndarray, kind: str, cutoff, order: int = 2) -> np.ndarray:
    """Butterworth ``lowpass``, ``highpass`` or ``bandpass`` (cutoff a pair) filtering."""
    from scipy.signal import sosfilt

    return sosfilt(_sos(kind, cutoff, order), samples, axis=0).astype(np.float32)


def noise(seconds: float, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(int(seconds * SR)).astype(np.float32)


# --------------------------------------------------------------------------- instruments


def _shaped(wave: np.ndarray, env: np.ndarray) -> np.ndarray:
    n = min(len(wave), len(env))
    return (wave[:n] * env[:n]).astype(np.float32)


def piano(freq: float, seconds: float, velocity: float = 0.8) -> np.ndarray:
    """A soft acoustic-piano-like tone: inharmonic partials that decay, higher ones faster."""
    length = seconds + 0.6
    t = _time(length)
    out = np.zeros_like(t)
    for n in range(1, 9):
        partial = n * freq * np.sqrt(1 + 0.0004 * n * n)
        if partial > 15000:
            break
        decay = np.exp(-t * (1.2 + 0.9 * n) * (freq / 260) ** 0.3)
        out += np.sin(2 * np.pi * partial * t) * decay * (velocity ** (0.5 * n)) / n**1.1
    gate = np.ones_like(t)
    off = int(seconds * SR)
    gate[off:] = np.exp(-np.arange(len(t) - off) / SR / 0.12)
    attack = np.minimum(1.0, t / 0.003)
    return (out * gate * attack * velocity * 0.5).astype(np.float32)


def epiano(freq: float, seconds: float, velocity: float = 0.7) -> np.ndarray:
    """An electric-piano (tine) tone by two-operator FM with a decaying index."""
    length = seconds + 0.5
    t = _time(length)
    index = (1.6 * velocity) * np.exp(-t / 0.25) + 0.25
    modulator = np.sin(2 * np.pi * freq * t) * index
    body = np.sin(2 * np.pi * freq * t + modulator)
    bell = np.sin(2 * np.pi * freq * 7.0 * t) * np.exp(-t / 0.04) * 0.15 * velocity
    amp = np.exp(-t / (1.4 * (220 / freq) ** 0.3)) * np.minimum(1.0, t / 0.004)
    off = int(seconds * SR)
    amp[off:] *= np.exp(-np.arange(len(t) - off) / SR / 0.1)
    return ((body + bell) * amp * velocity * 0.45).astype(np.float32)


def pluck(freq: float, seconds: float, velocity: float = 0.8, brightness: float = 3500.0):
    """A bright synth pluck: two detuned saws through a low-pass, fast decay."""
    length = seconds + 0.25
    wave = oscillator("saw", freq, length, -7) + oscillator("saw", freq, length, 7, phase=0.3)
    wave = filtered(wave, "lowpass", min(brightness * (0.6 + velocity), 16000))
    return _shaped(wave, envelope(seconds, 0.002, 0.18, 0.25, 0.2)) * velocity * 0.3


def pad(freq: float, seconds: float, velocity: float = 0.6) -> np.ndarray:
    """A warm pad: three detuned soft saws, slow attack and release, gentle low-pass."""
    length = seconds + 0.8
    wave = sum(
        oscillator("soft", freq, length, cents, phase=p)
        for cents, p in ((-9, 0.0), (0, 0.33), (9, 0.71))
    )
    wave = filtered(wave, "lowpass", 2400)
    env = envelope(seconds, 0.35, 1.0, 0.85, 0.8)
    return _shaped(wave, env) * velocity * 0.16


def bass(freq: float, seconds: float, velocity: float = 0.9) -> np.ndarray:
    """A round electric-style bass: sine plus a little filtered saw, plucked envelope."""
    length = seconds + 0.08
    body = sine(freq, length) + 0.35 * filtered(oscillator("saw", freq, length), "lowpass", 900)
    env = envelope(seconds, 0.004, 0.4, 0.55, 0.07)
    return _shaped(body, env) * velocity * 0.55


def bell(freq: float, seconds: float, velocity: float = 0.6) -> np.ndarray:
    """A glassy FM bell (modulator at 3.5x) for melodies and arpeggios."""
    length = seconds + 0.8
    t = _time(length)
    index = 2.2 * np.exp(-t / 0.3) * velocity
    tone = np.sin(2 * np.pi * freq * t + index * np.sin(2 * np.pi * freq * 3.5 * t))
    amp = np.exp(-t / 0.5) * np.minimum(1.0, t / 0.002)
    return (tone * amp * velocity * 0.3).astype(np.float32)


# --------------------------------------------------------------------------- drums


def kick(velocity: float = 1.0, punch: float = 1.0) -> np.ndarray:
    t = _time(0.45)
    freq = 54 + 120 * punch * np.exp(-t / 0.03)
    body = sine(freq, 0.45) * np.exp(-t / 0.2)
    click = filtered(noise(0.45, 1), "highpass", 2000) * np.exp(-t / 0.004) * 0.25
    return ((body + click) * velocity * 0.9).astype(np.float32)


def snare(velocity: float = 0.9, seed: int = 2) -> np.ndarray:
    t = _time(0.35)
    tone = (sine(185, 0.35) + 0.5 * sine(330, 0.35)) * np.exp(-t / 0.06) * 0.5
    rattle = filtered(noise(0.35, seed), "bandpass", (1500, 9000)) * np.exp(-t / 0.12) * 0.6
    return ((tone + rattle) * velocity * 0.6).astype(np.float32)


def clap(velocity: float = 0.8, seed: int = 3) -> np.ndarray:
    t = _time(0.4)
    bursts = sum(np.exp(-np.maximum(t - d, 0) / 0.008) * (t >= d) for d in (0.0, 0.011, 0.022))
    tail = np.exp(-np.maximum(t - 0.03, 0) / 0.11) * (t >= 0.03) * 0.6
    grains = filtered(noise(0.4, seed), "bandpass", (900, 4000))
    return (grains * (bursts + tail) * velocity * 0.8).astype(np.float32)


def hat(velocity: float = 0.5, open_: bool = False, seed: int = 4) -> np.ndarray:
    length = 0.35 if open_ else 0.08
    t = _time(length)
    hiss = filtered(noise(length, seed), "highpass", 7500, order=4)
    return (hiss * np.exp(-t / (0.11 if open_ else 0.022)) * velocity * 0.8).astype(np.float32)


def shaker(velocity: float = 0.4, seed: int = 5) -> np.ndarray:
    t = _time(0.12)
    grains = filtered(noise(0.12, seed), "bandpass", (4500, 11000))
    env = np.minimum(1.0, t / 0.02) * np.exp(-t / 0.04)
    return (grains * env * velocity * 0.8).astype(np.float32)


def crackle(seconds: float, seed: int = 6) -> np.ndarray:
    """Vinyl surface noise: sparse clicks over soft filtered hiss."""
    rng = np.random.default_rng(seed)
    n = int(seconds * SR)
    clicks = np.zeros(n, np.float32)
    where = rng.integers(0, n, int(seconds * 9))
    clicks[where] = rng.uniform(-1, 1, len(where)) * rng.uniform(0.2, 1, len(where))
    clicks = filtered(clicks, "bandpass", (1000, 6000))
    hiss = filtered(rng.standard_normal(n).astype(np.float32), "bandpass", (300, 5000)) * 0.04
    return (clicks * 0.5 + hiss).astype(np.float32)


# --------------------------------------------------------------------------- mixing


class Bus:
    """A stereo accumulator ``seconds`` long (plus ``tail`` for ringing notes)."""

    def __init__(self, seconds: float, tail: float = 3.0) -> None:
        self.length = int(seconds * SR)
        self.data = np.zeros((self.length + int(tail * SR), 2), np.float32)

    def add(self, mono: np.ndarray, at_s: float, pan: float = 0.0, gain: float = 1.0) -> None:
        """Mix ``mono`` in at ``at_s`` seconds; ``pan`` -1 (left) .. 1 (right), constant power."""
        start = int(round(at_s * SR))
        end = min(start + len(mono), len(self.data))
        if end <= start:
            return
        angle = (pan + 1) * np.pi / 4
        piece = mono[: end - start] * gain
        self.data[start:end, 0] += piece * np.float32(np.cos(angle))
        self.data[start:end, 1] += piece * np.float32(np.sin(angle))

    def mix(self, other: Bus, gain: float = 1.0) -> None:
        self.data += other.data * gain


def impulse_response(seconds: float = 1.8, seed: int = 7, damping: float = 5000.0):
    """A stereo reverb impulse: decorrelated noise decaying by 60 dB over ``seconds``."""
    rng = np.random.default_rng(seed)
    t = _time(seconds)
    decay = np.exp(-6.9 * t / seconds)[:, None]
    tails = rng.standard_normal((len(t), 2)).astype(np.float32) * decay
    tails = filtered(tails, "lowpass", damping)
    tails[: int(0.012 * SR)] = 0  # pre-delay keeps the dry attack clear
    return (tails / np.sqrt((tails**2).sum(axis=0))).astype(np.float32)


def reverb(stereo: np.ndarray, seconds: float = 1.8, wet: float = 0.25, seed: int = 7):
    """Convolution reverb; returns dry + ``wet`` * reverberated signal, same length."""
    from scipy.signal import fftconvolve

    impulse = impulse_response(seconds, seed)
    tail = np.stack(
        [fftconvolve(stereo[:, c], impulse[:, c])[: len(stereo)] for c in range(2)], axis=1
    )
    return (stereo + wet * tail).astype(np.float32)


def sidechain(length: int, beat_s: float, depth: float = 0.5, offset_s: float = 0.0):
    """A gain curve that dips on every beat and recovers (the 'pumping' of dance pop)."""
    t = (np.arange(length) / SR - offset_s) % beat_s
    return (1 - depth * np.exp(-t / (beat_s * 0.25))).astype(np.float32)


def loop_wrap(bus: Bus) -> np.ndarray:
    """Fold everything that rings past the loop's end back onto its start (seamless looping)."""
    out = bus.data[: bus.length].copy()
    tail = bus.data[bus.length :]
    n = min(len(tail), len(out))
    out[:n] += tail[:n]
    return out
