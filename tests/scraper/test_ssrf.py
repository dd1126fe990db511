"""The SSRF guard refuses internal addresses in every spelling, before connecting."""

from __future__ import annotations

import ipaddress
import threading
import time

import pytest

from scraper.config import LOCAL_ONLY_POLICY, LOCAL_TEST_POLICY, DownloadLimits, UrlPolicy
from scraper.errors import NetworkError, RefusedUrl, Timeout, TooLarge
from scraper.fetch import fetch
from scraper.ssrf import check_url, parse_ipv4_literal

PUBLIC = ipaddress.ip_address("93.184.216.34")
FAKE_DNS = {
    "shop.example": [PUBLIC],
    "rebind.example": [ipaddress.ip_address("10.0.0.1")],
    "mixed.example": [PUBLIC, ipaddress.ip_address("127.0.0.1")],
    "v6.example": [ipaddress.ip_address("::1")],
    "meta.example": [ipaddress.ip_address("169.254.169.254")],
}


def fake_resolve(host: str, port: int):
    if host not in FAKE_DNS:
        raise NetworkError(f"unknown host {host}")
    return FAKE_DNS[host]


ALLOWED = [
    "http://shop.example/product/1",
    "https://shop.example:8443/p?x=1",
    "http://93.184.216.34/",
    "https://[2606:4700:4700::1111]/",
    "http://8.8.8.8/",
]
REFUSED = [
    ("http://127.0.0.1/", "loopback"),
    ("http://localhost:8000/", "internal host name"),
    ("http://foo.localhost/", "internal host name"),
    ("http://2130706433/", "loopback"),  # decimal
    ("http://0x7f000001/", "loopback"),  # hex
    ("http://0x7f.1/", "loopback"),  # mixed short form
    ("http://017700000001/", "loopback"),  # octal
    ("http://0177.0.0.1/", "loopback"),
    ("http://127.1/", "loopback"),
    ("http://127.0.0.1./", "loopback"),  # trailing dot
    ("http://%31%32%37.0.0.1/", "loopback"),  # percent-encoded
    ("http://１２７.０.０.１/", "loopback"),  # full-width digits
    ("http://[::1]/", "loopback"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),  # IPv4-mapped
    ("http://[::ffff:7f00:1]/", "loopback"),
    ("http://[::127.0.0.1]/", "loopback"),  # IPv4-compatible
    ("http://[2002:7f00:1::]/", "loopback"),  # 6to4
    ("http://[64:ff9b::a00:1]/", "private"),  # NAT64 of 10.0.0.1
    ("http://[fc00::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://0/", "unspecified"),
    ("http://0.0.0.0/", "unspecified"),
    ("http://[::]/", "unspecified"),
    ("http://10.0.0.1/", "private"),
    ("http://172.16.5.4/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://100.64.0.1/", "CGNAT"),
    ("http://169.254.169.254/latest/meta-data/", "metadata"),
    ("http://[fd00:ec2::254]/", "metadata"),
    ("http://100.100.100.200/", "metadata"),
    ("http://169.254.1.1/", "link-local"),
    ("http://224.0.0.1/", "multicast"),
    ("http://[ff02::1]/", "multicast"),
    ("http://240.0.0.1/", "private"),
    ("http://255.255.255.255/", "private"),
    ("http://rebind.example/", "private"),  # a name resolving inside
    ("http://mixed.example/", "loopback"),  # one bad address is enough
    ("http://v6.example/", "loopback"),
    ("http://meta.example/", "metadata"),
    ("ftp://shop.example/file", "Only http and https"),
    ("file:///etc/passwd", "Only http and https"),
    ("gopher://shop.example/", "Only http and https"),
    ("javascript:alert(1)", "Only http and https"),
    ("http://user:pass@shop.example/", "user name or password"),
    ("http://shop.example@127.0.0.1/", "user name or password"),
    ("http://127.0.0.1\\@shop.example/", "backslashes"),
    ("http://shop.example:99999/", "Invalid host or port"),
    ("http://256.1.1.1/", "Invalid IPv4"),
    ("http:///nohost", "no host"),
]


def test_a_names_internal_address_is_not_told(caplog):
    """Told to a user, it would map the internal network for them, name by name."""
    with pytest.raises(RefusedUrl) as refused:
        check_url("http://rebind.example/", UrlPolicy(), fake_resolve)
    assert (
        refused.value.message
        == "Refused http://rebind.example/: rebind.example points to a private address"
    )
    assert "10.0.0.1" in caplog.text


@pytest.mark.parametrize("url", ALLOWED)
def test_it_allows_public_addresses(url):
    target = check_url(url, UrlPolicy(), fake_resolve)
    assert target.addresses


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_it_refuses_internal_and_odd_urls(url, reason):
    with pytest.raises(RefusedUrl) as caught:
        check_url(url, UrlPolicy(), fake_resolve)
    assert reason.lower() in caught.value.message.lower()
    assert caught.value.code == "refused_url" and not caught.value.retryable


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("0300.0250.0.1", "192.168.0.1"),
        ("192.168.257", "192.168.1.1"),
        ("example", None),
    ],
)
def test_it_reads_ipv4_numbers_like_a_browser(host, address):
    parsed = parse_ipv4_literal(host)
    assert (str(parsed) if parsed else None) == address


def test_a_local_only_policy_refuses_other_hosts_without_dns():
    def no_dns(host, port):
        raise AssertionError("resolved")

    with pytest.raises(RefusedUrl, match="not on the allowlist"):
        check_url("https://shop.example/", LOCAL_ONLY_POLICY, no_dns)
    check_url("http://127.0.0.1:9/", LOCAL_ONLY_POLICY, no_dns)


def test_the_allowlist_opens_only_the_listed_network():
    check_url("http://127.0.0.1:8000/", LOCAL_TEST_POLICY)
    with pytest.raises(RefusedUrl):
        check_url("http://127.0.0.2:8000/", LOCAL_TEST_POLICY)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/redirect-internal", "127.0.0.2"),
        ("/redirect-private", "10.0.0.1"),
        ("/redirect-metadata", "metadata"),
    ],
)
def test_it_refuses_redirects_to_internal_addresses_before_connecting(shop, path, reason):
    with pytest.raises(RefusedUrl) as caught:
        fetch(shop.base + path, LOCAL_TEST_POLICY)
    assert reason in caught.value.message


def test_it_follows_allowed_redirects(shop):
    fetched = fetch(shop.base + "/redirect-ok", LOCAL_TEST_POLICY)
    assert fetched.status == 200 and fetched.url.endswith("/product")
    assert fetched.redirects == [shop.base + "/redirect-ok"]


def test_it_connects_to_the_checked_address_with_the_original_host_header(shop):
    """DNS pinning: the name is resolved once and the socket goes to that address."""
    calls = []

    def resolve_once(host, port):
        calls.append(host)
        return [ipaddress.ip_address("127.0.0.1")]

    policy = UrlPolicy(allow_networks=("127.0.0.1/32",))
    url = f"http://shop.test:{shop.server_port}/api/product.json"
    fetched = fetch(url, policy, resolve=resolve_once)
    assert fetched.status == 200 and calls == ["shop.test"]
    assert shop.hosts[-1] == f"shop.test:{shop.server_port}"


def test_a_rebinding_answer_is_refused_at_the_check(shop):
    answers = iter([[ipaddress.ip_address("10.0.0.1")]])
    with pytest.raises(RefusedUrl):
        fetch("http://rebind.test/", UrlPolicy(), resolve=lambda h, p: next(answers))


def test_it_enforces_the_size_limit(shop):
    with pytest.raises(TooLarge):
        fetch(shop.base + "/big", LOCAL_TEST_POLICY, DownloadLimits(max_bytes=50_000))


def test_it_enforces_the_time_limit(shop):
    with pytest.raises(Timeout):
        fetch(shop.base + "/slow", LOCAL_TEST_POLICY, DownloadLimits(timeout_s=0.5))


def test_a_name_looked_up_by_two_threads_at_once_keeps_one_answer():
    """The browser fetches a page's requests on several threads: when two lookups of a
    name overlap and answer differently (DNS rebinding), the answer kept first is the
    one every request of the scrape is given."""
    import threading

    from scraper.fetch import PinnedSession

    both_asking, first_kept = threading.Barrier(2), threading.Event()

    def lookup(host, port):
        both_asking.wait(timeout=5)  # the two lookups overlap
        if threading.current_thread().name == "second":
            first_kept.wait(timeout=5)  # and the second answers after the first was kept
            return [ipaddress.ip_address("127.0.0.1")]
        return [ipaddress.ip_address("203.0.113.7")]

    session = PinnedSession(UrlPolicy(), lookup)
    got = {}

    def ask():
        got[threading.current_thread().name] = session.resolve("shop.example", 443)
        if threading.current_thread().name == "first":
            first_kept.set()

    threads = [threading.Thread(target=ask, name=name) for name in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert got["first"] == got["second"] == [ipaddress.ip_address("203.0.113.7")]


class _Trickle:
    """A server that answers one byte every 0.2 s: every read gets data before the
    read timeout, so only a deadline on the whole download can stop it."""

    def __init__(self, headers_too: bool) -> None:
        import socket

        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(5)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/photo.jpg"
        self.headers_too = headers_too
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\nContent-Length: 100000\r\n\r\n"
        try:
            conn.recv(4096)
            if not self.headers_too:
                conn.sendall(head)
            for byte in head if self.headers_too else b"x" * 100_000:
                conn.sendall(bytes([byte]) if isinstance(byte, int) else byte)
                time.sleep(0.2)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_server_that_trickles_bytes_is_cut_off_at_the_time_limit(headers_too):
    """One such product link held a worker's only scraping thread for good."""
    server = _Trickle(headers_too)
    started = time.monotonic()
    try:
        with pytest.raises(Timeout):
            fetch(server.url, LOCAL_TEST_POLICY, DownloadLimits(timeout_s=1.0))
    finally:
        server.close()
    assert time.monotonic() - started < 3.0
