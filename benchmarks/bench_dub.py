"""Translation's first steps on a 60 s clip: recognition and translation speed.

- transcribe_rtf: Whisper base multilingual (int8, 2 threads) on 60 s of
  project-made English speech in a video, language detected; compute seconds
  / audio seconds, model already loaded (the load is printed apart).
- translate_segments_per_s: segments per second for each offline engine
  (Bergamot en->pt, Apertium en->es), on that clip's own segments.
The whole translate-and-dub RTF needs the dub and lip-sync stages, which are
not built yet: it is not printed rather than faked.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PARAGRAPH = (
    "Welcome to the quarterly safety briefing. Today we cover three things: fire exits, "
    "first aid kits, and how to report an incident. Every floor has two marked exits, one "
    "at each end of the corridor. Keep them clear at all times, and never prop a fire door "
    "open. First aid kits hang beside the kitchen on every floor, and each team has a "
    "trained first aider whose name is on the notice board. If you see a hazard, report it "
    "the same day through the safety portal, even when nobody was hurt. Thank you for "
    "watching, and please ask your manager if anything is unclear."
)


def _clip(folder: Path, seconds: float = 60.0) -> Path:
    import imageio_ffmpeg

    from avatar.voices import synthesize

    speech = folder / "speech.wav"
    synthesize(PARAGRAPH, "piper:en_US-joe-medium", speech)
    video = folder / "clip.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=25:duration={seconds}",
            "-stream_loop", "-1", "-i", str(speech), "-t", str(seconds),
            "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(video),
        ],
        check=True,
    )  # fmt: skip
    return video


def run() -> Iterator[dict]:
    from avatar.audio.io import decode_audio
    from avatar.dub import translate
    from avatar.dub.transcribe import RATE, load_model, transcribe

    with tempfile.TemporaryDirectory() as tmp:
        video = _clip(Path(tmp))
        samples = decode_audio(video, rate=RATE, max_seconds=120)
    started = time.perf_counter()
    load_model()
    yield {
        "bench": "dub.whisper_load_s",
        "value": round(time.perf_counter() - started, 2),
        "unit": "s",
    }
    started = time.perf_counter()
    transcript = transcribe(samples)
    seconds = len(samples) / RATE
    rtf = (time.perf_counter() - started) / seconds
    yield {
        "bench": "dub.transcribe_rtf", "value": round(rtf, 3), "unit": "x",
        "audio_s": round(seconds, 1), "language": transcript.language,
        "segments": len(transcript.segments),
    }  # fmt: skip
    texts = [s.text for s in transcript.segments]
    engines = translate.installed_engines()
    for target in ("pt", "es"):
        engine = translate.engine_for("en", target, engines)
        engine.translate(texts[:1], "en", target)  # warm
        started = time.perf_counter()
        engine.translate(texts, "en", target)
        rate = len(texts) / (time.perf_counter() - started)
        yield {
            "bench": f"dub.translate_segments_per_s.en-{target}", "value": round(rate, 1),
            "unit": "segments/s", "engine": engine.name, "segments": len(texts),
        }  # fmt: skip
