"""Which webhook URLs we accept, and which addresses we will connect to."""

import ipaddress

import pytest

from saas.webhooks.ssrf import Policy, RefusedUrl, is_public, resolve_target, validate_url

STRICT = Policy(allow_http=False)


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/talkingads",
        "https://hooks.example.com:8443/a?b=c",
        "https://93.184.216.34/hook",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
    ],
)
def test_public_https_urls_are_accepted(url):
    assert validate_url(url, STRICT) == url


@pytest.mark.parametrize(
    "url,message",
    [
        ("http://hooks.example.com/", "https://"),
        ("ftp://hooks.example.com/", "https://"),
        ("hooks.example.com/hook", "https://"),
        ("https://user:pass@hooks.example.com/", "password"),
        ("https://localhost/", "local name"),
        ("https://api.localhost/", "local name"),
        ("https://printer.local/", "local name"),
        ("https://metadata.google.internal/", "local name"),
        ("https://169.254.169.254/latest/", "metadata"),
        ("https://127.0.0.1/", "not a public"),
        ("https://10.1.2.3/", "not a public"),
        ("https://172.16.0.1/", "not a public"),
        ("https://192.168.0.10/", "not a public"),
        ("https://100.64.0.1/", "not a public"),
        ("https://0.0.0.0/", "not a public"),
        ("https://2130706433/", "not a public"),  # 127.0.0.1 as browsers read it
        ("https://0x7f.1/", "not a public"),
        ("https://0177.0.0.1/", "not a public"),
        ("https://[::10.0.0.1]/", "not a public"),  # IPv4-compatible IPv6
        ("https://[::1]/", "not a public"),
        ("https://[fe80::1]/", "not a public"),
        ("https://[fd00:ec2::254]/", "metadata"),
        ("https://[::ffff:169.254.169.254]/", "not a public"),
        ("https://hooks.example.com:99999/", "valid URL"),
        ("https://" + "a" * 2000 + ".com/", "at most"),
    ],
)
def test_unsafe_urls_are_refused_with_a_reason(url, message):
    with pytest.raises(RefusedUrl) as refused:
        validate_url(url, STRICT)
    assert message in refused.value.message
    assert refused.value.field == "url" and refused.value.status == 400


def test_http_is_allowed_only_when_configured():
    assert validate_url("http://hooks.example.com/", Policy(allow_http=True))
    with pytest.raises(RefusedUrl):
        validate_url("http://10.0.0.1/", Policy(allow_http=True))  # still not private


def test_an_allowed_host_may_be_local_and_plain_http():
    policy = Policy(allowed_hosts=frozenset({"localhost", "127.0.0.1"}))
    assert validate_url("http://localhost:8000/hook", policy)
    assert validate_url("http://127.0.0.1:9/hook", policy)
    target = resolve_target("http://localhost:8000/hook", policy)
    assert target.address in ("127.0.0.1", "::1") and target.host_header == "localhost:8000"


@pytest.mark.parametrize(
    "address,public",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("224.0.0.1", False),  # multicast
        ("240.0.0.1", False),  # reserved
        ("::ffff:10.0.0.1", False),  # IPv4-mapped
        ("2002:a00:1::", False),  # 6to4 around 10.0.0.1
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),  # Teredo around 10.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 around 169.254.169.254
    ],
)
def test_private_addresses_hidden_in_others_are_found(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


def test_the_checked_addresses_are_the_ones_to_connect_to():
    resolver = lambda host, port: [  # noqa: E731
        ipaddress.ip_address("93.184.216.34"),
        ipaddress.ip_address("93.184.216.35"),
    ]
    target = resolve_target("https://hooks.example.com/a?b=1", STRICT, resolver)
    assert (target.host, target.port, target.path) == ("hooks.example.com", 443, "/a?b=1")
    assert target.addresses == ("93.184.216.34", "93.184.216.35")
    assert target.host_header == "hooks.example.com"


def test_a_names_internal_address_is_logged_not_told(caplog):
    """The refusal is shown in the delivery log and the API: the address would map the
    internal network for whoever saved the URL."""
    resolver = lambda host, port: [ipaddress.ip_address("10.0.0.7")]  # noqa: E731
    with pytest.raises(RefusedUrl) as refused:
        resolve_target("https://intranet.example.com/hook", STRICT, resolver)
    assert "intranet.example.com points to an address that is not public" in refused.value.message
    assert "10.0.0.7" not in refused.value.message and "10.0.0.7" in caplog.text
