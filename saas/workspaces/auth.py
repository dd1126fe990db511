from rest_framework import authentication, exceptions

from .models import Membership
from .services import authenticate_api_key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <key>` with a workspace API key.

    request.user is the key's creator (for audit), request.auth the ApiKey.
    """

    keyword = "bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Use 'Authorization: Bearer <API key>'.")
        key = authenticate_api_key(header[1])
        if key is None:
            raise exceptions.AuthenticationFailed("Invalid or revoked API key.")
        return (key.created_by, key)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def api_membership(request) -> Membership | None:
    """The workspace and role a request acts with: the API key's, or the session's.

    The session counts only where DRF's session authentication accepted the request,
    which is what checks its CSRF token: a view that takes API keys alone (HeyGen's
    routes) must not act for whoever's browser happens to send a session cookie.
    """
    from .models import ApiKey

    if isinstance(request.auth, ApiKey):
        key = request.auth
        return Membership(workspace=key.workspace, user=key.created_by, role=key.acting_role)
    if not isinstance(request.successful_authenticator, authentication.SessionAuthentication):
        return None
    return getattr(request._request, "membership", None)
