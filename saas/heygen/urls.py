"""HeyGen's routes, at HeyGen's paths: point a HeyGen client's base URL here."""

from django.urls import path

from . import views

urlpatterns = [
    path("v2/openapi.json", views.Document.as_view(), name="heygen_openapi"),
    path("v2/video/generate", views.VideoGenerate.as_view(), name="heygen_video_generate"),
    path("v1/video_status.get", views.VideoStatus.as_view(), name="heygen_video_status"),
    path("v1/video.list", views.VideoList.as_view(), name="heygen_video_list"),
    path("v1/video.delete", views.VideoDelete.as_view(), name="heygen_video_delete"),
    path("v2/avatars", views.Avatars.as_view(), name="heygen_avatars"),
    path("v2/voices", views.Voices.as_view(), name="heygen_voices"),
    path("v2/user/remaining_quota", views.RemainingQuota.as_view(), name="heygen_quota"),
    path("v1/asset", views.AssetUpload.as_view(), name="heygen_asset"),
    path("v2/templates", views.Templates.as_view(), name="heygen_templates"),
    path("v2/template/<str:template_id>", views.TemplateDetail.as_view(), name="heygen_template"),
    path(
        "v3/template/<str:template_id>", views.TemplateDetailV3.as_view(), name="heygen_template_v3"
    ),
    path(
        "v2/template/<str:template_id>/generate",
        views.TemplateGenerate.as_view(),
        name="heygen_template_generate",
    ),
    path("v1/webhook/endpoint.add", views.WebhookEndpointAdd.as_view(), name="heygen_hook_add"),
    path("v1/webhook/endpoint.list", views.WebhookEndpointList.as_view(), name="heygen_hook_list"),
    path(
        "v1/webhook/endpoint.delete",
        views.WebhookEndpointDelete.as_view(),
        name="heygen_hook_delete",
    ),
    path("v1/webhook/webhook.list", views.WebhookEvents.as_view(), name="heygen_hook_events"),
]
