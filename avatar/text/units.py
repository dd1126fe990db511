"""Rules for measurements: units, percentages, dimensions and their ranges."""

from __future__ import annotations

import re
from functools import lru_cache

from . import say
from .lang import Language
from .rules import NUM, RANGE_DASH, SIGNED, Context, Rule, alternation, make_rule

# Other spellings of the units the language tables name.
ALIASES = {
    "lbs": "lb",
    "kmh": "km/h",
    "kph": "km/h",
    "mL": "ml",
    "L": "l",
    "gb": "GB",
    "tb": "TB",
    "mb": "MB",
    "kB": "KB",
    "KG": "kg",
    "Kg": "kg",
    "hrs": "h",
    "hr": "h",
    "mins": "min",
    "secs": "sec",
    "″": "in",
    '"': "in",
    "ghz": "GHz",
    "mhz": "MHz",
    "mah": "mAh",
    "MAH": "mAh",
    "℃": "°C",
    "℉": "°F",
    "X": "x",
    "×": "x",
    "sq ft": "ft²",
    "sq. ft.": "ft²",
    "m2": "m²",
    "m3": "m³",
    "μm": "µm",
    "MPH": "mph",
    "FPS": "fps",
    "Mpx": "MP",
    "RPM": "rpm",
    "PCS": "pcs",
}
# Units that are only units when glued to the number ("4x", 15.6").
ATTACHED_ONLY = frozenset({"x", "X", "×", '"', "″"})


@lru_cache(maxsize=64)
def unit_forms(lang: Language) -> dict[str, tuple[str, str]]:
    """Every written unit ``lang`` knows, aliases included, to (singular, plural)."""
    forms = dict(lang.units)
    forms |= {alias: lang.units[unit] for alias, unit in ALIASES.items() if unit in lang.units}
    return forms


def rules(lang: Language) -> list[Rule]:
    """Measurement rules for ``lang``; none when it has no unit table."""
    percent = make_rule("percent", rf"(?P<n>{SIGNED})\s?%", _percent)
    if not lang.units:
        return [percent]
    names = alternation(unit_forms(lang))
    unit = f"(?P<unit>{names})"
    by = r"\s*[x×]\s*"
    return [
        make_rule(
            "dimensions",
            rf"(?P<a>{NUM}){by}(?P<b>{NUM})(?:{by}(?P<c>{NUM}))?(?:\s?{unit})?",
            _dimensions,
        ),
        make_rule(
            "measure-range",
            rf"(?P<a>{SIGNED})\s?(?P<first>{names}|%)?{RANGE_DASH}"
            rf"(?P<b>{SIGNED})\s?(?P<unit>{names}|%)",
            _measure_range,
        ),
        percent,
        make_rule("measure", rf"(?P<n>{SIGNED})(?P<space>\s?){unit}", _measure),
    ]


def _percent(match: re.Match[str], ctx: Context) -> str | None:
    num, percent = say.number(match["n"], ctx.lang), ctx.lang.word("percent")
    words = None if num is None else say.quantity(num, ctx.lang)
    return None if words is None or percent is None else f"{words} {percent}"


def _dimensions(match: re.Match[str], ctx: Context) -> str | None:
    """``30 × 40 cm`` -> ``"thirty by forty centimeters"``."""
    nums = [say.number(match[key], ctx.lang) for key in "abc" if match[key]]
    by = ctx.lang.word("by")
    words = [None if num is None else say.quantity(num, ctx.lang) for num in nums]
    if by is None or None in words:
        return None
    spoken = f" {by} ".join(w for w in words if w)
    if match["unit"]:
        spoken += " " + unit_forms(ctx.lang)[match["unit"]][1]
    return spoken


def _measure_range(match: re.Match[str], ctx: Context) -> str | None:
    """``10-20 kg`` -> ``"ten to twenty kilograms"``; ``20-30%`` likewise."""
    if match["first"] and match["first"] != match["unit"]:
        return None
    a, b = say.number(match["a"], ctx.lang), say.number(match["b"], ctx.lang)
    to = ctx.lang.word("to")
    if a is None or b is None or to is None:
        return None
    first, second = say.quantity(a, ctx.lang), say.quantity(b, ctx.lang)
    if match["unit"] == "%":
        name = ctx.lang.word("percent")
    else:
        name = unit_forms(ctx.lang)[match["unit"]][0 if b.is_one else 1]
    if first is None or second is None or name is None:
        return None
    return f"{first} {to} {second} {name}"


def _measure(match: re.Match[str], ctx: Context) -> str | None:
    written = match["unit"]
    if match["space"] and not _spaced_unit_ok(written, match):
        return None
    if written == '"' and match.string.count('"', 0, match.start()) % 2:
        return None  # a closing quote after a number, not inches
    num = say.number(match["n"], ctx.lang)
    return None if num is None else say.counted(num, unit_forms(ctx.lang)[written], ctx.lang)


def _spaced_unit_ok(unit: str, match: re.Match[str]) -> bool:
    """``"in"`` after a space is inches only at the end of a phrase ("2 in 1" is not)."""
    if unit in ATTACHED_ONLY:
        return False
    if unit != "in":
        return True
    rest = match.string[match.end() :].lstrip("\"')]")
    return not rest.strip() or rest[0] in ",.;:!?"
