from rest_framework.throttling import SimpleRateThrottle

from saas.workspaces.auth import api_membership


class WorkspaceRateThrottle(SimpleRateThrottle):
    """One request budget per workspace, shared by its keys and members."""

    scope = "workspace"

    def get_cache_key(self, request, view):
        membership = getattr(request, "membership", None) or api_membership(request)
        if membership is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": membership.workspace_id}
