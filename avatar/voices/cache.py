"""A disk cache of synthesised sentences, keyed by everything that shapes the sound."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict
from pathlib import Path

from avatar.voices.base import EngineOutput, Timing

# Bump when an engine's output for the same input changes (a fix, a new model).
CACHE_VERSION = 1


class SpeechCache:
    """Sentence WAVs and their timings under ``root/<2 hex>/<sha256>.{wav,json}``.

    Writes go through a temporary file and a rename, so concurrent workers
    sharing the directory never read half a file.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @staticmethod
    def key(engine: str, voice_id: str, text: str, rate: float, pitch: float) -> str:
        material = json.dumps([CACHE_VERSION, engine, voice_id, text, rate, pitch])
        return hashlib.sha256(material.encode()).hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.wav", folder / f"{key}.json"

    def get(self, key: str, out_wav: Path) -> EngineOutput | None:
        """Copy a cached WAV to OUT_WAV and return its timings, or None on a miss."""
        wav, meta = self._paths(key)
        if not (wav.exists() and meta.exists()):
            return None
        data = json.loads(meta.read_text())
        shutil.copyfile(wav, out_wav)
        return EngineOutput(
            words=[Timing(**t) for t in data["words"]],
            phonemes=[Timing(**t) for t in data["phonemes"]],
        )

    def put(self, key: str, wav_path: Path, output: EngineOutput) -> None:
        wav, meta = self._paths(key)
        wav.parent.mkdir(parents=True, exist_ok=True)
        body = {"words": [asdict(t) for t in output.words]}
        body["phonemes"] = [asdict(t) for t in output.phonemes]
        self._atomic_write(meta, json.dumps(body).encode())
        self._atomic_write(wav, Path(wav_path).read_bytes())

    @staticmethod
    def _atomic_write(path: Path, data: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
