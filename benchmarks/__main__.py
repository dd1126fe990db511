"""Run every ``benchmarks/bench_*.py`` module and print one JSON object per line.

Usage: ``python -m benchmarks`` (all) or ``python -m benchmarks skeleton`` (only
``bench_skeleton``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from collections.abc import Iterator

import benchmarks

REQUIRED_KEYS = ("bench", "value", "unit")


FIRST = "bench_render"  # its first record, a new customer's first render, is the headline


def bench_modules(names: list[str]) -> Iterator[str]:
    """Module names of the selected benchmarks (all when ``names`` is empty), the render
    benchmark first."""
    found = sorted(pkgutil.iter_modules(benchmarks.__path__), key=lambda m: m.name)
    for info in sorted(found, key=lambda m: m.name != FIRST):
        short = info.name.removeprefix("bench_")
        if info.name.startswith("bench_") and (not names or short in names):
            yield f"benchmarks.{info.name}"


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` and print their records; return the exit status."""
    for module_name in bench_modules(argv):
        for record in importlib.import_module(module_name).run():
            missing = [key for key in REQUIRED_KEYS if key not in record]
            if missing:
                raise ValueError(f"{module_name} yielded a record without {missing}: {record}")
            print(json.dumps(record), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
