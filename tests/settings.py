"""Test settings: the real settings module with an in-memory broker and fast hashing."""

import os

os.environ.setdefault("BROKER_URL", "stub://")
os.environ.setdefault("DEBUG", "1")

from saas.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
