from datetime import timedelta
from importlib import import_module

import factory
from django.apps import apps
from django.utils import timezone

from campus.agenda.models import (
    Audience,
    Event,
    EventKind,
    EventState,
    PlaceKind,
    Registration,
    RegistrationStatus,
)
from campus.moderation import ModerationStatus
from campus.network.tests.factories import OrganisationFactory


def ensure_audiences() -> None:
    """The audiences migration 0002 creates, back after a transactional test's flush.

    Tests with a live server or `transaction=True` end by emptying every table,
    migration data included; the tests after them in the same process would find
    no audience to filter or choose.
    """
    migration = import_module("campus.agenda.migrations.0002_audiences")
    migration.create_audiences(apps, None)


def _in_days(days: int, hour: int = 9):
    start = timezone.localtime() + timedelta(days=days)
    return start.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    """A published workshop in two weeks, at the organiser's head office.

    `audiences=["pupils", …]` takes codes of the seeded audiences; `trades=[…]` and
    `certifications=[…]` link them.
    """

    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Atelier découverte n° {n}")
    slug = factory.Sequence(lambda n: f"atelier-decouverte-{n}")
    kind = EventKind.WORKSHOP
    organisation = factory.SubFactory(OrganisationFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    status = ModerationStatus.PUBLISHED

    class Params:
        submitted = factory.Trait(status=ModerationStatus.SUBMITTED)
        refused = factory.Trait(
            status=ModerationStatus.REFUSED, refusal_reason="Date à préciser."
        )
        draft = factory.Trait(status=ModerationStatus.DRAFT)
        past = factory.Trait(starts_at=factory.LazyFunction(lambda: _in_days(-30)))
        tomorrow = factory.Trait(
            starts_at=factory.LazyFunction(lambda: _in_days(1, 14))
        )
        cancelled = factory.Trait(
            state=EventState.CANCELLED, state_note="L'atelier est fermé pour travaux."
        )
        postponed = factory.Trait(
            state=EventState.POSTPONED, state_note="Une nouvelle date sera annoncée."
        )
        online = factory.Trait(
            kind=EventKind.WEBINAR,
            place_kind=PlaceKind.ONLINE,
            online_url="https://visio.exemple.fr/salle-cuir",
        )
        # All day, over two days.
        whole_days = factory.Trait(
            all_day=True,
            starts_at=factory.LazyFunction(lambda: _in_days(14, 0)),
            ends_at=factory.LazyAttribute(
                lambda o: o.starts_at + timedelta(days=1, hours=23, minutes=59)
            ),
        )
        paying = factory.Trait(is_free=False, price="5 € ; gratuit pour les élèves")
        open_day = factory.Trait(
            kind=EventKind.OPEN_DAY,
            title=factory.Sequence(lambda n: f"Portes ouvertes n° {n}"),
        )
        with_registration = factory.Trait(registration_enabled=True, capacity=10)

    @factory.post_generation
    def audiences(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.audiences.set(Audience.objects.filter(code__in=extracted))

    @factory.post_generation
    def trades(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.trades.set(extracted)

    @factory.post_generation
    def certifications(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.certifications.set(extracted)


class RegistrationFactory(factory.django.DjangoModelFactory):
    """An unconfirmed registration (the e-mail link not clicked yet) to an event
    that takes registrations."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory, with_registration=True)
    name = factory.Sequence(lambda n: f"Camille Essai {n}")
    email = factory.Sequence(lambda n: f"inscrit{n}@example.org")
    places = 1
    status = RegistrationStatus.UNCONFIRMED

    class Params:
        confirmed = factory.Trait(
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=factory.LazyFunction(timezone.now),
        )
        waitlisted = factory.Trait(
            status=RegistrationStatus.WAITLISTED,
            confirmed_at=factory.LazyFunction(timezone.now),
            waitlisted_at=factory.LazyFunction(timezone.now),
        )
        cancelled = factory.Trait(
            status=RegistrationStatus.CANCELLED,
            cancelled_at=factory.LazyFunction(timezone.now),
        )
