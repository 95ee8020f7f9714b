from datetime import timedelta

import factory
from django.utils import timezone

from campus.network.tests.factories import OrganisationFactory
from campus.surveys.models import SurveyCampaign, SurveyInvitation


class SurveyCampaignFactory(factory.django.DjangoModelFactory):
    """A campaign to the companies of the network, not sent; `sent` sends it."""

    class Meta:
        model = SurveyCampaign

    title = factory.Sequence(lambda n: f"Besoins de la rentrée {n}")
    introduction = "Dites-nous qui vous cherchez à recruter."
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))

    class Params:
        sent = factory.Trait(sent_at=factory.LazyFunction(timezone.now))
        closed = factory.Trait(
            sent_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=40)),
            closes_on=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=1)
            ),
        )


class SurveyInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SurveyInvitation

    campaign = factory.SubFactory(SurveyCampaignFactory, sent=True)
    organisation = factory.SubFactory(OrganisationFactory)
    sent_at = factory.LazyAttribute(lambda invitation: invitation.campaign.sent_at)
