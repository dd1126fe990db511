"""Log-in, sign-up and password-reset rate limits (allauth, counted in the cache), with
the values saas/settings.py configures (tests/settings.py turns them off elsewhere)."""

import runpy

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

import saas.settings as configured

from .conftest import REPO, make_user

PASSWORD = "a long enough passphrase 42"
MISMATCH = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed log-in attempts."


def limit(action: str, per: str) -> int:
    """The smallest N of ACTION's "N/period/PER" limits in saas/settings.py."""
    rates = [r.split("/") for r in configured.ACCOUNT_RATE_LIMITS[action].split(",")]
    return min(int(r[0]) for r in rates if r[2] == per)


@pytest.fixture
def limits(settings, db):
    settings.ACCOUNT_RATE_LIMITS = configured.ACCOUNT_RATE_LIMITS
    cache.clear()  # the limits' counters
    yield
    cache.clear()


def log_in(client, email, password):
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return response, response.content.decode()


def logged_in(client) -> bool:
    return client.get("/dashboard/").status_code == 200


def test_the_n_plus_first_failed_log_in_from_one_address_is_refused(limits):
    make_user("owner@shop.test", password=PASSWORD)
    n = limit("login_failed", "ip")
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(n):  # one address trying many accounts
        response, page = log_in(attacker, f"guess{attempt}@shop.test", "letmein")
        assert response.status_code == 200 and MISMATCH in page and TOO_MANY not in page
    response, page = log_in(attacker, "owner@shop.test", PASSWORD)  # even the right password
    assert response.status_code == 200
    assert "Too many failed log-in attempts. For your security, logging in is paused" in page
    assert not logged_in(attacker)
    owner = Client(REMOTE_ADDR="198.51.100.20")  # the owner, elsewhere, is not locked out
    response, _ = log_in(owner, "owner@shop.test", PASSWORD)
    assert response.status_code == 302 and logged_in(owner)


def test_one_address_is_locked_after_its_own_limit_from_any_network(limits):
    make_user("owner@shop.test", password=PASSWORD)
    n = limit("login_failed", "key")
    for attempt in range(n):  # a botnet guessing one account's password
        client = Client(REMOTE_ADDR=f"203.0.113.{attempt + 1}")
        assert MISMATCH in log_in(client, "owner@shop.test", f"guess {attempt}")[1]
    fresh = Client(REMOTE_ADDR="192.0.2.200")
    assert TOO_MANY in log_in(fresh, "Owner@Shop.test", PASSWORD)[1]
    make_user("other@shop.test", password=PASSWORD)
    assert log_in(fresh, "other@shop.test", PASSWORD)[0].status_code == 302


def test_a_right_password_does_not_use_up_the_failed_log_in_limit(limits):
    make_user("owner@shop.test", password=PASSWORD)
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit("login_failed", "ip") + 2):
        assert log_in(client, "owner@shop.test", PASSWORD)[0].status_code == 302
        client.post("/accounts/logout/")


def test_too_many_log_in_posts_get_a_429_page_that_says_why(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(limit("login", "ip")):
        assert log_in(client, "nobody@shop.test", "x")[0].status_code == 200
    response, page = log_in(client, "nobody@shop.test", "x")
    assert response.status_code == 429
    assert "Too many requests" in page and "wait a few minutes" in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_sign_ups_from_one_address_are_limited(limits):
    client = Client(REMOTE_ADDR="203.0.113.7")
    n = limit("signup", "ip")
    for number in range(n + 1):
        client.cookies.clear()
        body = {"email": f"bot{number}@spam.test", "password1": PASSWORD, "password2": PASSWORD}
        response = client.post("/accounts/signup/", body)
    assert response.status_code == 429
    assert get_user_model().objects.count() == n
    other = Client(REMOTE_ADDR="198.51.100.20")
    body = {"email": "real@shop.test", "password1": PASSWORD, "password2": PASSWORD}
    assert other.post("/accounts/signup/", body).status_code == 302


def test_password_reset_mails_to_one_address_are_limited(limits):
    make_user("owner@shop.test", password=PASSWORD)
    n = limit("reset_password", "key")
    for number in range(n + 1):
        client = Client(REMOTE_ADDR=f"203.0.113.{number + 1}")
        response = client.post("/accounts/password/reset/", {"email": "owner@shop.test"})
    assert response.status_code == 429
    assert len(mail.outbox) == n  # the mailbox is not flooded


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(limits, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # deploy/nginx appends the client's address
    n = limit("login_failed", "ip")
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    for attempt in range(n + 1):
        log_in(attacker, f"guess{attempt}@shop.test", "letmein")
    assert TOO_MANY in log_in(attacker, "guess0@shop.test", "letmein")[1]
    make_user("owner@shop.test", password=PASSWORD)
    owner = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert log_in(owner, "owner@shop.test", PASSWORD)[0].status_code == 302


def test_the_production_defaults_trust_one_proxy_and_a_bad_limit_stops_start_up(monkeypatch):
    monkeypatch.setenv("DEBUG", "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    production = runpy.run_path(str(REPO / "saas" / "settings.py"))
    assert production["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert production["ACCOUNT_RATE_LIMITS"]["login_failed"] == "10/m/ip,30/h/ip,5/5m/key"
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILED", "ten a minute")
    with pytest.raises(ImproperlyConfigured, match="login_failed rate limit 'ten a minute'"):
        runpy.run_path(str(REPO / "saas" / "settings.py"))
    monkeypatch.setenv("RATE_LIMIT_LOGIN_FAILED", "")  # empty: that limit is off
    assert (
        runpy.run_path(str(REPO / "saas" / "settings.py"))["ACCOUNT_RATE_LIMITS"]["login_failed"]
        == ""
    )
