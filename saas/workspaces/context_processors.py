from .services import memberships_for


def workspace(request):
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "membership": membership,
        "workspace": membership.workspace,
        "my_memberships": memberships_for(request.user),
    }
