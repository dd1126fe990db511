"""Which voices speak a language, and which voice each speaker of a translation gets."""

from __future__ import annotations


def voices_for(language: str) -> list:
    from avatar.voices import catalogue

    return [v for v in catalogue() if v.language.lower().split("-")[0] == language]


def voices_per_speaker(job) -> dict[str, str]:
    """{speaker: voice id} for a language's segments: the customer's choices, S1 (and a
    transcript without speakers) in the language's voice, and each further speaker in
    another voice of that language, neural first, alternating gender where it can."""
    from avatar.voices import get_voice

    speakers = list(dict.fromkeys(s.get("speaker") or "" for s in job.segments or []))
    chosen = {"": job.voice, **(job.speaker_voices or {})}
    if speakers and speakers[0] not in chosen:
        chosen[speakers[0]] = job.voice
    order = {"neural": 0, "standard": 1, "basic": 2}
    pool = sorted(voices_for(job.language), key=lambda v: order.get(v.quality, 3))
    for speaker in speakers:
        if speaker in chosen:
            continue
        used = set(chosen.values())
        last = get_voice(chosen[speakers[speakers.index(speaker) - 1]]).gender
        fresh = [v for v in pool if v.id not in used] or pool
        other = [v for v in fresh if v.gender != last]
        chosen[speaker] = (other or fresh)[0].id
    return {k: v for k, v in chosen.items() if k in speakers or k == ""}
