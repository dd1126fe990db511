"""The fault suite: faults injected into the production topology while videos render.

Run by ``make faults`` (``deploy/prod-smoke.sh`` with ``SMOKE_FAULTS=1``), which starts
PostgreSQL, Redis, S3 (moto), gunicorn, two workers and the scheduler, then this script.
For each fault it submits videos through the API, injects the fault while one of them
is rendering, recovers the way an operator or systemd would (a restart, space freed),
and waits for every video to end. It prints, per fault: videos submitted, completed,
failed (with their error), lost (never ended: must be 0), charged twice (more than one
settlement in the credit ledger: must be 0) and the seconds from the fault until every
video had ended. Exit status 1 if a video was lost or charged twice.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smoke import request  # noqa: E402 (deploy/smoke.py, beside this script)

VIDEOS_PER_FAULT = 2
SCRIPTS = (
    "Hello! We are testing what happens when something breaks.",
    "A second video, queued behind the first, waits its turn.",
)


def api(base: str, key: str, path: str, body: dict | None = None, timeout: float = 15):
    """(status, JSON) of one API call through smoke.py's request; a web tier that is
    itself down answers status 0, an HTML error page {"error": its first words}."""
    try:
        status, _, data = request(base + path, token=key, body=body, timeout=timeout)
    except (OSError, TimeoutError) as exc:
        return 0, {"error": str(exc)}
    try:
        return status, json.loads(data or b"{}")
    except ValueError:
        return status, {"error": data[:200].decode("utf-8", "replace")}


class Suite:
    def __init__(self, args) -> None:
        self.args = args
        self.work = Path(args.work)
        self.workers = {"cpu": args.worker_cpu_pid, "gpu": args.worker_gpu_pid}
        self.rows: list[dict] = []
        self.started = 0

    # --- the product, from outside ------------------------------------------------

    def submit(self, count: int = VIDEOS_PER_FAULT) -> list[str]:
        ids = []
        for n in range(count):
            body = {
                "title": f"Fault suite {len(self.rows) + 1}.{n + 1}",
                "aspect": "16:9",
                "resolution": "720p",
                "scenes": [{"script": f"{SCRIPTS[n % len(SCRIPTS)]} Test {len(self.rows) + 1}.",
                            "voice": "espeak:en-us",
                            "avatar": "grace", "layout": "presenter"}],
            }  # fmt: skip
            for _ in range(60):  # the web tier may itself be recovering
                status, video = api(self.args.base_url, self.args.key, "/api/v1/videos", body)
                if status == 201:
                    ids.append(video["id"])
                    break
                time.sleep(1)
            else:
                raise SystemExit(f"faults: could not submit a video: {status} {video}")
        return ids

    def states(self, ids: list[str]) -> dict[str, dict]:
        out = {}
        for video_id in ids:
            status, video = api(self.args.base_url, self.args.key, f"/api/v1/videos/{video_id}")
            out[video_id] = video if status == 200 else {"status": "unknown", "stage": ""}
        return out

    def wait_until_rendering(self, ids: list[str], stage: str = "render", limit: float = 120):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if any(v.get("stage") == stage and v.get("status") == "running"
                   for v in self.states(ids).values()):  # fmt: skip
                return True
            time.sleep(0.3)
        return False

    def wait_until_ended(self, ids: list[str], limit: float) -> dict[str, dict]:
        deadline = time.monotonic() + limit
        while True:
            states = self.states(ids)
            if all(v["status"] in ("completed", "failed", "cancelled") for v in states.values()):
                return states
            if time.monotonic() > deadline:
                return states
            time.sleep(1)

    # --- processes ---------------------------------------------------------------

    def restart_worker(self, kind: str, extra_env: dict | None = None) -> None:
        pid = self.workers[kind]
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        queues = ["default", "tts", "billing"] if kind == "cpu" else ["gpu"]
        log = open(self.work / f"worker-{kind}-{int(time.time())}.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [sys.executable, "manage.py", "rundramatiq", "--queues", *queues, "-p", "1", "-t", "1"],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **(extra_env or {})},
        )  # fmt: skip
        self.workers[kind] = process.pid
        with open(self.work / "extra.pids", "a") as pids:
            pids.write(f"{process.pid}\n")

    def as_postgres(self, command: str) -> None:
        wrapped = ["su", "postgres", "-s", "/bin/bash", "-c", command] if os.getuid() == 0 else [
            "bash", "-c", command]  # fmt: skip
        # No pipes: the server pg_ctl starts would hold them open.
        subprocess.run(wrapped, check=True, timeout=60, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)  # fmt: skip

    def restart_postgres(self) -> None:
        pg_ctl = f"{self.args.pg_bin}/pg_ctl"
        log = self.work / "pg.log"
        self.as_postgres(f"{pg_ctl} -D {self.args.pg_data} -l {log} -m fast -w restart")

    def restart_redis(self) -> None:
        pidfile = self.work / "redis.pid"
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
        _wait_port(self.args.redis_port, open_=False)
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.args.redis_port),
             "--save", "", "--appendonly", "no", "--daemonize", "yes",
             "--pidfile", str(pidfile), "--logfile", str(self.work / "redis.log")],
            check=True, timeout=30,
        )  # fmt: skip

    def storage_down(self, seconds: float) -> None:
        os.killpg(self.args.s3_pid, signal.SIGKILL)
        time.sleep(seconds)
        log = open(self.work / "s3-restarted.log", "wb")  # noqa: SIM115
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
             "-p", str(self.args.s3_port)],
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.args.s3_pid = process.pid
        with open(self.work / "extra.pids", "a") as pids:
            pids.write(f"{process.pid}\n")
        _wait_port(self.args.s3_port, open_=True)
        import boto3  # moto keeps nothing: the bucket comes back empty

        boto3.client(
            "s3", endpoint_url=os.environ["S3_ENDPOINT_URL"], region_name=os.environ["S3_REGION"],
            aws_access_key_id=os.environ["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=os.environ["S3_SECRET_ACCESS_KEY"],
        ).create_bucket(Bucket=os.environ["S3_BUCKET"])  # fmt: skip

    def kill_ffmpeg(self, limit: float = 60) -> bool:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            found = subprocess.run(["pgrep", "-f", "ffmpeg.*-f rawvideo|ffmpeg.*pipe:"],
                                   capture_output=True, text=True).stdout.split()  # fmt: skip
            if found:
                for pid in found:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                return True
            time.sleep(0.05)
        return False

    # --- the scenarios -----------------------------------------------------------

    def run(self, name: str, inject, limit: float = 240, stage: str | None = "render") -> None:
        ids = self.submit()
        reached = self.wait_until_rendering(ids, stage) if stage else True
        fault_at = time.monotonic()
        note = inject() or ""
        states = self.wait_until_ended(ids, limit)
        ended = time.monotonic()
        row = self.tally(name, ids, states, ended - fault_at)
        row["note"] = note if reached else f"{note} (no video reached {stage} before the fault)"
        self.rows.append(row)
        print("faults:", json.dumps(row), flush=True)

    def tally(self, name: str, ids: list[str], states: dict, seconds: float) -> dict:
        from django.db.models import Count

        from saas.billing.models import CreditEntry

        settled = (
            CreditEntry.objects.filter(video_id__in=ids, kind=CreditEntry.Kind.SETTLEMENT)
            .values("video_id")
            .annotate(n=Count("id"))
        )
        lost = [i for i in ids if states[i]["status"] not in ("completed", "failed", "cancelled")]
        failed = {i: (states[i].get("error") or {}).get("message", "") for i in ids
                  if states[i]["status"] == "failed"}  # fmt: skip
        return {
            "fault": name,
            "submitted": len(ids),
            "completed": sum(states[i]["status"] == "completed" for i in ids),
            "failed": len(failed),
            "errors": sorted(set(failed.values())),
            "lost": len(lost),
            "charged_twice": sum(row["n"] > 1 for row in settled),
            "recovered_s": round(seconds, 1) if not lost else None,
        }

    def mount_small_disk(self) -> str:
        """A 24 MiB tmpfs as both workers' TMPDIR, used once (Python picks its temporary
        directory on first use, skipping one that is already full)."""
        tiny = self.work / "tiny"
        tiny.mkdir(exist_ok=True)
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(tiny)],
                                 capture_output=True, text=True)  # fmt: skip
        if mounted.returncode != 0:
            return f"skipped: cannot mount a small tmpfs here ({mounted.stderr.strip()})"
        for kind in ("cpu", "gpu"):
            self.restart_worker(kind, {"TMPDIR": str(tiny)})
        self.wait_until_ended(self.submit(1), 120)
        return str(tiny)

    def fill(self, tiny: str) -> None:
        descriptor = os.open(Path(tiny) / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for chunk in (1 << 20, 1 << 12, 1):  # to the last byte
                try:
                    while os.write(descriptor, b"\0" * chunk):
                        pass
                except OSError:
                    pass
        finally:
            os.close(descriptor)

    def free_disk(self, tiny: str) -> None:
        Path(tiny, "filler").unlink(missing_ok=True)


def _wait_port(port: int, open_: bool) -> None:
    """Until 127.0.0.1:PORT accepts connections (OPEN_) or refuses them, 30 s at most."""
    import socket

    for _ in range(300):
        with socket.socket() as probe:
            if (probe.connect_ex(("127.0.0.1", port)) == 0) == open_:
                return
        time.sleep(0.1)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("--base-url", "--key", "--work", "--pg-bin", "--pg-data"):
        parser.add_argument(name, required=True)
    for name in ("--redis-port", "--s3-port", "--s3-pid", "--worker-cpu-pid", "--worker-gpu-pid"):
        parser.add_argument(name, type=int, required=True)
    args = parser.parse_args(argv)
    import django

    django.setup()
    suite = Suite(args)

    suite.run("PostgreSQL restarted", lambda: suite.restart_postgres())
    suite.run("Redis restarted (queued messages lost)", lambda: suite.restart_redis())
    suite.run("render worker killed (SIGKILL), restarted", lambda: suite.restart_worker("gpu"))
    suite.run("storage (S3) down for 30 s", lambda: suite.storage_down(30), limit=300)
    suite.run("ffmpeg killed mid-encode", lambda: "killed" if suite.kill_ffmpeg() else "no ffmpeg")

    tiny = suite.mount_small_disk()
    if tiny.startswith("skipped"):
        suite.rows.append({"fault": "work disk full", "note": tiny})
        print("faults:", json.dumps(suite.rows[-1]), flush=True)
    else:
        suite.fill(tiny)

        def free_later():
            time.sleep(20)  # the videos meet the full disk, then space is freed
            suite.free_disk(tiny)
            return "24 MiB tmpfs as TMPDIR, full for 20 s, then freed"

        suite.run("work disk full", free_later, stage=None)
        for kind in ("cpu", "gpu"):
            suite.restart_worker(kind)
        subprocess.run(["umount", "-l", tiny], capture_output=True)

    print_table(suite.rows)
    bad = [r for r in suite.rows if r.get("lost") or r.get("charged_twice")]
    return 1 if bad else 0


def print_table(rows: list[dict]) -> None:
    print("\n| fault | submitted | completed | failed | lost | charged twice | recovered in |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        if "submitted" not in r:
            print(f"| {r['fault']} | – | – | – | – | – | {r['note']} |")
            continue
        seconds = f"{r['recovered_s']} s" if r["recovered_s"] is not None else "never"
        print(f"| {r['fault']} | {r['submitted']} | {r['completed']} | {r['failed']} | "
              f"{r['lost']} | {r['charged_twice']} | {seconds} |")  # fmt: skip
    for r in rows:
        for error in r.get("errors", []):
            print(f"  {r['fault']}: failed with: {error}")


if __name__ == "__main__":
    sys.exit(main())
