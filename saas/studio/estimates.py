"""How long a video will be, before it is made: what the plan and the reservation go by."""

from __future__ import annotations

import re

from saas.errors import NotFound, parse_uuid

WORDS_PER_SECOND = 2.6  # a typical voice at rate 1.0; the estimate, not the bill
LETTERS_PER_SECOND = 14.0  # the same pace counted in letters: text without spaces
WIDE_PER_SECOND = 5.0  # Chinese, Japanese and Korean: a character is a syllable or more
SECONDS_PER_DIGIT = 0.3  # 1299 is said "one thousand two hundred ninety-nine"
SCENE_OVERHEAD_S = 0.6
# Han, kana and Hangul (a script the voices speak without spaces between words).
WIDE = re.compile(
    r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]"
)


def speech_seconds(script: str, rate: float = 1.0) -> float:
    """About how long SCRIPT takes to say: by its words, or by its letters where that is
    longer (a script written without spaces), plus its wide characters and its digits."""
    digits = sum(c.isdigit() for c in script)
    wide = len(WIDE.findall(script))
    letters = sum(not c.isspace() for c in script) - digits - wide
    words = len([w for w in WIDE.sub(" ", script).split() if not w.isdigit()])
    spoken = max(words / WORDS_PER_SECOND, letters / LETTERS_PER_SECOND)
    return (spoken + wide / WIDE_PER_SECOND + digits * SECONDS_PER_DIGIT) / (rate or 1.0)


def estimate_seconds(request: dict, audio_seconds: dict[str, float] | None = None) -> float:
    """How long the finished video will be, from its scripts (or requested length).

    A scene that plays an uploaded sound lasts as long as the sound: AUDIO_SECONDS maps
    audio asset ids to their lengths (see `audio_lengths`).
    """
    if request.get("length"):
        return float(request["length"])
    total = 0.0
    for scene in request.get("scenes", []):
        if scene.get("audio"):
            total += (audio_seconds or {}).get(str(scene["audio"]), 0.0) + SCENE_OVERHEAD_S
            continue
        script = scene.get("script") or ""
        total += speech_seconds(script, float(scene.get("rate") or 1.0)) + SCENE_OVERHEAD_S
    return round(total, 1)


def audio_lengths(workspace, request: dict) -> dict[str, float]:
    """{audio asset id: seconds} for the uploaded sounds REQUEST's scenes play."""
    from .models import Asset

    ids = [uuid_or_none(s.get("audio")) for s in request.get("scenes", []) if s.get("audio")]
    found = Asset.objects.filter(workspace=workspace, pk__in=[i for i in ids if i])
    return {str(a.pk): float(a.duration_s or 0.0) for a in found.only("pk", "duration_s")}


def uuid_or_none(value):
    try:
        return parse_uuid(value)
    except NotFound:
        return None
