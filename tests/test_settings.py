"""One env-driven settings module with safe defaults."""

import json
import os
import subprocess
import sys

from .conftest import REPO

DUMP = (
    "import json, saas.settings as s\n"
    "print(json.dumps({'db': s.DATABASES['default'], 'broker': s.DRAMATIQ_BROKER['BROKER'],"
    " 'broker_url': s.BROKER_URL, 'storage': s.STORAGES['default'], 'email': s.EMAIL_BACKEND,"
    " 'media': str(s.MEDIA_ROOT), 'debug': s.DEBUG, 'secret': s.SECRET_KEY,"
    " 'secure_cookie': s.SESSION_COOKIE_SECURE, 'hsts': s.SECURE_HSTS_SECONDS,"
    " 'hosts': s.ALLOWED_HOSTS}, default=str))\n"
)
KEYS = (
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "BROKER_URL",
    "S3_BUCKET",
    "DATA_DIR",
    "EMAIL_BACKEND",
)


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in KEYS}
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", DUMP], cwd=REPO, env=environment, capture_output=True, text=True
    )
    return result, (json.loads(result.stdout) if result.returncode == 0 else None)


def test_secret_key_is_required_when_debug_is_off():
    result, _ = load_settings(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_debug_off_with_a_secret_key_is_secure_by_default(tmp_path):
    _, s = load_settings(DEBUG="0", SECRET_KEY="x" * 50, DATA_DIR=str(tmp_path))
    assert s["debug"] is False and s["secret"] == "x" * 50
    assert s["secure_cookie"] is True and s["hsts"] >= 31536000


def test_secrets_can_come_from_files(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text("from-a-file\n")
    _, s = load_settings(DEBUG="0", SECRET_KEY_FILE=str(secret_file), DATA_DIR=str(tmp_path))
    assert s["secret"] == "from-a-file"


def test_embedded_defaults_live_in_data_dir(tmp_path):
    _, s = load_settings(DEBUG="1", DATA_DIR=str(tmp_path))
    assert s["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert s["db"]["NAME"] == str(tmp_path / "db.sqlite3")
    assert s["media"] == str(tmp_path / "media")
    assert s["broker_url"] == f"unix://{tmp_path / 'redis.sock'}"
    assert s["storage"]["BACKEND"] == "saas.media.SignedFileSystemStorage"  # signed links
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"


def test_production_services_come_from_the_environment(tmp_path):
    _, s = load_settings(
        DEBUG="0",
        SECRET_KEY="k" * 50,
        DATA_DIR=str(tmp_path),
        DATABASE_URL="postgres://app:pw@db.internal:5432/talkingads",
        BROKER_URL="redis://redis.internal:6379/0",
        S3_BUCKET="media",
        S3_ENDPOINT_URL="http://minio.internal:9000",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        ALLOWED_HOSTS="app.example.com,www.example.com",
    )
    assert s["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (s["db"]["HOST"], s["db"]["NAME"], s["db"]["USER"]) == (
        "db.internal",
        "talkingads",
        "app",
    )
    assert s["broker"] == "saas.queueing.PromptRedisBroker"  # a RedisBroker that polls promptly
    assert s["broker_url"] == "redis://redis.internal:6379/0"
    assert s["storage"]["BACKEND"] == "saas.s3.S3Storage"
    assert s["storage"]["OPTIONS"]["endpoint_url"] == "http://minio.internal:9000"
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["hosts"] == ["app.example.com", "www.example.com"]


def test_a_bad_boolean_is_a_clear_error():
    result, _ = load_settings(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


def test_the_suite_runs_on_the_database_it_was_given(db):
    """In CI, DATABASE_URL points at PostgreSQL 15; locally the default is SQLite."""
    from django.db import connection

    url = os.environ.get("DATABASE_URL", "")
    assert connection.vendor == ("postgresql" if url.startswith("postgres") else "sqlite")
    if connection.vendor == "postgresql":
        assert connection.pg_version >= 150000
