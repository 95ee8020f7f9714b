import datetime

import factory

from campus.accounts.tests.factories import UserFactory
from campus.reports.models import Narrative, Report, ReportVersion


class ReportFactory(factory.django.DjangoModelFactory):
    """The report of the current calendar year."""

    class Meta:
        model = Report

    starts_on = factory.LazyFunction(
        lambda: datetime.date(datetime.date.today().year, 1, 1)
    )
    ends_on = factory.LazyAttribute(lambda o: o.starts_on.replace(month=12, day=31))
    created_by = factory.SubFactory(UserFactory, campus_team=True)


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    report = factory.SubFactory(ReportFactory)
    section = "objectifs"
    text = "Le campus a **renforcé** son réseau."
    updated_by = factory.SubFactory(UserFactory, campus_team=True)


class ReportVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportVersion

    report = factory.SubFactory(ReportFactory)
    number = factory.Sequence(lambda n: n + 1)
    requested_by = factory.SubFactory(UserFactory, campus_team=True)
