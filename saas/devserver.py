"""`make run`: the whole product on one machine, with nothing to start by hand.

Starts, in order: a private Redis on a Unix socket in DATA_DIR (unless
BROKER_URL points at a broker of your own), the database migrations, one
render worker process (two threads), the scheduler (stuck-job sweeper,
webhook retries) and the web app on 127.0.0.1:PORT. Ctrl-C (or SIGTERM) stops the
web app and the worker first, then Redis, and exits 0. If any of them dies,
the others are stopped and the exit status is non-zero.

Redis keeps its append-only file in DATA_DIR, so queued renders survive a
restart. See docs/adr/0001-embedded-broker.md for why this is Redis and not
an in-process queue.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

MANAGE = [sys.executable, str(Path(__file__).resolve().parent.parent / "manage.py")]
STOP_TIMEOUT = 15.0


def _settings():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saas.settings")
    os.environ.setdefault("DEBUG", "1")
    # Links to media and in e-mails point at this server unless told otherwise.
    host, port = os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
    os.environ.setdefault("SITE_ROOT", f"http://{host}:{port}")
    from django.conf import settings

    return settings


def start_redis(data_dir: Path, socket_path: Path) -> subprocess.Popen:
    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not Path(server).exists():
        sys.exit("redis-server is missing: run `make setup` (it installs Debian's redis-server).")
    socket_path.unlink(missing_ok=True)
    args = [server, "--port", "0", "--unixsocket", str(socket_path), "--unixsocketperm", "700"]
    args += ["--dir", str(data_dir), "--appendonly", "yes", "--save", "", "--loglevel", "warning"]
    process = subprocess.Popen(args, start_new_session=True)
    deadline = time.monotonic() + 10
    while not socket_path.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            sys.exit("The embedded redis-server did not start; see its messages above.")
        time.sleep(0.05)
    return process


def stop(processes: list[subprocess.Popen]) -> None:
    """Stop in reverse start order, politely first."""
    for process in reversed(processes):
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main() -> int:
    settings = _settings()
    data_dir = Path(settings.DATA_DIR)
    data_dir.mkdir(parents=True, exist_ok=True)
    port = os.environ.get("PORT", "8000")
    host = os.environ.get("HOST", "127.0.0.1")
    stopping = False

    def on_signal(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    processes = []
    if "BROKER_URL" not in os.environ and settings.BROKER_URL.startswith("unix://"):
        processes.append(start_redis(data_dir, Path(settings.BROKER_URL[len("unix://") :])))
    try:
        subprocess.run([*MANAGE, "migrate", "--noinput", "-v", "0"], check=True)
        workers = ["rundramatiq", "--processes", "1", "--threads", "2"]
        processes.append(subprocess.Popen([*MANAGE, *workers], start_new_session=True))
        processes.append(subprocess.Popen([*MANAGE, "run_scheduler"], start_new_session=True))
        web = ["runserver", f"{host}:{port}", "--noreload", "--skip-checks"]
        processes.append(subprocess.Popen([*MANAGE, *web], start_new_session=True))
        print(
            f"Talking Ads is running at http://{host}:{port}/  (data in {data_dir}; Ctrl-C stops)"
        )
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    except subprocess.CalledProcessError as exc:
        print(f"make run: {exc}", file=sys.stderr)
        stopping = False
    finally:
        stop(processes)
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())
