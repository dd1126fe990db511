from django.contrib import admin

from .models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    list_display = ["url", "workspace", "active", "secret_prefix", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "workspace__name"]
    # The encrypted secrets stay out of the admin altogether.
    exclude = ["secret_encrypted", "previous_secret_encrypted"]
    readonly_fields = ["secret_prefix", "previous_secret_expires_at", "created_by"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ["number", "started_at", "response_code", "latency_ms", "error"]
    fields = readonly_fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["event_type", "event_id", "endpoint", "status", "attempts", "created_at"]
    list_filter = ["status", "event_type"]
    search_fields = ["event_id", "endpoint__url"]
    readonly_fields = ["endpoint", "replay_of"]
    inlines = [WebhookAttemptInline]
