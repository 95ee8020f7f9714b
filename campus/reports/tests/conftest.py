"""A campus with a year of activity: actors, offerings, outreach, events, calls."""

import datetime

import pytest
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.agenda.models import EventKind
from campus.agenda.tests.factories import EventFactory, RegistrationFactory
from campus.network.models import OrganisationKind, PartnershipStatus
from campus.network.tests.factories import OrganisationFactory
from campus.observatory.tests.factories import KeyFigureFactory
from campus.outreach.tests.factories import InterventionRequestFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile
from campus.talent.models import ApplicationStatus, Decision
from campus.talent.tests.factories import ApplicationFactory, CallFactory
from campus.talent.tests.mobility_factories import HostPartnerFactory, MobilityFactory
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory


@pytest.fixture
def team_member(db):
    return UserFactory(campus_team=True, full_name="Dominique Chargée")


def on(year, month, day, hour=10):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


@pytest.fixture
def activity(db):
    """One year of the campus (the current one), and a little outside it."""
    year = timezone.localdate().year
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs")
    CommuneFactory()
    CommuneFactory(insee_code="25056", name="Besançon", departement=doubs)
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])

    OrganisationFactory.create_batch(3)
    OrganisationFactory(
        partnership_status=PartnershipStatus.PARTNER,
        partner_since=datetime.date(year, 2, 1),
        agreement_reference="CONV-2026-01",
    )
    OrganisationFactory(
        kind=OrganisationKind.CFA,
        partnership_status=PartnershipStatus.FOUNDING,
        partner_since=datetime.date(year - 3, 9, 1),
    )
    OrganisationFactory(
        kind=OrganisationKind.CFA,
        partnership_status=PartnershipStatus.PARTNER,
        partner_since=datetime.date(year, 5, 4),
    )
    # Partner only from next year: not a partner of this report.
    OrganisationFactory(
        partnership_status=PartnershipStatus.PARTNER,
        partner_since=datetime.date(year + 1, 1, 2),
    )

    level_3 = CertificationFactory(level=3)
    CertificationFactory(level=4)
    OfferingFactory.create_batch(2, certification=level_3)
    OfferingFactory(certification=level_3, apprenticeship=True)
    OfferingFactory(certification=level_3, unpublished=True)

    # Two classes of one school on one day: one intervention, two classes.
    for count in (24, 26):
        InterventionRequestFactory(
            status="done",
            school_uai="0250001A",
            held_on=datetime.date(year, 3, 12),
            pupil_count=count,
        )
    InterventionRequestFactory(
        status="done",
        school_town="Montbard",
        held_on=datetime.date(year, 4, 2),
        pupil_count=30,
        pupils_reached=28,
    )
    InterventionRequestFactory(
        status="done", school_uai="0250001A", held_on=datetime.date(year - 1, 3, 12)
    )

    workshop = EventFactory(starts_at=on(year, 3, 3), with_registration=True)
    RegistrationFactory.create_batch(2, event=workshop, confirmed=True, attended=True)
    RegistrationFactory(event=workshop, confirmed=True, places=3)
    RegistrationFactory(event=workshop)
    EventFactory(starts_at=on(year, 6, 3), kind=EventKind.OPEN_DAY)
    EventFactory(starts_at=on(year, 6, 4), draft=True)
    EventFactory(starts_at=on(year - 1, 6, 4))

    call = CallFactory(
        title="Prix de l'innovation",
        opens_at=on(year, 1, 10),
        closes_at=on(year, 2, 10),
    )
    ApplicationFactory.create_batch(2, call=call, submitted=True)
    ApplicationFactory(call=call, submitted=True, decision=Decision.SELECTED)
    ApplicationFactory(call=call, status=ApplicationStatus.DRAFT)

    italy = HostPartnerFactory(country="IT")
    MobilityFactory.create_batch(
        2, host_partner=italy, departure_on=datetime.date(year, 3, 3)
    )
    MobilityFactory(
        host_partner=HostPartnerFactory(country="ES"),
        departure_on=datetime.date(year, 4, 3),
    )
    MobilityFactory(host_partner=italy, departure_on=datetime.date(year - 1, 4, 3))

    KeyFigureFactory(label="Salariés de la filière", value=1234, unit="salariés")
    return year
