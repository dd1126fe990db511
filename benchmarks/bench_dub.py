"""Translation on a 60 s clip, step by step and whole, on this machine's cores.

- transcribe_rtf: Whisper base multilingual (int8, 2 threads) on 60 s of
  project-made English speech in a video, language detected; compute seconds
  / audio seconds, model already loaded (the load is printed apart).
- translate_segments_per_s: segments per second for each offline engine
  (Bergamot en->pt, Apertium en->es), on that clip's own segments.
- dub_rtf: the Spanish dub fitted to the original's timing, with the default
  voice for Spanish (Kokoro, neural) and, apart, with espeak-ng's.
- lipsync_rtf and translate_and_dub_rtf: the face re-lip-synced to the
  Kokoro dub and encoded; the whole of it for one language (Whisper loaded;
  the espeak-ng dub is not in the whole).
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

KOKORO_SPANISH = "kokoro:es-jf_alpha"
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
    """Grace reading the paragraph (looped to SECONDS), as a customer's video would be."""
    import imageio_ffmpeg

    from avatar.pipeline import TalkingVideoRequest, render_talking_video

    request = TalkingVideoRequest(script=PARAGRAPH, presenter="grace", aspect="16:9")
    talk = render_talking_video(request, out_path=folder / "talk.mp4").path
    video = folder / "clip.mp4"
    subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-loglevel", "error", "-y",
            "-stream_loop", "-1", "-i", str(talk), "-t", str(seconds),
            "-c:v", "libx264", "-preset", "veryfast", "-c:a", "aac", str(video),
        ],
        check=True,
    )  # fmt: skip
    return video


def _rtf(started: float, seconds: float) -> float:
    return round((time.perf_counter() - started) / seconds, 3)


def run() -> Iterator[dict]:
    from avatar.audio.io import decode_audio
    from avatar.dub import translate
    from avatar.dub.dub import RATE as DUB_RATE
    from avatar.dub.dub import Line, dub_track
    from avatar.dub.transcribe import RATE, load_model, transcribe
    from avatar.lipsync.video import relipsync

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = _clip(folder)
        started = time.perf_counter()
        load_model()
        load = time.perf_counter() - started
        yield {"bench": "dub.whisper_load_s", "value": round(load, 2), "unit": "s"}

        whole = time.perf_counter()
        started = time.perf_counter()
        samples = decode_audio(video, rate=RATE, max_seconds=120)
        transcript = transcribe(samples)
        seconds = len(samples) / RATE
        yield {
            "bench": "dub.transcribe_rtf", "value": _rtf(started, seconds),
            "unit": "x", "audio_s": round(seconds, 1), "language": transcript.language,
            "segments": len(transcript.segments),
        }  # fmt: skip
        texts = [s.text for s in transcript.segments]
        engines = translate.installed_engines()
        spanish = texts
        for target in ("pt", "es"):
            engine = translate.engine_for("en", target, engines)
            engine.translate(texts[:1], "en", target)  # warm
            started = time.perf_counter()
            out = engine.translate(texts, "en", target)
            rate = len(texts) / (time.perf_counter() - started)
            spanish = out if target == "es" else spanish
            yield {
                "bench": f"dub.translate_segments_per_s.en-{target}", "value": round(rate, 1),
                "unit": "segments/s", "engine": engine.name, "segments": len(texts),
            }  # fmt: skip

        original = decode_audio(video, rate=DUB_RATE, max_seconds=120)
        lines = [Line(s.start, s.end, t) for s, t in zip(transcript.segments, spanish, strict=True)]
        spans = [(s.start, s.end) for s in transcript.segments]
        paused = time.perf_counter()
        for voice, name in (("espeak:es", "espeak"), (KOKORO_SPANISH, "kokoro")):
            started = time.perf_counter()
            out, alone = folder / f"dub-{name}.wav", folder / f"voice-{name}.wav"
            result = dub_track(lines, voice, original, out, voice_out=alone, speech_spans=spans)
            yield {
                "bench": f"dub.dub_rtf.{name}", "value": _rtf(started, seconds),
                "unit": "x", "voice": voice, **result.report(),
            }  # fmt: skip
            if name == "espeak":
                whole += time.perf_counter() - paused  # the espeak-ng dub is not in the whole
        (folder / "voice.wav").write_bytes((folder / "voice-kokoro.wav").read_bytes())
        (folder / "dub.wav").write_bytes((folder / "dub-kokoro.wav").read_bytes())
        started = time.perf_counter()
        report = relipsync(video, folder / "voice.wav", folder / "dub.wav", folder / "es.mp4")
        yield {
            "bench": "dub.lipsync_rtf", "value": _rtf(started, seconds),
            "unit": "x", "frames": report.frames, "synced": report.synced, "device": "auto",
        }  # fmt: skip
        yield {
            "bench": "dub.translate_and_dub_rtf",
            "value": _rtf(whole, seconds), "unit": "x",
            "audio_s": round(seconds, 1),
            "note": f"one language, en->es, {KOKORO_SPANISH}, Whisper loaded",
        }  # fmt: skip
