from django.urls import path

from . import views

urlpatterns = [
    path("workspace", views.WorkspaceView.as_view(), name="api_workspace"),
    path("projects", views.ProjectList.as_view(), name="api_projects"),
    path("projects/<uuid:pk>", views.ProjectDetail.as_view(), name="api_project"),
    path("members", views.MemberList.as_view(), name="api_members"),
    path("members/<uuid:pk>", views.MemberDetail.as_view(), name="api_member"),
    path("invitations", views.InvitationList.as_view(), name="api_invitations"),
    path("invitations/<uuid:pk>", views.InvitationDetail.as_view(), name="api_invitation"),
    path("api-keys", views.ApiKeyList.as_view(), name="api_keys"),
    path("api-keys/<uuid:pk>", views.ApiKeyDetail.as_view(), name="api_key"),
    path("pronunciations", views.PronunciationList.as_view(), name="api_pronunciations"),
    path("pronunciations/<uuid:pk>", views.PronunciationDetail.as_view(), name="api_pronunciation"),
]
