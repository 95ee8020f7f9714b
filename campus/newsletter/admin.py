from django.contrib import admin

from campus.newsletter.models import Delivery, NewsletterIssue, Subscriber


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = ["email", "status", "confirmed_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["email"]
    readonly_fields = ["confirmation_sent_at", "confirmed_at", "unsubscribed_at"]


@admin.register(NewsletterIssue)
class NewsletterIssueAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "created_at", "sent_at", "sent_count"]
    list_filter = ["status"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["issue", "subscriber", "status", "sent_at"]
    list_filter = ["status"]
    list_select_related = ["issue", "subscriber"]
