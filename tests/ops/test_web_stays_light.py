"""The operations endpoints import every tasks module (for queue names) but never torch."""

import os
import subprocess
import sys

from tests.conftest import REPO

CODE = """
import sys, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for path in ("/healthz", "/readyz", "/metrics"):
    assert client.get(path).status_code == 200, path
assert "saas.studio.tasks" in sys.modules  # the check below is not vacuous
heavy = sorted(n for n in ("torch", "onnxruntime", "librosa") if n in sys.modules)
assert not heavy, heavy
print("ok")
"""


def test_health_readiness_and_metrics_do_not_import_torch(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "TEST_MEDIA_ROOT": str(tmp_path / "media"),
    }
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
