"""Training sentences for the audio-to-viseme model, made offline from text already installed.

English prose is taken from the docstrings of a fixed list of standard-library
modules, split into sentences of plain words, and shuffled with a seed; a few
hand-written sentences make sure every viseme is well represented.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import random
import re

MODULES = (
    "argparse", "asyncio", "calendar", "collections", "configparser", "contextlib", "csv",
    "datetime", "decimal", "difflib", "email.message", "fractions", "ftplib", "functools",
    "gettext", "gzip", "hashlib", "heapq", "http.client", "http.server", "imaplib", "inspect",
    "ipaddress", "json", "logging", "mailbox", "mimetypes", "numbers", "optparse", "os",
    "pathlib", "pickle", "pprint", "queue", "random", "sched", "secrets", "selectors",
    "shelve", "shutil", "smtplib", "socket", "socketserver", "statistics", "string",
    "subprocess", "tarfile", "tempfile", "textwrap", "threading", "timeit", "tokenize",
    "turtle", "typing", "unittest", "urllib.request", "uuid", "wave", "weakref", "zipfile",
)  # fmt: skip
EXTRA = (
    "Maybe you should move over, we see three people here.",
    "Bob bought a big blue boat for the summer months.",
    "Who knew you could move your mouth so smoothly?",
    "Please keep these sheets clean and cheap.",
    "Five very fine vans arrived at the vineyard.",
    "Think of the thousand things that they thought through.",
    "She sells sea shells by the sea shore.",
    "Our new phone is cheaper, faster and lighter than ever.",
    "Order today and get free shipping on your first purchase.",
    "Good morning, I am here to show you something wonderful.",
)
_WORD = re.compile(r"^[A-Za-z][a-z']*$")


def _docstrings() -> list[str]:
    texts = []
    for name in MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        texts.append(inspect.getdoc(module) or "")
        for attribute in sorted(vars(module)):
            value = getattr(module, attribute, None)
            if not attribute.startswith("_") and (
                inspect.isfunction(value) or inspect.isclass(value)
            ):
                texts.append(inspect.getdoc(value) or "")
    return texts


def _plain_sentences(text: str) -> list[str]:
    found = []
    for sentence in re.split(r"(?<=[.!?])\s+", " ".join(text.split())):
        words = sentence.rstrip(".!?").replace(",", "").split()
        if 4 <= len(words) <= 18 and all(_WORD.match(word) for word in words):
            found.append(" ".join(words) + ".")
    return found


@functools.cache
def sentences(seed: int) -> list[str]:
    """All sentences, unique, in a seeded random order (the same list for the same seed)."""
    unique = sorted({s for text in _docstrings() for s in _plain_sentences(text)} | set(EXTRA))
    random.Random(seed).shuffle(unique)
    return unique
