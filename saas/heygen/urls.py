"""HeyGen's routes, at HeyGen's paths: point a HeyGen client's base URL here."""

from django.urls import path

from . import v3, views

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
    # v3 (HeyGen's current API)
    path("v3/videos", v3.Videos.as_view(), name="heygen_v3_videos"),
    path("v3/videos/<str:video_id>", v3.VideoDetail.as_view(), name="heygen_v3_video"),
    path("v3/avatars", v3.AvatarGroups.as_view(), name="heygen_v3_avatars"),
    path("v3/avatars/looks", v3.AvatarLooks.as_view(), name="heygen_v3_looks"),
    path("v3/avatars/looks/<str:look_id>", v3.AvatarLook.as_view(), name="heygen_v3_look"),
    path("v3/avatars/<str:group_id>", v3.AvatarGroup.as_view(), name="heygen_v3_avatar"),
    path("v3/voices", v3.Voices.as_view(), name="heygen_v3_voices"),
    path("v3/voices/<str:voice_id>", v3.VoiceDetail.as_view(), name="heygen_v3_voice"),
    path("v3/assets", v3.Assets.as_view(), name="heygen_v3_assets"),
    path("v3/users/me", v3.Me.as_view(), name="heygen_v3_me"),
    path("v3/templates", v3.Templates.as_view(), name="heygen_v3_templates"),
    path("v3/templates/<str:template_id>", v3.Template.as_view(), name="heygen_v3_template"),
    path("v3/webhooks/endpoints", v3.WebhookEndpoints.as_view(), name="heygen_v3_hooks"),
    path(
        "v3/webhooks/endpoints/<str:endpoint_id>",
        v3.WebhookEndpoint.as_view(),
        name="heygen_v3_hook",
    ),
    path(
        "v3/webhooks/endpoints/<str:endpoint_id>/rotate-secret",
        v3.WebhookRotate.as_view(),
        name="heygen_v3_hook_rotate",
    ),
    path("v3/webhooks/event-types", v3.WebhookEventTypes.as_view(), name="heygen_v3_event_types"),
    path("v3/webhooks/events", v3.WebhookEvents.as_view(), name="heygen_v3_events"),
]
