"""What every uploaded file must pass before anything decodes or stores it.

The limits for uploads live here, in one place. A file is judged by its
content, never by its name or declared type: the first bytes say what it really
is (`sniff`), and a file whose name claims another type is refused rather than
guessed at. Then, before any decoder runs:

- images: the size declared in the header (`declared_size`), against
  MAX_IMAGE_PIXELS (Pillow's own limit is set to the same number, so a
  decompression bomb is refused here or, failing that, by Pillow); no web page,
  script or ZIP archive may hide inside one (`hidden_payload`);
- audio and video: ffmpeg reads the container header in a subprocess with a
  time limit (`probe_media`; imageio-ffmpeg ships no ffprobe, so this is
  `ffmpeg -i`), which must find streams of a sane size and length;
- spreadsheets: an XLSX is a ZIP, so its directory is checked (`check_xlsx_zip`:
  entries, total unpacked size, compression ratio, macros, external links) before
  openpyxl unpacks a byte of it.

Each refusal is a ServiceError naming the form field, with a code and a sentence
the customer can act on.
"""

from __future__ import annotations

import re
import struct
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from saas.errors import ServiceError

MB = 1024 * 1024

# --- Limits ------------------------------------------------------------------------
MAX_IMAGE_BYTES = 20 * MB
MAX_AUDIO_BYTES = 100 * MB
MAX_VIDEO_BYTES = 500 * MB
MAX_SHEET_BYTES = 5 * MB
# Images: 50 megapixels (a 45 MP camera's photo fits), and no side over 16384 px.
MAX_IMAGE_PIXELS = 50_000_000
MAX_IMAGE_SIDE_PX = 16_384
# Audio and video: what ffmpeg's header says, read within PROBE_TIMEOUT_S.
MAX_VIDEO_SIDE_PX = 4096
MAX_AUDIO_SECONDS = 600
LENGTH_TOLERANCE_S = 0.5  # encoder padding
PROBE_TIMEOUT_S = 15
# XLSX (a ZIP of XML): a real workbook of a few hundred rows is tens of entries and a
# few MB unpacked, and XML compresses 5 to 20 times; a bomb is far past all three.
MAX_SHEET_ZIP_ENTRIES = 500
MAX_SHEET_UNZIPPED_BYTES = 50 * MB
MAX_SHEET_COMPRESSION_RATIO = 100
SHEET_RATIO_CHECKED_FROM = 1 * MB  # tiny entries may compress oddly; they are harmless
MAX_SHEET_COLUMNS = 100

# Pillow refuses (DecompressionBombError) at twice this and warns above it;
# `image_size_problem` refuses everything above it before Pillow is asked.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


# --- What a file really is ------------------------------------------------------------

LABELS = {
    "jpeg": "a JPEG image",
    "png": "a PNG image",
    "webp": "a WebP image",
    "gif": "a GIF image",
    "tiff": "a TIFF image",
    "heic": "an HEIC or AVIF image",
    "bmp": "a BMP image",
    "mp4": "an MP4 or MOV file",
    "matroska": "a WebM or Matroska file",
    "avi": "an AVI file",
    "ogg": "an Ogg file",
    "flac": "a FLAC file",
    "wav": "a WAV file",
    "aiff": "an AIFF file",
    "mp3": "an MP3 file",
    "aac": "an AAC file",
    "pdf": "a PDF document",
    "zip": "a ZIP archive",
    "ole2": "an old-style Office document (.xls, .doc)",
    "archive": "a compressed archive",
    "program": "a program",
    "html": "a web page (HTML)",
    "svg": "an SVG drawing",
    "xml": "an XML document",
    "script": "a script",
    "text": "text",
    "empty": "empty",
    "unknown": "not a file type we recognise",
}

# What a file name's extension claims. A name with none of these claims nothing.
EXTENSIONS = {
    ".jpg": "jpeg", ".jpeg": "jpeg", ".jpe": "jpeg", ".jfif": "jpeg",
    ".png": "png", ".webp": "webp", ".gif": "gif", ".tif": "tiff", ".tiff": "tiff",
    ".heic": "heic", ".heif": "heic", ".avif": "heic", ".bmp": "bmp",
    ".mp4": "mp4", ".m4v": "mp4", ".mov": "mp4", ".m4a": "mp4", ".3gp": "mp4",
    ".webm": "matroska", ".mkv": "matroska", ".mka": "matroska", ".avi": "avi",
    ".ogg": "ogg", ".oga": "ogg", ".opus": "ogg", ".flac": "flac", ".wav": "wav",
    ".aif": "aiff", ".aiff": "aiff", ".mp3": "mp3", ".aac": "aac",
    ".pdf": "pdf", ".zip": "zip", ".xlsx": "zip", ".xlsm": "zip", ".docx": "zip",
    ".xls": "ole2", ".doc": "ole2", ".gz": "archive", ".7z": "archive", ".rar": "archive",
    ".exe": "program", ".html": "html", ".htm": "html", ".svg": "svg", ".xml": "xml",
    ".js": "script", ".php": "script", ".sh": "script", ".py": "script",
    ".csv": "text", ".tsv": "text", ".txt": "text", ".srt": "text", ".vtt": "text",
}  # fmt: skip

_MARKUP_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|object|embed|meta|a\s|div|p>|table)",
    re.I,
)


# (offset, bytes there, kind): the first match wins.
_MAGIC = (
    (0, b"\xff\xd8\xff", "jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "png"),
    (0, b"GIF87a", "gif"),
    (0, b"GIF89a", "gif"),
    (0, b"II*\x00", "tiff"),
    (0, b"MM\x00*", "tiff"),
    (0, b"\x1a\x45\xdf\xa3", "matroska"),
    (0, b"OggS", "ogg"),
    (0, b"fLaC", "flac"),
    (0, b"ID3", "mp3"),
    (0, b"%PDF-", "pdf"),
    (0, b"PK\x03\x04", "zip"),
    (0, b"PK\x05\x06", "zip"),
    (0, b"PK\x07\x08", "zip"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole2"),
    (0, b"\x1f\x8b", "archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "archive"),
    (0, b"Rar!", "archive"),
    (0, b"MZ", "program"),
    (0, b"\x7fELF", "program"),
    (8, b"WEBP", "webp"),  # after RIFF and a length, as are WAVE and AVI
    (8, b"WAVE", "wav"),
    (8, b"AVI ", "avi"),
    (8, b"AIFF", "aiff"),  # after FORM and a length
    (8, b"AIFC", "aiff"),
)
_IMAGE_BRANDS = (b"heic", b"heix", b"mif1", b"msf1", b"avif")
_QUICKTIME_ATOMS = (b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot")


def sniff(head: bytes) -> str:
    """What HEAD (a file's first bytes; 512 is plenty) says the file is: a key of LABELS."""
    if not head:
        return "empty"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "text"  # UTF-16, as Excel's "Unicode text" is
    for offset, magic, kind in _MAGIC:
        chunked = offset == 0 or head[:4] in (b"RIFF", b"FORM")
        if chunked and head[offset : offset + len(magic)] == magic:
            return kind
    if head[4:8] == b"ftyp":
        return "heic" if head[8:12] in _IMAGE_BRANDS else "mp4"
    if head[4:8] in _QUICKTIME_ATOMS:
        return "mp4"  # QuickTime without an ftyp box
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return "aac" if head[1] & 0x06 == 0 else "mp3"  # ADTS (layer 0) or an MPEG audio frame
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00":
        return "bmp"
    return _sniff_text(head)


def _sniff_text(head: bytes) -> str:
    if b"\x00" in head[:512]:
        return "unknown"
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    lower = text[:512].lower()
    if lower.startswith(b"#!") or lower.startswith(b"<?php"):
        return "script"
    if lower.startswith(b"<?xml") or lower.startswith(b"<!doctype svg"):
        return "svg" if b"<svg" in lower else "xml"
    if lower.startswith(b"<svg"):
        return "svg"
    if _MARKUP_START.match(lower) or lower.startswith(b"<!--"):
        return "html"
    try:
        text[:512].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(text[:512]) - 4:  # a cut multi-byte character at the end is fine
            try:
                text[:512].decode("cp1252")
            except UnicodeDecodeError:
                return "unknown"
    return "text"


def label(kind: str) -> str:
    return LABELS.get(kind, LABELS["unknown"])


def suffix_of(name: str | None) -> str:
    return Path(name or "").suffix.lower()


def read_head(upload, size: int = 512) -> bytes:
    """The first SIZE bytes of an uploaded file (left at its start)."""
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head


def claimed_kind(name: str | None) -> str | None:
    """The kind the file name's extension claims, or None when it claims none we know."""
    return EXTENSIONS.get(suffix_of(name))


# Kinds a file may hold although its extension names another: an .aac is often an
# M4A (an MP4 container), and a .webm may be any Matroska file.
ALSO = {"aac": {"mp4"}}


def refuse_mismatch(name: str | None, actual: str, field: str) -> None:
    """Refuse a file whose extension claims another kind than its content (a PNG named
    .jpg, an MP4 named .mp3, an HTML page named .csv)."""
    claimed = claimed_kind(name)
    if claimed is None or claimed == actual or actual in ALSO.get(claimed, ()):
        return
    suffix = suffix_of(name)
    raise ServiceError(
        f"This file is named {suffix} but is {label(actual)}. Give it the extension of "
        f"what it is, or save it again as {suffix.lstrip('.').upper()}.",
        field=field,
        code="type_mismatch",
    )


# --- Images --------------------------------------------------------------------------

IMAGE_KINDS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}

# Markup that makes a file a web page too, and PHP: searched through the whole of an
# image (these are long enough never to turn up by chance in compressed pixels).
_HIDDEN_MARKUP = re.compile(
    rb"<script[\s>/]|<html[\s>]|<body[\s>]|<iframe[\s>/]|<!doctype\s+html|<\?php\s|javascript:",
    re.I,
)
_OVERLAP = 32


def hidden_payload(upload) -> str | None:
    """What hides inside an image that makes it a polyglot: markup a browser would run
    (a `<script>` in a comment, HTML after the picture) or a ZIP archive appended to it
    (which zip readers open from the end). None for a clean file."""
    upload.seek(0)
    tail = b""
    for chunk in upload.chunks():
        window = tail + chunk
        found = _HIDDEN_MARKUP.search(window)
        if found:
            upload.seek(0)
            return f"web page code ({found.group().decode('latin-1').strip()!r})"
        tail = window[-_OVERLAP:]
    upload.seek(0)
    try:
        appended_zip = zipfile.is_zipfile(upload)
    finally:
        upload.seek(0)
    return "a ZIP archive" if appended_zip else None


def declared_size(head: bytes, kind: str) -> tuple[int, int] | None:
    """(width, height) as the header of a PNG, WebP or JPEG declares it, read without
    decoding anything; None when the header does not say (Pillow then decides)."""
    try:
        if kind == "png" and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if kind == "webp":
            chunk = head[12:16]
            if chunk == b"VP8X":
                w = int.from_bytes(head[24:27], "little") + 1
                return w, int.from_bytes(head[27:30], "little") + 1
            if chunk == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":
                w, h = struct.unpack("<HH", head[26:30])
                return w & 0x3FFF, h & 0x3FFF
            if chunk == b"VP8L" and head[20] == 0x2F:
                bits = int.from_bytes(head[21:25], "little")
                return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if kind == "jpeg":
            return _jpeg_size(head)
    except (struct.error, IndexError):
        return None
    return None


_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        length = struct.unpack(">H", data[at + 2 : at + 4])[0]
        if marker in _SOF:
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width, height
        if marker in (0xDA, 0xD9):  # the scan starts: no frame header came first
            return None
        at += 2 + length
    return None


def image_size_problem(width: int, height: int) -> str | None:
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE_PX:
        return (
            f"The image is {width:,}×{height:,} pixels; images may have at most "
            f"{MAX_IMAGE_PIXELS // 1_000_000} megapixels and {MAX_IMAGE_SIDE_PX:,} pixels "
            "on a side. Scale it down and upload it again."
        )
    return None


# --- Audio and video: ffmpeg reads the header -------------------------------------------

_INPUT = re.compile(r"^Input #0, (.+?), from '", re.M)
_DURATION = re.compile(r"^  Duration: (?:(\d+):(\d\d):(\d\d(?:\.\d+)?)|N/A)", re.M)
# Exactly two spaces: metadata (which the file controls) is printed deeper.
_STREAM = re.compile(r"^  Stream #0:\d+\S*: (Video|Audio|Subtitle|Data|Attachment): (.*)$", re.M)
_DIMENSIONS = re.compile(r"(?:^|, )(\d{1,7})x(\d{1,7})(?=[ ,]|$)")


@dataclass
class Stream:
    kind: str  # "video", "audio", "subtitle", "data", "attachment"
    codec: str
    width: int | None = None
    height: int | None = None
    attached_pic: bool = False  # an MP3's or M4A's cover art


@dataclass
class MediaProbe:
    format: str  # ffmpeg's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "mp3"
    duration_s: float | None
    streams: list[Stream] = field(default_factory=list)

    def of(self, kind: str) -> list[Stream]:
        return [s for s in self.streams if s.kind == kind]

    @property
    def pictures(self) -> list[Stream]:
        return [s for s in self.of("video") if not s.attached_pic]


class ProbeFailed(Exception):
    """ffmpeg could not open the file (``timed_out``: it took longer than allowed)."""

    def __init__(self, timed_out: bool = False):
        super().__init__("timed out" if timed_out else "unreadable")
        self.timed_out = timed_out


def probe_media(path: Path, formats: str, timeout: float | None = None) -> MediaProbe:
    """The container FORMAT, duration and streams of the file at PATH, from ffmpeg's
    header dump (`ffmpeg -i`, nothing decoded), with only the demuxers in FORMATS and
    only local files (a playlist renamed .mp4 cannot make it open anything else)."""
    from avatar.encode import ffmpeg_exe

    timeout = PROBE_TIMEOUT_S if timeout is None else timeout
    command = [
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-protocol_whitelist", "file",
        "-format_whitelist", formats, "-i", f"file:{Path(path).resolve()}",
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise ProbeFailed(timed_out=True) from None
    header = result.stderr.decode("utf-8", "replace")
    found = _INPUT.search(header)
    if found is None:
        raise ProbeFailed()
    duration = None
    match = _DURATION.search(header)
    if match and match.group(1) is not None:
        hours, minutes, seconds = match.groups()
        duration = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    streams = []
    for kind, rest in _STREAM.findall(header):
        stream = Stream(kind.lower(), rest.split(",")[0].split(" ")[0])
        size = _DIMENSIONS.search(rest) if kind == "Video" else None
        if size:
            stream.width, stream.height = int(size.group(1)), int(size.group(2))
        stream.attached_pic = "(attached pic)" in rest
        streams.append(stream)
    return MediaProbe(found.group(1), duration, streams)


def too_big_picture(probe: MediaProbe) -> Stream | None:
    """A video stream wider or taller than MAX_VIDEO_SIDE_PX, if there is one."""
    for stream in probe.of("video"):
        if max(stream.width or 0, stream.height or 0) > MAX_VIDEO_SIDE_PX:
            return stream
    return None


def format_duration(seconds: float) -> str:
    from avatar.audio.io import format_duration

    return format_duration(seconds)


# --- Spreadsheets ----------------------------------------------------------------------

# Parts that make a workbook run code or reach out when opened.
_ACTIVE_PARTS = (
    ("xl/vbaproject.bin", "macros"),
    ("xl/externallinks/", "links to other workbooks"),
    ("xl/activex/", "ActiveX controls"),
    ("xl/embeddings/", "embedded objects"),
)
_MACRO_TYPE = b"macroEnabled"


def check_xlsx_zip(upload, field: str = "file") -> None:
    """Refuse a ZIP that is not a plain workbook, or would unpack into far more than any
    sheet of rows needs, from its directory alone (nothing is decompressed but the
    first bytes of each XML part, to refuse a DTD: no workbook has one)."""
    upload.seek(0)
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ServiceError("This is not an Excel (.xlsx) workbook.", field=field) from None
    with archive:
        entries = archive.infolist()
        _check_zip_sizes(entries, field)
        names = {e.filename.lower() for e in entries}
        if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
            raise ServiceError("This is not an Excel (.xlsx) workbook.", field=field)
        for prefix, what in _ACTIVE_PARTS:
            if any(name.startswith(prefix) for name in names):
                raise _active(what, field)
        for entry in entries:
            if entry.flag_bits & 0x1:
                raise ServiceError(
                    "This workbook is encrypted. Save it without a password and upload it again.",
                    field=field,
                    code="unsafe_file",
                )
            if entry.filename.lower().endswith((".xml", ".rels")):
                with archive.open(entry) as part:
                    prolog = part.read(4096)
                if b"<!DOCTYPE" in prolog.upper() or b"<!ENTITY" in prolog.upper():
                    raise _active("XML entity declarations", field)
                if entry.filename == "[Content_Types].xml" and _MACRO_TYPE in prolog:
                    raise _active("macros", field)
    upload.seek(0)


def _check_zip_sizes(entries: list[zipfile.ZipInfo], field: str) -> None:
    if len(entries) > MAX_SHEET_ZIP_ENTRIES:
        raise ServiceError(
            f"This workbook holds {len(entries):,} files; a workbook of rows needs far fewer "
            f"(at most {MAX_SHEET_ZIP_ENTRIES}). Save the sheet as CSV and upload that.",
            field=field,
            code="file_too_large",
        )
    unzipped = sum(e.file_size for e in entries)
    if unzipped > MAX_SHEET_UNZIPPED_BYTES:
        raise ServiceError(
            f"This workbook unpacks to {unzipped / MB:,.0f} MB; at most "
            f"{MAX_SHEET_UNZIPPED_BYTES // MB} MB is accepted. Upload only the sheet of "
            "rows, or save it as CSV.",
            field=field,
            code="file_too_large",
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= SHEET_RATIO_CHECKED_FROM and ratio > MAX_SHEET_COMPRESSION_RATIO:
            raise ServiceError(
                f"This workbook's {entry.filename} unpacks {ratio:,.0f} times larger than it "
                f"is stored (at most {MAX_SHEET_COMPRESSION_RATIO} is accepted): it looks "
                "like a ZIP bomb, not a sheet of rows.",
                field=field,
                code="unsafe_file",
            )


def _active(what: str, field: str) -> ServiceError:
    return ServiceError(
        f"This workbook contains {what}, which are not accepted. Save a copy as a plain "
        "Excel workbook (.xlsx) or as CSV and upload that.",
        field=field,
        code="unsafe_file",
    )
