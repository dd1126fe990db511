"""Optional LLM writer behind one interface; off unless a provider is passed in.

The provider rewrites the template writer's scenes (same roles, same images,
same word budget), so structure and timing stay under our control. Any failure
or an answer outside the plan falls back to the template script, with a note.
The library never reads the environment: the CLI builds :class:`LLMConfig`.
"""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Protocol

import requests

from ..errors import ProviderError
from ..extract.model import Product
from .writer import Script, count_words


class LLMProvider(Protocol):
    """Anything that turns chat messages into a reply text."""

    def complete(self, messages: list[dict[str, str]]) -> str: ...


@dataclass(frozen=True)
class LLMConfig:
    """An OpenAI-compatible chat completions endpoint."""

    base_url: str
    model: str
    api_key: str | None = None
    timeout_s: float = 30.0
    temperature: float = 0.8


class OpenAICompatibleProvider:
    """POST {base_url}/chat/completions, as OpenAI, vLLM, Ollama and others accept."""

    def __init__(self, config: LLMConfig, session: requests.Session | None = None) -> None:
        self.config = config
        self.session = session or requests.Session()

    def complete(self, messages: list[dict[str, str]]) -> str:
        headers = {"Content-Type": "application/json"}
        if self.config.api_key:
            headers["Authorization"] = f"Bearer {self.config.api_key}"
        body = {
            "model": self.config.model,
            "messages": messages,
            "temperature": self.config.temperature,
        }
        url = self.config.base_url.rstrip("/") + "/chat/completions"
        try:
            response = self.session.post(
                url, json=body, headers=headers, timeout=self.config.timeout_s
            )
            response.raise_for_status()
            return response.json()["choices"][0]["message"]["content"]
        except (requests.RequestException, KeyError, IndexError, ValueError) as exc:
            raise ProviderError(f"The LLM provider failed: {exc}") from exc


def _messages(product: Product, plan: Script) -> list[dict[str, str]]:
    facts = {k: v for k, v in product.to_dict().items() if k != "images" and v}
    scenes = [{"role": s.role, "text": s.text, "words": count_words(s.text)} for s in plan.scenes]
    system = (
        "You write short spoken scripts for product videos. Reply with JSON only: "
        '{"scenes": [{"role": ..., "text": ..., "on_screen_text": ...}]}. Keep the same '
        "scenes in the same order with the same roles. Use only facts given. "
        f"Language: {plan.language}. Tone: {plan.tone}. Platform: {plan.platform}. "
        f"Total about {plan.word_budget} words."
    )
    user = json.dumps({"product": facts, "draft_scenes": scenes}, ensure_ascii=False)
    return [{"role": "system", "content": system}, {"role": "user", "content": user}]


def _parse(reply: str) -> list[dict]:
    match = re.search(r"\{.*\}", reply, re.S)
    if not match:
        raise ProviderError("The LLM reply holds no JSON object")
    try:
        scenes = json.loads(match.group(0))["scenes"]
    except (ValueError, KeyError, TypeError) as exc:
        raise ProviderError(f"The LLM reply is not the expected JSON: {exc}") from exc
    if not isinstance(scenes, list) or not all(isinstance(s, dict) for s in scenes):
        raise ProviderError("The LLM reply's scenes are not a list of objects")
    return scenes


def write_with_llm(provider: LLMProvider, product: Product, plan: Script) -> Script:
    """The plan's scenes rewritten by ``provider``; the plan itself when that fails."""
    try:
        scenes = _parse(provider.complete(_messages(product, plan)))
        if [s.get("role") for s in scenes] != [s.role for s in plan.scenes]:
            raise ProviderError("The LLM changed the scene structure")
        script = copy.deepcopy(plan)
        for scene, new in zip(script.scenes, scenes, strict=True):
            scene.text = str(new.get("text") or scene.text).strip()
            scene.on_screen_text = str(new.get("on_screen_text") or scene.on_screen_text)
            scene.duration_s = round(max(1.5, count_words(scene.text) / plan.voice_wps), 2)
        if abs(script.word_count - plan.word_budget) > 0.25 * plan.word_budget:
            raise ProviderError(
                f"The LLM wrote {script.word_count} words for a budget of {plan.word_budget}"
            )
        script.writer = "llm"
        return script
    except ProviderError as exc:
        fallback = copy.deepcopy(plan)
        fallback.notes.append(f"LLM not used: {exc.message}")
        return fallback
