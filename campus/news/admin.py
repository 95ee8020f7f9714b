from django.contrib import admin

from campus.news.models import Article, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """For corrections: the moderation goes through /gestion/actualites/, which
    e-mails the authors; a status changed here tells nobody."""

    list_display = [
        "title",
        "organisation",
        "status",
        "published_at",
        "is_demo",
    ]
    list_filter = ["status", "categories", "is_demo"]
    search_fields = ["title", "summary"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["organisation", "organisations"]
    filter_horizontal = ["categories", "trades", "events"]
    readonly_fields = ["submitted_by", "decided_by", "decided_at", "author"]
    prepopulated_fields = {"slug": ["title"]}
