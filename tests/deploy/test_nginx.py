"""deploy/nginx/talkingads.conf: valid for nginx, and in step with the app's limits."""

import re
import shutil
import subprocess

import pytest

from saas.studio import uploads
from tests.conftest import REPO

CONF = REPO / "deploy" / "nginx" / "talkingads.conf"
MIB = 1024 * 1024


def directive(name: str) -> list[str]:
    return re.findall(rf"^\s*{name}\s+([^;]+);", CONF.read_text(), re.M)


def test_the_upload_limit_fits_the_largest_upload_the_app_takes():
    limit, videos = directive("client_max_body_size")  # the site's, then the translations'
    for value, largest in [
        (limit, max(uploads.MAX_IMAGE_BYTES, uploads.MAX_AUDIO_BYTES)),
        (videos, uploads.MAX_VIDEO_BYTES),  # translations and video avatars alike
    ]:
        size = int(value.rstrip("m")) * MIB
        # Room for the multipart envelope, so the app answers "too large" itself...
        assert size > largest
        # ...but not so much that nginx lets through what the app would refuse anyway.
        assert size <= largest + 2 * MIB


def test_the_proxy_tells_the_app_about_https_and_the_request_id():
    headers = dict(h.split(None, 1) for h in directive("proxy_set_header"))
    assert headers["X-Forwarded-Proto"] == "$scheme"
    assert headers["X-Request-ID"] == "$request_id"
    assert headers["Host"] == "$host"


def test_static_and_media_are_served_from_the_documented_folders():
    env = (REPO / "deploy" / ".env.example").read_text()
    static_root = re.search(r"^STATIC_ROOT=(.+)$", env, re.M).group(1)
    media_root = re.search(r"^# MEDIA_ROOT=(.+)$", env, re.M).group(1)
    aliases = directive("alias")
    assert f"{static_root.rstrip('/')}/" in aliases
    assert f"{media_root.rstrip('/')}/" in aliases


@pytest.mark.skipif(
    not shutil.which("nginx"),
    reason="nginx is not installed (apt-get install nginx-light to check the configuration)",
)
def test_nginx_accepts_the_configuration(tmp_path):
    certificate = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=app.example.com", "-keyout", str(tmp_path / "privkey.pem")]
        + ["-out", str(tmp_path / "fullchain.pem")],
        capture_output=True,
    )
    assert certificate.returncode == 0, certificate.stderr
    site = CONF.read_text().replace("/etc/nginx/certs/", f"{tmp_path}/")
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  include {tmp_path}/site.conf;\n}}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
