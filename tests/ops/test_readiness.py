"""/readyz: the database, the broker and media storage, each reported; 503 if one fails."""

import pytest

from .conftest import private_redis


def ready(client, **headers):
    response = client.get("/readyz", **headers)
    return response.status_code, response.json()


@pytest.mark.django_db
def test_it_is_ready_with_a_live_redis_broker(client, settings, tmp_path):
    with private_redis(tmp_path) as (_, url):
        settings.BROKER_URL = url
        status, body = ready(client)
    assert status == 200
    assert body["ok"] is True
    assert {name for name, check in body["checks"].items() if check["ok"]} == {
        "database",
        "broker",
        "storage",
    }
    assert "note" not in body["checks"]["broker"]  # really checked, not skipped


@pytest.mark.django_db
def test_it_is_not_ready_when_the_broker_goes_down(client, settings, tmp_path):
    settings.METRICS_TOKEN = "operator-token"
    with private_redis(tmp_path) as (redis, url):
        settings.BROKER_URL = url
        assert ready(client)[0] == 200
        redis.terminate()
        redis.wait(10)
        status, body = ready(client, HTTP_AUTHORIZATION="Bearer operator-token")
    assert status == 503
    assert body["ok"] is False
    assert body["checks"]["broker"]["ok"] is False
    assert "Connection refused" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]


@pytest.mark.django_db
def test_reasons_are_only_for_operators(client, settings, tmp_path):
    settings.DEBUG = False
    settings.METRICS_TOKEN = "operator-token"
    with private_redis(tmp_path) as (redis, url):
        settings.BROKER_URL = url
        redis.terminate()
        redis.wait(10)
        status, body = ready(client)
    assert status == 503
    assert body["checks"]["broker"] == {
        "ok": False,
        "error": "unavailable",
        "ms": body["checks"]["broker"]["ms"],
    }


@pytest.mark.django_db
def test_it_is_not_ready_when_media_storage_cannot_be_written(client, settings, tmp_path):
    not_a_folder = tmp_path / "media"
    not_a_folder.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(not_a_folder)
    status, body = ready(client)
    assert status == 503
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


@pytest.mark.django_db
def test_the_stub_broker_is_skipped_not_failed(client, settings):
    settings.BROKER_URL = "stub://"
    status, body = ready(client)
    assert status == 200
    assert body["checks"]["broker"]["note"].startswith("skipped")


@pytest.mark.django_db
def test_probes_are_never_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.BROKER_URL = "stub://"
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code != 301
    # ...while everything else is.
    assert client.get("/api/v1/workspace").status_code == 301
    assert client.get("/api/v1/workspace", HTTP_X_FORWARDED_PROTO="https").status_code != 301
