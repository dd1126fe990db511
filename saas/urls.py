from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from saas.billing.api import BillingView
from saas.studio import views as studio
from saas.workspaces import views as workspaces

urlpatterns = [
    path("", studio.home, name="home"),
    path("", include("saas.studio.pages.urls")),
    path("", include("saas.translations.pages")),
    path("", include("saas.batches.pages")),
    path("accounts/", include("allauth.urls")),
    path("workspace/switch/", workspaces.switch_workspace, name="switch_workspace"),
    path("workspace/new/", workspaces.create_workspace, name="create_workspace"),
    path("workspace/members/", workspaces.members, name="members"),
    path("workspace/api-keys/", workspaces.api_keys, name="api_keys"),
    path("workspace/webhooks/", include("saas.webhooks.web_urls")),
    path("invitations/<str:token>/", workspaces.accept_invitation, name="accept_invitation"),
    path("billing/", include("saas.billing.urls")),
    path("api/v1/billing", BillingView.as_view(), name="api_billing"),
    path("api/v1/", include("saas.api.urls")),
    path("", include("saas.ops.urls")),  # /healthz, /readyz, /metrics
    path("", include("saas.heygen.urls")),  # HeyGen's /v1 and /v2 routes
    path("admin/", admin.site.urls),
]

if settings.STORAGES["default"]["BACKEND"] == "saas.media.SignedFileSystemStorage":
    from saas import media

    # Local-disk media, for requests that carry a valid signature (saas/media.py)
    urlpatterns += [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.serve,
                         name="media")]  # fmt: skip
