"""HTTPS to the pinned address: the certificate is checked against the URL's host name
(SNI), although the connection goes to the address that was checked."""

import datetime
import ipaddress
import ssl

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from saas.webhooks import services, ssrf, transport
from saas.webhooks.models import DeliveryStatus, WebhookDelivery

from .receiver import WebhookReceiver

HOST = "hooks.example.test"


def self_signed(tmp_path, name):
    """A certificate for NAME and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / f"{name}.crt", tmp_path / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@pytest.fixture
def tls_receiver(tmp_path, request, monkeypatch, settings):
    """An HTTPS receiver on 127.0.0.1 whose certificate names CERT_NAME; HOST resolves to it."""
    cert_path, key_path = self_signed(tmp_path, request.param)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert_path, key_path)
    client_context = ssl.create_default_context(cafile=str(cert_path))
    monkeypatch.setattr(transport, "ssl_context", lambda: client_context)
    monkeypatch.setattr(ssrf, "resolve", lambda h, p: [ipaddress.ip_address("127.0.0.1")])
    settings.WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
    with WebhookReceiver(tls=server_context) as receiver:
        yield receiver


def deliver_once(personas, admin, receiver):
    endpoint, secret = services.create_endpoint(admin, f"https://{HOST}:{receiver.port}/hooks")
    receiver.secret = secret
    [delivery] = services.emit_event(personas.workspace_a, "avatar.ready", {"id": "a1"})
    services.deliver(delivery.pk)
    return WebhookDelivery.objects.get(pk=delivery.pk)


@pytest.mark.parametrize("tls_receiver", [HOST], indirect=True)
def test_https_goes_to_the_checked_address_with_the_hosts_certificate(
    personas, admin, tls_receiver
):
    delivery = deliver_once(personas, admin, tls_receiver)
    assert delivery.status == DeliveryStatus.SUCCEEDED, delivery.last_error
    [request] = tls_receiver.requests
    assert request.verified and request.headers["Host"] == f"{HOST}:{tls_receiver.port}"


@pytest.mark.parametrize("tls_receiver", ["someone-else.example.test"], indirect=True)
def test_a_certificate_for_another_name_is_refused(personas, admin, tls_receiver):
    delivery = deliver_once(personas, admin, tls_receiver)
    assert delivery.status == DeliveryStatus.RETRYING
    assert delivery.last_error.startswith("TLS error") and tls_receiver.requests == []
