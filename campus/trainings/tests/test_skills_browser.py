import pytest
from playwright.sync_api import expect

from campus.accounts.tests.factories import TEST_PASSWORD
from campus.network.tests.factories import MembershipFactory
from campus.testing.browser import (
    assert_accessible,
    log_in,
    open_filters,
    save_screenshot,
)
from campus.trainings.tests.factories import (
    CertificationFactory,
    OfferingFactory,
    SkillBlockFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PSE = "Prévention-santé-environnement"


@pytest.fixture
def frameworks():
    leather = CertificationFactory(title="CAP Maroquinerie", rncp_code="RNCP38712")
    saddler = CertificationFactory(
        title="CAP Sellier-harnacheur", rncp_code="RNCP35000"
    )
    bac = CertificationFactory(bac_pro=True, rncp_code="RNCP37230")
    for certification, titles in [
        (leather, ["Préparation d'une fabrication", "Réalisation d'un article", PSE]),
        (saddler, ["Fabrication et réparation de selles et de harnais", PSE]),
        (bac, ["Étude d'une fabrication", "Réalisation d'un prototype", "Arts", PSE]),
    ]:
        for order, title in enumerate(titles, start=1):
            SkillBlockFactory(
                certification=certification,
                order=order,
                title=title,
                skills="Coudre au point sellier, à deux aiguilles (piqûre sellier)\n"
                "Parer et refendre les bords",
            )
    return {"leather": leather, "saddler": saddler, "bac": bac}


@pytest.mark.parametrize("width", [1366, 390])
def test_comparison_chosen_in_the_form_reads_side_by_side_or_stacked(
    local_page, live_server, frameworks, width
):
    """A visitor picks three certifications and reads their blocks: a table wide,
    stacked block by block on a phone, each cell naming its certification."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/formations/comparer/")
    assert_accessible(page)
    page.get_by_label("Première certification").select_option("RNCP38712")
    page.get_by_label("Deuxième certification").select_option("RNCP35000")
    page.get_by_label("Troisième certification (facultative)").select_option(
        "RNCP37230"
    )
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_url("**/formations/comparer/?c=RNCP38712&c=RNCP35000&c=RNCP37230")
    table = page.get_by_role("table", name="Blocs de compétences, bloc par bloc")
    expect(table).to_be_visible()
    # The header row, then a row a block; stacked, the headers give way to the
    # name of its certification in each cell.
    expect(table.get_by_role("row")).to_have_count(5 if width > 800 else 4)
    expect(page.get_by_text("Aussi dans CAP Sellier-harnacheur").first).to_be_visible()
    page.get_by_text("2 compétences").first.click()
    expect(page.get_by_text("Parer et refendre les bords").first).to_be_visible()
    assert_accessible(page)
    labels = page.locator(".compare-table__label")
    if width < 800:
        expect(labels.first).to_be_visible()
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= width, "the stacked table fits the phone's width"
    else:
        expect(labels.first).to_be_hidden()
    save_screenshot(page, f"trainings-compare-{width}")


@pytest.mark.parametrize("width", [1366, 390])
def test_comparison_refuses_an_unknown_certification(
    local_page, live_server, frameworks, width
):
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(live_server.url + "/formations/comparer/?c=RNCP38712&c=RNCP1")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Certification inconnue")
    assert_accessible(page)


@pytest.mark.parametrize("width", [1366, 390])
def test_block_search_finds_the_certifications_teaching_a_skill(
    local_page, live_server, frameworks, width
):
    """A visitor types a skill, sees the certifications teaching it with their
    blocks, and follows a block to its certification's page."""
    page = local_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/formations/blocs/")
    assert_accessible(page)
    page.get_by_label("Compétence recherchée").fill("piqûre sellier")
    page.get_by_label("Compétence recherchée").press("Enter")
    count = page.locator("#results-count")
    expect(count).to_have_text("3 certifications enseignent cette compétence")
    assert "q=piq" in page.url
    open_filters(page)
    page.get_by_label("Niveau").select_option("4")
    expect(count).to_have_text("1 certification enseigne cette compétence")
    assert_accessible(page)
    save_screenshot(page, f"trainings-block-search-{width}")
    page.get_by_role("link", name="Réalisation d'un prototype").click()
    expect(page.locator("h1")).to_have_text(frameworks["bac"].title)
    heading = page.get_by_role("heading", name="Réalisation d'un prototype")
    expect(heading).to_be_in_viewport()
    assert_accessible(page)
    save_screenshot(page, f"trainings-certification-blocks-{width}")


def test_editor_ticks_the_block_a_short_course_prepares(
    local_page, live_server, frameworks
):
    """An editor ticks one block of a continuing-education course; its page then
    lists it, and the catalogue finds it « Par bloc de compétences »."""
    course = OfferingFactory(certification=frameworks["saddler"], continuing=True)
    editor = MembershipFactory(organisation=course.organisation).user
    page = local_page
    log_in(page, live_server, editor.email, TEST_PASSWORD)
    page.goto(f"{live_server.url}/espace/formations/nouvelle/")
    page.locator("#id_certification").select_option(label="CAP Sellier-harnacheur")
    expect(
        page.get_by_label("RNCP35000BC01 — Fabrication et réparation")
    ).to_be_visible()
    page.goto(f"{live_server.url}/espace/formations/{course.pk}/")
    page.get_by_label("RNCP35000BC01 — Fabrication et réparation").check()
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()
    page.goto(live_server.url + course.get_absolute_url())
    expect(
        page.get_by_role("heading", name="Blocs de compétences préparés")
    ).to_be_visible()
    page.goto(live_server.url + "/formations/")
    open_filters(page)
    page.get_by_label("Par bloc de compétences").fill("piqûre sellier")
    page.get_by_label("Par bloc de compétences").press("Enter")
    expect(page.locator("#results-count")).to_have_text("1 formation trouvée")
    assert_accessible(page)
