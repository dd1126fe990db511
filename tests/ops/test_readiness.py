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


@pytest.mark.django_db
def test_probes_by_address_are_answered_whatever_allowed_hosts_says(client, settings):
    """Docker's health checks call http://127.0.0.1:8000; production's ALLOWED_HOSTS
    names the site only, and CommonMiddleware answered 400 (never healthy)."""
    settings.ALLOWED_HOSTS = ["app.example.com"]
    settings.BROKER_URL = "stub://"
    for path in ("/healthz", "/readyz"):
        assert client.get(path, HTTP_HOST="127.0.0.1:8000").status_code == 200, path
    # Everything else still checks the Host header.
    assert client.get("/api/v1/workspace", HTTP_HOST="127.0.0.1:8000").status_code == 400
    assert client.post("/healthz", HTTP_HOST="127.0.0.1:8000").status_code == 400


@pytest.mark.django_db
def test_the_public_probe_writes_to_storage_at_most_once_in_a_while(client, settings, monkeypatch):
    from saas.ops import readiness

    settings.BROKER_URL = "stub://"
    writes = []
    real = readiness.default_storage.save
    monkeypatch.setattr(readiness.default_storage, "save",
                        lambda *a, **k: writes.append(a[0]) or real(*a, **k))  # fmt: skip
    for _ in range(20):
        assert ready(client)[0] == 200
    assert len(writes) == 1
    monkeypatch.setattr(readiness.time, "monotonic",
                        lambda: readiness._last_storage_check[0][0] + 11)  # fmt: skip
    assert ready(client)[0] == 200 and len(writes) == 2
