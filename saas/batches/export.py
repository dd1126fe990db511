"""A finished batch as one download: every MP4 with its captions, and a CSV manifest.

The ZIP is streamed as it is written (MP4s are stored, not compressed again),
so a 200-video batch never sits in memory or on the web server's disk.
"""

from __future__ import annotations

import io
import re
import time
import zipfile

from django.http import StreamingHttpResponse

from saas.studio.representation import file_url

from . import sheets
from .models import Batch, BatchRow

CHUNK = 1024 * 1024
MANIFEST = ["row", "status", "video_id", "title", "file", "url", "error"]


class _Sink(io.RawIOBase):
    """Where ZipFile writes; the generator hands what piled up to the response."""

    def __init__(self):
        self.chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data, self.chunks = b"".join(self.chunks), []
        return data


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "video"


def file_stem(row: BatchRow) -> str:
    title = row.video.title if row.video else ""
    return f"{row.number:03d}-{_slug(title)}"


def manifest(batch: Batch) -> str:
    """One line per row: its status, its video and where to get it, or why it failed."""
    columns = sorted({k for row in batch.rows.all() for k in row.values})
    lines = []
    for row in batch.rows.select_related("video"):
        video = row.video
        done = row.status == BatchRow.Status.COMPLETED and video and video.mp4
        error = row.error_message or "; ".join(f"{e['field']}: {e['message']}" for e in row.errors)
        lines.append(
            [
                row.number, row.status, str(video.pk) if video else "",
                video.title if video else "", f"{file_stem(row)}.mp4" if done else "",
                file_url(video.mp4) if done else "", error,
                *[row.values.get(c, "") for c in columns],
            ]
        )  # fmt: skip
    return sheets.to_csv(MANIFEST + columns, lines)


def stream_zip(batch: Batch):
    """Yield the ZIP's bytes: manifest.csv, then each finished row's MP4, SRT and VTT."""
    sink = _Sink()
    stamp = time.localtime()[:6]
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        archive.writestr(zipfile.ZipInfo("manifest.csv", stamp), manifest(batch))
        yield sink.take()
        done = batch.rows.filter(status=BatchRow.Status.COMPLETED).select_related("video")
        for row in done:
            for field in ("mp4", "srt", "vtt"):
                stored = getattr(row.video, field) if row.video else None
                if not stored:
                    continue
                info = zipfile.ZipInfo(f"{file_stem(row)}.{field}", stamp)
                with archive.open(info, "w", force_zip64=True) as out, stored.open("rb") as src:
                    while chunk := src.read(CHUNK):
                        out.write(chunk)
                        yield sink.take()
    yield sink.take()


def zip_response(batch: Batch) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream_zip(batch), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{_slug(batch.name)}.zip"'
    return response
