from django.contrib import admin

from .models import BillingAccount, CreditEntry, CreditPurchase, StripeEvent


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = ["workspace", "plan", "subscription_status", "seats", "grace_until"]
    list_filter = ["plan", "subscription_status"]
    search_fields = ["workspace__name", "stripe_customer_id", "subscription_id"]
    # Stripe owns the subscription fields; staff set the plan (e.g. Enterprise),
    # custom seats and credits.
    readonly_fields = [
        "workspace",
        "stripe_customer_id",
        "subscription_id",
        "subscription_plan",
        "subscription_status",
        "subscription_event_at",
        "payment_event_at",
        "cancel_at_period_end",
        "current_period_end",
        "downgraded_at",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreditEntry)
class CreditEntryAdmin(ReadOnlyAdmin):
    """Append-only: grant credits with `manage.py grant_credits`, never by editing."""

    list_display = ["created_at", "workspace", "kind", "amount", "video_id", "note"]
    list_filter = ["kind"]
    search_fields = ["workspace__name", "video_id", "stripe_ref"]


@admin.register(CreditPurchase)
class CreditPurchaseAdmin(ReadOnlyAdmin):
    """Credit packs bought, with what Stripe refunded or had disputed of them."""

    list_display = ["created_at", "workspace", "credits", "amount", "amount_refunded", "charge"]
    search_fields = ["workspace__name", "checkout_session", "payment_intent", "charge"]


@admin.register(StripeEvent)
class StripeEventAdmin(ReadOnlyAdmin):
    list_display = ["id", "type", "created", "processed_at", "attempts", "error"]
    list_filter = ["type"]
    search_fields = ["id"]
