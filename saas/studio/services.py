"""The only code that writes projects (and, later, videos)."""

from saas.errors import NotFound, ServiceError, parse_uuid
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from .models import Project

PROJECT_FIELDS = ("name", "description")


def _clean_project(data: dict) -> dict:
    clean = {k: v for k, v in data.items() if k in PROJECT_FIELDS}
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise ServiceError("A project needs a name.", field="name")
    return clean


def get_project(membership: Membership, project_id) -> Project:
    project = Project.objects.filter(
        workspace=membership.workspace, pk=parse_uuid(project_id)
    ).first()
    if project is None:
        raise NotFound("No such project in this workspace.")
    return project


def create_project(actor: Membership, name: str, description: str = "") -> Project:
    require_role(actor, Role.CREATOR)
    clean = _clean_project({"name": name, "description": description})
    return Project.objects.create(workspace=actor.workspace, created_by=actor.user, **clean)


def update_project(actor: Membership, project_id, **changes) -> Project:
    require_role(actor, Role.CREATOR)
    project = get_project(actor, project_id)
    for field, value in _clean_project(changes).items():
        setattr(project, field, value)
    project.save()
    return project


def delete_project(actor: Membership, project_id) -> None:
    require_role(actor, Role.CREATOR)
    get_project(actor, project_id).delete()
