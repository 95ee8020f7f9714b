"""The subscription is personal data: exported and erased with the account, purged
once it has served."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from campus.accounts.services import purge_personal_data
from campus.accounts.tests.factories import UserFactory
from campus.newsletter.models import Subscriber
from campus.newsletter.tests.factories import SubscriberFactory

pytestmark = pytest.mark.django_db


def test_the_account_export_includes_the_subscription_of_its_address(client):
    user = UserFactory(email="lea@exemple.fr")
    SubscriberFactory(email="Lea@Exemple.fr", active=True, topics=["calls"])
    SubscriberFactory(email="autre@exemple.fr", active=True)
    client.force_login(user)
    data = client.get("/compte/mes-donnees.json").json()
    [subscription] = data["lettre_d_information"]
    assert subscription["email"] == "Lea@Exemple.fr"
    assert subscription["themes"] == ["Appels à projets et concours"]
    assert subscription["consentement_donne_le"]


def test_deleting_the_account_deletes_the_subscription_of_its_address(client):
    user = UserFactory(email="lea@exemple.fr")
    SubscriberFactory(email="lea@exemple.fr", active=True)
    SubscriberFactory(email="autre@exemple.fr", active=True)
    client.force_login(user)
    response = client.post("/compte/supprimer/", {"confirm": "on"})
    assert response.status_code == 302
    assert list(Subscriber.objects.values_list("email", flat=True)) == [
        "autre@exemple.fr"
    ]


def test_purge_erases_expired_unconfirmed_and_old_unsubscribed_addresses(settings):
    settings.CAMPUS_NEWSLETTER_CONFIRMATION_DAYS = 7
    settings.CAMPUS_NEWSLETTER_UNSUBSCRIBED_RETENTION_DAYS = 30
    now = timezone.now()
    SubscriberFactory(email="expire@exemple.fr", expired=True)
    SubscriberFactory(email="attente@exemple.fr")
    old = SubscriberFactory(email="parti@exemple.fr", unsubscribed=True)
    Subscriber.objects.filter(pk=old.pk).update(
        unsubscribed_at=now - timedelta(days=31)
    )
    SubscriberFactory(email="recent@exemple.fr", unsubscribed=True)
    SubscriberFactory(email="lecteur@exemple.fr", active=True)
    counts = purge_personal_data()
    assert counts["newsletter_unconfirmed"] == 1
    assert counts["newsletter_unsubscribed"] == 1
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "attente@exemple.fr",
        "lecteur@exemple.fr",
        "recent@exemple.fr",
    ]
    call_command("purge_personal_data", verbosity=0)


def test_the_privacy_page_names_the_newsletter_data_and_retention(client):
    text = client.get("/donnees-personnelles/").content.decode()
    assert "Lettre d" in text
    assert "effacée 7 jours" in text
    assert "30 jours après le désabonnement" in text
