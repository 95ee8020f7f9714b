from datetime import timedelta

import factory
from django.utils import timezone

from campus.accounts.tests.factories import UserFactory
from campus.talent.models import (
    Answer,
    Application,
    ApplicationStatus,
    Call,
    CallKind,
    Question,
    QuestionKind,
)


class CallFactory(factory.django.DjangoModelFactory):
    """A published call for projects, open for a month from yesterday."""

    class Meta:
        model = Call

    title = factory.Sequence(lambda n: f"Appel à projets innovation {n}")
    slug = factory.Sequence(lambda n: f"appel-a-projets-innovation-{n}")
    kind = CallKind.PROJECTS
    summary = "Soutenir les projets innovants des ateliers du réseau."
    description = "Le campus soutient **trois projets** par an."
    eligibility = "Organisations partenaires du campus."
    applicant_kinds = factory.LazyFunction(lambda: ["partner"])
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))
    is_published = True

    class Params:
        upcoming = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=5)),
            closes_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=40)),
        )
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=60)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
        )
        unpublished = factory.Trait(is_published=False)
        competition = factory.Trait(kind=CallKind.COMPETITION)


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    call = factory.SubFactory(CallFactory)
    position = factory.Sequence(lambda n: n)
    label = factory.Sequence(lambda n: f"Décrivez votre projet ({n})")
    kind = QuestionKind.LONG_TEXT
    required = True
    max_length = 2000


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application; `submitted=True` gives a submitted one."""

    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Sac en cuir recyclé {n}")

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    application = factory.SubFactory(ApplicationFactory)
    question = factory.SubFactory(
        QuestionFactory, call=factory.SelfAttribute("..application.call")
    )
    text = "Un sac cousu main à partir de chutes de cuir."
