"""`make run`: the web app and a worker on embedded defaults, stopped by Ctrl-C."""

import os
import signal
import subprocess

import pytest

from .conftest import REPO, free_port, wait_for_http

pytestmark = pytest.mark.slow

EMBEDDED_ENV_DROPS = ("DATABASE_URL", "BROKER_URL", "DJANGO_SETTINGS_MODULE", "S3_BUCKET")


def test_make_run_serves_signup_with_a_working_worker_and_stops_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in EMBEDDED_ENV_DROPS}
    port = free_port()
    env.update(PORT=str(port), DATA_DIR=str(tmp_path / "data"))
    process = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=REPO,
        env=env,
        start_new_session=True,  # its own process group, as in a terminal
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        status, body = wait_for_http(f"http://127.0.0.1:{port}/accounts/signup/", process)
        assert status == 200 and b'name="email"' in body
        assert (tmp_path / "data" / "db.sqlite3").exists()  # SQLite under DATA_DIR

        ping = subprocess.run(
            ["make", "-s", "setup"], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert ping.returncode == 0, ping.stderr
        ping = subprocess.run(
            [str(REPO / ".venv/bin/python"), "manage.py", "ping_worker", "--timeout", "60"],
            cwd=REPO,
            env={**env, "DEBUG": "1"},
            capture_output=True,
            text=True,
        )
        assert ping.returncode == 0, ping.stdout + ping.stderr
        assert "worker ok" in ping.stdout
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C does
        output, _ = process.communicate(timeout=60)
    assert "Talking Ads is running" in output
    leftovers = subprocess.run(
        ["pgrep", "-f", str(tmp_path / "data")], capture_output=True, text=True
    ).stdout.split()
    assert leftovers == [], output
