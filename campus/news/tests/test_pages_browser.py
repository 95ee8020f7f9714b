import pytest
from playwright.sync_api import expect

from campus.demo import DEMO_PASSWORD
from campus.moderation import ModerationStatus
from campus.news.models import Article
from campus.testing.browser import assert_accessible, log_in, save_screenshot
from campus.testing.images import image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {
    "desktop": {"width": 1366, "height": 900},
    "mobile": {"width": 390, "height": 844},
}


def assert_no_horizontal_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_news_list_and_article_are_accessible(local_page, demo, viewport):
    """The demo news list, a category and an article pass axe at both widths and at 320 px."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(demo.url + "/actualites/")
    expect(page.get_by_role("heading", name="Actualités", level=1)).to_be_visible()
    expect(page.get_by_text("Démo").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"news-list-{viewport}")
    page.get_by_role("navigation", name="Rubriques").get_by_role(
        "link", name="Formations"
    ).click()
    expect(
        page.get_by_role("heading", name="Actualités : Formations", level=1)
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role(
        "link", name="Une nouvelle classe de CAP Maroquinerie ouvre à Montbard"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Une nouvelle classe de CAP Maroquinerie ouvre à Montbard"
    )
    image = page.locator(".article__image img")
    expect(image).to_have_attribute(
        "alt", Article.objects.get(slug="ouverture-cap-maroquinerie-montbard").image_alt
    )
    assert_accessible(page)
    save_screenshot(page, f"news-article-{viewport}")
    page.set_viewport_size({"width": 320, "height": 700})
    assert_no_horizontal_scroll(page)
    page.goto(demo.url + "/actualites/")
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_partner_proposes_an_article_after_fixing_errors(
    local_page, demo, tmp_path, viewport
):
    """An editor fixes a hostile body and a missing alt, then proposes the article."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, demo, "editeur.entreprise@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/espace/")
    page.get_by_role("link", name="Actualités", exact=True).last.click()
    expect(
        page.get_by_role("heading", name="Actualités de mes organisations")
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"news-partner-list-{viewport}")
    page.get_by_role("link", name="Proposer un article").click()
    page.get_by_label("Proposé pour").select_option(
        label="Atelier Cuir de l'Auxois (démo)"
    )
    page.get_by_label("Titre").fill("Deux apprentis rejoignent l'atelier")
    page.get_by_label("Chapeau").fill("L'atelier forme deux apprentis en CAP.")
    page.get_by_label("Texte", exact=False).first.fill("<script>alert(1)</script>")
    picture = tmp_path / "atelier.png"
    picture.write_bytes(image_bytes((300, 200)))
    page.get_by_label("Image", exact=True).set_input_files(str(picture))
    page.get_by_label("Entreprises et ateliers").check()
    page.get_by_role("button", name="Envoyer à l'équipe du campus").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Le HTML n'est pas accepté").first).to_be_visible()
    expect(
        page.get_by_text("le texte alternatif est obligatoire avec une image").first
    ).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, f"news-partner-form-errors-{viewport}")
    assert not Article.objects.filter(title__startswith="Deux apprentis").exists()
    page.get_by_label("Texte", exact=False).first.fill(
        "Ils apprendront la **coupe** et la piqûre."
    )
    page.get_by_label("Image", exact=True).set_input_files(str(picture))
    page.get_by_label("Texte alternatif de l'image").fill("Deux apprentis à l'établi")
    page.get_by_role("button", name="Envoyer à l'équipe du campus").click()
    expect(
        page.get_by_text("L'article est envoyé à l'équipe du campus")
    ).to_be_visible()
    article = Article.objects.get(title="Deux apprentis rejoignent l'atelier")
    assert article.status == ModerationStatus.SUBMITTED
    assert article.image_alt == "Deux apprentis à l'établi"


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_shows_the_latest_news(local_page, demo, viewport):
    """The home page's « Dernières actualités » section passes axe."""
    page = local_page
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(demo.url + "/")
    section = page.get_by_role("region", name="Dernières actualités")
    expect(section.get_by_role("article")).to_have_count(0)
    expect(section.locator(".article-card")).to_have_count(3)
    assert_accessible(page, context="section[aria-labelledby=news-title]")
    section.screenshot(path=str(save_screenshot(page, f"news-home-{viewport}")))


def test_team_moderates_a_proposal(local_page, demo):
    """The team finds the waiting article, fails to refuse it without a reason, then publishes it."""
    page = local_page
    page.set_viewport_size(VIEWPORTS["desktop"])
    log_in(page, demo, "equipe@campus.example", DEMO_PASSWORD)
    page.goto(demo.url + "/gestion/")
    page.get_by_role("link", name="Articles").click()
    expect(page.get_by_text("1 article attend votre relecture.")).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "news-team-list")
    # The article's page loaded before its form is sent: a submit clicked while
    # the page is still loading was lost in CI (no error shown, nothing sent).
    with page.expect_navigation():
        page.get_by_role(
            "link", name="Une collection de fermoirs ciselés à la main"
        ).click()
    page.get_by_role("button", name="Refuser l'article").click()
    expect(page.get_by_text("Indiquez le motif du refus").first).to_be_visible()
    assert_accessible(page)
    save_screenshot(page, "news-team-review-error")
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("L'article est publié.")).to_be_visible()
    article = Article.objects.get(slug="nouvelle-collection-fermoirs")
    assert article.is_published
