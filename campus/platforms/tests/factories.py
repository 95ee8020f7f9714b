import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.network.models import OrganisationKind
from campus.network.tests.factories import OrganisationFactory
from campus.platforms.models import Booking, BookingStatus, Equipment


class PlatformFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Plateforme technologique n° {n}")
    kind = OrganisationKind.TECHNOLOGY_PLATFORM
    description = "Essais, prototypage et machines partagées."


class EquipmentFactory(factory.django.DjangoModelFactory):
    """A published equipment at 40 € an hour; `free=True` for a free one."""

    class Meta:
        model = Equipment

    organisation = factory.SubFactory(PlatformFactory)
    name = factory.Sequence(lambda n: f"Machine n° {n}")
    description = "Une machine **précise**."
    characteristics = "Largeur : 12 mm"
    hourly_price = Decimal("40.00")

    class Params:
        free = factory.Trait(is_free=True, hourly_price=None)
        unpublished = factory.Trait(is_published=False)


def _in_days(days, hour):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class BookingFactory(factory.django.DjangoModelFactory):
    """A pending request for tomorrow's afternoon, 14 h to 17 h."""

    class Meta:
        model = Booking

    equipment = factory.SubFactory(EquipmentFactory)
    requester = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(1, 14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    purpose = "Essais de parage."

    class Params:
        approved = factory.Trait(status=BookingStatus.APPROVED)
        refused = factory.Trait(status=BookingStatus.REFUSED)
