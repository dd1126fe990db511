from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from . import batch_views, draft_views, media_views, translation_views, video_views, views

urlpatterns = [
    path("schema", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file (?script), not inline:
    # the Content-Security-Policy runs no inline script.
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(url_name="api_schema", permission_classes=[AllowAny]),
        name="api_docs",
    ),
    path("videos", video_views.VideoList.as_view(), name="api_videos"),
    path("videos/from-url", video_views.VideoFromUrl.as_view(), name="api_videos_from_url"),
    path("videos/<uuid:pk>", video_views.VideoDetail.as_view(), name="api_video"),
    path("videos/<uuid:pk>/cancel", video_views.VideoCancel.as_view(), name="api_video_cancel"),
    path("drafts", draft_views.DraftList.as_view(), name="api_drafts"),
    path("drafts/from-url", draft_views.DraftFromUrl.as_view(), name="api_drafts_from_url"),
    path("drafts/<uuid:pk>", draft_views.DraftDetail.as_view(), name="api_draft"),
    path("drafts/<uuid:pk>/script", draft_views.DraftScript.as_view(), name="api_draft_script"),
    path("drafts/<uuid:pk>/render", draft_views.DraftRender.as_view(), name="api_draft_render"),
    path("estimate", video_views.Estimate.as_view(), name="api_estimate"),
    path("templates", batch_views.TemplateList.as_view(), name="api_templates"),
    path("templates/<str:pk>", batch_views.TemplateDetail.as_view(), name="api_template"),
    path(
        "templates/<str:pk>/generate",
        batch_views.TemplateGenerate.as_view(),
        name="api_template_generate",
    ),
    path("batches", batch_views.BatchList.as_view(), name="api_batches"),
    path("batches/<uuid:pk>", batch_views.BatchDetail.as_view(), name="api_batch"),
    path(
        "batches/<uuid:pk>/rows/<int:number>",
        batch_views.BatchRowDetail.as_view(),
        name="api_batch_row",
    ),
    path("batches/<uuid:pk>/start", batch_views.BatchStart.as_view(), name="api_batch_start"),
    path("batches/<uuid:pk>/cancel", batch_views.BatchCancel.as_view(), name="api_batch_cancel"),
    path("batches/<uuid:pk>/retry", batch_views.BatchRetry.as_view(), name="api_batch_retry"),
    path(
        "batches/<uuid:pk>/download",
        batch_views.BatchDownload.as_view(),
        name="api_batch_download",
    ),
    path("assets", media_views.AssetList.as_view(), name="api_assets"),
    path("assets/<uuid:pk>", media_views.AssetDetail.as_view(), name="api_asset"),
    path("voices", media_views.VoiceList.as_view(), name="api_voices"),
    path("avatars", media_views.AvatarList.as_view(), name="api_avatars"),
    path("avatars/<uuid:pk>", media_views.AvatarDetail.as_view(), name="api_avatar"),
    path(
        "voices/<str:voice_id>/preview",
        media_views.VoicePreview.as_view(),
        name="api_voice_preview",
    ),
    path("translations", translation_views.TranslationList.as_view(), name="api_translations"),
    path(
        "translations/languages",
        translation_views.TranslationLanguages.as_view(),
        name="api_translation_languages",
    ),
    path(
        "translations/<uuid:pk>",
        translation_views.TranslationDetail.as_view(),
        name="api_translation",
    ),
    path(
        "translations/<uuid:pk>/languages/<str:language>",
        translation_views.TranslationLanguageDetail.as_view(),
        name="api_translation_language",
    ),
    path(
        "translations/<uuid:pk>/languages/<str:language>/retranslate",
        translation_views.TranslationRetranslate.as_view(),
        name="api_translation_retranslate",
    ),
    path(
        "translations/<uuid:pk>/dub",
        translation_views.TranslationDub.as_view(),
        name="api_translation_dub",
    ),
    path(
        "translations/<uuid:pk>/cancel",
        translation_views.TranslationCancel.as_view(),
        name="api_translation_cancel",
    ),
    path("workspace", views.WorkspaceView.as_view(), name="api_workspace"),
    path("projects", views.ProjectList.as_view(), name="api_projects"),
    path("projects/<uuid:pk>", views.ProjectDetail.as_view(), name="api_project"),
    path("members", views.MemberList.as_view(), name="api_members"),
    path("members/<uuid:pk>", views.MemberDetail.as_view(), name="api_member"),
    path("invitations", views.InvitationList.as_view(), name="api_invitations"),
    path("invitations/<uuid:pk>", views.InvitationDetail.as_view(), name="api_invitation"),
    path("api-keys", views.ApiKeyList.as_view(), name="api_api_keys"),
    path("api-keys/<uuid:pk>", views.ApiKeyDetail.as_view(), name="api_api_key"),
    path("pronunciations", views.PronunciationList.as_view(), name="api_pronunciations"),
    path("pronunciations/<uuid:pk>", views.PronunciationDetail.as_view(), name="api_pronunciation"),
    path("", include("saas.webhooks.urls")),  # /api/v1/webhooks...
]
