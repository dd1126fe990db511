"""Signatures: HMAC-SHA256 over "<timestamp>.<body>", checked in constant time with a
timestamp tolerance."""

import hashlib
import hmac
import time

from saas.webhooks.signing import sign, signed_headers, verify_signature

SECRET = "whsec_test-secret"
BODY = b'{"id":"evt_1","type":"video.completed"}'


def test_a_signed_body_verifies():
    headers = signed_headers([SECRET], "evt_1", BODY)
    assert headers["Webhook-Id"] == "evt_1"
    assert verify_signature(SECRET, headers, BODY)


def test_the_signature_is_the_documented_hmac():
    headers = signed_headers([SECRET], "evt_1", BODY, timestamp=1767225600)
    expected = hmac.new(SECRET.encode(), b"1767225600." + BODY, hashlib.sha256).hexdigest()
    assert headers["Webhook-Timestamp"] == "1767225600"
    assert headers["Webhook-Signature"] == f"v1={expected}"


def test_header_names_are_matched_in_any_case():
    headers = {k.lower(): v for k, v in signed_headers([SECRET], "evt_1", BODY).items()}
    assert verify_signature(SECRET, headers, BODY)
    assert verify_signature(SECRET, headers, BODY.decode())  # str bodies work too


def test_a_tampered_body_or_wrong_secret_is_refused():
    headers = signed_headers([SECRET], "evt_1", BODY)
    assert not verify_signature(SECRET, headers, BODY.replace(b"completed", b"failed"))
    assert not verify_signature("whsec_other", headers, BODY)


def test_a_changed_timestamp_is_refused():
    headers = signed_headers([SECRET], "evt_1", BODY)
    headers["Webhook-Timestamp"] = str(int(headers["Webhook-Timestamp"]) + 1)
    assert not verify_signature(SECRET, headers, BODY)


def test_an_old_or_future_timestamp_is_refused():
    now = time.time()
    old = signed_headers([SECRET], "evt_1", BODY, timestamp=int(now) - 301)
    future = signed_headers([SECRET], "evt_1", BODY, timestamp=int(now) + 301)
    assert not verify_signature(SECRET, old, BODY, now=now)
    assert not verify_signature(SECRET, future, BODY, now=now)
    assert verify_signature(SECRET, old, BODY, tolerance=600, now=now)


def test_missing_or_malformed_headers_are_refused():
    headers = signed_headers([SECRET], "evt_1", BODY)
    assert not verify_signature(SECRET, {}, BODY)
    assert not verify_signature(SECRET, {**headers, "Webhook-Timestamp": "soon"}, BODY)
    assert not verify_signature(SECRET, {**headers, "Webhook-Signature": "v0=abc"}, BODY)
    assert not verify_signature(SECRET, {**headers, "Webhook-Signature": "v1=ünïcode"}, BODY)


def test_any_of_several_signatures_may_match():
    headers = signed_headers(["whsec_new", SECRET], "evt_1", BODY)
    assert headers["Webhook-Signature"].count("v1=") == 2
    assert verify_signature(SECRET, headers, BODY)
    assert verify_signature("whsec_new", headers, BODY)
    assert not verify_signature("whsec_third", headers, BODY)


def test_sign_is_deterministic_and_keyed():
    assert sign(SECRET, 1, BODY) == sign(SECRET, 1, BODY)
    assert sign(SECRET, 1, BODY) != sign(SECRET + "x", 1, BODY)
