from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campus.accounts.tests.factories import UserFactory
from campus.network.models import MemberRole
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.outreach.tests.factories import (
    DiscoveryPlacementFactory,
    TeacherResourceFactory,
)
from campus.testing.htmx import assert_filter_swap
from campus.testing.images import image_bytes, png_with_broken_pixels, truncated_jpeg
from campus.trades.endangerment import Level
from campus.trades.models import Assessment, ShowcaseItem, TransmissionAction
from campus.trades.services import record_assessment
from campus.trades.tests.factories import (
    HolderFactory,
    KnowHowFactory,
    OnisepJobFactory,
    TradeFactory,
    TransmissionActionFactory,
)

pytestmark = pytest.mark.django_db


def assess(know_how, holders, seniors, trainees, trainings, on=date(2026, 1, 1)):
    return record_assessment(
        know_how,
        holder_count=holders,
        senior_holder_count=seniors,
        trainee_count=trainees,
        training_count=trainings,
        assessed_on=on,
        acting_user=None,
    )


def png_bytes(size=(800, 600)):
    output = BytesIO()
    Image.new("RGB", size, (120, 60, 20)).save(output, "PNG")
    return output.getvalue()


@pytest.fixture
def team_client(client):
    client.force_login(UserFactory(campus_team=True))
    return client


@pytest.fixture
def editor():
    membership = MembershipFactory(role=MemberRole.EDITOR)
    return membership.user, membership.organisation


class TestTradePages:
    def test_catalogue_lists_published_trades_and_filters_crafts(self, client):
        """/metiers/ lists published trades and the métiers d'art filter keeps crafts only."""
        craft = TradeFactory(name="Gainier", craft=True)
        TradeFactory(name="Prototypiste")
        TradeFactory(name="Caché", unpublished=True)
        response = client.get("/metiers/")
        assert response.status_code == 200
        assert [t.name for t in response.context["page"]] == ["Gainier", "Prototypiste"]
        response = client.get("/metiers/", {"metiers_art": "on"})
        assert list(response.context["page"]) == [craft]

    def test_search_is_accent_insensitive_and_finds_rome_codes(self, client):
        """Searching 'megissier' finds 'Mégissier', and a ROME code finds its trades."""
        trade = TradeFactory(name="Mégissier", rome_codes="H2407")
        TradeFactory(name="Maroquinier")
        assert list(client.get("/metiers/", {"q": "megissier"}).context["page"]) == [
            trade
        ]
        assert list(client.get("/metiers/", {"q": "h2407"}).context["page"]) == [trade]

    def test_htmx_request_gets_only_the_results_fragment(self, client):
        """With HX-Request the same URL answers the results section without the layout."""
        TradeFactory(name="Gainier")
        response = client.get(
            "/metiers/", {"q": "gain"}, headers={"HX-Request": "true"}
        )
        page = response.content.decode()
        assert page.lstrip().startswith('<section id="results"')
        assert "Gainier" in page and "<html" not in page

    def test_filtering_with_htmx_leaves_the_page_a_reload_shows(self, client):
        """The htmx swap of the filtered results gives the page a full load of the pushed URL gives."""
        TradeFactory(name="Gainier", craft=True)
        TradeFactory(name="Prototypiste")
        swapped, response = assert_filter_swap(
            client, "/metiers/", {"q": "gain", "metiers_art": True}
        )
        assert response.status_code == 200
        assert "1 métier" in str(swapped.select_one("#results-count"))

    def test_a_filter_error_swapped_with_htmx_shows_as_a_reload_does(self, client):
        """A 400 filter error is swapped in with its French message, as a full load shows it."""
        TradeFactory(name="Gainier")
        swapped, response = assert_filter_swap(client, "/metiers/", {"q": "x" * 201})
        assert response.status_code == 400
        assert "La recherche est trop longue" in str(swapped.select_one("#results"))

    def test_unknown_domain_is_a_400_in_french(self, client):
        """An unknown domain answers 400 with a French message."""
        response = client.get("/metiers/", {"domaine": "<script>"})
        assert response.status_code == 400
        assert "Domaine inconnu" in response.content.decode()

    def test_trade_page_shows_rome_know_how_organisations_and_showcase(self, client):
        """A trade page shows its ROME label, its know-how, who practises it and their work."""
        trade = TradeFactory(name="Malletier", rome_codes="B1802", craft=True)
        know_how = KnowHowFactory(name="Montage de malles")
        know_how.trades.add(trade)
        hidden = KnowHowFactory(name="Savoir secret", unpublished=True)
        hidden.trades.add(trade)
        organisation = OrganisationFactory(name="Malles de l'Auxois")
        trade.organisations.add(
            organisation, OrganisationFactory(name="Fermé", unpublished=True)
        )
        item = ShowcaseItem.objects.create(
            organisation=organisation,
            title="Malle cabine",
            image=SimpleUploadedFile("malle.jpg", png_bytes()),
            image_alt="Malle cabine gainée de toile",
        )
        item.trades.add(trade)
        page = client.get(trade.get_absolute_url()).content.decode()
        assert "Maroquinier / Maroquinière" in page
        assert "Montage de malles" in page and "Savoir secret" not in page
        assert "Malles de l&#x27;Auxois" in page and "Fermé" not in page
        assert 'alt="Malle cabine gainée de toile"' in page
        assert "Métier d'art · domaine Cuir" in page

    def test_trade_page_links_to_its_trainings(self, client):
        """Each ROME code links to the catalogue and the map filtered on it."""
        trade = TradeFactory(rome_codes="B1802")
        page = client.get(trade.get_absolute_url()).content.decode()
        assert 'href="/formations/?metier=B1802"' in page
        assert 'href="/carte/?metier=B1802"' in page

    def test_trade_page_lists_its_placements_and_resources(self, client):
        """Published placements and resources of the trade appear on its page."""
        trade = TradeFactory()
        DiscoveryPlacementFactory(title="Semaine à l'atelier").trades.add(trade)
        hidden = DiscoveryPlacementFactory(title="Stage retiré", is_published=False)
        hidden.trades.add(trade)
        TeacherResourceFactory(title="Fiche ONISEP").trades.add(trade)
        page = client.get(trade.get_absolute_url()).content.decode()
        assert "Semaine à l&#x27;atelier" in page and "Stage retiré" not in page
        assert "Fiche ONISEP" in page

    def test_trade_page_links_to_the_onisep_fiches_of_its_rome_codes(self, client):
        """The ONISEP fiches of the trade's ROME codes are listed with their source."""
        trade = TradeFactory(rome_codes="B1802, H2411")
        OnisepJobFactory(label="bottier / bottière", onisep_id="MET.447")
        OnisepJobFactory(label="prototypiste", rome_codes="H2411", publications=[])
        OnisepJobFactory(label="styliste", rome_codes="B1805")
        page = client.get(trade.get_absolute_url()).content.decode()
        assert (
            '<a href="https://www.onisep.fr/http/redirection/metier/slug/MET.447">'
            "Bottier / bottière"
        ) in page
        assert "Prototypiste" in page and "Styliste" not in page
        assert "Les métiers de la mode et du luxe (Parcours, 2019)" in page
        assert "Source : ONISEP, Idéo — licence ODbL" in page

    def test_trade_page_without_fiches_has_no_onisep_section(self, client):
        """No fiche for the trade's codes, no empty ONISEP heading."""
        trade = TradeFactory(rome_codes="B1802")
        OnisepJobFactory(rome_codes="H2411")
        page = client.get(trade.get_absolute_url()).content.decode()
        assert "Fiches métiers de l&#x27;ONISEP" not in page

    def test_unpublished_trade_is_404(self, client):
        """An unpublished trade answers 404."""
        trade = TradeFactory(unpublished=True)
        assert client.get(trade.get_absolute_url()).status_code == 404


class TestKnowHowPages:
    def test_at_risk_lists_published_non_viable_know_how_most_at_risk_first(
        self, client
    ):
        """The public list orders by latest score and leaves out viable, unassessed and unpublished ones."""
        critical, endangered = (
            KnowHowFactory(name="Parcheminerie"),
            KnowHowFactory(name="Gainerie"),
        )
        viable, unassessed = (
            KnowHowFactory(name="Couture"),
            KnowHowFactory(name="Inconnu"),
        )
        hidden = KnowHowFactory(name="Caché", unpublished=True)
        assess(critical, 1, 1, 0, 0)
        assess(endangered, 3, 0, 0, 1)
        assess(viable, 20, 0, 5, 3)
        assess(hidden, 1, 1, 0, 0)
        response = client.get("/metiers/savoir-faire-menaces/")
        assert list(response.context["know_hows"]) == [critical, endangered]
        assert "Critique" in response.content.decode()
        assert unassessed not in response.context["know_hows"]

    def test_know_how_page_shows_public_holders_and_actions_only(self, client):
        """Holders without consent and planned actions stay off the public page."""
        know_how = KnowHowFactory()
        HolderFactory(know_how=know_how, name="Gainière publique")
        HolderFactory(know_how=know_how, name="Gainier discret", is_public=False)
        TransmissionActionFactory(know_how=know_how, title="Atelier réalisé")
        TransmissionActionFactory(
            know_how=know_how, title="Projet interne", status="planned"
        )
        page = client.get(know_how.get_absolute_url()).content.decode()
        assert "Gainière publique" in page and "Gainier discret" not in page
        assert "Atelier réalisé" in page and "Projet interne" not in page


class TestTeamKnowHowPages:
    def test_team_pages_are_hidden_from_partners_and_ask_visitors_to_log_in(
        self, client, editor
    ):
        """A partner gets 404 and an anonymous visitor is sent to the login page."""
        know_how = KnowHowFactory()
        for url in ["/gestion/savoir-faire/", f"/gestion/savoir-faire/{know_how.pk}/"]:
            assert client.get(url).status_code == 302
        client.force_login(editor[0])
        for url in ["/gestion/savoir-faire/", f"/gestion/savoir-faire/{know_how.pk}/"]:
            assert client.get(url).status_code == 404
        response = client.post(
            f"/gestion/savoir-faire/{know_how.pk}/evaluer/",
            {
                "assessed_on": "2026-01-01",
                "holder_count": 1,
                "senior_holder_count": 0,
                "trainee_count": 0,
                "training_count": 0,
            },
        )
        assert response.status_code == 404
        assert not Assessment.objects.exists()

    def test_team_list_puts_the_most_endangered_first_and_unassessed_last(
        self, team_client
    ):
        """The register orders by score, with never-assessed know-how at the end."""
        unassessed = KnowHowFactory(name="A jamais évalué")
        viable, critical = (
            KnowHowFactory(name="B viable"),
            KnowHowFactory(name="C critique"),
        )
        assess(viable, 20, 0, 5, 3)
        assess(critical, 1, 1, 0, 0)
        response = team_client.get("/gestion/savoir-faire/")
        assert list(response.context["know_hows"]) == [critical, viable, unassessed]

    def test_team_sees_criteria_and_history(self, team_client):
        """The team page states the thresholds and lists every assessment."""
        know_how = KnowHowFactory()
        assess(know_how, 3, 2, 0, 0, on=date(2025, 1, 1))
        assess(know_how, 4, 2, 1, 0, on=date(2026, 1, 1))
        page = team_client.get(f"/gestion/savoir-faire/{know_how.pk}/").content.decode()
        assert "15 ou plus : 0 point" in page
        assert page.count("level--critical") >= 1 and "level--endangered" in page

    def test_team_records_an_assessment_and_the_level_is_computed(self, team_client):
        """Posting the four counts stores an assessment with the computed level."""
        know_how = KnowHowFactory()
        response = team_client.post(
            f"/gestion/savoir-faire/{know_how.pk}/evaluer/",
            {
                "assessed_on": "2026-02-01",
                "holder_count": "2",
                "senior_holder_count": "2",
                "trainee_count": "0",
                "training_count": "0",
                "comment": "Visite d'atelier.",
            },
        )
        assert response.status_code == 302
        assessment = know_how.assessments.get()
        assert (assessment.level, assessment.score) == (Level.CRITICAL, 9)
        assert assessment.assessor.is_campus_team

    @pytest.mark.parametrize(
        "data",
        [
            {"holder_count": "3", "senior_holder_count": "4"},
            {"holder_count": "-1"},
            {"holder_count": "beaucoup"},
            {"assessed_on": "2999-01-01"},
        ],
    )
    def test_bad_assessment_is_a_400_and_saves_nothing(self, team_client, data):
        """Impossible or future counts are refused in French and nothing is stored."""
        know_how = KnowHowFactory()
        valid = {
            "assessed_on": "2026-02-01",
            "holder_count": "2",
            "senior_holder_count": "0",
            "trainee_count": "0",
            "training_count": "0",
        }
        response = team_client.post(
            f"/gestion/savoir-faire/{know_how.pk}/evaluer/", {**valid, **data}
        )
        assert response.status_code == 400
        assert "erreur" in response.content.decode()
        assert not Assessment.objects.exists()

    def test_team_adds_a_transmission_action(self, team_client):
        """The team records an action and its results."""
        know_how = KnowHowFactory()
        response = team_client.post(
            f"/gestion/savoir-faire/{know_how.pk}/actions/",
            {
                "action-kind": "apprenticeship",
                "action-title": "Apprentie chez une gainière",
                "action-status": "in_progress",
                "action-started_on": "2025-09-01",
                "action-participant_count": "1",
                "action-results": "Premiers écrins.",
            },
        )
        assert response.status_code == 302
        assert TransmissionAction.objects.get().know_how == know_how

    def test_action_ending_before_it_starts_is_refused(self, team_client):
        """An end date before the start date is a 400 and nothing is saved."""
        know_how = KnowHowFactory()
        response = team_client.post(
            f"/gestion/savoir-faire/{know_how.pk}/actions/",
            {
                "action-kind": "workshop",
                "action-title": "Atelier",
                "action-status": "done",
                "action-started_on": "2026-03-01",
                "action-ended_on": "2026-02-01",
                "action-participant_count": "3",
            },
        )
        assert response.status_code == 400
        assert "La fin précède le début." in response.content.decode()
        assert not TransmissionAction.objects.exists()


class TestShowcase:
    def form_data(self, organisation, **overrides):
        return {
            "organisation": organisation.pk,
            "title": "Sac cousu main",
            "description": "Cuir de veau.",
            "image": SimpleUploadedFile(
                "sac.png", png_bytes((2400, 1200)), content_type="image/png"
            ),
            "image_alt": "Sac en cuir fauve posé sur l'établi",
            "is_published": "on",
            **overrides,
        }

    def test_editor_adds_an_item_whose_image_is_resized(self, client, editor, settings):
        """A valid upload is stored as a JPEG of 1600 px at most, and shown on the organisation page."""
        user, organisation = editor
        client.force_login(user)
        response = client.post("/espace/vitrine/ajouter/", self.form_data(organisation))
        assert response.status_code == 302
        item = ShowcaseItem.objects.get()
        assert item.image.name.endswith(".jpg")
        with Image.open(item.image.path) as stored:
            assert stored.size == (1600, 800)
        page = client.get(organisation.get_absolute_url()).content.decode()
        assert (
            "Savoir-faire en images" in page
            and 'alt="Sac en cuir fauve posé sur l&#x27;établi"' in page
        )

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"image_alt": ""}, "Ce champ est obligatoire"),
            (
                {
                    "image": SimpleUploadedFile(
                        "sac.png",
                        b"<?php system($_GET['c']); ?>",
                        content_type="image/png",
                    )
                },
                "image",
            ),
            (
                {
                    "image": SimpleUploadedFile(
                        "sac.gif",
                        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
                        content_type="image/gif",
                    )
                },
                "image",
            ),
        ],
    )
    def test_bad_uploads_are_refused(self, client, editor, overrides, message):
        """A missing text alternative, a disguised script or an unreadable file is a 400."""
        user, organisation = editor
        client.force_login(user)
        response = client.post(
            "/espace/vitrine/ajouter/", self.form_data(organisation, **overrides)
        )
        assert response.status_code == 400
        assert message in response.content.decode()
        assert not ShowcaseItem.objects.exists()

    @pytest.mark.parametrize(
        "content", [truncated_jpeg(), png_with_broken_pixels()], ids=["jpeg", "png"]
    )
    def test_broken_images_are_refused_not_a_server_error(
        self, client, editor, content
    ):
        """A truncated JPEG or a PNG with corrupt pixels is a 400 that says so, not a 500."""
        user, organisation = editor
        client.force_login(user)
        image = SimpleUploadedFile("sac.png", content, content_type="image/png")
        response = client.post(
            "/espace/vitrine/ajouter/", self.form_data(organisation, image=image)
        )
        assert response.status_code == 400
        assert "pas une image lisible" in response.content.decode()
        assert not ShowcaseItem.objects.exists()

    def test_a_too_large_picture_is_refused_with_the_limit(self, client, editor):
        """An image over 16 million pixels is refused before it is decoded, naming the limit."""
        user, organisation = editor
        client.force_login(user)
        image = SimpleUploadedFile("sac.png", image_bytes((5000, 4000)))
        response = client.post(
            "/espace/vitrine/ajouter/", self.form_data(organisation, image=image)
        )
        assert response.status_code == 400
        assert "16 millions de pixels" in response.content.decode()
        assert not ShowcaseItem.objects.exists()

    def test_oversized_upload_is_refused(self, client, editor, settings):
        """An image above the size limit is refused before decoding."""
        settings.CAMPUS_MAX_IMAGE_BYTES = 1000
        user, organisation = editor
        client.force_login(user)
        response = client.post("/espace/vitrine/ajouter/", self.form_data(organisation))
        assert response.status_code == 400
        assert "la limite est de" in response.content.decode()

    def test_editor_cannot_post_for_another_organisation(self, client, editor):
        """Choosing an organisation one does not edit is refused."""
        user, _ = editor
        client.force_login(user)
        other = OrganisationFactory()
        response = client.post("/espace/vitrine/ajouter/", self.form_data(other))
        assert response.status_code == 400
        assert not ShowcaseItem.objects.exists()

    def test_other_partners_items_are_404(self, client, editor):
        """Another partner's item cannot be edited or deleted, and a viewer cannot edit its own."""
        user, _ = editor
        other = ShowcaseItem.objects.create(
            organisation=OrganisationFactory(),
            title="Autre",
            image=SimpleUploadedFile("a.jpg", png_bytes()),
            image_alt="Autre réalisation",
        )
        client.force_login(user)
        assert client.get(f"/espace/vitrine/{other.pk}/").status_code == 404
        assert client.post(f"/espace/vitrine/{other.pk}/supprimer/").status_code == 404
        viewer = MembershipFactory(
            organisation=other.organisation, role=MemberRole.VIEWER
        ).user
        client.force_login(viewer)
        assert client.get(f"/espace/vitrine/{other.pk}/").status_code == 404
        assert ShowcaseItem.objects.filter(pk=other.pk).exists()

    def test_anonymous_visitor_is_sent_to_login(self, client):
        """The partner space needs an account."""
        response = client.get("/espace/vitrine/")
        assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_replacing_a_showcase_image_deletes_the_old_file(
    client, editor, django_capture_on_commit_callbacks
):
    """A new image replaces the stored file instead of leaving it behind."""
    user, organisation = editor
    client.force_login(user)
    data = TestShowcase().form_data(organisation)
    client.post("/espace/vitrine/ajouter/", data)
    item = ShowcaseItem.objects.get()
    old_path = item.image.path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/espace/vitrine/{item.pk}/",
            TestShowcase().form_data(organisation, title="Nouveau titre"),
        )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Nouveau titre"
    assert item.image.path != old_path
    assert not Path(old_path).exists() and Path(item.image.path).exists()


def test_deleting_a_showcase_item_deletes_its_image_file(
    client, editor, django_capture_on_commit_callbacks
):
    """The image file goes with the item, once the deletion is committed."""
    user, organisation = editor
    client.force_login(user)
    client.post("/espace/vitrine/ajouter/", TestShowcase().form_data(organisation))
    item = ShowcaseItem.objects.get()
    path = Path(item.image.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/espace/vitrine/{item.pk}/supprimer/")
    assert response.status_code == 302
    assert not ShowcaseItem.objects.exists() and not path.exists()


class TestOrganisationTrades:
    def test_editor_sets_the_trades_shown_on_trade_pages(self, client, editor):
        """Ticked trades list the organisation; an unpublished trade already linked stays."""
        user, organisation = editor
        kept, ticked, unticked = (
            TradeFactory(unpublished=True),
            TradeFactory(),
            TradeFactory(),
        )
        organisation.trades.add(kept, unticked)
        client.force_login(user)
        response = client.post(
            f"/espace/organisations/{organisation.pk}/metiers/", {"trades": [ticked.pk]}
        )
        assert response.status_code == 302
        assert set(organisation.trades.all()) == {kept, ticked}
        assert (
            organisation.name in client.get(ticked.get_absolute_url()).content.decode()
        )

    def test_bad_choice_is_a_400_and_changes_nothing(self, client, editor):
        """An unknown or unpublished trade id is refused."""
        user, organisation = editor
        hidden = TradeFactory(unpublished=True)
        client.force_login(user)
        for value in [hidden.pk, "999999", "x"]:
            response = client.post(
                f"/espace/organisations/{organisation.pk}/metiers/", {"trades": [value]}
            )
            assert response.status_code == 400
        assert not organisation.trades.exists()

    def test_other_organisation_and_viewers_get_404(self, client, editor):
        """Only editors of the organisation reach the page."""
        user, organisation = editor
        client.force_login(user)
        other = OrganisationFactory()
        assert (
            client.get(f"/espace/organisations/{other.pk}/metiers/").status_code == 404
        )
        viewer = MembershipFactory(
            organisation=organisation, role=MemberRole.VIEWER
        ).user
        client.force_login(viewer)
        url = f"/espace/organisations/{organisation.pk}/metiers/"
        assert client.post(url, {"trades": []}).status_code == 404
