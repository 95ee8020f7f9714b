"""Who may see and change needs, and what a partner's bad input gives: a French
message, a 400 and nothing saved."""

import html
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from campus.accounts.tests.factories import UserFactory
from campus.needs import gaps
from campus.needs.models import Need, NeedKind, NeedStatus
from campus.needs.tests.factories import NeedFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.places.tests.factories import CommuneFactory
from campus.testing.htmx import assert_filter_swap
from campus.trainings.tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db

PARTNER_URLS = [
    "/espace/besoins/{pk}/",
    "/espace/besoins/{pk}/supprimer/",
]
TEAM_URLS = [
    "/gestion/besoins/",
    "/gestion/besoins/ecarts.xlsx",
    "/gestion/besoins/carte.geojson",
]


@pytest.fixture
def need():
    return NeedFactory(appellation="Piqueur / Piqueuse en maroquinerie")


@pytest.fixture
def editor(need):
    return MembershipFactory(organisation=need.organisation).user


def text(response) -> str:
    return html.unescape(response.content.decode())


def recruitment(organisation, **overrides):
    data = {
        "organisation": organisation.pk,
        "rome_code": "B1802",
        "appellation": "Coupeur / Coupeuse en maroquinerie",
        "level": "3",
        "headcount": "4",
        "contract": "permanent",
        "horizon": (timezone.localdate() + timedelta(days=120)).isoformat(),
        "commune": "Montbard",
    }
    return {**data, **overrides}


def test_querysets_follow_the_ownership_rule(need, editor):
    """Members see their organisation's needs, editors edit them, nobody else sees one."""
    viewer = MembershipFactory(
        organisation=need.organisation, role=MemberRole.VIEWER
    ).user
    other = MembershipFactory().user
    assert list(Need.objects.visible_to(viewer)) == [need]
    assert list(Need.objects.editable_by(editor)) == [need]
    assert not Need.objects.editable_by(viewer).exists()
    assert not Need.objects.visible_to(other).exists()
    assert not Need.objects.published().exists()
    assert list(Need.objects.visible_to(UserFactory(campus_team=True))) == [need]


@pytest.mark.parametrize(
    "url",
    PARTNER_URLS
    + TEAM_URLS
    + [
        "/espace/besoins/",
        "/espace/besoins/recrutement/",
        "/espace/besoins/competences/",
    ],
)
def test_anonymous_visitor_is_sent_to_login(client, need, url):
    response = client.get(url.format(pk=need.pk))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.parametrize("url", [*PARTNER_URLS, "/espace/besoins/{pk}/confirmer/"])
def test_another_partner_gets_404_and_changes_nothing(client, need, url):
    """Another organisation's editor can neither read, change, confirm nor delete it."""
    client.force_login(MembershipFactory().user)
    url = url.format(pk=need.pk)
    if not url.endswith("confirmer/"):
        assert client.get(url).status_code == 404
    assert (
        client.post(
            url, recruitment(need.organisation, appellation="Piraté")
        ).status_code
        == 404
    )
    need.refresh_from_db()
    assert need.appellation == "Piqueur / Piqueuse en maroquinerie"


@pytest.mark.parametrize("url", TEAM_URLS)
def test_partners_get_404_on_the_gap_view(client, editor, url):
    """The gap view names companies: it is the team's alone."""
    client.force_login(editor)
    assert client.get(url).status_code == 404


def test_partner_list_shows_only_their_organisations_needs(client, need, editor):
    NeedFactory(appellation="Besoin d'un concurrent")
    client.force_login(editor)
    response = client.get("/espace/besoins/")
    assert response.status_code == 200
    assert "Piqueur / Piqueuse en maroquinerie" in response.text
    assert "Besoin d'un concurrent" not in response.text


def test_partner_reads_counts_around_their_need_never_names(client, need, editor):
    """Other companies' needs of the same row are counted, never named."""
    NeedFactory(
        organisation=OrganisationFactory(name="Concurrent discret"),
        appellation="Poste du concurrent",
    )
    NeedFactory(rome_code="B1809", appellation="Autre métier")
    OfferingFactory(apprenticeship=True)
    client.force_login(editor)
    page = text(client.get("/espace/besoins/"))
    assert "1 formation au catalogue ; 2 besoins ouverts dans le réseau" in page
    assert "Concurrent discret" not in page and "Poste du concurrent" not in page


def test_viewer_reads_but_cannot_change(client, need):
    viewer = MembershipFactory(
        organisation=need.organisation, role=MemberRole.VIEWER
    ).user
    client.force_login(viewer)
    response = client.get("/espace/besoins/")
    assert "Piqueur / Piqueuse en maroquinerie" in response.text
    assert f"/espace/besoins/{need.pk}/" not in response.text
    assert client.get(f"/espace/besoins/{need.pk}/").status_code == 404
    # Without an organisation to edit, declaring leads back to the list.
    assert client.get("/espace/besoins/recrutement/").status_code == 302


def test_editor_declares_a_recruitment_need(client):
    membership = MembershipFactory()
    editor, organisation = membership.user, membership.organisation
    CommuneFactory()
    client.force_login(editor)
    response = client.post("/espace/besoins/recrutement/", recruitment(organisation))
    assert response.status_code == 302, response.content
    need = Need.objects.get()
    assert need.kind == NeedKind.RECRUITMENT
    assert need.created_by == editor
    assert (need.departement_code, need.route) == ("21", "school")
    assert need.status == NeedStatus.OPEN


def test_editor_declares_a_skills_need_with_a_skill_block(client):
    from campus.trainings.models import SkillBlock
    from campus.trainings.tests.factories import CertificationFactory

    block = SkillBlock.objects.create(
        certification=CertificationFactory(), title="Piqûre sellier", order=1
    )
    membership = MembershipFactory()
    editor, organisation = membership.user, membership.organisation
    CommuneFactory()
    client.force_login(editor)
    data = recruitment(organisation, training_mode="vae", skill_blocks=[block.pk])
    del data["contract"]
    response = client.post("/espace/besoins/competences/", data)
    assert response.status_code == 302, response.content
    need = Need.objects.get()
    assert (need.kind, need.route) == (NeedKind.SKILLS, "continuing")
    assert list(need.skill_blocks.all()) == [block]


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"headcount": "-3"}, "Indiquez au moins une personne."),
        ({"headcount": "0"}, "Indiquez au moins une personne."),
        ({"headcount": "100000"}, "Au plus 500 personnes par besoin"),
        ({"headcount": "trois"}, "Indiquez un nombre entier"),
        (
            {"horizon": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "Cette date est passée",
        ),
        ({"horizon": "2062-01-01"}, "Échéance trop lointaine"),
        ({"horizon": "demain"}, "Indiquez une date valide"),
        ({"rome_code": "Z9999"}, "Métier inconnu"),
        ({"rome_code": "<script>"}, "Métier inconnu"),
        ({"level": "9"}, "Niveau inconnu"),
        ({"contract": "stage"}, "Contrat inconnu"),
        ({"contract": ""}, "Choisissez le contrat proposé."),
        ({"appellation": "   "}, "Indiquez l'intitulé du poste."),
        ({"appellation": "x" * 251}, "au plus 250 caractères"),
        ({"commune": "Atlantide"}, "Commune inconnue"),
    ],
)
def test_bad_input_is_a_french_message_and_saves_nothing(client, overrides, message):
    membership = MembershipFactory()
    editor, organisation = membership.user, membership.organisation
    CommuneFactory()
    client.force_login(editor)
    response = client.post(
        "/espace/besoins/recrutement/", recruitment(organisation, **overrides)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert not Need.objects.exists()


def test_an_organisation_the_user_does_not_edit_is_refused(client):
    editor = MembershipFactory().user
    other = OrganisationFactory()
    CommuneFactory()
    client.force_login(editor)
    response = client.post("/espace/besoins/recrutement/", recruitment(other))
    # With one organisation the choice is preset; a tampered id is refused.
    assert response.status_code == 400
    assert "Organisation inconnue" in text(response)
    assert not Need.objects.exists()


def test_hostile_text_is_shown_as_text(client, need, editor):
    CommuneFactory()
    client.force_login(editor)
    hostile = '<script>alert("x")</script>'
    response = client.post(
        "/espace/besoins/recrutement/",
        recruitment(need.organisation, appellation=hostile),
    )
    assert response.status_code == 302
    page = client.get("/espace/besoins/").content.decode()
    assert hostile not in page
    assert "&lt;script&gt;" in page


def test_skills_need_asks_for_skills_or_blocks(client):
    membership = MembershipFactory()
    editor, organisation = membership.user, membership.organisation
    CommuneFactory()
    client.force_login(editor)
    data = recruitment(organisation, training_mode="continuing")
    response = client.post("/espace/besoins/competences/", data)
    assert response.status_code == 400
    assert "Décrivez les compétences recherchées" in text(response)
    assert not Need.objects.exists()


def test_editing_a_need_reviews_it_and_a_past_horizon_may_stay(client, need, editor):
    Need.objects.filter(pk=need.pk).update(
        reviewed_at=timezone.now() - timedelta(days=300),
        horizon=timezone.localdate() - timedelta(days=10),
    )
    need.refresh_from_db()
    client.force_login(editor)
    data = recruitment(
        need.organisation,
        appellation=need.appellation,
        horizon=need.horizon.isoformat(),
        status="met",
    )
    response = client.post(f"/espace/besoins/{need.pk}/", data)
    assert response.status_code == 302, response.content
    need.refresh_from_db()
    assert need.status == NeedStatus.MET
    assert timezone.now() - need.reviewed_at < timedelta(minutes=1)


def test_confirming_a_need_marks_it_reviewed(client, need, editor):
    Need.objects.filter(pk=need.pk).update(
        reviewed_at=timezone.now() - timedelta(days=300)
    )
    client.force_login(editor)
    assert client.get(f"/espace/besoins/{need.pk}/confirmer/").status_code == 405
    response = client.post(f"/espace/besoins/{need.pk}/confirmer/")
    assert response.status_code == 302
    need.refresh_from_db()
    assert timezone.now() - need.reviewed_at < timedelta(minutes=1)


def test_editor_deletes_a_need(client, need, editor):
    client.force_login(editor)
    assert client.get(f"/espace/besoins/{need.pk}/supprimer/").status_code == 200
    assert client.post(f"/espace/besoins/{need.pk}/supprimer/").status_code == 302
    assert not Need.objects.exists()


# The team's gap view


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(campus_team=True))
    return client


def test_gap_view_names_the_organisations_for_the_team(team_client, need):
    OfferingFactory(capacity=12)
    response = team_client.get("/gestion/besoins/")
    assert response.status_code == 200
    text = response.content.decode()
    assert need.organisation.name in text
    assert "Besoins sans offre dans le département" in text


def test_gap_view_filters_come_from_the_address(team_client, need):
    NeedFactory(rome_code="B1809", appellation="Sellier")
    response = team_client.get("/gestion/besoins/?metier=B1809&voie=apprentissage")
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [row.rome_code for row in rows] == ["B1809"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("metier=Z9999", "Métier inconnu"),
        ("niveau=12", "Niveau inconnu"),
        ("niveau=-1", "Niveau inconnu"),
        ("departement=999", "Département inconnu"),
        ("voie=nuit", "Voie inconnue"),
        ("ecart=%3Cscript%3E", "Écart inconnu"),
    ],
)
def test_unknown_filter_is_a_400_with_a_french_message(
    team_client, need, query, message
):
    response = team_client.get(f"/gestion/besoins/?{query}")
    assert response.status_code == 400
    assert message in text(response)
    assert team_client.get(f"/gestion/besoins/ecarts.xlsx?{query}").status_code == 400
    data = team_client.get(f"/gestion/besoins/carte.geojson?{query}")
    assert data.status_code == 400
    assert data.json()["erreur"].startswith(f"Filtres invalides : {message}")


def test_gap_view_answers_htmx_with_its_results_only(team_client, need):
    response = team_client.get("/gestion/besoins/?metier=B1802", HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert text.lstrip().startswith('<section id="results"')
    assert need.organisation.name in text


def test_gap_export_is_an_xlsx_of_the_filtered_table_with_formulas_neutralised(
    team_client, need
):
    NeedFactory(organisation=OrganisationFactory(name='=HYPERLINK("x")'))
    NeedFactory(rome_code="B1809")
    response = team_client.get("/gestion/besoins/ecarts.xlsx?metier=B1802")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Code ROME"
    assert [row[0] for row in rows[1:]] == ["B1802"]
    assert rows[1][5:7] == (2, 4)
    assert "'=HYPERLINK" in rows[1][10]


def test_gap_view_query_count_does_not_grow_with_rows(
    team_client, django_assert_max_num_queries
):
    for code in ["B1802", "B1809", "H2411"]:
        NeedFactory.create_batch(3, rome_code=code)
        OfferingFactory(certification__rome_codes=code)
    with django_assert_max_num_queries(15):
        assert team_client.get("/gestion/besoins/").status_code == 200


def test_gap_view_swap_gives_the_page_a_full_load_gives(team_client, need):
    NeedFactory(rome_code="B1809", appellation="Sellier")
    OfferingFactory()
    _page, response = assert_filter_swap(
        team_client, "/gestion/besoins/", {"metier": "B1809"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url", ["/espace/besoins/recrutement/", "/espace/besoins/competences/"]
)
def test_forms_name_their_empty_choices(client, url):
    """No select of the needs forms shows Django's « --------- »."""
    user = MembershipFactory().user
    MembershipFactory(user=user)  # Two organisations: the choice is asked.
    client.force_login(user)
    page = text(client.get(url))
    assert "---------" not in page
    assert "Choisissez un métier" in page and "Choisissez une organisation" in page


def test_gap_view_filters_name_their_empty_choices(team_client):
    page = text(team_client.get("/gestion/besoins/"))
    assert "---------" not in page
    assert "Tous les métiers" in page


def test_gap_view_shows_a_new_or_closed_need_at_once(team_client, need):
    """The cached table follows every change of the needs."""
    assert team_client.get("/gestion/besoins/").context["count"] == 1
    NeedFactory(rome_code="B1809")
    assert team_client.get("/gestion/besoins/").context["count"] == 2
    need.status = NeedStatus.MET
    need.save()
    assert team_client.get("/gestion/besoins/").context["count"] == 1


def test_gap_map_data_has_the_filtered_tables_numbers(team_client, need):
    """The map's circles carry the counts of the table's rows, with the same filters."""
    NeedFactory(headcount=3)
    NeedFactory(rome_code="B1809", headcount=5)
    OfferingFactory(certification__rome_codes="H2411", capacity=12)
    response = team_client.get("/gestion/besoins/carte.geojson?metier=B1802")
    assert response.status_code == 200
    [feature] = response.json()["features"]
    properties = feature["properties"]
    assert (properties["departement"], properties["name"]) == ("21", "Côte-d'Or")
    assert properties["gap"] == "besoins-sans-offre"
    assert (properties["needs"], properties["people"]) == (2, need.headcount + 3)
    assert [row["rome_code"] for row in properties["rows"]] == ["B1802"]
    assert feature["geometry"]["coordinates"] == [4.337, 47.62294]


def test_gap_map_reads_the_table_the_page_cached(team_client, need, monkeypatch):
    """The page and its map share one computation of the gaps."""
    calls = []
    original = gaps.gap_rows
    monkeypatch.setattr(
        gaps, "gap_rows", lambda filters: calls.append(filters) or original(filters)
    )
    assert team_client.get("/gestion/besoins/?niveau=3").status_code == 200
    page = team_client.get("/gestion/besoins/?niveau=3").context
    assert page["count"] == 1
    data_url = "/gestion/besoins/carte.geojson?niveau=3"
    assert team_client.get(data_url).json()["features"]
    assert len(calls) == 1


def test_gap_view_points_its_map_at_the_same_filters(team_client, need):
    response = team_client.get("/gestion/besoins/?metier=B1802&voie=apprentissage")
    page = text(response)
    url = "/gestion/besoins/carte.geojson?metier=B1802&voie=apprentissage"
    assert f'data-campus-map-data-url="{url}"' in page
    assert "Voir le tableau" in page
    swap = text(
        team_client.get(
            "/gestion/besoins/?metier=B1802&voie=apprentissage&page=1",
            HTTP_HX_REQUEST="true",
        )
    )
    assert f'data-campus-map-data-url="{url}"' in swap
