"""Transcripts to and from SRT and WebVTT, with pysubs2 (not by hand).

A customer may upload their own subtitles instead of our transcript; their
timing and text are taken as they are, with markup (`<i>`, `{\\an8}`) dropped.
"""

from __future__ import annotations

import html

from avatar.errors import AvatarError

from .transcribe import Segment

FORMATS = ("srt", "vtt")
MAX_BYTES = 2 * 1024 * 1024


class InvalidSubtitles(AvatarError):
    def __init__(self, message: str) -> None:
        super().__init__("invalid_subtitles", message, field="subtitles")


def write(segments: list[Segment], fmt: str) -> str:
    """SEGMENTS as the text of an SRT or VTT file.

    The text is the customer's, said as written: SSA markup (`{...}`) is kept rather
    than read as styling, `-->` (which would end a cue's timing line) becomes an arrow,
    and in WebVTT `&`, `<` and `>` are written as the entities the format requires.
    """
    import pysubs2

    if fmt not in FORMATS:
        raise ValueError(f"subtitle format must be one of {FORMATS}")
    subs = pysubs2.SSAFile()
    for segment in segments:
        text = segment.text.replace("-->", "→")
        if fmt == "vtt":
            text = html.escape(text, quote=False)
        subs.append(
            pysubs2.SSAEvent(
                start=int(round(segment.start * 1000)),
                end=int(round(segment.end * 1000)),
                text=text.replace("\n", "\\N"),
            )
        )
    return subs.to_string(fmt, keep_ssa_tags=True)


def read(text: str | bytes) -> list[Segment]:
    """The segments of an uploaded SRT or VTT file, in time order."""
    import pysubs2

    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise InvalidSubtitles("Subtitle files can be at most 2 MB.")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidSubtitles(
                "Save the subtitles as UTF-8 text and upload them again."
            ) from None
    try:
        subs = pysubs2.SSAFile.from_string(text)
    except (pysubs2.exceptions.Pysubs2Error, ValueError):
        raise InvalidSubtitles("This is not an SRT or WebVTT file we can read.") from None
    if subs.format not in FORMATS:
        raise InvalidSubtitles("Upload subtitles as SRT or WebVTT.")
    segments = []
    for event in sorted(subs, key=lambda e: e.start):
        plain = html.unescape(event.plaintext) if subs.format == "vtt" else event.plaintext
        words = plain.replace("\n", " ").split()
        if event.is_comment or not words or event.end <= event.start:
            continue
        segments.append(
            Segment(start=event.start / 1000, end=event.end / 1000, text=" ".join(words))
        )
    if not segments:
        raise InvalidSubtitles("These subtitles have no timed lines with text.")
    return segments
