"""REST transport only: parse, call a service, serialise. Services do the writes."""

from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from saas.studio import services as studio
from saas.studio.models import Project
from saas.workspaces import services as workspaces
from saas.workspaces.models import Role

from . import serializers
from .schema import no_content, returns


def validated(serializer_class, request, partial=False):
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class WorkspaceView(APIView):
    @returns()
    def get(self, request):
        data = serializers.WorkspaceSerializer(request.membership.workspace).data
        return Response({**data, "role": request.membership.role})


class ProjectList(generics.ListAPIView):
    serializer_class = serializers.ProjectSerializer

    def get_queryset(self):
        return Project.objects.filter(workspace=self.request.membership.workspace)

    def post(self, request):
        data = validated(serializers.ProjectSerializer, request)
        project = studio.create_project(request.membership, **data)
        return Response(self.serializer_class(project).data, status=status.HTTP_201_CREATED)


class ProjectDetail(APIView):
    @returns()
    def get(self, request, pk):
        project = studio.get_project(request.membership, pk)
        return Response(serializers.ProjectSerializer(project).data)

    @returns(200, serializers.ProjectSerializer)
    def patch(self, request, pk):
        data = validated(serializers.ProjectSerializer, request, partial=True)
        project = studio.update_project(request.membership, pk, **data)
        return Response(serializers.ProjectSerializer(project).data)

    @no_content()
    def delete(self, request, pk):
        studio.delete_project(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberList(generics.ListAPIView):
    serializer_class = serializers.MemberSerializer

    def get_queryset(self):
        return self.request.membership.workspace.memberships.select_related("user")


class MemberDetail(APIView):
    write_role = Role.VIEWER  # anyone may leave; services check the rest

    @returns(200, serializers.MemberSerializer)
    def patch(self, request, pk):
        role = validated(serializers.MemberSerializer, request)["role"]
        member = workspaces.change_role(request.membership, pk, role)
        return Response(serializers.MemberSerializer(member).data)

    @no_content()
    def delete(self, request, pk):
        workspaces.remove_member(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationList(generics.ListAPIView):
    serializer_class = serializers.InvitationSerializer
    read_role = write_role = Role.ADMIN

    def get_queryset(self):
        return self.request.membership.workspace.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True
        )

    def post(self, request):
        data = validated(serializers.InvitationSerializer, request)
        invitation, _ = workspaces.invite_member(request.membership, data["email"], data["role"])
        data = self.serializer_class(invitation).data
        return Response(data, status=status.HTTP_201_CREATED)


class InvitationDetail(APIView):
    read_role = write_role = Role.ADMIN

    @no_content()
    def delete(self, request, pk):
        workspaces.revoke_invitation(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ApiKeyList(generics.ListAPIView):
    serializer_class = serializers.ApiKeySerializer
    read_role = write_role = Role.ADMIN

    def get_queryset(self):
        return self.request.membership.workspace.api_keys.filter(revoked_at__isnull=True)

    def post(self, request):
        data = validated(serializers.ApiKeySerializer, request)
        key, secret = workspaces.create_api_key(request.membership, data["name"], data["role"])
        body = {**self.serializer_class(key).data, "key": secret}
        return Response(body, status=status.HTTP_201_CREATED)


class ApiKeyDetail(APIView):
    read_role = write_role = Role.ADMIN

    @no_content()
    def delete(self, request, pk):
        workspaces.revoke_api_key(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PronunciationList(generics.ListAPIView):
    """The workspace's pronunciation glossary; POST adds or replaces an entry."""

    serializer_class = serializers.PronunciationSerializer

    def get_queryset(self):
        return self.request.membership.workspace.pronunciations.all()

    def post(self, request):
        data = validated(serializers.PronunciationSerializer, request)
        entry = studio.set_pronunciation(request.membership, data["written"], data["spoken"])
        return Response(self.serializer_class(entry).data, status=status.HTTP_201_CREATED)


class PronunciationDetail(APIView):
    @no_content()
    def delete(self, request, pk):
        studio.delete_pronunciation(request.membership, pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
