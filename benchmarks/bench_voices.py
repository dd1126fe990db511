"""Voices: each engine's real-time factor on a ~20 s paragraph, cold and warm,
and how far forced alignment lands from each engine's own timings.

Cold runs in a fresh process (imports, model load, synthesis); warm is a
second synthesis in the same process with the cache off. RTF = compute
seconds / audio seconds (lower is faster).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PARAGRAPH = (
    "Meet the Aurora blender, built for busy mornings. Its nine hundred watt motor crushes "
    "ice in seconds, and the six stainless steel blades turn fruit into silky smoothies. "
    "The glass jar holds enough for the whole family, and it goes straight into the "
    "dishwasher. Choose from three colours that look great on any counter. Order today "
    "and get free shipping, plus a two year warranty."
)
ENGINE_VOICES = {
    "piper": "piper:en_US-joe-medium",
    "festival": "festival:cmu_us_slt_arctic_hts",
    "flite": "flite:slt",
    "espeak": "espeak:en-us",
}
COLD = (
    "import sys, time, json; t = time.perf_counter(); from avatar.voices import synthesize; "
    "r = synthesize(sys.argv[1], sys.argv[2], sys.argv[3]); "
    "print(json.dumps([time.perf_counter() - t, r.duration_s]))"
)


def _cold(voice_id: str, out: Path) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", COLD, PARAGRAPH, voice_id, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, duration = json.loads(result.stdout.strip().splitlines()[-1])
    return seconds, duration


def _warm(voice_id: str, out: Path) -> tuple[float, object]:
    from avatar.voices import synthesize

    synthesize("Warm up.", voice_id, out)
    started = time.perf_counter()
    result = synthesize(PARAGRAPH, voice_id, out)
    return time.perf_counter() - started, result


def _alignment_error_ms(result) -> float | None:
    """Median |start difference| between the engine's words and pocketsphinx's."""
    from avatar.audio.align import align

    if result.timing_source != "engine" or not result.words:
        return None
    aligned, _ = align(result.wav, " ".join(w.text for w in result.words))
    pairs = zip(result.words, aligned, strict=False)
    return statistics.median(abs(a.start - b.start) * 1000 for a, b in pairs)


def run() -> Iterator[dict]:
    from avatar.voices import engines

    context = {"cpu_count": os.cpu_count(), "text_chars": len(PARAGRAPH)}
    with tempfile.TemporaryDirectory(prefix="bench-voices-") as tmp:
        for engine, voice_id in ENGINE_VOICES.items():
            if engine not in engines():
                continue
            cold_s, audio_s = _cold(voice_id, Path(tmp) / f"{engine}-cold.wav")
            warm_s, result = _warm(voice_id, Path(tmp) / f"{engine}.wav")
            extra = {**context, "voice": voice_id, "audio_s": round(result.duration_s, 2)}
            yield {"bench": f"voices.{engine}.rtf_cold", "value": round(cold_s / audio_s, 4),
                   "unit": "x", **extra}  # fmt: skip
            yield {"bench": f"voices.{engine}.rtf_warm",
                   "value": round(warm_s / result.duration_s, 4), "unit": "x", **extra}  # fmt: skip
            error = _alignment_error_ms(result)
            if error is not None:
                yield {"bench": f"voices.{engine}.alignment_error_median", "value": round(error, 1),
                       "unit": "ms", **extra}  # fmt: skip
