"""The web page, included by saas/urls.py at /workspace/webhooks/."""

from django.urls import path

from . import views

urlpatterns = [path("", views.webhooks, name="webhooks")]
