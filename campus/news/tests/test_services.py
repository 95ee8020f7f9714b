"""The moderation workflow: who publishes, who is told, what a refusal carries."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.moderation import ModerationStatus
from campus.network.tests.factories import MembershipFactory
from campus.news.models import Article
from campus.news.services import (
    NewsError,
    propose_article,
    publish_article,
    refuse_article,
    save_article,
)
from campus.news.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return Article(
        title="Un CAP ouvre", summary="Quinze places.", body="Texte.", **kwargs
    )


def test_partner_proposal_is_submitted_and_never_public():
    """A partner's new article waits for the team and is not published."""
    editor = MembershipFactory()
    article = propose_article(
        _draft(organisation=editor.organisation), acting_user=editor.user
    )
    assert article.status == ModerationStatus.SUBMITTED
    assert article.submitted_by == editor.user and article.author == editor.user
    assert article.slug == "un-cap-ouvre"
    assert not Article.objects.published().exists()


def test_team_article_is_published_at_once_or_scheduled():
    """The team's article is published now, or at the future date it chose."""
    team = UserFactory(campus_team=True)
    now_article = propose_article(_draft(), acting_user=team)
    assert now_article.status == ModerationStatus.PUBLISHED
    assert now_article.published_at <= timezone.now()
    later = timezone.now() + timedelta(days=2)
    scheduled = propose_article(_draft(published_at=later), acting_user=team)
    assert scheduled.is_scheduled
    assert list(Article.objects.published()) == [now_article]


def test_partner_change_sends_a_published_article_back_to_the_team():
    """A partner who edits a published article resubmits it, and the refusal reason goes."""
    editor = MembershipFactory()
    article = ArticleFactory(organisation=editor.organisation, refusal_reason="x")
    article.title = "Titre changé"
    save_article(article, acting_user=editor.user)
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED
    assert article.refusal_reason == ""


def test_team_change_keeps_the_status():
    """The team corrects a submitted article without publishing it."""
    article = ArticleFactory(submitted=True)
    article.title = "Corrigé"
    save_article(article, acting_user=UserFactory(campus_team=True))
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED and article.title == "Corrigé"


def test_slug_never_takes_a_reserved_address():
    """An article titled « RSS » does not hide the feed's address."""
    team = UserFactory(campus_team=True)
    article = propose_article(
        Article(title="RSS", summary="s", body="b"), acting_user=team
    )
    assert article.slug not in {"rss", "atom", "rubriques"}
    again = propose_article(
        Article(title="RSS", summary="s", body="b"), acting_user=team
    )
    assert again.slug != article.slug


def test_publish_and_schedule():
    """Publishing records who decided; a future date schedules."""
    team = UserFactory(campus_team=True)
    article = ArticleFactory(submitted=True)
    later = timezone.now() + timedelta(days=1)
    article = publish_article(article, acting_user=team, published_at=later)
    assert article.status == ModerationStatus.PUBLISHED
    assert article.is_scheduled and article.decided_by == team
    with pytest.raises(NewsError):
        publish_article(ArticleFactory(), acting_user=team)


def test_refusal_needs_a_reason():
    """A refusal without a reason is a broken rule, and nothing changes."""
    article = ArticleFactory(submitted=True)
    with pytest.raises(NewsError, match="motif"):
        refuse_article(article, reason="  ", acting_user=UserFactory(campus_team=True))
    article.refresh_from_db()
    assert article.status == ModerationStatus.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_proposal_tells_the_team_and_refusal_mails_the_reason_to_the_author(
    run_tasks,
):
    """The team hears of a proposal; the author receives the refusal's reason."""
    team = UserFactory(campus_team=True, email="equipe@campus.fr")
    editor = MembershipFactory(user=UserFactory(email="auteur@atelier.fr"))
    article = propose_article(
        _draft(organisation=editor.organisation), acting_user=editor.user
    )
    run_tasks()
    assert [m.to for m in mail.outbox] == [["equipe@campus.fr"]]
    assert "Article à relire : Un CAP ouvre" == mail.outbox[0].subject
    assert f"/gestion/actualites/{article.pk}/" in mail.outbox[0].body
    refuse_article(article, reason="Ajoutez les dates.", acting_user=team)
    run_tasks()
    refusal = mail.outbox[1]
    assert refusal.to == ["auteur@atelier.fr"]
    assert "Ajoutez les dates." in refusal.body
    assert "/espace/actualites/" in refusal.body
    publish_article(article, acting_user=team)
    run_tasks()
    assert mail.outbox[2].to == ["auteur@atelier.fr"]
    assert article.get_absolute_url() in mail.outbox[2].body
