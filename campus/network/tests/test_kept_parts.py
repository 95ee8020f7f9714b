"""The proposal forms' fields, kept under the content stamp (fragments.rendered_form):
the same pages as built from scratch, read back without rendering a field, and
nothing of one visitor (typed values, CSRF token) reaches another."""

from django.core.management import call_command
from django.test import Client
from django.utils.html import escape

from campus.network.models import Organisation
from campus.network.tests.factories import MembershipFactory, OrganisationFactory
from campus.testing.fragments import (
    assert_published_object_kept,
    assert_same_as_built_from_scratch,
    assert_typed_values_stay_the_senders,
    body,
    committed,
    same_csrf_token,
    warm,
)

NEW_ACTOR = "/annuaire/proposer/"


@committed
def test_proposal_forms_are_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus, the new actor and correction forms are byte for byte the
    same built from the database and read back."""
    call_command("load_demo", verbosity=0)
    organisation = Organisation.objects.published().order_by("name").first()
    same_csrf_token(monkeypatch)
    urls = [NEW_ACTOR, f"/annuaire/{organisation.slug}/signaler/"]
    pages = assert_same_as_built_from_scratch(monkeypatch, Client(), urls)
    assert escape(organisation.name) in pages[urls[1]]
    assert 'name="organisation_kind"' in pages[NEW_ACTOR]
    assert 'name="organisation_kind"' not in pages[urls[1]]


@committed
def test_kept_fields_are_read_back_without_rendering_a_field():
    """Read back, the fields render no field template; a renamed organisation still
    shows on its correction form at once."""
    organisation = OrganisationFactory(name="Atelier Dupont")
    correction = f"/annuaire/{organisation.slug}/signaler/"
    client = Client()
    for url in [NEW_ACTOR, correction]:
        warm(client, url)
        response = client.get(url)
        assert "components/field.html" not in [t.name for t in response.templates]
    organisation.name = "Atelier Durand"
    organisation.save()
    assert "Atelier Durand" in body(client, correction)


@committed
def test_what_a_visitor_typed_or_holds_never_reaches_another():
    assert_typed_values_stay_the_senders(NEW_ACTOR, "name", "Maison Secrète")


@committed
def test_a_published_organisation_is_kept_and_unpublished_at_once():
    """Read back without querying the organisations; unpublished, a 404 for
    visitors on the next visit, while its members still see it."""
    organisation = OrganisationFactory()
    member = Client()
    member.force_login(MembershipFactory(organisation=organisation).user)
    assert_published_object_kept(
        organisation.get_absolute_url(),
        "network_organisation",
        lambda: Organisation.objects.filter(pk=organisation.pk).update(
            is_published=False
        ),
        member,
    )
