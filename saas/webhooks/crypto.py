"""Signing secrets at rest: Fernet with a key derived from SECRET_KEY.

We must be able to read a signing secret back to sign each delivery, so it
cannot be hashed like an API key. It is encrypted with Fernet (AES-128-CBC
with HMAC-SHA256) under a key derived from SECRET_KEY by HKDF-SHA256, so a
copy of the database alone yields no secrets. SECRET_KEY_FALLBACKS keep
decrypting after SECRET_KEY is rotated. See docs/adr/0003-webhook-secrets.md.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

HKDF_INFO = b"talkingads webhook signing secrets v1"


class SecretUnreadable(Exception):
    """A stored secret does not decrypt with SECRET_KEY or any fallback."""


def _fernet(secret_key: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HKDF_INFO)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret_key.encode("utf-8"))))


def _keys() -> MultiFernet:
    fallbacks = getattr(settings, "SECRET_KEY_FALLBACKS", [])
    return MultiFernet([_fernet(settings.SECRET_KEY), *(_fernet(k) for k in fallbacks)])


def encrypt(secret: str) -> str:
    return _keys().encrypt(secret.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretUnreadable("The signing secret does not decrypt with SECRET_KEY.") from exc
