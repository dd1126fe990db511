"""Media on an S3-compatible server (moto) through the real settings: signed URLs work,
unsigned ones are refused, and readiness writes, reads and deletes there."""

import os
import subprocess
import sys

from tests.conftest import REPO

SCRIPT = """
import django, requests
django.setup()
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from saas.ops import readiness

name = default_storage.save("workspaces/w/videos/v/out.mp4", ContentFile(b"not really a video"))
url = default_storage.url(name)
assert "X-Amz-Signature=" in url, url
assert url.startswith(ENDPOINT + "/media/workspaces/"), url  # path style
signed = requests.get(url, timeout=10)
assert signed.status_code == 200 and signed.content == b"not really a video", signed
unsigned = requests.get(url.split("?")[0], timeout=10)
assert unsigned.status_code == 403, unsigned.status_code
default_storage.delete(name)
assert not default_storage.exists(name)
readiness.check_storage()
print("ok")
"""


def test_media_on_s3_compatible_storage_with_signed_urls(s3_server):
    endpoint, bucket = s3_server
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "saas.settings",
        "DEBUG": "1",
        "BROKER_URL": "stub://",
        "DATABASE_URL": "sqlite:///:memory:",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "test",
        "S3_SECRET_ACCESS_KEY": "test",
        "S3_ADDRESSING_STYLE": "path",
    }
    code = f"ENDPOINT = {endpoint!r}\n" + SCRIPT
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
