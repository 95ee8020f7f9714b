import factory

from campus.network.tests.factories import OrganisationFactory
from campus.trades.models import (
    CraftDomain,
    Holder,
    HolderKind,
    KnowHow,
    OnisepJob,
    Trade,
    TransmissionAction,
)


class CraftDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CraftDomain
        django_get_or_create = ["slug"]

    slug = "cuir"
    name = "Cuir"
    order = 11


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade

    name = factory.Sequence(lambda n: f"Maroquinier {n}")
    summary = "Il fabrique des sacs en cuir."
    description = "Coupe, parure, montage et finition des tranches."
    rome_codes = "B1802"
    is_published = True

    class Params:
        craft = factory.Trait(craft_domain=factory.SubFactory(CraftDomainFactory))
        unpublished = factory.Trait(is_published=False)


class KnowHowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KnowHow

    name = factory.Sequence(lambda n: f"Couture sellier n° {n}")
    description = "Coudre le cuir à deux aiguilles au point sellier."
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)


class HolderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holder

    know_how = factory.SubFactory(KnowHowFactory)
    kind = HolderKind.ARTISAN
    name = factory.Sequence(lambda n: f"Artisan {n}")
    is_public = True

    class Params:
        company = factory.Trait(
            kind=HolderKind.COMPANY,
            name="",
            organisation=factory.SubFactory(OrganisationFactory),
        )


class TransmissionActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TransmissionAction

    know_how = factory.SubFactory(KnowHowFactory)
    kind = "workshop"
    title = "Atelier de couture pour les CAP"
    status = "done"
    participant_count = 12
    results = "Douze élèves initiés."


class OnisepJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OnisepJob

    onisep_id = factory.Sequence(lambda n: f"MET.{9000 + n}")
    label = factory.Sequence(lambda n: f"maroquinier n° {n}")
    url = factory.LazyAttribute(
        lambda job: (
            f"https://www.onisep.fr/http/redirection/metier/slug/{job.onisep_id}"
        )
    )
    rome_codes = "B1802"
    rome_label = "Réalisation d'articles en cuir et matériaux souples (hors vêtement)"
    domains = ["matières premières, fabrication, industries/textile - habillement"]
    publications = [
        {
            "name": "Les métiers de la mode et du luxe",
            "collection": "Parcours",
            "year": 2019,
        }
    ]
    source = "ONISEP, Idéo"
    source_licence = "ODbL"
