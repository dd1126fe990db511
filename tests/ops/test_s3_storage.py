"""Media on an S3-compatible server (moto) through the real settings: signed URLs work,
unsigned ones are refused, and readiness writes, reads and deletes there."""

import os
import subprocess
import sys
import time

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


def test_a_files_presigned_url_is_reused_within_its_window_and_lasts_its_lifetime(s3_server):
    """saas.s3.S3Storage signs a file once per window (a status poll signs nothing) and
    signs for the lifetime plus the window; other calls are signed as before."""
    from urllib.parse import parse_qs, urlsplit

    import requests
    from django.core.files.base import ContentFile

    from saas.s3 import S3Storage

    endpoint, bucket = s3_server
    storage = S3Storage(
        bucket_name=bucket, endpoint_url=endpoint, region_name="us-east-1",
        access_key="test", secret_key="test", addressing_style="path",
        signature_version="s3v4", querystring_expire=3600, default_acl=None,
    )  # fmt: skip
    name = storage.save("reuse/out.mp4", ContentFile(b"frames"))
    assert storage.reuse_seconds == 300
    start = 1_800_000_000 // 300 * 300  # the start of a window
    first = storage.url(name, now=start + 1)
    time.sleep(1.1)  # X-Amz-Date has whole seconds: signed again, it would differ
    assert storage.url(name, now=start + 299) == first  # same window: the same URL
    time.sleep(1.1)  # X-Amz-Date has whole seconds
    later = storage.url(name, now=start + 300)  # the next window: signed again, now
    assert later != first
    assert storage.url(name, now=start + 301) == later
    for url in (first, later):
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["3900"]  # 3600 s left even at the window's end
        fetched = requests.get(url, timeout=10)
        assert fetched.status_code == 200 and fetched.content == b"frames"
    other = storage.url(storage.save("reuse/other.mp4", ContentFile(b"x")), now=start + 1)
    assert other != first and "reuse/other" in other
    once = storage.url(name, expire=60)  # an explicit lifetime: signed as asked
    assert parse_qs(urlsplit(once).query)["X-Amz-Expires"] == ["60"]
