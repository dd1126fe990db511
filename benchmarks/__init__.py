"""Benchmarks: ``python -m benchmarks [NAME ...]``.

Each ``bench_*.py`` module has a ``run()`` generator yielding dicts with at
least ``bench`` (name), ``value`` (number) and ``unit``, plus context fields.
"""
