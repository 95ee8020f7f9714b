from datetime import timedelta

import factory
from django.utils import timezone

from campus.needs.models import (
    Contract,
    Need,
    NeedKind,
    NeedStatus,
    ProjectKind,
    Step,
    TrainingMode,
    TrainingProject,
)
from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory


class NeedFactory(factory.django.DjangoModelFactory):
    """An open recruitment need in Montbard; Traits give the other kinds and states."""

    class Meta:
        model = Need

    organisation = factory.SubFactory(OrganisationFactory)
    kind = NeedKind.RECRUITMENT
    rome_code = "B1802"
    appellation = factory.Sequence(lambda n: f"Piqueur / Piqueuse en maroquinerie {n}")
    level = 3
    headcount = 2
    horizon = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=200))
    contract = Contract.APPRENTICESHIP
    commune = factory.SubFactory(CommuneFactory)

    class Params:
        permanent = factory.Trait(contract=Contract.PERMANENT)
        skills_need = factory.Trait(
            kind=NeedKind.SKILLS,
            contract="",
            training_mode=TrainingMode.CONTINUING,
            skills="Piqûre sellier à la main.",
        )
        met = factory.Trait(status=NeedStatus.MET)
        dropped = factory.Trait(status=NeedStatus.DROPPED)
        in_progress = factory.Trait(status=NeedStatus.IN_PROGRESS)
        stale = factory.Trait(
            reviewed_at=factory.LazyFunction(
                lambda: timezone.now() - timedelta(days=200)
            )
        )


class TrainingProjectFactory(factory.django.DjangoModelFactory):
    """A new-training project at its first step; services build the later ones."""

    class Meta:
        model = TrainingProject
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet de formation {n}")
    kind = ProjectKind.NEW_TRAINING
    current_step = Step.NEEDS_GATHERED

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(extracted)
