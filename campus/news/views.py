import hashlib
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    IntegerField,
    Min,
    Prefetch,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from campus import fragments
from campus.dates import french_date
from campus.deletion import confirm_delete
from campus.moderation import ModerationStatus
from campus.network.models import Organisation
from campus.news import services
from campus.news.forms import ArticleForm, RefusalForm, ScheduleForm, TeamArticleForm
from campus.news.models import Article, Category
from campus.news.permissions import article_policy, can_edit_article
from campus.ownership import organisation_ids_of
from campus.permissions import campus_team_required, organisation_editor_required
from campus.profiles.models import CampusProfile

PAGE_SIZE = 12
TEAM_PAGE_SIZE = 30
LINKS = ("categories", "trades", "organisations", "events")


def _published_list():
    return (
        Article.objects.published()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("name", "pk"))
        )
        .order_by("-published_at", "-pk")
    )


def _render_list(request, articles, *, category=None):
    """A list of articles: its page, the categories and the feeds are kept per
    address until a write or the next scheduled publication."""

    def build():
        since = timezone.now()
        page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "category": category,
            "categories": Category.objects.filter(
                pk__in=Article.objects.published().values("categories")
            ).order_by("name", "pk"),
            "feeds": _feeds(category),
            "query_string": "",
        }
        listing = {
            "page_number": page.number,
            "html": render_to_string(
                "news/article_list.html#listing", context, request
            ),
        }
        return listing, lambda: next_publication(since)

    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    name = f"news-list.{digest}"
    listing = fragments.kept_many(request, {name: build})[name]
    return render(
        request,
        "news/article_list.html",
        {
            "category": category,
            "feeds": _feeds(category),
            "page_number": listing["page_number"],
            "listing": mark_safe(listing["html"]),  # noqa: S308 - rendered above
        },
    )


def next_publication(since):
    """When the first article scheduled after `since` is published."""
    scheduled = Article.objects.scheduled(after=since)
    return scheduled.aggregate(next=Min("published_at"))["next"]


def _feeds(category=None) -> dict:
    """The RSS and Atom addresses of all the news, or of one category's."""
    if category is None:
        return {
            "title": "Toutes les actualités",
            "rss": reverse("news:rss"),
            "atom": reverse("news:atom"),
        }
    return {
        "title": f"Rubrique « {category.name} »",
        "rss": reverse("news:category_rss", args=[category.slug]),
        "atom": reverse("news:category_atom", args=[category.slug]),
    }


@login_not_required
@require_safe
def article_list(request):
    """Anyone reads the published articles, newest first."""
    return _render_list(request, _published_list())


@login_not_required
@require_safe
def category(request, slug):
    """Anyone reads a category's published articles, newest first."""
    category = get_object_or_404(Category, slug=slug)
    return _render_list(
        request, _published_list().filter(categories=category), category=category
    )


def _json_ld(request, article) -> str:
    """The article as a schema.org NewsArticle, escaped for a <script> element."""
    campus = CampusProfile.for_request(request)
    url = settings.CAMPUS_SITE_URL + article.get_absolute_url()
    publisher = {"@type": "Organization", "name": campus.name}
    author = (
        {
            "@type": "Organization",
            "name": article.organisation.name,
            "url": settings.CAMPUS_SITE_URL + article.organisation.get_absolute_url(),
        }
        if article.organisation
        else publisher
    )
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.summary,
        "url": url,
        "mainEntityOfPage": url,
        "dateModified": article.updated_at.isoformat(),
        "author": author,
        "publisher": publisher,
        "inLanguage": "fr-FR",
        "isAccessibleForFree": True,
    }
    if article.published_at:
        data["datePublished"] = article.published_at.isoformat()
    if article.image:
        data["image"] = settings.CAMPUS_SITE_URL + article.image.url
    sections = [c.name for c in article.categories.all()]
    if sections:
        data["articleSection"] = sections
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return mark_safe(text.translate(_json_script_escapes))  # noqa: S308 - escaped


@login_not_required
@require_safe
def article_detail(request, slug):
    """Anyone reads a published article; its organisation's members and the team also the others."""
    article = get_object_or_404(
        Article.objects.visible_to(request.user).select_related("organisation"),
        slug=slug,
    )
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "can_edit": can_edit_article(request.user, article),
            "kept": _article_parts(request, article),
            "feeds": _feeds(),
        },
    )


def _article_parts(request, article) -> dict[str, str]:
    """What an article's page shows of it, the same for whoever may read it: its
    meta tags, its JSON-LD and its text with its links, kept until a table they
    read is written. The notice of an unpublished article and the edit link are the
    visitor's, built on each visit."""

    def build():
        prefetch_related_objects(
            [article],
            Prefetch("categories", queryset=Category.objects.order_by("name", "pk")),
        )
        context = {
            "article": article,
            # Links lead only to public pages.
            "organisations": article.organisations.published().order_by("name", "pk"),
            "trades": article.trades.published().order_by("name", "pk"),
            "events": article.events.published().order_by("starts_at", "pk"),
        }
        page = "news/article_detail.html"
        return {
            "meta": render_to_string(f"{page}#meta", context),
            "json_ld": _json_ld(request, article),
            "text": render_to_string(f"{page}#text", context),
        }

    return fragments.kept(request, f"article-page.{article.pk}", build)


# Partner space


@require_safe
def partner_articles(request):
    """The articles of the user's organisations, whatever their status; an editor
    changes them, a viewer reads them."""
    articles = (
        Article.objects.filter(organisation__in=organisation_ids_of(request.user))
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )
    return render(
        request,
        "news/partner_articles.html",
        {
            "articles": [
                (article, can_edit_article(request.user, article))
                for article in articles
            ],
            "has_organisations": Organisation.objects.editable_by(
                request.user
            ).exists(),
        },
    )


def _links(form) -> dict:
    return {name: form.cleaned_data[name] for name in LINKS if name in form.fields}


def _new_image(form):
    return form.cleaned_data["image"] if "image" in form.changed_data else None


def _article_form_view(request, article, *, form_class, done_url, template):
    form = form_class(
        request.POST or None,
        request.FILES or None,
        instance=article,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        is_new = article.pk is None
        services.save_article(
            form.save(commit=False),
            acting_user=request.user,
            new_image=_new_image(form),
            links=_links(form),
        )
        if request.user.is_campus_team:
            messages.success(request, "L'article est enregistré.")
        elif is_new:
            messages.success(
                request,
                "L'article est envoyé à l'équipe du campus, qui le publiera après relecture.",
            )
        else:
            messages.success(
                request,
                "Vos modifications sont envoyées à l'équipe du campus pour relecture.",
            )
        return redirect(done_url)
    return render(
        request,
        template,
        {"form": form, "article": article},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@organisation_editor_required("news:partner_articles")
def article_create(request):
    """An editor proposes an article for one of their organisations."""
    return _article_form_view(
        request,
        Article(),
        form_class=ArticleForm,
        done_url=reverse("news:partner_articles"),
        template="news/article_form.html",
    )


def _editable(request, pk):
    """An article of an organisation the user edits; any other is a 404. The
    team's own articles have no organisation and are changed in the back-office."""
    return get_object_or_404(
        article_policy.editable_by(
            Article.objects.filter(organisation__isnull=False), request.user
        ),
        pk=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def article_edit(request, pk):
    """An editor changes their organisation's article, which goes back to the team."""
    return _article_form_view(
        request,
        _editable(request, pk),
        form_class=ArticleForm,
        done_url=reverse("news:partner_articles"),
        template="news/article_form.html",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def article_delete(request, pk):
    """An editor deletes their organisation's article."""
    article = _editable(request, pk)
    return confirm_delete(
        request,
        article,
        what=f"l'article « {article.title} »",
        consequence="L'article et son image disparaîtront des actualités et des fils RSS.",
        list_url=reverse("news:partner_articles"),
        list_label="Actualités",
        edit_url=reverse("news:article_edit", args=[article.pk]),
        delete=lambda: services.delete_article(article),
    )


# Back-office


@campus_team_required
@require_safe
def team_articles(request):
    """The team sees every article, those awaiting moderation first."""
    articles = (
        Article.objects.visible_to(request.user)
        .select_related("organisation")
        .annotate(
            waiting=Case(
                When(status=ModerationStatus.SUBMITTED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("waiting", "-created_at", "-pk")
    )
    show = request.GET.get("statut", "")
    if show in ModerationStatus.values:
        articles = articles.filter(status=show)
    else:
        show = ""
    page = Paginator(articles, TEAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/team_articles.html",
        {
            "page": page,
            "show": show,
            "query_string": f"statut={show}" if show else "",
            "filters": [("", "Tous"), *ModerationStatus.choices],
            "waiting": Article.objects.filter(
                status=ModerationStatus.SUBMITTED
            ).count(),
        },
    )


def _team_article(request, pk):
    return get_object_or_404(
        Article.objects.visible_to(request.user).select_related("organisation"),
        pk=pk,
    )


def _render_review(request, article, *, schedule_form=None, refusal_form=None):
    invalid = (schedule_form and schedule_form.errors) or (
        refusal_form and refusal_form.errors
    )
    return render(
        request,
        "news/team_article_review.html",
        {
            "article": article,
            "schedule_form": schedule_form or ScheduleForm(),
            "refusal_form": refusal_form or RefusalForm(),
            "categories": article.categories.order_by("name", "pk"),
        },
        status=400 if invalid else 200,
    )


@campus_team_required
@require_safe
def team_article_review(request, pk):
    """The team reads an article and publishes, schedules or refuses it."""
    return _render_review(request, _team_article(request, pk))


@campus_team_required
@require_POST
def publish(request, pk):
    article = _team_article(request, pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _render_review(request, article, schedule_form=form)
    article = services.publish_article(
        article,
        acting_user=request.user,
        published_at=form.cleaned_data["published_at"],
    )
    if article.published_at and article.published_at > article.decided_at:
        messages.success(
            request,
            f"L'article sera publié le {french_date(article.published_at, 'heure')}.",
        )
    else:
        messages.success(request, "L'article est publié.")
    return redirect("news:team_article_review", pk=article.pk)


@campus_team_required
@require_POST
def refuse(request, pk):
    article = _team_article(request, pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        return _render_review(request, article, refusal_form=form)
    services.refuse_article(
        article, reason=form.cleaned_data["reason"], acting_user=request.user
    )
    messages.success(request, "L'article est refusé ; son auteur reçoit le motif.")
    return redirect("news:team_articles")


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_article_create(request):
    """The team writes an article, published at once or at the date it chooses."""
    return _article_form_view(
        request,
        Article(),
        form_class=TeamArticleForm,
        done_url=reverse("news:team_articles"),
        template="news/team_article_form.html",
    )


@campus_team_required
@require_http_methods(["GET", "HEAD", "POST"])
def team_article_edit(request, pk):
    """The team changes any article; its status stays as it was."""
    article = _team_article(request, pk)
    return _article_form_view(
        request,
        article,
        form_class=TeamArticleForm,
        done_url=reverse("news:team_article_review", args=[article.pk]),
        template="news/team_article_form.html",
    )
