"""Workflows of the news: a partner proposes, the team publishes or refuses.

The team's own articles are published as soon as they are written (at once, or
at the date it chose). A partner's article waits for the team; when a partner
changes an article, it goes back to the team, which is how a published text
never changes without being read again.
"""

from datetime import datetime

from django.db import transaction

from campus.accounts.models import User
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.mail import send_templated_email
from campus.moderation import ModerationStatus
from campus.news.models import Article
from campus.rules import RuleError
from campus.slugs import unique_slug

# Addresses under /actualites/ that an article's slug must not take.
RESERVED_SLUGS = {"rss", "atom", "rubriques"}


class NewsError(RuleError):
    """A moderation step that cannot happen now; its message is for the user."""

    status_code = 409


def _slug_for(article: Article) -> str:
    return unique_slug(
        Article,
        article.title,
        max_length=220,
        default="article",
        reserved=RESERVED_SLUGS,
    )


def _store_image(article: Article, new_image) -> None:
    """Keeps our resized re-encoding of a new upload, and drops the replaced file
    once the change is committed."""
    replaced = (
        Article.objects.filter(pk=article.pk).values_list("image", flat=True).first()
        if article.pk
        else None
    )
    content = reencoded_image(new_image, max_side=SHOWCASE_MAX_SIDE)
    article.image.save(content.name, content, save=False)
    if replaced:
        storage = article.image.storage
        transaction.on_commit(lambda: storage.delete(replaced))


def _set_links(article: Article, links: dict | None) -> None:
    for name, values in (links or {}).items():
        getattr(article, name).set(values)


def save_article(
    article: Article,
    *,
    acting_user: User,
    new_image=None,
    links: dict | None = None,
) -> Article:
    """Saves what an author wrote, as the team or as a partner.

    A partner's article (new or changed) is submitted to the team, which is told;
    a team member's new article is published at once, or at `published_at` when
    that date is to come. `links` maps the many-to-many fields (categories,
    organisations, trades, events) to their new rows.
    """
    with transaction.atomic():
        is_new = article.pk is None
        if is_new:
            article.slug = _slug_for(article)
            article.author = acting_user
        if new_image is not None:
            _store_image(article, new_image)
        if not article.image:
            article.image_alt = ""
        proposed = not acting_user.is_campus_team
        if proposed:
            article.submit(acting_user)
        elif is_new:
            article.record_decision(ModerationStatus.PUBLISHED, acting_user)
            article.published_at = article.published_at or article.decided_at
        article.save()
        _set_links(article, links)
        if proposed:
            send_templated_email(
                "news/email/article_proposed",
                {"article": article, "author": acting_user},
                User.objects.campus_team().values_list("email", flat=True),
            )
    return article


def propose_article(
    article: Article,
    *,
    acting_user: User,
    new_image=None,
    links: dict | None = None,
) -> Article:
    """A new article: submitted when a partner writes it, published when the team does."""
    if article.pk is not None:
        raise ValueError("propose_article creates an article; use save_article.")
    return save_article(
        article, acting_user=acting_user, new_image=new_image, links=links
    )


def publish_article(
    article: Article, *, acting_user: User, published_at: datetime | None = None
) -> Article:
    """The team publishes an article, now or at `published_at` (scheduled)."""
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.status == ModerationStatus.PUBLISHED and published_at is None:
            raise NewsError("Cet article est déjà publié.")
        article.record_decision(ModerationStatus.PUBLISHED, acting_user)
        article.published_at = published_at or article.decided_at
        article.save()
        author = article.submitted_by or article.author
        if author and author.email and not author.is_campus_team:
            send_templated_email(
                "news/email/article_published",
                {"article": article},
                [author.email],
            )
    return article


def refuse_article(article: Article, *, reason: str, acting_user: User) -> Article:
    """The team refuses an article; its author receives the reason by e-mail."""
    reason = reason.strip()
    if not reason:
        raise NewsError("Indiquez le motif du refus : il est envoyé à l'auteur.")
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article.pk)
        if article.status == ModerationStatus.REFUSED:
            raise NewsError("Cet article est déjà refusé.")
        article.record_decision(ModerationStatus.REFUSED, acting_user, reason)
        article.save()
        author = article.submitted_by or article.author
        if author and author.email:
            send_templated_email(
                "news/email/article_refused",
                {"article": article, "reason": reason},
                [author.email],
            )
    return article


def delete_article(article: Article) -> None:
    """Deletes an article, and its image file once the deletion is committed."""
    with transaction.atomic():
        image, storage = article.image.name, article.image.storage
        article.delete()
        if image:
            transaction.on_commit(lambda: storage.delete(image))
