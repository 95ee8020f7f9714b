import factory

from campus.network.tests.factories import OrganisationFactory
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.trainings.models import (
    Certification,
    DiplomaType,
    Offering,
    Route,
    SkillBlock,
)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    title = factory.Sequence(lambda n: f"CAP Maroquinerie (session {n})")
    diploma_type = DiplomaType.CAP
    level = 3
    nsf_code = "243"
    rome_codes = "B1802"

    class Params:
        bac_pro = factory.Trait(
            title="Bac pro Métiers du cuir option maroquinerie",
            diploma_type=DiplomaType.BAC_PRO,
            level=4,
        )
        dn_made = factory.Trait(
            title="DN MADe mention Matériaux",
            diploma_type=DiplomaType.DN_MADE,
            level=6,
            rome_codes="",
        )


class SkillBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillBlock

    certification = factory.SubFactory(CertificationFactory)
    order = factory.Sequence(lambda n: n + 1)
    code = factory.LazyAttribute(
        lambda block: (
            f"{block.certification.rncp_code}BC{block.order:02d}"
            if block.certification.rncp_code
            else ""
        )
    )
    title = "Réalisation d'un article de maroquinerie"
    skills = "Couper les pièces à la main\nAssembler par piqûre machine"
    assessment = "Épreuve pratique en atelier."


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    certification = factory.SubFactory(CertificationFactory)
    organisation = factory.SubFactory(
        OrganisationFactory,
        school=True,
        name=factory.Sequence(lambda n: f"Lycée des métiers n° {n}"),
    )
    route = Route.SCHOOL
    duration = "2 ans"
    how_to_apply = "Vœux sur Affelnet."
    is_published = True

    class Params:
        apprenticeship = factory.Trait(route=Route.APPRENTICESHIP)
        continuing = factory.Trait(route=Route.CONTINUING)
        unpublished = factory.Trait(is_published=False)
        in_montbeliard = factory.Trait(
            organisation=factory.SubFactory(
                OrganisationFactory,
                school=True,
                name="Lycée Les Huisselets",
                commune=factory.SubFactory(
                    CommuneFactory,
                    insee_code="25388",
                    name="Montbéliard",
                    postal_codes="25200",
                    latitude=47.50957,
                    longitude=6.79823,
                    departement=factory.SubFactory(
                        DepartementFactory, code="25", name="Doubs"
                    ),
                ),
            )
        )
