import factory

from campus.accounts.tests.factories import UserFactory
from campus.network.models import (
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationKind,
    Person,
    Proposal,
    ProposalKind,
)
from campus.places.tests.factories import CommuneFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Atelier de maroquinerie n° {n}")
    kind = OrganisationKind.COMPANY
    commune = factory.SubFactory(CommuneFactory)
    description = "Fabrication de sacs en cuir."
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)
        school = factory.Trait(kind=OrganisationKind.SECONDARY_SCHOOL, uai="0210056X")

    @factory.post_generation
    def with_editor(obj, create, extracted, **kwargs):
        if create and extracted:
            MembershipFactory(organisation=obj, role=MemberRole.EDITOR)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.EDITOR


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organisation = factory.SubFactory(OrganisationFactory)
    full_name = factory.Faker("name", locale="fr_FR")
    role = "Responsable d'atelier"
    email = factory.Sequence(lambda n: f"contact{n}@atelier.fr")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.fr")
    role = MemberRole.VIEWER


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    kind = ProposalKind.NEW_ACTOR
    name = "Sellerie du Morvan"
    organisation_kind = OrganisationKind.COMPANY
    commune = factory.SubFactory(CommuneFactory)
    submitter_name = "Claude Martin"
    submitter_email = "claude.martin@exemple.fr"
