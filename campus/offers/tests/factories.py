from datetime import timedelta

import factory
from django.utils import timezone

from campus.network.tests.factories import OrganisationFactory
from campus.offers.models import Contract, Offer
from campus.places.tests.factories import CommuneFactory
from campus.trades.models import RomeJob


class RomeJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RomeJob
        django_get_or_create = ["code"]

    code = "B1802"
    label = "Maroquinier / Maroquinière"


class OfferFactory(factory.django.DjangoModelFactory):
    """An open apprenticeship offer; Traits give the other states."""

    class Meta:
        model = Offer

    organisation = factory.SubFactory(OrganisationFactory)
    contract = Contract.APPRENTICESHIP
    title = factory.Sequence(lambda n: f"Apprenti piqueur en maroquinerie n° {n}")
    rome_job = factory.SubFactory(RomeJobFactory)
    commune = factory.SubFactory(CommuneFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))
    duration_months = 24
    description = "Piquage des sacs et de la **petite maroquinerie**, en CAP."
    apply_email = "recrutement@atelier.example"

    class Params:
        expired = factory.Trait(
            expires_on=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=1)
            )
        )
        withdrawn = factory.Trait(
            is_withdrawn=True, withdrawal_reason="Offre hors de la filière."
        )
        job = factory.Trait(contract=Contract.JOB, duration_months=None)
