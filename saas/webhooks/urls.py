"""API routes, included by saas/api/urls.py at /api/v1/ (every path starts "webhooks")."""

from django.urls import path

from . import api

urlpatterns = [
    path("webhooks", api.EndpointList.as_view(), name="api_webhooks"),
    path("webhooks/<uuid:pk>", api.EndpointDetail.as_view(), name="api_webhook"),
    path("webhooks/<uuid:pk>/rotate-secret", api.RotateSecret.as_view(), name="api_webhook_rotate"),
    path("webhooks/<uuid:pk>/test", api.SendTest.as_view(), name="api_webhook_test"),
    path("webhooks/<uuid:pk>/enable", api.EnableEndpoint.as_view(), name="api_webhook_enable"),
    path(
        "webhooks/<uuid:pk>/deliveries", api.DeliveryList.as_view(), name="api_webhook_deliveries"
    ),
    path(
        "webhooks/<uuid:pk>/deliveries/<uuid:delivery_id>",
        api.DeliveryDetail.as_view(),
        name="api_webhook_delivery",
    ),
    path(
        "webhooks/<uuid:pk>/deliveries/<uuid:delivery_id>/replay",
        api.ReplayDelivery.as_view(),
        name="api_webhook_replay",
    ),
]
