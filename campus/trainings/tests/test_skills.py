import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.profiles.models import SectorProfile
from campus.testing.htmx import assert_filter_swap
from campus.trainings.models import SkillBlock
from campus.trainings.services import match_blocks
from campus.trainings.tests.factories import (
    CertificationFactory,
    OfferingFactory,
    SkillBlockFactory,
)
from campus.trainings.tests.test_permissions import form_data

pytestmark = pytest.mark.django_db
SEARCH = reverse("trainings:block_search")
COMPARE = reverse("trainings:compare")
CATALOGUE = reverse("trainings:catalogue")


@pytest.fixture
def frameworks():
    """Three certifications with blocks; one block, « Prévention-santé-environnement »,
    is shared by the two CAPs."""
    leather = CertificationFactory(title="CAP Maroquinerie", rncp_code="RNCP38712")
    saddler = CertificationFactory(
        title="CAP Sellier-harnacheur", rncp_code="RNCP35000", rome_codes="B1803"
    )
    jewel = CertificationFactory(
        title="BMA Bijou", level=4, rncp_code="", slug="bma-bijou", rome_codes=""
    )
    blocks = {
        "cutting": SkillBlockFactory(
            certification=leather,
            order=1,
            title="Préparation d'une fabrication",
            skills="Couper à la main\nParer les bords",
            assessment="Épreuve pratique.",
        ),
        "leather_stitch": SkillBlockFactory(
            certification=leather,
            order=2,
            title="Réalisation d'un article de maroquinerie",
            skills="Assembler par piqûre machine\nPiqûre sellier à la main",
        ),
        "leather_pse": SkillBlockFactory(
            certification=leather, order=3, title="Prévention-santé-environnement"
        ),
        "saddle": SkillBlockFactory(
            certification=saddler,
            order=1,
            title="Fabrication de selles",
            skills="Coudre au point sellier, à deux aiguilles",
        ),
        "saddler_pse": SkillBlockFactory(
            certification=saddler, order=2, title="Prévention santé environnement"
        ),
        "setting": SkillBlockFactory(
            certification=jewel,
            order=1,
            title="Sertissage des pierres",
            skills="Sertir griffe et clos",
        ),
    }
    return {"leather": leather, "saddler": saddler, "jewel": jewel, **blocks}


# --- Certification page ---------------------------------------------------------


def test_certification_page_shows_its_blocks_in_full(client, frameworks):
    """Code, title, each skill and the assessment of every block are on the page."""
    body = client.get(frameworks["leather"].get_absolute_url()).content.decode()
    for text in [
        "RNCP38712BC01",
        "Préparation d&#x27;une fabrication",
        "<li>Couper à la main</li>",
        "<li>Parer les bords</li>",
        "Épreuve pratique.",
        f'id="{frameworks["cutting"].anchor}"',
        f"{COMPARE}?c=RNCP38712",
    ]:
        assert text in body, text


def test_certification_page_links_a_block_to_the_courses_preparing_it(
    client, frameworks
):
    """A block prepared by a published offering links to the catalogue filtered on it;
    an unpublished one does not count."""
    block = frameworks["leather_stitch"]
    OfferingFactory(
        certification=block.certification, continuing=True
    ).skill_blocks.add(block)
    OfferingFactory(
        certification=block.certification, unpublished=True
    ).skill_blocks.add(block)
    body = client.get(block.certification.get_absolute_url()).content.decode()
    assert f"?bloc={block.code}" in body
    assert "1 formation prépare ce bloc seul" in body


def test_hostile_block_text_is_shown_escaped(client):
    """Skills typed with markup are shown as text, never run."""
    block = SkillBlockFactory(skills="<script>alert(1)</script>", title="<b>x</b>")
    body = client.get(block.certification.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- match_blocks -----------------------------------------------------------------


def test_match_blocks_ignores_accents_case_endings_and_question_words(frameworks):
    """« Quelles formations enseignent la PIQURE SELLIER ? » finds both certifications
    teaching it, each with its matching blocks, by level then title."""
    matches = match_blocks("Quelles formations enseignent la PIQURE SELLIER ?")
    assert [(m.certification, m.blocks) for m in matches] == [
        (frameworks["leather"], [frameworks["leather_stitch"]]),
    ]
    matches = match_blocks("sellier")
    assert [m.certification for m in matches] == [
        frameworks["leather"],
        frameworks["saddler"],
    ]
    assert match_blocks("selliers")[1].blocks == [frameworks["saddle"]]


def test_match_blocks_uses_the_sector_synonyms(frameworks):
    """A synonym of the sector profile finds the blocks that use the other word."""
    profile = SectorProfile.load()
    profile.synonyms = "joaillerie = sertissage"
    profile.save()
    assert [m.certification for m in match_blocks("joaillerie")] == [
        frameworks["jewel"]
    ]


@pytest.mark.parametrize("text", ["", "   ", "la des ?", "%", "x" * 5000, "_ %%"])
def test_match_blocks_with_nothing_meaningful_finds_nothing(frameworks, text):
    """An empty, question-word-only, wildcard or oversized text matches nothing."""
    assert match_blocks(text) == []


def test_match_blocks_stops_at_its_limit(frameworks):
    assert len(match_blocks("prevention", limit=1)) == 1


# --- Block search page ---------------------------------------------------------------


def test_block_search_groups_matching_blocks_by_certification(client, frameworks):
    """Anyone searches a skill; each certification comes with its matching blocks, linked."""
    response = client.get(SEARCH, {"q": "piqûre sellier"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 certification enseigne cette compétence" in body
    stitch = frameworks["leather_stitch"]
    assert f'{stitch.certification.get_absolute_url()}#{stitch.anchor}"' in body
    assert "Préparation d&#x27;une fabrication" not in body
    assert "<li>Piqûre sellier à la main</li>" in body, "the line found is shown"
    assert list(response.context["page"]) == [frameworks["leather"]]


def test_block_search_filters_by_level(client, frameworks):
    response = client.get(SEARCH, {"q": "sertir", "niveau": "3"})
    assert list(response.context["page"]) == []
    response = client.get(SEARCH, {"q": "sertir", "niveau": "4"})
    assert list(response.context["page"]) == [frameworks["jewel"]]


def test_block_search_without_a_query_lists_nothing(client, frameworks):
    response = client.get(SEARCH)
    assert response.status_code == 200
    assert list(response.context["page"]) == []
    assert "Tapez une compétence" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "a" * 201}, "La recherche est trop longue"),
        ({"q": "cuir", "niveau": "12"}, "Niveau inconnu"),
        ({"q": "cuir\x00"}, "caractère nul"),
    ],
)
def test_block_search_refuses_bad_input_in_french(client, frameworks, params, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_block_search_echoes_hostile_text_escaped(client, frameworks):
    body = client.get(SEARCH, {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)" not in body


def test_block_search_swap_equals_a_reload(client, frameworks):
    assert_filter_swap(client, SEARCH, {"q": "sellier"})


def test_block_search_costs_a_fixed_number_of_queries(
    client, frameworks, django_assert_max_num_queries
):
    """Certifications and their matching blocks are read in a few queries, however many."""
    for number in range(8):
        SkillBlockFactory(
            certification=CertificationFactory(title=f"CQP Sellier {number}"),
            title="Piqûre sellier",
        )
    with django_assert_max_num_queries(5):
        response = client.get(SEARCH, {"q": "sellier"})
    assert response.context["page"].paginator.count == 10


def test_block_search_refuses_writes(client):
    assert client.post(SEARCH).status_code == 405


# --- Comparison page -------------------------------------------------------------------


def test_comparison_puts_blocks_side_by_side(client, frameworks):
    """Two certifications named by RNCP code (any case) or address identifier show
    their blocks row by row, the shared one marked."""
    response = client.get(COMPARE, {"c": ["rncp38712", "RNCP35000", ""]})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["certifications"] == [
        frameworks["leather"],
        frameworks["saddler"],
    ]
    rows = response.context["rows"]
    assert [row.number for row in rows] == [1, 2, 3]
    assert rows[2].cells == [
        (frameworks["leather"], frameworks["leather_pse"]),
        (frameworks["saddler"], None),
    ]
    assert '<th scope="col" role="columnheader">' in body
    assert "<caption>" in body
    assert "Aussi dans CAP Sellier-harnacheur" in body
    assert "Pas de bloc 3" in body
    assert '<option value="RNCP38712" selected>' in body


def test_comparison_by_address_identifier_and_of_three(client, frameworks):
    response = client.get(COMPARE, {"c": ["RNCP38712", "RNCP35000", "bma-bijou"]})
    assert response.status_code == 200
    assert len(response.context["rows"][0].cells) == 3


def test_comparison_with_one_certification_asks_for_another(client, frameworks):
    response = client.get(COMPARE, {"c": ["RNCP38712", "rncp38712"]})
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Choisissez au moins une autre certification" in response.content.decode()


def test_comparison_with_one_certification_reads_no_blocks(client, frameworks):
    """A single certification shows no blocks: its page spares their query."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(COMPARE, {"c": "RNCP38712"}).status_code == 200
    read = [query["sql"] for query in queries]
    assert not [sql for sql in read if sql.startswith('SELECT "trainings_skillblock"')]


def test_comparison_chooser_offers_the_certifications_with_blocks(client, frameworks):
    CertificationFactory(title="CAP sans blocs")
    response = client.get(COMPARE)
    assert response.status_code == 200
    assert [value for value, _ in response.context["choices"]] == [
        "RNCP38712",
        "RNCP35000",
        "bma-bijou",
    ]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["RNCP38712", "RNCP99999"], "Certification inconnue : « RNCP99999 »"),
        (["RNCP38712", "<script>x</script>"], "« &lt;script&gt;x&lt;/script&gt; »"),
        (["RNCP38712", "x" * 5000], "Certification inconnue"),
        (
            ["RNCP38712", "RNCP35000", "bma-bijou", "cap-autre"],
            "Comparez 3 certifications au plus (4 demandées)",
        ),
    ],
)
def test_comparison_refuses_bad_addresses_in_french(
    client, frameworks, values, message
):
    response = client.get(COMPARE, {"c": values})
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "<script>x" not in body
    assert response.context["rows"] == []


def test_comparison_costs_a_fixed_number_of_queries(
    client, frameworks, django_assert_max_num_queries
):
    with django_assert_max_num_queries(5):
        client.get(COMPARE, {"c": ["RNCP38712", "RNCP35000", "bma-bijou"]})


# --- Offerings by blocks -------------------------------------------------------------------


@pytest.fixture
def course(frameworks):
    return OfferingFactory(certification=frameworks["leather"], continuing=True)


@pytest.fixture
def course_editor(course):
    return MembershipFactory(organisation=course.organisation).user


def test_editor_says_which_blocks_an_offering_prepares(
    client, frameworks, course, course_editor
):
    """The form offers the certification's blocks; the offering page lists the chosen."""
    client.force_login(course_editor)
    url = reverse("trainings:offering_edit", args=[course.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["skill_blocks"].queryset) == [
        frameworks["cutting"],
        frameworks["leather_stitch"],
        frameworks["leather_pse"],
    ]
    block = frameworks["leather_stitch"]
    response = client.post(url, form_data(course, skill_blocks=[block.pk]))
    assert response.status_code == 302
    assert list(course.skill_blocks.all()) == [block]
    body = client.get(course.get_absolute_url()).content.decode()
    assert "Blocs de compétences préparés" in body
    assert f"#{block.anchor}" in body


@pytest.mark.parametrize("value", ["saddle", "unknown", "text"])
def test_a_block_of_another_certification_is_refused(
    client, frameworks, course, course_editor, value
):
    """Another certification's block, an unknown id or text: French message, nothing saved."""
    client.force_login(course_editor)
    sent = {"saddle": frameworks["saddle"].pk, "unknown": 999999, "text": "abc"}[value]
    url = reverse("trainings:offering_edit", args=[course.pk])
    response = client.post(url, form_data(course, skill_blocks=[sent]))
    assert response.status_code == 400
    assert "Bloc de compétences inconnu ou d&#x27;une autre certification" in (
        response.content.decode()
    )
    assert not course.skill_blocks.exists()


def test_changing_certification_drops_the_former_blocks(
    client, frameworks, course, course_editor
):
    """An offering moved to another certification keeps none of the former's blocks."""
    course.skill_blocks.add(frameworks["cutting"])
    client.force_login(course_editor)
    url = reverse("trainings:offering_edit", args=[course.pk])
    data = form_data(course, certification=frameworks["saddler"].pk)
    assert client.post(url, data).status_code == 302
    assert not course.skill_blocks.exists()


def test_another_partner_cannot_set_an_offerings_blocks(client, frameworks, course):
    other = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(other)
    url = reverse("trainings:offering_edit", args=[course.pk])
    block = frameworks["cutting"]
    assert (
        client.post(url, form_data(course, skill_blocks=[block.pk])).status_code == 404
    )
    assert not course.skill_blocks.exists()


def test_catalogue_filters_on_a_block(client, frameworks, course):
    """« Par bloc de compétences » keeps the published offerings preparing a block
    matching its code or its skills, once each."""
    block = frameworks["leather_stitch"]
    course.skill_blocks.add(block, frameworks["cutting"])
    OfferingFactory(certification=frameworks["leather"])
    OfferingFactory(
        certification=frameworks["leather"], unpublished=True
    ).skill_blocks.add(block)
    for value in [block.code.lower(), "PIQURE sellier", "main"]:
        response = client.get(CATALOGUE, {"bloc": value})
        assert response.status_code == 200
        assert list(response.context["page"]) == [course], value
    assert "Par bloc de compétences" in response.content.decode()
    assert list(client.get(CATALOGUE, {"bloc": "sertir"}).context["page"]) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [("a" * 201, "Le bloc cherché est trop long"), ("cuir\x00", "caractère nul")],
)
def test_catalogue_refuses_a_bad_block_in_french(client, course, value, message):
    response = client.get(CATALOGUE, {"bloc": value})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_admin_offers_only_the_certifications_blocks(client, frameworks, course):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:trainings_offering_change", args=[course.pk])
    form = client.get(url).context["adminform"].form
    assert set(form.fields["skill_blocks"].queryset) == {
        frameworks["cutting"],
        frameworks["leather_stitch"],
        frameworks["leather_pse"],
    }


# --- Demo -------------------------------------------------------------------------------


def test_demo_certifications_have_blocks_and_short_courses_prepare_one(demo_campus):
    """Every demo certification gets blocks (coded after its RNCP number) and two
    continuing-education courses prepare one block."""
    blocks = SkillBlock.objects.select_related("certification")
    assert blocks.filter(certification__is_demo=False).count() == 0
    maroquinerie = blocks.filter(certification__slug="cap-maroquinerie")
    assert maroquinerie.count() == 5
    assert maroquinerie.first().code == "RNCP38712BC01"
    assert all(block.skills and block.assessment for block in blocks)
    teaching = {m.certification.slug for m in match_blocks("piqûre sellier")}
    assert {"cap-maroquinerie", "cap-sellier-harnacheur"} <= teaching
    courses = {
        block.certification.slug
        for block in blocks.filter(offerings__isnull=False).distinct()
    }
    assert courses == {"cap-maroquinerie", "cap-sellier-harnacheur"}


def test_choosing_a_certification_brings_its_blocks_into_the_form(
    client, frameworks, course_editor
):
    """The form's certification select asks for that certification's blocks (htmx)."""
    client.force_login(course_editor)
    url = reverse("trainings:offering_blocks_field")
    body = client.get(url, {"certification": frameworks["saddler"].pk}).content
    assert "Fabrication de selles" in body.decode()
    assert "Préparation d" not in body.decode()
    form_page = client.get(reverse("trainings:offering_create")).content.decode()
    assert f'hx-get="{url}"' in form_page
    assert 'id="offering-blocks"' in form_page


@pytest.mark.parametrize("value", ["", "abc", "²", "9" * 40, "-1"])
def test_blocks_of_a_bad_certification_are_none(client, frameworks, value):
    client.force_login(UserFactory())
    response = client.get(
        reverse("trainings:offering_blocks_field"), {"certification": value}
    )
    assert response.status_code == 200
    assert "Choisissez la certification" in response.content.decode()


def test_blocks_field_asks_visitors_to_log_in(client):
    response = client.get(reverse("trainings:offering_blocks_field"))
    assert response.status_code == 302


@pytest.mark.parametrize("value", ["9" * 40, "²"])
def test_an_overflowing_certification_is_refused_in_french(
    client, frameworks, course, course_editor, value
):
    client.force_login(course_editor)
    url = reverse("trainings:offering_edit", args=[course.pk])
    response = client.post(url, form_data(course, certification=value))
    assert response.status_code == 400
    assert "Certification inconnue" in response.content.decode()


def test_comparison_asks_for_codes_when_too_many_certifications_to_list(
    client, frameworks, monkeypatch
):
    """Past a campus's few hundred certifications, the chooser takes RNCP codes."""
    monkeypatch.setattr("campus.trainings.views.MAX_COMPARISON_CHOICES", 2)
    response = client.get(COMPARE, {"c": ["RNCP38712", "RNCP35000"]})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["choices"] is None
    assert '<input type="search" name="c" id="compare-1" value="RNCP38712"' in body
    assert "<option" not in body
    assert len(response.context["rows"]) == 3
