from allauth.account.adapter import DefaultAccountAdapter

from saas.workspaces.services import create_personal_workspace


class AccountAdapter(DefaultAccountAdapter):
    """Gives every new user a personal workspace as part of sign-up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Past ACCOUNT_RATE_LIMITS["login_failed"] (settings.py): say what to do.
        "too_many_login_attempts": (
            "Too many failed log-in attempts. For your security, logging in is paused for "
            "a few minutes; try again later, or reset your password."
        ),
    }

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            create_personal_workspace(user)
        return user
