"""A Content-Security-Policy on every HTML page the app serves.

Scripts come from this site's static files only: no inline <script>, no
onclick= (templates/ has none; a test keeps it so), no eval. Styles may be
inline (progress bars set their width in a style attribute, and the admin and
the API docs use inline styles). Images and video may also come from where
media lives (SITE_ROOT, the S3 bucket's or MEDIA_URL's host, and CSP_MEDIA_ORIGINS). No page
may be framed: there is no embed page (a shared video's page is a whole page
with X-Frame-Options DENY too). Forms post here, or to Stripe, where the billing
page's forms are redirected when Stripe is configured.

CSP_REPORT_ONLY sends the same policy as Content-Security-Policy-Report-Only
(the browser reports and blocks nothing), to try a change on production first.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Stripe Checkout and the customer portal: the billing page's forms post here and are
# redirected there (form-action applies to the redirect too).
STRIPE_ORIGINS = ("https://checkout.stripe.com", "https://billing.stripe.com")
HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def _origin(url: str) -> str | None:
    parts = urlsplit(url or "")
    if parts.scheme in ("http", "https") and parts.netloc:
        return f"{parts.scheme}://{parts.netloc}"
    return None


def media_origins() -> list[str]:
    """Where the browser fetches media from, besides this page's origin: SITE_ROOT (the
    API and the editor link local media by absolute URL, and a browser may have opened
    the site under another name), MEDIA_URL's host when it names one, the storage's own
    host (S3: the URL of a presigned link, made locally, no request sent), and
    CSP_MEDIA_ORIGINS."""
    found = [_origin(settings.SITE_ROOT), _origin(settings.MEDIA_URL)]
    if settings.STORAGES["default"]["BACKEND"] != "saas.media.SignedFileSystemStorage":
        from django.core.files.storage import default_storage

        found.append(_origin(default_storage.url("csp-origin-probe")))
    found += settings.CSP_MEDIA_ORIGINS
    return list(dict.fromkeys(o for o in found if o))


def form_targets() -> list[str]:
    if not settings.STRIPE_SECRET_KEY:
        return []
    return [*STRIPE_ORIGINS, *filter(None, [_origin(settings.STRIPE_API_BASE)])]


@lru_cache(maxsize=1)
def policy() -> str:
    media = " ".join(media_origins())
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self' 'unsafe-inline'",
        "img-src": f"'self' data: blob: {media}",
        "media-src": f"'self' blob: {media}",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": " ".join(["'self'", *form_targets()]),
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value.strip()}" for name, value in directives.items())


@receiver(setting_changed)
def _forget_policy(**kwargs):
    policy.cache_clear()


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every text/html response that does not carry one already."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = REPORT_ONLY_HEADER if settings.CSP_REPORT_ONLY else HEADER
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and header not in response:
            response[header] = policy()
        return response
