import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import free_port, wait_for_port


@contextlib.contextmanager
def private_redis(workdir: Path):
    """A redis-server of this test's own, so the test may stop it."""
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        pytest.fail("redis-server is not installed; run `make setup`.")
    port = free_port()
    args = [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly"]
    process = subprocess.Popen([*args, "no", "--dir", str(workdir)], stdout=subprocess.DEVNULL)
    wait_for_port(port, process, "redis-server")
    try:
        yield process, f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """moto's S3 server on loopback: (endpoint URL, bucket) with a private bucket."""
    import boto3

    moto = Path(sys.executable).parent / "moto_server"
    if not moto.exists():
        pytest.fail("moto_server is missing from the virtualenv; run `make setup`.")
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=log
    )
    wait_for_port(port, process, "moto_server")
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    ).create_bucket(Bucket="media")
    yield endpoint, "media"
    process.terminate()
    process.wait(10)
    log.close()
