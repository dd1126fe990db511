"""Every URL name is unique: a duplicate makes `{% url %}` and redirects land on the wrong view."""

from collections import Counter

from django.urls import URLPattern, URLResolver, get_resolver


def names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_url_names_are_unique():
    counts = Counter(names(get_resolver().url_patterns))
    assert counts["dashboard"] == 1  # the walk sees the app's pages
    duplicates = {name: n for name, n in counts.items() if n > 1}
    assert not duplicates


def test_the_api_keys_page_link_is_the_web_page(client):
    from django.urls import reverse

    assert reverse("api_keys") == "/workspace/api-keys/"
