"""Smoke-test a running installation from the outside, as a customer and an operator.

    python deploy/smoke.py --base-url https://app.example.com --key "$API_KEY" \
        [--metrics-token "$METRICS_TOKEN"] [--worker-log FILE ...]

Checks /healthz and /readyz, makes a short video through the REST API, waits
for it, downloads the MP4 from its (signed) storage URL and proves it is a real
MP4 with ffmpeg (from imageio-ffmpeg), then reads /metrics. With --worker-log,
also checks that the workers logged each stage of that video as JSON with its
ids and duration. `make prod-smoke` runs it against a local production
topology (deploy/prod-smoke.sh); it works against any installation.

Prints one line per step with its time; exits non-zero at the first failure.
Uses only the standard library and imageio-ffmpeg.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

VIDEO = {
    "title": "Production smoke test",
    "aspect": "16:9",
    "resolution": "720p",
    "scenes": [
        {
            "script": "Hello! This is a quick test.",
            "voice": "espeak:en-us",
            "avatar": "grace",
            "layout": "presenter",
        }
    ],
}
STAGES = ("speech", "render", "deliver")


class SmokeFailure(Exception):
    pass


def request(url: str, *, token: str = "", body: dict | None = None, timeout: float = 30):
    """(status, headers, bytes) of one HTTP request; HTTP errors are answers too."""
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if data:
        req.add_header("Content-Type", "application/json")
    try:
        # The smoke test's own servers on loopback (URLs built by this script).
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Smoke:
    def __init__(self, args):
        self.base = args.base_url.rstrip("/")
        self.key = args.key
        self.metrics_token = args.metrics_token
        # nginx keeps /metrics off the public site (404): check it where Prometheus does.
        self.metrics_url = (args.metrics_url or f"{self.base}/metrics").rstrip("/")
        self.worker_logs = [Path(p) for p in args.worker_log or []]
        self.timeout = args.timeout
        self.video_id = ""

    def step(self, name: str, function) -> None:
        started = time.monotonic()
        detail = function()
        elapsed = time.monotonic() - started
        print(f"smoke: {name:<10} ok  {elapsed:6.2f} s  {detail or ''}", flush=True)

    def health(self) -> str:
        status, headers, body = request(f"{self.base}/healthz")
        expect(status == 200, f"/healthz answered {status}: {body[:300]!r}")
        expect(bool(headers.get("X-Request-ID")), "/healthz carries no X-Request-ID")
        status, _, body = request(f"{self.base}/readyz", token=self.metrics_token)
        checks = json.loads(body).get("checks", {})
        expect(status == 200, f"/readyz answered {status}: {json.dumps(checks)}")
        expect(set(checks) == {"database", "broker", "storage"}, f"/readyz checks: {checks}")
        return " ".join(f"{name}={check['ms']}ms" for name, check in checks.items())

    def create(self) -> str:
        status, _, body = request(f"{self.base}/api/v1/videos", token=self.key, body=VIDEO)
        expect(status == 201, f"POST /api/v1/videos answered {status}: {body[:500]!r}")
        self.video_id = json.loads(body)["id"]
        return f"video {self.video_id}"

    def wait(self) -> str:
        deadline = time.monotonic() + self.timeout
        while True:
            status, _, body = request(f"{self.base}/api/v1/videos/{self.video_id}", token=self.key)
            expect(status == 200, f"GET video answered {status}: {body[:300]!r}")
            video = json.loads(body)
            if video["status"] == "completed":
                self.video = video
                return "stages " + json.dumps(video["stage_timings"], sort_keys=True)
            expect(video["status"] in ("queued", "running"), f"the video ended as {video}")
            expect(time.monotonic() < deadline, f"not completed in {self.timeout} s: {video}")
            time.sleep(0.5)

    def download(self) -> str:
        url = self.video["outputs"]["mp4"]
        expect(bool(url), "the completed video has no mp4 URL")
        status, _, data = request(url, timeout=60)
        expect(status == 200, f"downloading {url} answered {status}: {data[:300]!r}")
        if "Signature=" in url or "X-Amz-Signature=" in url:
            bare, _, _ = url.partition("?")
            status, _, _ = request(bare)
            expect(status in (401, 403), f"the unsigned URL {bare} answered {status}")
        return describe_mp4(data)

    def metrics(self) -> str:
        status, _, _ = request(self.metrics_url)
        expect(status != 404, f"{self.metrics_url} is not served there (behind nginx, /metrics "
               "is internal): give --metrics-url http://WEB-HOST:8000/metrics")  # fmt: skip
        expect(status == 401, f"/metrics without a token answered {status}")
        status, _, body = request(self.metrics_url, token=self.metrics_token)
        expect(status == 200, f"/metrics answered {status}: {body[:300]!r}")
        text = body.decode()
        for needle in (
            'talkingads_videos{status="completed"}',
            'talkingads_queue_messages{queue="gpu",state="ready"}',
            'talkingads_video_stage_seconds_bucket{le="+Inf",stage="render"} 1.0',
        ):
            expect(needle in text, f"/metrics lacks {needle}")
        workers = {q: sample(text, "talkingads_workers", queue=q) for q in ("default", "gpu")}
        expect(all(n >= 1 for n in workers.values()), f"/metrics sees no live worker: {workers}")
        return f"workers {workers}"

    def logs(self) -> str:
        events = {}
        for path in self.worker_logs:
            for line in path.read_text(errors="replace").splitlines():
                entry = parse_json(line)
                if entry.get("video_id") == self.video_id and "event" in entry:
                    events.setdefault(entry["event"], []).append(entry)
        finished = {e["stage"]: e for e in events.get("stage_finished", [])}
        expect(set(STAGES) <= set(finished), f"stage_finished lines: {sorted(finished)}")
        for entry in finished.values():
            expect(entry.get("workspace_id") and entry.get("job_id"), f"ids missing: {entry}")
            expect(isinstance(entry.get("duration_s"), float), f"no duration: {entry}")
        return f"{sum(len(v) for v in events.values())} JSON stage lines"

    def run(self) -> None:
        self.step("health", self.health)
        self.step("create", self.create)
        self.step("render", self.wait)
        self.step("download", self.download)
        if self.metrics_token:
            self.step("metrics", self.metrics)
        if self.worker_logs:
            self.step("logs", self.logs)


def sample(text: str, name: str, **labels) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    match = re.search(rf"^{name}\{{{re.escape(wanted)}\}} (\S+)$", text, re.M)
    return float(match.group(1)) if match else -1.0


def parse_json(line: str) -> dict:
    start = line.find("{")
    try:
        return json.loads(line[start:]) if start >= 0 else {}
    except ValueError:
        return {}


def describe_mp4(data: bytes) -> str:
    """Prove DATA is an MP4 that decodes: the ftyp box, then ffmpeg reads every frame."""
    import imageio_ffmpeg

    expect(len(data) > 1000 and data[4:8] == b"ftyp", f"not an MP4: {data[:16]!r}")
    with tempfile.NamedTemporaryFile(suffix=".mp4") as tmp:
        tmp.write(data)
        tmp.flush()
        ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
        result = subprocess.run(
            [ffmpeg, "-hide_banner", "-i", tmp.name, "-f", "null", "-"],
            capture_output=True,
            text=True,
        )
    expect(result.returncode == 0, f"ffmpeg cannot decode the MP4: {result.stderr[-800:]}")
    duration = re.search(r"Duration: (\d+):(\d+):([\d.]+)", result.stderr)
    video = re.search(r"Video: (\w+).*?, (\d+)x(\d+)", result.stderr)
    audio = re.search(r"Audio: (\w+)", result.stderr)
    expect(bool(duration and video and audio), f"no video and audio streams: {result.stderr}")
    hours, minutes, seconds = duration.groups()
    length = int(hours) * 3600 + int(minutes) * 60 + float(seconds)
    expect(length > 0.5, f"the MP4 lasts {length} s")
    expect(video.group(2, 3) == ("1280", "720"), f"the MP4 is {video.group(2)}x{video.group(3)}")
    return (
        f"{len(data) / 1024:.0f} KiB, {length:.2f} s, {video.group(1)} "
        f"{video.group(2)}x{video.group(3)} + {audio.group(1)}"
    )


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True, help="an API key (manage.py create_api_key)")
    parser.add_argument("--metrics-token", default="", help="METRICS_TOKEN, to check /metrics")
    parser.add_argument("--metrics-url", default="",
                        help="where /metrics answers (default: BASE_URL/metrics; behind nginx "
                             "it is internal: http://127.0.0.1:8000/metrics)")  # fmt: skip
    parser.add_argument("--worker-log", action="append", help="a worker's log file (JSON lines)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for the video")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = arguments(argv)
    started = time.monotonic()
    try:
        Smoke(args).run()
    except SmokeFailure as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"smoke: all checks passed in {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
