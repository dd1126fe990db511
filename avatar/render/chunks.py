"""Encoded pieces of a video, kept so that an edit re-encodes only what it changed.

The timeline is cut into chunks: each scene's or card's frames outside any
transition (a *body*), and each transition's frames (where two stages are
blended). A chunk's key is a digest of everything its frames are made of:
the segment's part of the spec with the content of every file it names, its
speech (the audio and its timings), its place in its segment, the captions
and marks drawn over it, the output and encoder settings, and the renderer's
own code. Two renders that give a chunk the same key make the same frames,
so the second one takes the encoded chunk from the cache instead.

Chunks start on an IDR frame and are kept as MPEG-TS, with their parameter
sets in band, so pieces from different renders join with a stream copy. A
render with a cache encodes each run of missing chunks in one ffmpeg (the
``segment`` muxer cuts it at the chunk boundaries), then joins every chunk
with the mixed audio into the MP4.

Stages produce their frames in order (lip-sync tracks and video clips are
streams), so a chunk that starts inside a segment whose earlier frames are
not rendered drives that segment's stage through them first (:class:`InOrder`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from avatar.render.timeline import CaptionTrack, FrameLoop

FORMAT = 1  # bump when what a key covers changes
SUFFIX = ".ts"
POSTER_SUFFIX = ".poster.npy"


@dataclass(frozen=True)
class Chunk:
    """Frames ``[start, end)`` of the video, and the key of what they show."""

    start: int
    end: int
    key: str

    @property
    def count(self) -> int:
        return self.end - self.start


def digest(value) -> str:
    """A stable digest of JSON-able ``value``."""
    text = json.dumps(value, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@functools.cache
def code_version() -> str:
    """A digest of the renderer's source and the libraries that draw its frames."""
    import PIL

    root = Path(__file__).resolve().parents[1]
    h = hashlib.blake2b(digest_size=16)
    for path in sorted(root.rglob("*.py")):
        h.update(str(path.relative_to(root)).encode())
        h.update(path.read_bytes())
    h.update(f"numpy {np.__version__} pillow {PIL.__version__}".encode())
    return h.hexdigest()


def file_digest(path: Path) -> str:
    """A digest of a file's content (a stat-keyed memo spares re-reading it)."""
    stat = Path(path).stat()
    return _file_digest(str(Path(path).resolve()), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def plan(segments, windows, segment_keys: list[str], extra) -> list[Chunk]:
    """The chunks of a timeline, in order, covering every frame once.

    Args:
        segments: the timeline's :class:`~avatar.render.timeline.Segment` list.
        windows: ``windows[k]``: the frames of the transition into segment k, or None.
        segment_keys: one key per segment (its content, wherever it sits).
        extra: ``(start, end) -> JSON-able``: what else is drawn over those frames
            (captions, marks), so that it is part of the key.
    """
    chunks: list[Chunk] = []
    for k, seg in enumerate(segments):
        into = windows[k]
        out = windows[k + 1] if k + 1 < len(windows) else None
        if into is not None:
            a, b = into
            prev = segments[k - 1]
            what = {
                "part": "transition",
                "from": [segment_keys[k - 1], a - prev.start],
                "to": [segment_keys[k], a - seg.start],
                "split": seg.start - a,
                "how": _plain(seg.transition),
            }
            chunks.append(_chunk(a, b, what, extra))
        a = into[1] if into is not None else seg.start
        b = out[0] if out is not None else seg.end
        if b > a:
            what = {"part": "body", "segment": segment_keys[k], "from": a - seg.start}
            chunks.append(_chunk(a, b, what, extra))
    return chunks


def _chunk(a: int, b: int, what: dict, extra) -> Chunk:
    return Chunk(a, b, digest({**what, "count": b - a, "over": extra(a, b)}))


def _plain(value):
    from dataclasses import asdict, is_dataclass

    return asdict(value) if is_dataclass(value) else value


def runs(chunks: list[Chunk], have) -> list[list[Chunk]]:
    """Consecutive chunks for which ``have(chunk)`` is false, grouped."""
    groups: list[list[Chunk]] = []
    for chunk in chunks:
        if have(chunk):
            continue
        if groups and groups[-1][-1].end == chunk.start:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
    return groups


class ChunkCache:
    """Encoded chunks in a folder, by key, trimmed to ``max_bytes`` (oldest use first).

    ``root``: a folder above ``folder`` whose files all count against ``max_bytes``
    (one budget for the folders of many workspaces); None: ``folder`` alone.
    """

    def __init__(self, folder: Path, max_bytes: int = 4 << 30, root: Path | None = None) -> None:
        self.folder = Path(folder)
        self.root = Path(root) if root is not None else self.folder
        self.max_bytes = max_bytes
        self.folder.mkdir(parents=True, exist_ok=True)

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def has(self, chunk: Chunk) -> bool:
        path = self.path(chunk.key)
        try:
            if path.stat().st_size == 0:
                return False
            os.utime(path)  # used now: trimmed last
        except FileNotFoundError:
            return False
        return True

    def put(self, key: str, source: Path) -> Path:
        """Move an encoded chunk in (atomically: readers see all of it or nothing)."""
        dest = self.path(key)
        try:
            os.replace(source, dest)
        except OSError:  # another file system: copied beside it, then renamed
            part = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}")
            shutil.copyfile(source, part)
            os.replace(part, dest)
            Path(source).unlink(missing_ok=True)
        return dest

    def link_out(self, key: str, folder: Path) -> Path:
        """Chunk ``key`` hard-linked into ``folder`` (copied across file systems), so
        that trimming the cache cannot take it away from a reader there.

        Raises:
            FileNotFoundError: the chunk is not (or no longer) in the cache.
        """
        dest = Path(folder) / f"{key}{SUFFIX}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.exists():
            return dest
        try:
            os.link(self.path(key), dest)
        except FileNotFoundError:
            raise
        except OSError:  # another file system
            shutil.copyfile(self.path(key), dest)
        return dest

    def poster(self, key: str, offset: int) -> np.ndarray | None:
        """The poster frame kept with chunk ``key`` (``offset`` frames into it), or None."""
        path = self.folder / f"{key}.{offset}{POSTER_SUFFIX}"
        try:
            buf = np.load(path)
            os.utime(path)  # used now, like its chunk
        except (FileNotFoundError, ValueError, OSError):
            return None
        return buf

    def put_poster(self, key: str, offset: int, buf: np.ndarray) -> None:
        dest = self.folder / f"{key}.{offset}{POSTER_SUFFIX}"
        part = dest.with_name(f".{dest.name}.{uuid.uuid4().hex[:8]}.npy")
        np.save(part, buf)
        os.replace(part, dest)

    def trim(self, keep: set[str] = frozenset()) -> int:
        """Delete the least recently used files beyond ``max_bytes``; returns bytes freed."""
        entries = []
        for path in self.root.rglob("*"):
            if path.is_dir():
                continue
            if path.name.startswith("."):
                if time.time() - _mtime(path) > 3600:  # a crashed render's leftover
                    path.unlink(missing_ok=True)
                continue
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            entries.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in entries)
        freed = 0
        for _, size, path in sorted(entries):
            if total - freed <= self.max_bytes:
                break
            if path.name.split(".")[0] in keep:
                continue
            path.unlink(missing_ok=True)
            freed += size
        return freed


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return time.time()


class InOrder:
    """A stage asked for frames with gaps: the frames it skipped are made and dropped
    first, because its sources (lip-sync, video clips) are streams read in order.

    ``first`` is the first frame the full timeline asks the stage for (negative
    when a transition brings it in).
    """

    def __init__(self, stage, first: int) -> None:
        self.stage = stage
        self._next = first

    def frame(self, index: int):
        if self._next < index:
            skip = getattr(self.stage, "skip_to", None)
            if skip is not None and skip(index):
                self._next = index
        while self._next < index:
            self.stage.frame(self._next)
            self._next += 1
        self._next = max(self._next, index + 1)
        return self.stage.frame(index)

    def release(self) -> None:
        release = getattr(self.stage, "release", None)
        if release is not None:
            release()


def speech_digest(r, script: str | None) -> dict:
    """What a scene's speech puts into its frames: the audio (lip-sync) and its timings."""
    return {
        "wav": file_digest(r.wav), "duration": r.duration_s, "words": r.words,
        "phonemes": r.phonemes, "tokens": r.tokens, "timing": r.timing_source,
        "script": script,
    }  # fmt: skip


def drawn_over(loop: FrameLoop, segments):
    """``(start, end) -> what is drawn over those frames``: the captions frame by frame
    (the cue, where and how it is painted, and the spoken word) and which segment kind's
    marks (logo, watermark), run-length coded."""
    track = loop.captions
    per_frame: list = [None] * loop.total
    if track is not None:
        fresh = CaptionTrack(track.cues, track.boxes, track.painters, track.anchor,
                             track.highlight)  # fmt: skip
        looks: dict[int, list] = {}
        for n in range(loop.total):
            state = fresh.at_frame(n, loop.fps)
            if state is not None:
                index, active = state
                if index not in looks:
                    looks[index] = _cue_look(track, index)
                per_frame[n] = (index, active)
        per_frame = [None if s is None else [looks[s[0]], s[1]] for s in per_frame]
    kinds = [None] * loop.total
    for seg in segments:
        kinds[seg.start : seg.end] = [seg.kind] * seg.count

    def extra(a: int, b: int) -> dict:
        return {"captions": _runs(per_frame, a, b), "marks": _runs(kinds, a, b)}

    return extra


def _cue_look(track: CaptionTrack, index: int) -> list:
    from dataclasses import asdict

    cue, painter, box = track.cues[index], track.painters[index], track.boxes[index]
    return [
        [[w.text for w in line] for line in cue.lines], asdict(box), asdict(painter.look),
        [painter.scale, painter.max_width, painter.accent, painter.ink, painter.language,
         painter.uppercase], track.anchor, track.highlight,
    ]  # fmt: skip


def _runs(values: list, a: int, b: int) -> list:
    """``values[a:b]`` as [offset, value] where the value changes."""
    out, last = [], object()
    for n in range(a, b):
        if values[n] != last:
            out.append([n - a, values[n]])
            last = values[n]
    return out


def spans(groups: list[list[Chunk]]) -> Iterator[tuple[int, int]]:
    for group in groups:
        yield group[0].start, group[-1].end
