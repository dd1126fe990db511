"""Unicode clean-up done before anything else reads the script."""

from __future__ import annotations

import re
import unicodedata

# Private-use characters this package uses as glossary markers; never let the
# script supply them.
MARKER_RANGE = "\ue000-\ue01f"

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2212": "-",
        "\u2044": "/",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_MARKERS = re.compile(f"[{MARKER_RANGE}]")
_DIGIT_GROUP_SPACE = re.compile(r"(?<=\d)[\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_CONTROL = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def clean(text: str) -> str:
    """NFC-normalise ``text``, straighten quotes and collapse whitespace.

    Newlines survive (one per break) because they end sentences; thin spaces
    that group digits (``1 299``) are removed so the number stays one word.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _MARKERS.sub(" ", text.translate(_TRANSLATE))
    text = _DIGIT_GROUP_SPACE.sub("", text)
    text = _CONTROL.sub(" ", text.replace("\t", " "))
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()
