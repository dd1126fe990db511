"""A render speaks its scenes two at a time (one core each), the longest scripts first, and
hands them back in scene order."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from avatar.errors import InvalidInput
from avatar.render import RenderOptions
from avatar.render.job import Job
from avatar.spec import RenderSpec

EXAMPLES = Path(__file__).resolve().parents[2] / "avatar" / "examples"
SCRIPTS = ["One.", "Two more words here.", "And three times as many words as the first one had."]


def _job(tmp_path, scenes) -> Job:
    spec = RenderSpec.from_dict({"output": {"aspect": "1:1", "resolution": "720p", "fps": 15},
                                 "scenes": scenes})  # fmt: skip
    return Job(spec, tmp_path / "out.mp4", RenderOptions(base_dir=EXAMPLES), tmp_path)


def test_scenes_are_spoken_two_at_a_time_and_come_back_in_scene_order(tmp_path, monkeypatch):
    job = _job(tmp_path, [{"speech": {"script": s}} for s in SCRIPTS])
    lock, state = threading.Lock(), {"now": 0, "most": 0, "started": []}
    original = Job._synthesize
    both = threading.Barrier(2, timeout=60)  # the two longest must be in flight together

    def counted(self, speech, wav):
        with lock:
            state["now"] += 1
            state["most"] = max(state["most"], state["now"])
            state["started"].append(SCRIPTS.index(speech.script))
        try:
            if speech.script in SCRIPTS[1:]:
                both.wait()
            return original(self, speech, wav)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(Job, "_synthesize", counted)
    spoken = job._speak_all()
    assert state["most"] == 2
    assert state["started"][2] == 0  # the shortest waits for a free thread
    assert sorted(state["started"][:2]) == [1, 2]  # the longest two start together
    assert [s.script for s in spoken] == SCRIPTS
    durations = [s.result.duration_s for s in spoken]
    assert durations[0] < durations[1] < durations[2], durations  # each its own words
    assert len({s.result.wav for s in spoken}) == 3


def test_a_scene_that_cannot_be_spoken_is_named_when_scenes_are_spoken_together(tmp_path):
    job = _job(tmp_path, [{"speech": {"script": "Hello there."}},
                          {"speech": {"script": "... !!! ..."}}])  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        job._speak_all()
    assert caught.value.field.startswith("scenes[1].speech"), caught.value.field


def test_longest_first_starts_the_largest_and_hands_back_in_order():
    from avatar.voices import longest_first

    main, lock, started, calls = threading.get_ident(), threading.Lock(), [], []
    both = threading.Barrier(2, timeout=60)  # the two largest are in flight together

    def work(item):
        with lock:
            started.append(item)
        if item in (4, 5):
            both.wait()
        return item * 10

    def done(count):
        calls.append((count, threading.get_ident()))

    results = longest_first([1, 5, 3, 4], lambda item: item, work, threads=2, done=done)
    assert results == [10, 50, 30, 40]
    assert sorted(started[:2]) == [4, 5] and started[2] == 3
    assert [count for count, _ in calls] == [1, 2, 3, 4]
    assert {thread for _, thread in calls} == {main}  # progress stays on the caller's thread


def test_longest_first_raises_the_first_failure_in_item_order():
    from avatar.voices import longest_first

    def work(item):
        if item > 0:
            raise ValueError(f"item {item}")
        return item

    with pytest.raises(ValueError, match="item 1"):  # item 2 is larger, so it ran first
        longest_first([0, 1, 2], lambda item: item, work, threads=2)
    with pytest.raises(ValueError, match="item 1"):
        longest_first([0, 1, 2], lambda item: item, work, threads=1)


def test_longest_first_starts_nothing_more_once_progress_says_stop():
    """Progress that raises (a cancelled video's lease is gone) stops the items not yet
    started; speaking the rest first would hold the stage for nothing."""
    from avatar.voices import longest_first

    lock, started, release = threading.Lock(), [], threading.Event()

    def work(item):
        with lock:
            started.append(item)
        if item != 6:
            release.wait(timeout=60)
        return item

    def done(count):
        release.set()
        raise RuntimeError("cancelled")

    with pytest.raises(RuntimeError, match="cancelled"):
        longest_first([1, 2, 3, 4, 5, 6], lambda item: item, work, threads=2, done=done)
    assert started[0] == 6 and len(started) <= 4, started  # 6 and 5, one more each at most
