"""Test settings: the real settings module with an in-memory broker and fast hashing."""

import os
import tempfile

os.environ.setdefault("BROKER_URL", "stub://")
os.environ.setdefault("DEBUG", "1")

from saas.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Media in a throwaway folder (worker processes started by tests get the same one).
MEDIA_ROOT = os.environ.get("TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="talkingads-media-")
os.environ["TEST_MEDIA_ROOT"] = str(MEDIA_ROOT)

# On SQLite the test database is a file, so worker processes can share it.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"talkingads-test-{os.getpid()}.sqlite3")
    }
