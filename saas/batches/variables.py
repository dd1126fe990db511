"""Template variables: `{{name}}` placeholders in a video request, their types and values.

Text anywhere in a request (a scene's script, a title, bullets, a price card,
a call to action) may hold placeholders. A field whose whole value is one
placeholder *binds* it: a scene's `avatar` binds a presenter, its `voice` a
voice, a media item or background `src` an image. Everything else is text.

Pure: no database here. Checking that an asset or avatar exists in the
workspace is the caller's (`check` takes the lookups).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

from saas.errors import ServiceError

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]{0,39})\s*\}\}")
TYPES = ("text", "number", "image", "presenter", "voice")
MAX_TEXT = 2000
MAX_VARIABLES = 50


@dataclass(frozen=True)
class Variable:
    name: str
    type: str = "text"
    label: str = ""
    default: str | None = None
    required: bool = True

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()


def _binding_type(path: tuple) -> str | None:
    """The type a whole-value placeholder at PATH binds, or None for text."""
    if not path:
        return None
    last = path[-1]
    if last == "avatar":
        return "presenter"
    if last == "voice":
        return "voice"
    if "media" in path or (last == "src" and "background" in path) or last == "logo":
        return "image"
    return None


def _walk(value, path=()):
    """(path, string) for every string in a JSON value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def used(request: dict) -> dict[str, str]:
    """Every placeholder REQUEST uses, in order, with the type its place implies."""
    found: dict[str, str] = {}
    for path, text in _walk(request):
        whole = PLACEHOLDER.fullmatch(text.strip())
        binding = _binding_type(path) if whole else None
        for name in PLACEHOLDER.findall(text):
            kind = binding or "text"
            if found.get(name, "text") == "text":
                found[name] = kind
    return found


def declare(request: dict, given: list | None = None) -> list[Variable]:
    """The template's variables: those REQUEST uses, with GIVEN's types, labels and defaults.

    A variable GIVEN names but the request never uses is refused (it would be
    a column nobody fills in for nothing); so is a type that cannot go where
    the variable is used (a presenter inside a script).
    """
    inferred = used(request)
    if len(inferred) > MAX_VARIABLES:
        raise ServiceError(f"A template has at most {MAX_VARIABLES} variables.", field="variables")
    declared = _given(given, inferred)
    return [_variable(name, place, declared.get(name, {})) for name, place in inferred.items()]


def _given(given, inferred: dict) -> dict[str, dict]:
    """GIVEN's declarations by name, each knowing its field for error messages."""
    if given is not None and not isinstance(given, list):
        raise ServiceError("variables must be a list of objects.", field="variables")
    declared = {}
    for index, item in enumerate(given or []):
        field = f"variables.{index}"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise ServiceError("Each variable needs a name.", field=f"{field}.name")
        if item["name"] not in inferred:
            raise ServiceError(
                f"{item['name']} is not used in the template: write {{{{{item['name']}}}}} "
                "where it goes, or remove it.",
                field=f"{field}.name",
            )
        declared[item["name"]] = {**item, "_field": field}
    return declared


def _variable(name: str, place: str, item: dict) -> Variable:
    """One variable used at PLACE (its binding type, or "text"), as ITEM declares it."""
    kind = item.get("type") or ("number" if place == "text" and _looks_numeric(name) else place)
    field = item.get("_field", f"variables.{name}")
    if kind not in TYPES:
        raise ServiceError(f"type must be one of {', '.join(TYPES)}.", field=f"{field}.type")
    if place != "text" and kind != place:
        raise ServiceError(
            f"{name} is used as a {place}, so its type must be {place}.", field=f"{field}.type"
        )
    if place == "text" and kind not in ("text", "number"):
        raise ServiceError(
            f"{name} is used inside text, so its type must be text or number.",
            field=f"{field}.type",
        )
    default = item.get("default")
    if default is not None and not isinstance(default, str | int | float):
        raise ServiceError("A default must be text or a number.", field=f"{field}.default")
    return Variable(
        name=name,
        type=kind,
        label=str(item.get("label") or "")[:100],
        default=None if default in (None, "") else str(default),
        required=bool(item.get("required", True)),
    )


def _looks_numeric(name: str) -> bool:
    return bool(re.search(r"price|amount|discount|percent|count|number|qty", name, re.I))


def from_dicts(items: list[dict]) -> list[Variable]:
    fields = Variable.__dataclass_fields__
    return [Variable(**{k: v for k, v in item.items() if k in fields}) for item in items]


# Values --------------------------------------------------------------------------


@dataclass(frozen=True)
class Lookups:
    """How `check` knows what exists: each returns None when fine, or the reason."""

    image: Callable[[str], str | None]
    presenter: Callable[[str], str | None]
    voice: Callable[[str], str | None]


def number_text(raw: str) -> str:
    """RAW if it is a number as people write one ("1,299.00", "19,99", "24"), as written."""
    from scraper.prices import parse_number

    text = raw.strip()
    if not re.fullmatch(r"[-+]?[\d.,'\u00a0\u202f ]+", text):
        raise ValueError("not a number")
    value = parse_number(text)
    if value is None:
        raise ValueError("not a number")
    return text


def is_url(text: str) -> bool:
    return bool(re.match(r"https?://[^\s/]+", text or ""))


def check(variables: list[Variable], values: dict, lookups: Lookups):
    """(clean values by name, [(variable name, reason)]) for one row of VALUES."""
    clean, errors = {}, []
    for variable in variables:
        raw = values.get(variable.name)
        raw = "" if raw is None else str(raw).strip()
        if not raw:
            if variable.default is not None:
                raw = variable.default
            elif variable.required:
                errors.append((variable.name, "missing (required)"))
                continue
            else:
                clean[variable.name] = ""
                continue
        try:
            clean[variable.name] = _coerce(variable, raw, lookups)
        except ValueError as exc:
            errors.append((variable.name, str(exc)))
    return clean, errors


def _coerce(variable: Variable, raw: str, lookups: Lookups) -> str:
    if variable.type == "number":
        return number_text(raw)
    if variable.type == "text":
        if len(raw) > MAX_TEXT:
            raise ValueError(f"longer than {MAX_TEXT} characters")
        return raw
    reason = getattr(lookups, variable.type)(raw)
    if reason:
        raise ValueError(reason)
    return raw


def fill(request, values: dict):
    """REQUEST with every placeholder replaced by its value from VALUES.

    A whole-value placeholder becomes the value itself (a presenter id, an
    asset id); one inside text is replaced where it stands. Text left empty by
    an optional variable collapses its doubled spaces.
    """
    if isinstance(request, dict):
        return {key: fill(item, values) for key, item in request.items()}
    if isinstance(request, list):
        return [fill(item, values) for item in request]
    if not isinstance(request, str) or "{{" not in request:
        return request
    whole = PLACEHOLDER.fullmatch(request.strip())
    if whole:
        return values.get(whole.group(1), "")
    text = PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), request)
    text = re.sub(r"([.!?])(\s*\.)+", r"\1", text)  # "Hot.." and "Hot. ." (an empty one between)
    return re.sub(r"[ \t]{2,}", " ", text).strip()
