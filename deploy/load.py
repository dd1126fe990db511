"""A bounded open-loop load test of the API, for `make bench` (benchmarks/bench_web.py).

Run by `deploy/prod-smoke.sh` with SMOKE_LOAD=1, against gunicorn and PostgreSQL as
production runs them. Requests are sent on a fixed schedule (RATE a second, whatever
the answers), and each latency is measured from when the request was due, so a slow
server cannot hide its queue (no coordinated omission). At most MAX_IN_FLIGHT
requests are open at once; a request that finds no free slot is counted late.
Prints one JSON record per line: p50/p99/max in ms, errors, the rate achieved, and
the CPU each request cost: the server's (--cpu-pid: gunicorn's master and
PostgreSQL's postmaster count their children, Redis itself) and this client's own,
with the load average, since the client shares the machine with the server (and
whatever else runs there): over 2 cores, 1000 / (server + client ms a request) is
the most requests a second the machine could answer.

    python deploy/load.py --base-url http://127.0.0.1:8000 --key tak_... [--seconds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time

import aiohttp

MAX_IN_FLIGHT = 64
SCRIPT = "Meet the Northwind travel mug: hot coffee all day."


def cpu_seconds(pids) -> float:
    """CPU time of PIDS and of their children, live or exited (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15]) / tick  # utime stime cutime cstime
        try:
            children = open(f"/proc/{pid}/task/{pid}/children").read().split()
        except OSError:
            children = []
        total += cpu_seconds(children) if children else 0.0
    return total


async def _one(session, method: str, url: str, body, due: float, out: list, errors: list):
    try:
        async with session.request(method, url, json=body) as response:
            await response.read()
            if response.status >= 400:
                errors.append(response.status)
    except (TimeoutError, aiohttp.ClientError) as exc:
        errors.append(type(exc).__name__)
    out.append((time.perf_counter() - due) * 1000)


async def phase(base: str, key: str, method: str, path: str, body, rate: float, seconds: float,
                server_pids=()):  # fmt: skip
    """Send RATE requests a second for SECONDS; return the figures."""
    server_before, client_before = cpu_seconds(server_pids), time.process_time()
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json"}
    limits = aiohttp.TCPConnector(limit=MAX_IN_FLIGHT, keepalive_timeout=30)
    timeout = aiohttp.ClientTimeout(total=10)
    latencies: list[float] = []
    errors: list = []
    late = 0
    slots = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with aiohttp.ClientSession(base, headers=headers, connector=limits,
                                     timeout=timeout) as session:  # fmt: skip
        started = time.perf_counter()
        tasks = []
        for n in range(int(rate * seconds)):
            due = started + n / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if slots.locked():
                late += 1

            async def run(due=due):
                async with slots:
                    await _one(session, method, path, body, due, latencies, errors)

            tasks.append(asyncio.create_task(run()))
        await asyncio.gather(*tasks)
        elapsed = time.perf_counter() - started
    server_cpu = cpu_seconds(server_pids) - server_before
    client_cpu = time.process_time() - client_before
    ordered = sorted(latencies)
    per_request = 1000 / max(len(latencies), 1)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_kinds": sorted({str(e) for e in errors})[:5],
        "late": late,
        "achieved_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(statistics.median(ordered), 1),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1], 1),
        "max_ms": round(ordered[-1], 1),
        "server_cpu_ms_per_request": round(server_cpu * per_request, 2) if server_pids else None,
        "client_cpu_ms_per_request": round(client_cpu * per_request, 2),
        "loadavg_1m": round(os.getloadavg()[0], 2),
    }


def _records(name: str, target_rps: float, figures: dict, goal_p99: float):
    context = {k: v for k, v in figures.items() if k not in ("p99_ms",)}
    yield {"bench": f"web.{name}.p99_ms", "value": figures["p99_ms"], "unit": "ms",
           "goal": goal_p99, "target_rps": target_rps, **context}  # fmt: skip
    yield {"bench": f"web.{name}.errors", "value": figures["errors"], "unit": "requests",
           "goal": 0}  # fmt: skip


async def main_async(args) -> None:
    status = await phase(args.base_url, args.key, "GET", f"/api/v1/videos/{args.video}", None,
                         args.status_rate, args.seconds, args.cpu_pid)  # fmt: skip
    for record in _records("video_status", args.status_rate, status, 50):
        print(json.dumps(record), flush=True)
    body = {"scenes": [{"script": SCRIPT, "voice": "espeak:en-us", "avatar": "grace"}]}
    create = await phase(args.base_url, args.key, "POST", "/api/v1/videos", body,
                         args.create_rate, args.create_seconds, args.cpu_pid)  # fmt: skip
    for record in _records("video_create", args.create_rate, create, 150):
        print(json.dumps(record), flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--video", required=True, help="a video id of the key's workspace")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--status-rate", type=float, default=200)
    parser.add_argument("--create-rate", type=float, default=20)
    parser.add_argument("--create-seconds", type=float, default=15)
    parser.add_argument("--cpu-pid", action="append", default=[],
                        help="a server process: its CPU and its children's")  # fmt: skip
    asyncio.run(main_async(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
