import factory
from django.utils import timezone

from campus.network.tests.factories import OrganisationFactory
from campus.outreach.models import (
    ClassLevel,
    DiscoveryPlacement,
    InterventionRequest,
    PlacementLevel,
    RequestStatus,
    ResourceKind,
    TeacherResource,
)


class InterventionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterventionRequest

    school_name = factory.Sequence(lambda n: f"Collège n° {n}")
    school_town = "Montbard"
    teacher_name = "Claude Enseignante"
    teacher_email = factory.Sequence(lambda n: f"prof{n}@ac-dijon.fr")
    class_level = ClassLevel.QUATRIEME
    pupil_count = 25
    preferred_dates = "Mars"
    status = RequestStatus.UNCONFIRMED

    class Params:
        confirmed = factory.Trait(
            status=RequestStatus.NEW, confirmed_at=factory.LazyFunction(timezone.now)
        )
        assigned = factory.Trait(
            status=RequestStatus.ASSIGNED,
            confirmed_at=factory.LazyFunction(timezone.now),
            assigned_organisation=factory.SubFactory(OrganisationFactory),
        )


class DiscoveryPlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DiscoveryPlacement

    organisation = factory.SubFactory(OrganisationFactory)
    title = "Une semaine dans un atelier de maroquinerie"
    level = PlacementLevel.TROISIEME
    contact_email = "stages@atelier.fr"


class TeacherResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeacherResource

    title = "Fiche métier : maroquinier"
    kind = ResourceKind.TRADE_SHEET
    url = "https://www.onisep.fr/"
    source = "ONISEP"
