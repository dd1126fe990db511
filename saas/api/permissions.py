from rest_framework import permissions

from saas.billing.services import check_api_allowed
from saas.workspaces.auth import api_membership
from saas.workspaces.models import ApiKey, Role, role_at_least


class WorkspaceRolePermission(permissions.BasePermission):
    """Every API call acts in one workspace with one role.

    Views set `read_role` (default viewer) and `write_role` (default creator).
    """

    message = "You do not have the role in this workspace that this needs."

    def has_permission(self, request, view):
        membership = api_membership(request)
        if membership is None:
            return False
        request.membership = membership
        if isinstance(request.auth, ApiKey):
            # The API (with a key) is a plan feature; the web app's own calls are not.
            check_api_allowed(membership.workspace)
        needed = (
            getattr(view, "read_role", Role.VIEWER)
            if request.method in permissions.SAFE_METHODS
            else getattr(view, "write_role", Role.CREATOR)
        )
        return role_at_least(membership.role, needed)
