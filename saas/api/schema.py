"""OpenAPI description helpers (drf-spectacular)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema

OBJECT = OpenApiTypes.OBJECT


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "saas.workspaces.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A workspace API key."}


def returns(status=200, request=None, **kwargs):
    """Describe an endpoint that returns a JSON object (and takes REQUEST)."""
    return extend_schema(request=request, responses={status: OBJECT}, **kwargs)


def no_content(**kwargs):
    return extend_schema(request=None, responses={204: None}, **kwargs)
