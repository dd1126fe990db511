from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("", views.billing, name="billing"),
    path("stripe/webhook/", webhooks.stripe_webhook, name="stripe_webhook"),
]
