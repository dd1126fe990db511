"""`manage.py check --deploy` is clean with the production environment."""

import os
import secrets
import subprocess
import sys

from tests.conftest import REPO

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "saas.settings",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "app.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://app.example.com",
    "BROKER_URL": "redis://127.0.0.1:1/0",  # never connected to by the checks
}


def check_deploy(**overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "S3_BUCKET")}
    env.update(PRODUCTION, SECRET_KEY=secrets.token_urlsafe(50), **overrides)
    for name in [n for n in env if n.startswith(("SECURE_", "SESSION_COOKIE", "CSRF_COOKIE"))]:
        if name not in overrides:
            del env[name]
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_in_production():
    result = check_deploy()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_would_notice_a_weakened_setting():
    """The test above can fail: turning the HTTPS redirect off is reported (W008)."""
    result = check_deploy(SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_a_log_level_in_lower_case_is_understood():
    """gunicorn takes LOG_LEVEL in any case (deploy/gunicorn.conf.py lowercases it);
    Django's logging config took only upper case and would not start on "info"."""
    result = check_deploy(LOG_LEVEL="info")
    assert result.returncode == 0, result.stdout + result.stderr
