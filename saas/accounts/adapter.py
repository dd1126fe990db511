from allauth.account.adapter import DefaultAccountAdapter

from saas.workspaces.services import create_personal_workspace


class AccountAdapter(DefaultAccountAdapter):
    """Gives every new user a personal workspace as part of sign-up."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            create_personal_workspace(user)
        return user
