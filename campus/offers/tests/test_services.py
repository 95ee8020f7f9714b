"""Expiry, renewal by the reminder's signed link, and the team's withdrawal."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.tests.factories import MembershipFactory
from campus.offers import services
from campus.offers.models import VALIDITY_DAYS, Offer
from campus.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


def test_an_offer_is_open_two_months_then_disappears():
    """A new offer expires in sixty days; an expired one is no longer published."""
    offer = OfferFactory()
    assert offer.expires_on == in_days(VALIDITY_DAYS)
    expired = OfferFactory(expired=True)
    withdrawn = OfferFactory(withdrawn=True)
    hidden = OfferFactory(organisation__unpublished=True)
    assert list(Offer.objects.published()) == [offer]
    assert not any(o.is_open for o in (expired, withdrawn, hidden))


def test_an_organisation_leaving_the_directory_takes_its_offers_along():
    """The copy of the organisation's publication follows it, both ways."""
    offer = OfferFactory()
    organisation = offer.organisation
    organisation.is_published = False
    organisation.save()
    assert not Offer.objects.published().exists()
    organisation.is_published = True
    organisation.save()
    assert list(Offer.objects.published()) == [offer]


def test_the_database_refuses_an_offer_without_a_way_to_apply():
    """The rule « a link or an e-mail » holds even outside the form."""
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        OfferFactory(apply_email="", apply_url="")


def test_renewing_adds_two_months_from_today_or_from_a_later_expiry():
    soon = OfferFactory(expires_on=in_days(3))
    assert services.renew_offer(soon).expires_on == in_days(3 + VALIDITY_DAYS)
    expired = OfferFactory(expired=True)
    assert services.renew_offer(expired).expires_on == in_days(VALIDITY_DAYS)


def test_a_withdrawn_offer_cannot_be_renewed():
    offer = OfferFactory(withdrawn=True)
    with pytest.raises(services.OfferError, match="retiré"):
        services.renew_offer(offer)


def test_the_renewal_link_works_once():
    """The link carries the expiry date: once renewed, the same link is refused."""
    offer = OfferFactory(expires_on=in_days(5))
    token = services.renewal_token(offer)
    assert services.offer_for_renewal_token(token) == offer
    services.renew_offer(offer)
    with pytest.raises(services.RenewalLinkError, match="déjà servi"):
        services.offer_for_renewal_token(token)


def test_a_forged_or_old_renewal_link_is_refused(monkeypatch):
    offer = OfferFactory()
    forged = signing.dumps(
        {"offer": offer.pk, "expires_on": offer.expires_on.isoformat()},
        salt="another.salt",
    )
    with pytest.raises(services.UnknownRenewalLink):
        services.offer_for_renewal_token(forged)
    token = services.renewal_token(offer)
    monkeypatch.setattr(services, "RENEWAL_LINK_DAYS", -1)
    with pytest.raises(services.RenewalLinkError, match="plus valable"):
        services.offer_for_renewal_token(token)


def run_reminders() -> str:
    out = StringIO()
    call_command("send_offer_reminders", stdout=out)
    return out.getvalue()


def test_reminders_go_once_per_expiry_with_a_working_link(
    smtp_server, run_tasks, django_capture_on_commit_callbacks, client
):
    """Offers expiring within seven days are reminded once, to the author and the
    editors; the e-mailed link renews the offer; the renewed offer is reminded
    again before its new date."""
    editor = MembershipFactory(user__email="editrice@atelier.example").user
    offer = OfferFactory(
        organisation=editor.memberships.get().organisation,
        expires_on=in_days(6),
        author=UserFactory(email="auteur@atelier.example"),
    )
    OfferFactory(expires_on=in_days(8))
    OfferFactory(expires_on=in_days(2), withdrawn=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_reminders() == "1 rappel(s) envoyé(s).\n"
        assert run_reminders() == "0 rappel(s) envoyé(s).\n"
    run_tasks()
    [received] = smtp_server.messages
    assert sorted(received.recipients) == [
        "auteur@atelier.example",
        "editrice@atelier.example",
    ]
    assert offer.title in received.subject
    link = re.search(r"https?://\S+(/offres/prolonger/\S+/)", received.text).group(1)
    assert client.get(link).status_code == 200
    offer.refresh_from_db()
    assert offer.expires_on == in_days(6), "GET never renews"
    assert client.post(link).status_code == 200
    offer.refresh_from_db()
    assert offer.expires_on == in_days(6 + VALIDITY_DAYS)
    assert client.post(link).status_code == 410
    offer.expires_on = in_days(4)
    offer.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_reminders() == "1 rappel(s) envoyé(s).\n"


def test_the_reminder_task_sends_the_same_reminders(
    run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    OfferFactory(expires_on=in_days(1), author=UserFactory())
    services.send_offer_reminders_task.enqueue()
    with django_capture_on_commit_callbacks(execute=True):
        run_tasks()
    run_tasks()
    assert len(mailoutbox) == 1


def test_withdrawing_tells_the_company_why(
    run_tasks, django_capture_on_commit_callbacks, mailoutbox
):
    team = UserFactory(campus_team=True)
    offer = OfferFactory(author=UserFactory(email="auteur@atelier.example"))
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_offer(offer, reason="Poste hors filière.", acting_user=team)
    run_tasks()
    offer.refresh_from_db()
    assert offer.is_withdrawn and offer.withdrawn_by == team
    [message] = mailoutbox
    assert message.to == ["auteur@atelier.example"]
    assert "Poste hors filière." in message.body
    with pytest.raises(services.OfferError, match="déjà retirée"):
        services.withdraw_offer(offer, reason="Encore", acting_user=team)
    with pytest.raises(services.OfferError, match="motif"):
        services.withdraw_offer(OfferFactory(), reason="  ", acting_user=team)
    services.republish_offer(offer, acting_user=team)
    offer.refresh_from_db()
    assert offer.is_open and offer.withdrawal_reason == ""
