"""Train the audio-to-viseme model on speech made by the project's own voices.

    python -m avatar.lipsync.train --out avatar/lipsync/weights/a2v.pt

Reproducible: the texts, voices, rates, pitches, noise and reverb all come
from ``--seed``. Training speech comes from espeak-ng (English and five other
languages, many voice variants), Flite (rms, slt, kal16) and Festival (slt);
labels are the engines' own phoneme timings mapped to visemes. Voices held out
of training (Piper joe, Flite awb and three unseen espeak variants) are
used to evaluate; so is a human-speech sample when one is installed (the
ALSA test recordings in Debian's alsa-utils, force-aligned with
pocketsphinx). The weights, their config, checksum and evaluation are
written next to ``--out`` (``a2v.json``). About 6 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from avatar.lipsync import features
from avatar.lipsync.a2v import AudioToViseme, sha256
from avatar.lipsync.corpus import sentences
from avatar.lipsync.visemes import VISEMES, frame_labels, segments_from_phonemes
from avatar.voices.base import Voice

ESPEAK_VARIANTS = (
    "m1", "m2", "m3", "m5", "m6", "f1", "f2", "f3", "f5", "klatt", "klatt2",
    "Alex", "adam", "belinda", "david", "linda", "max", "paul", "robert", "steph",
)  # fmt: skip
ESPEAK_LANGUAGES = ("en-us", "en-us", "en-us", "en-gb", "en-gb", "de", "fr", "es", "it", "pt-br")
FLITE_TRAIN = ("rms", "slt", "kal16")
HELD_OUT = (
    ("piper", "en_US-joe-medium"),
    ("flite", "awb"),
    ("espeak", "en-us+f4"),
    ("espeak", "en-us+m7"),
    ("espeak", "en-gb+klatt4"),
)
HUMAN_SAMPLES = {
    "Front_Center": "front center", "Front_Left": "front left", "Front_Right": "front right",
    "Rear_Center": "rear center", "Rear_Left": "rear left", "Rear_Right": "rear right",
    "Side_Left": "side left", "Side_Right": "side right",
}  # fmt: skip
HUMAN_DIR = Path("/usr/share/sounds/alsa")
BATCH = 16
CHANNELS = 96
DILATIONS = (1, 2, 4, 8, 1)
CROP_FRAMES = 300  # 3 s crops


@dataclass
class Example:
    feats: np.ndarray  # (frames, bands)
    labels: np.ndarray  # (frames,)
    voice: str


def _voice(engine: str, name: str) -> Voice:
    return Voice(f"{engine}:{name}", name, "en-US", "", engine, 22050)


def _speak(engine: str, name: str, text: str, rate: float, pitch: float, work: Path):
    """Synthesise one sentence; returns (16 kHz audio, phoneme timings) or None on failure."""
    from avatar.audio.io import read_wav
    from avatar.voices import engines

    wav = work / "utterance.wav"
    try:
        output = engines()[engine].synthesize(_voice(engine, name), text, wav, rate, pitch)
    except Exception:  # noqa: BLE001 - a sentence an engine cannot say is skipped
        return None
    samples, sample_rate = read_wav(wav)
    return features.to_16k(samples, sample_rate), output.phonemes


def _augment(audio: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Room reverb (a synthetic decaying impulse response), noise and gain."""
    if rng.random() < 0.7:
        rt60 = rng.uniform(0.1, 0.6)
        length = int(rt60 * features.RATE)
        decay = np.exp(-6.9 * np.arange(length) / length)
        response = rng.standard_normal(length) * decay
        response[0] = 1.0 / rng.uniform(0.2, 0.6)
        wet = np.convolve(audio, response)[: len(audio)]
        audio = wet / (np.abs(wet).max() + 1e-6) * np.abs(audio).max()
    if rng.random() < 0.8:
        noise = rng.standard_normal(len(audio)).astype(np.float32)
        if rng.random() < 0.5:  # pink-ish: integrate white noise a little
            noise = np.convolve(noise, np.ones(8) / 8, mode="same")
        snr = rng.uniform(5, 35)
        power = np.mean(audio**2) + 1e-9
        audio = audio + noise * np.sqrt(power / 10 ** (snr / 10) / (np.mean(noise**2) + 1e-12))
    return (audio * rng.uniform(0.3, 1.0)).astype(np.float32)


def _example(engine, name, text, rng, work, augment=True) -> Example | None:
    rate, pitch = rng.uniform(0.75, 1.4), rng.uniform(-5, 5)
    spoken = _speak(engine, name, text, rate, pitch, work)
    if spoken is None or not spoken[1] or len(spoken[0]) < features.RATE // 4:
        return None
    audio, phonemes = spoken
    audio = _augment(audio, rng) if augment else audio
    feats = features.log_mel(audio)
    duration = len(audio) / features.RATE
    segments = segments_from_phonemes(phonemes, duration)
    labels = frame_labels(segments, len(feats), features.FRAMES_PER_S)
    return Example(feats, labels, f"{engine}:{name}")


def _training_job(args: tuple[int, int, str]) -> Example | None:
    index, seed, work = args
    rng = np.random.default_rng([seed, index])
    texts = sentences(seed)
    if index % 6 == 5:
        engine, name = "flite", FLITE_TRAIN[index % len(FLITE_TRAIN)]
    elif index % 6 == 2:
        engine, name = "festival", "cmu_us_slt_arctic_hts"
    else:
        language = ESPEAK_LANGUAGES[rng.integers(len(ESPEAK_LANGUAGES))]
        engine, name = "espeak", f"{language}+{ESPEAK_VARIANTS[rng.integers(len(ESPEAK_VARIANTS))]}"
    folder = Path(work) / f"worker{os.getpid()}"
    folder.mkdir(exist_ok=True)
    return _example(engine, name, texts[index % len(texts)], rng, folder)


def _held_out_job(args: tuple[int, int, str]) -> Example | None:
    index, seed, work = args
    engine, name = HELD_OUT[index // 1000]
    number = index % 1000
    rng = np.random.default_rng([seed + 1000, index])
    folder = Path(work) / f"worker{os.getpid()}"
    folder.mkdir(exist_ok=True)
    text = sentences(seed + 1000)[number]
    return _example(engine, name, text, rng, folder, augment=number % 2 == 1)


def _generate(job, indices: list[int], seed: int, work: Path) -> list[Example]:
    """Run ``job`` over ``indices`` on two worker processes; the result order is fixed."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(2) as pool:
        results = pool.map(job, [(i, seed, str(work)) for i in indices], chunksize=8)
    return [example for example in results if example is not None]


def training_set(count: int, seed: int, work: Path) -> list[Example]:
    """``count`` augmented utterances from the training voices."""
    return _generate(_training_job, list(range(count)), seed, work)


def held_out_set(per_voice: int, seed: int, work: Path) -> list[Example]:
    """Clean and noisy utterances from the held-out voices, on texts not used in training."""
    indices = [v * 1000 + i for v in range(len(HELD_OUT)) for i in range(per_voice)]
    return _generate(_held_out_job, indices, seed, work)


def _batch(examples: list[Example], size: int, frames: int, rng: random.Random):
    feats = np.zeros((size, features.BANDS, frames), np.float32)
    labels = np.full((size, frames), -100, np.int64)
    for row in range(size):
        example = rng.choice(examples)
        start = rng.randrange(max(1, len(example.labels) - frames + 1))
        chunk = slice(start, start + frames)
        n = len(example.labels[chunk])
        feats[row, :, :n] = example.feats[chunk].T
        labels[row, :n] = example.labels[chunk]
    return torch.from_numpy(feats), torch.from_numpy(labels)


def train(examples: list[Example], steps: int, seed: int, log=print) -> AudioToViseme:
    """Fit the model on random 3 s crops (AdamW, cosine learning rate, label smoothing)."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = AudioToViseme(channels=CHANNELS, dilations=DILATIONS)
    optimiser = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=steps)
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=-100, label_smoothing=0.05)
    model.train()
    for step in range(steps):
        feats, labels = _batch(examples, BATCH, CROP_FRAMES, rng)
        loss = loss_fn(model(feats), labels)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 200 == 0 or step == steps - 1:
            log(f"step {step:5d}  loss {loss.item():.3f}")
    return model.eval()


def evaluate(model: AudioToViseme, examples: list[Example], majority: int) -> dict:
    """Frame accuracy (10 ms frames) per voice and overall, and the majority-class baseline."""
    from avatar.lipsync.a2v import _median

    per_voice: dict[str, list[int]] = {}
    with torch.inference_mode():
        for example in examples:
            logits = model(torch.from_numpy(example.feats.T.copy())[None])[0]
            predicted = _median(logits.argmax(0).numpy(), 5)
            stats = per_voice.setdefault(example.voice, [0, 0, 0])
            stats[0] += int((predicted == example.labels).sum())
            stats[1] += int((example.labels == majority).sum())
            stats[2] += len(example.labels)
    report = {voice: {"accuracy": round(c / n, 3), "majority": round(m / n, 3), "frames": n}
              for voice, (c, m, n) in per_voice.items()}  # fmt: skip
    correct = sum(v[0] for v in per_voice.values())
    total = max(1, sum(v[2] for v in per_voice.values()))
    report["all"] = {
        "accuracy": round(correct / total, 3),
        "majority": round(sum(v[1] for v in per_voice.values()) / total, 3),
        "frames": total,
    }
    return report


def human_examples() -> list[Example]:
    """The ALSA channel-test recordings (a human voice), labelled by forced alignment."""
    from avatar.audio.align import align
    from avatar.audio.io import read_wav

    examples = []
    for name, transcript in HUMAN_SAMPLES.items():
        path = HUMAN_DIR / f"{name}.wav"
        if not path.is_file():
            continue
        _, phonemes = align(path, transcript)
        samples, rate = read_wav(path)
        audio = features.to_16k(samples, rate)
        feats = features.log_mel(audio)
        segments = segments_from_phonemes(phonemes, len(audio) / features.RATE)
        labels = frame_labels(segments, len(feats), features.FRAMES_PER_S)
        examples.append(Example(feats, labels, "human:alsa"))
    return examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m avatar.lipsync.train", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("avatar/lipsync/weights/a2v.pt"))
    parser.add_argument("--utterances", type=int, default=1000)
    parser.add_argument("--held-out", type=int, default=24, help="utterances per held-out voice")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="a2v-") as tmp:
        examples = training_set(args.utterances, args.seed, Path(tmp))
        held_out = held_out_set(args.held_out, args.seed, Path(tmp))
    print(f"data: {len(examples)} training, {len(held_out)} held-out utterances "
          f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    model = train(examples, args.steps, args.seed)
    counts = np.bincount(np.concatenate([e.labels for e in examples]), minlength=len(VISEMES))
    majority = int(counts.argmax())
    evaluation = {"held_out_voices": evaluate(model, held_out, majority)}
    human = human_examples()
    if human:
        evaluation["human_speech_alsa"] = evaluate(model, human, majority)
    save(model, args, evaluation, majority, time.perf_counter() - started)
    print(json.dumps(evaluation, indent=1))
    return 0


def save(model: AudioToViseme, args, evaluation: dict, majority: int, seconds: float) -> None:
    args.out.parent.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.out)
    config = {
        "model": {"bands": features.BANDS, "channels": CHANNELS, "dilations": list(DILATIONS)},
        "visemes": list(VISEMES),
        "features": {
            "rate": features.RATE,
            "hop": features.HOP,
            "window": features.WINDOW,
            "bands": features.BANDS,
        },  # fmt: skip
        "training": {
            "command": "python -m avatar.lipsync.train",
            "seed": args.seed,
            "utterances": args.utterances,
            "steps": args.steps,
            "held_out": [f"{e}:{n}" for e, n in HELD_OUT],
            "majority_class": VISEMES[majority],
            "seconds": round(seconds),
        },  # fmt: skip
        "evaluation": evaluation,
        "parameters": sum(p.numel() for p in model.parameters()),
        "sha256": sha256(args.out),
    }
    args.out.with_suffix(".json").write_text(json.dumps(config, indent=1))


if __name__ == "__main__":
    raise SystemExit(main())
