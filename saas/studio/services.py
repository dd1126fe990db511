"""The only code that writes projects (and, later, videos)."""

from saas.errors import NotFound, ServiceError, parse_uuid
from saas.workspaces.models import Membership, Role
from saas.workspaces.services import require_role

from .models import Project, Pronunciation

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


# Pronunciation glossary ---------------------------------------------------------


def _clean_pronunciation(written: str, spoken: str) -> tuple[str, str]:
    written, spoken = (written or "").strip(), " ".join((spoken or "").split())
    if not written:
        raise ServiceError("Enter the word as it is written.", field="written")
    if not spoken:
        raise ServiceError("Enter how the word is said, e.g. 'shao me' for Xiaomi.", field="spoken")
    if "[" in spoken or "]" in spoken:
        raise ServiceError("How it is said cannot contain [ or ].", field="spoken")
    return written, spoken


def set_pronunciation(actor: Membership, written: str, spoken: str) -> Pronunciation:
    """Add or replace the workspace's pronunciation of WRITTEN."""
    require_role(actor, Role.CREATOR)
    written, spoken = _clean_pronunciation(written, spoken)
    entry = actor.workspace.pronunciations.filter(written__iexact=written).first()
    if entry is None:
        return Pronunciation.objects.create(
            workspace=actor.workspace, written=written, spoken=spoken
        )
    entry.written, entry.spoken = written, spoken
    entry.save(update_fields=["written", "spoken"])
    return entry


def delete_pronunciation(actor: Membership, entry_id) -> None:
    require_role(actor, Role.CREATOR)
    deleted, _ = actor.workspace.pronunciations.filter(pk=parse_uuid(entry_id)).delete()
    if not deleted:
        raise NotFound("No such pronunciation in this workspace.")


def glossary_for(workspace) -> dict[str, str]:
    """The workspace's glossary, as the speech stage takes it."""
    return dict(workspace.pronunciations.values_list("written", "spoken"))
