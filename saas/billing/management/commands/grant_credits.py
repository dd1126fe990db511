from django.core.management.base import BaseCommand, CommandError

from saas.billing.services import balance, grant_credits
from saas.errors import ServiceError, parse_uuid
from saas.workspaces.models import Workspace


class Command(BaseCommand):
    help = "Grant credits that never expire to a workspace (Enterprise, self-hosting, goodwill)."

    def add_arguments(self, parser):
        parser.add_argument("--workspace", required=True, help="workspace id")
        parser.add_argument("--credits", type=int, required=True)
        parser.add_argument("--note", default="Granted by staff")

    def handle(self, *args, workspace, credits, note, **options):
        try:
            found = Workspace.objects.get(pk=parse_uuid(workspace, "workspace"))
            grant_credits(found, credits, note=note)
        except (ServiceError, Workspace.DoesNotExist) as exc:
            raise CommandError(getattr(exc, "message", f"No workspace {workspace}.")) from exc
        self.stdout.write(f"{found.name}: balance {balance(found)}")
