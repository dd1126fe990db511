"""Media on local disk behind signed, expiring URLs, as S3's presigned URLs are.

A stored file's URL carries when it expires and an HMAC of its name and that time
(``/media/videos/…/video.mp4?e=1767229200&sig=…``), so a path alone opens nothing
and a copied link stops working (after ``MEDIA_URL_EXPIRE_SECONDS``; expiry is
rounded up to the hour so that a page's URLs stay the same, and cacheable, for a
while). The URL of a shared video's page also names the share, and stops working
the moment the share is revoked.

The media view checks the signature, then lets nginx send the file
(``X-Accel-Redirect`` to ``MEDIA_ACCEL_REDIRECT``, an ``internal`` location) or,
without a proxy (``make run``), sends it itself.
"""

from __future__ import annotations

import hashlib
import hmac
import mimetypes
import time
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

BUCKET_S = 3600


def _signature(name: str, expires: int, share: str) -> str:
    key = hashlib.sha256(f"media:{settings.SECRET_KEY}".encode()).digest()
    message = f"{name}\n{expires}\n{share}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def signed_query(name: str, share: str = "", now: float | None = None) -> str:
    """``e=…&sig=…`` (and ``share=…``) for the stored file NAME."""
    now = time.time() if now is None else now
    lifetime = settings.MEDIA_URL_EXPIRE_SECONDS
    expires = int((now + lifetime) // BUCKET_S + 1) * BUCKET_S
    query = {"e": expires, "sig": _signature(name, expires, share)}
    if share:
        query["share"] = share
    return urlencode(query)


def valid(name: str, params, now: float | None = None) -> bool:
    """Whether PARAMS (the request's query) sign NAME and have not expired."""
    try:
        expires = int(params.get("e", ""))
    except ValueError:
        return False
    share = params.get("share", "")
    expected = _signature(name, expires, share)
    if not hmac.compare_digest(expected, params.get("sig", "")):
        return False
    if expires < (time.time() if now is None else now):
        return False
    return not share or _share_is_live(share)


def _share_is_live(token: str) -> bool:
    from saas.studio.models import Video

    return Video.objects.filter(share_token=token).exists()


class SignedFileSystemStorage(FileSystemStorage):
    """Local-disk media whose URLs are signed and expire (see the module docstring)."""

    def url(self, name, share: str = ""):
        return f"{super().url(name)}?{signed_query(name, share)}"


def shared_url(field, token: str) -> str | None:
    """The URL of FIELD's file for the page of the share TOKEN: on local disk it stops
    working when the share is revoked; on S3 it is the presigned URL (its expiry)."""
    if not field:
        return None
    storage = field.storage
    if isinstance(storage, SignedFileSystemStorage):
        return storage.url(field.name, share=token)
    return storage.url(field.name)


@require_GET
def serve(request, path: str):
    """A stored file, for a request that carries its signature."""
    if not valid(path, request.GET):
        raise Http404("This link has expired or is not valid.")
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404("No such file.")
    content_type = (
        CAPTIONS.get(target.suffix.lower())
        or mimetypes.guess_type(target.name)[0]
        or "application/octet-stream"
    )
    inline = content_type.startswith(INLINE_TYPES)
    if not inline:  # never a page (or script) of this site, whatever a name says
        content_type = "application/octet-stream"
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + path
    else:
        response = FileResponse(target.open("rb"), content_type=content_type)
    if not inline:
        response["Content-Disposition"] = content_disposition_header(True, target.name)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    # As nginx's /protected-media/: nothing served from here runs as this site.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# What media is shown in the browser (pictures, sound, video, captions, a batch's CSV
# report); anything else is a download.
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "image/gif", "audio/", "video/",
                "text/vtt", "text/plain", "text/csv", "application/json")  # fmt: skip
# Captions by suffix: mimetypes knows .srt only where /etc/mime.types does.
CAPTIONS = {".srt": "text/plain; charset=utf-8", ".vtt": "text/vtt; charset=utf-8"}
