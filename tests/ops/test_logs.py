"""Structured logs: JSON or key=value lines that name their request or job."""

import io
import json
import logging
import re

import dramatiq
import pytest
from dramatiq.brokers.stub import StubBroker

from saas.ops import logs
from saas.studio.models import Video


@pytest.fixture
def captured():
    """Lines written through the production handler setup (filter + JSON formatter)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    level = root.level
    root.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_json_lines_carry_the_context_and_extra_fields(captured):
    token = logs.push(request_id="req-12345678", video_id=None)
    try:
        logging.getLogger("t").warning("hello %s", "there", extra={"duration_s": 1.5})
    finally:
        logs.reset(token)
    logging.getLogger("t").info("after")
    first, second = captured()
    assert first["message"] == "hello there"
    assert first["level"] == "WARNING" and first["logger"] == "t"
    assert first["request_id"] == "req-12345678" and first["duration_s"] == 1.5
    assert "video_id" not in first  # None values are left out
    assert "request_id" not in second  # the context ended with the request


def test_the_plain_format_appends_key_value_fields():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "stage finished", None, None)
    record.video_id = "v1"
    record.error = 'two words and "quotes"'
    line = logs.KeyValueFormatter().format(record)
    assert line.endswith('INFO t stage finished video_id=v1 error="two words and \\"quotes\\""')


@pytest.mark.django_db
def test_requests_get_an_id_that_log_lines_and_the_response_carry(client, settings, captured):
    settings.BROKER_URL = "stub://"
    settings.MEDIA_ROOT = "/dev/null/not-a-folder"  # readiness fails and logs why
    response = client.get("/readyz", HTTP_X_REQUEST_ID="nginx-0123456789abcdef")
    assert response["X-Request-ID"] == "nginx-0123456789abcdef"
    lines = [line for line in captured() if line["logger"] == "saas.ops.views"]
    assert lines and all(line["request_id"] == "nginx-0123456789abcdef" for line in lines)


def test_a_missing_or_odd_request_id_is_replaced(client, db):
    made = client.get("/healthz")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    odd = client.get("/healthz", HTTP_X_REQUEST_ID="no spaces allowed")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", odd)


def test_stages_log_start_finish_and_failure_with_ids_and_duration(captured, personas):
    video = Video.objects.create(workspace=personas.workspace_a, title="t", stage="render")
    with logs.stage_logged(video):
        pass

    class NoFace(Exception):
        code = "no_face"

    with pytest.raises(NoFace), logs.stage_logged(video):
        raise NoFace("no face in the photo")
    started, finished, _, failed = captured()
    for line in (started, finished, failed):
        assert line["video_id"] == str(video.pk)
        assert line["workspace_id"] == str(personas.workspace_a.pk)
        assert line["stage"] == "render"
    assert started["event"] == "stage_started"
    assert finished["event"] == "stage_finished" and finished["duration_s"] >= 0
    assert failed["event"] == "stage_failed" and failed["error_code"] == "no_face"
    assert failed["error"] == "NoFace" and failed["level"] == "WARNING"


def test_lines_logged_inside_a_job_name_the_job(captured):
    broker = StubBroker()
    broker.add_middleware(logs.JobLogContext())
    broker.emit_after("process_boot")

    @dramatiq.actor(broker=broker, actor_name="video_speech", queue_name="tts", max_retries=0)
    def video_speech(video_id):
        logging.getLogger("saas.studio.pipeline").info("working")

    message = video_speech.send("vid-1")
    worker = dramatiq.Worker(broker, worker_threads=1)
    worker.start()
    try:
        broker.join("tts")
        worker.join()
    finally:
        worker.stop()
    logging.getLogger("t").info("outside")
    lines = captured()
    working = next(line for line in lines if line["message"] == "working")
    assert working["job_id"] == message.message_id
    assert working["actor"] == "video_speech" and working["video_id"] == "vid-1"
    outside = next(line for line in lines if line["message"] == "outside")
    assert "job_id" not in outside
