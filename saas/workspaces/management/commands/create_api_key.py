from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from saas.errors import ServiceError
from saas.workspaces import services
from saas.workspaces.models import Membership, Role


class Command(BaseCommand):
    help = (
        "Print a new API key for a user's workspace, creating the user and the "
        "workspace if they are missing. The key is shown only this once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--workspace", help="workspace name (default: personal workspace)")
        parser.add_argument("--name", default="command line", help="a label for the key")
        parser.add_argument("--role", default=Role.ADMIN, choices=Role.values)

    @transaction.atomic
    def handle(self, *args, email, workspace, name, role, **options):
        if "@" not in email:
            raise CommandError(f"--email: {email!r} is not an e-mail address.")
        user, _ = services.ensure_user(email)
        membership = self._membership(user, workspace)
        try:
            _, secret = services.create_api_key(membership, name, role)
        except ServiceError as exc:
            raise CommandError(f"--{exc.field or 'workspace'}: {exc.message}") from exc
        self.stdout.write(secret)

    def _membership(self, user, workspace_name):
        if not workspace_name:
            personal = services.create_personal_workspace(user)
            return Membership.objects.get(workspace=personal, user=user)
        existing = services.memberships_for(user).filter(workspace__name=workspace_name).first()
        if existing:
            if existing.role not in (Role.OWNER, Role.ADMIN):
                raise CommandError(
                    f"--workspace: {user.email} is a {existing.role} in {workspace_name!r}; "
                    "only owners and admins create API keys."
                )
            return existing
        workspace = services.create_workspace(user, workspace_name)
        return Membership.objects.get(workspace=workspace, user=user)
