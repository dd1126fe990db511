from .services import create_personal_workspace, membership_in, memberships_for

SESSION_KEY = "workspace_id"


def current_membership(request):
    """The signed-in user's membership in the workspace they are working in."""
    user = request.user
    if not user.is_authenticated:
        return None
    membership = membership_in(user, request.session.get(SESSION_KEY))
    if membership is None:
        membership = memberships_for(user).first()
        if membership is None:
            create_personal_workspace(user)
            membership = memberships_for(user).first()
        request.session[SESSION_KEY] = str(membership.workspace_id)
    return membership


class CurrentWorkspaceMiddleware:
    """Sets request.membership and request.workspace for signed-in web users."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = current_membership(request)
        request.workspace = request.membership.workspace if request.membership else None
        return self.get_response(request)
