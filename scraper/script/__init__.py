"""Script writing: from a Product, a narrated script and storyboard.

The default writer works offline (templates and a small grammar, deterministic
for a seed). An LLM provider can be plugged in; it is off unless given.
"""

from __future__ import annotations

from ..extract.model import Product
from .llm import LLMConfig, LLMProvider, OpenAICompatibleProvider, write_with_llm
from .writer import ASPECTS, LENGTHS, Scene, Script, write_template_script

__all__ = [
    "ASPECTS",
    "LENGTHS",
    "LLMConfig",
    "LLMProvider",
    "OpenAICompatibleProvider",
    "Scene",
    "Script",
    "write_script",
]


def write_script(
    product: Product,
    length: int = 30,
    tone: str = "energetic",
    aspect: str = "9:16",
    voice_wps: float = 2.5,
    seed: int = 0,
    language: str | None = None,
    images: list[str] | None = None,
    available_languages=None,
    provider: LLMProvider | None = None,
) -> Script:
    """Write a script and storyboard for ``product``.

    Args:
        product: the extracted product.
        length: 15, 30 or 60 seconds.
        tone: "energetic", "professional" or "friendly".
        aspect: "9:16" (TikTok/Reels), "16:9" (YouTube) or "1:1" (square).
        voice_wps: words per second of the chosen voice (sets the word budget).
        seed: same seed, same script.
        language: language to write in; default the page's language.
        images: the image URLs scenes may show (default ``product.images``);
            scenes refer to them by index.
        available_languages: languages a voice exists for; others fall back.
        provider: an optional LLM provider; on any failure the template writer
            is used and ``notes`` says so.

    Returns:
        A :class:`Script`.

    Raises:
        ValueError: unsupported length, tone, aspect or voice speed.
    """
    args = dict(
        length_s=length,
        tone=tone,
        aspect=aspect,
        voice_wps=voice_wps,
        seed=seed,
        language=language,
        images=images,
        available_languages=available_languages,
    )
    script = write_template_script(product, **args)
    if provider is None:
        return script
    return write_with_llm(provider, product, script)
