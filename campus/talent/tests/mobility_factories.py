"""Factories of residencies and European mobility."""

import datetime
from io import BytesIO

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

from campus.network.tests.factories import OrganisationFactory
from campus.talent.models import HostPartner, Mobility, MobilityOffer, Residency
from campus.trades.models import ShowcaseItem
from campus.trades.tests.factories import TradeFactory


def png_bytes() -> bytes:
    output = BytesIO()
    Image.new("RGB", (20, 10), "white").save(output, "PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    output = BytesIO()
    writer.write(output)
    return output.getvalue()


class ResidencyFactory(factory.django.DjangoModelFactory):
    """A published residency running from ten days ago to twenty days ahead."""

    class Meta:
        model = Residency

    title = factory.Sequence(lambda n: f"Résidence de création {n}")
    slug = factory.Sequence(lambda n: f"residence-de-creation-{n}")
    host = factory.SubFactory(OrganisationFactory)
    resident_name = factory.Sequence(lambda n: f"Artiste {n}")
    starts_on = factory.LazyFunction(
        lambda: datetime.date.today() - datetime.timedelta(days=10)
    )
    ends_on = factory.LazyFunction(
        lambda: datetime.date.today() + datetime.timedelta(days=20)
    )
    description = "Un **séjour** de création."
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)


class ShowcaseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ShowcaseItem

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Pièce unique {n}")
    image = factory.LazyFunction(lambda: SimpleUploadedFile("piece.png", png_bytes()))
    image_alt = "Une pièce de cuir posée sur un établi"


class HostPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostPartner

    name = factory.Sequence(lambda n: f"Scuola partner {n}")
    country = "IT"
    city = "Florence"
    contact_email = factory.Sequence(lambda n: f"contatto{n}@scuola.example")

    class Params:
        inactive = factory.Trait(is_active=False)


class MobilityOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MobilityOffer

    host_partner = factory.SubFactory(HostPartnerFactory)
    title = factory.Sequence(lambda n: f"Stage en atelier {n}")
    duration_weeks = 4
    period = "mars–avril 2027"
    places = 3
    is_published = True


class MobilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mobility

    learner_first_name = factory.Sequence(lambda n: f"Prénom{n}")
    learner_last_initial = "D"
    sending_school = factory.SubFactory(OrganisationFactory)
    trade = factory.SubFactory(TradeFactory)
    host_partner = factory.SubFactory(HostPartnerFactory)
    departure_on = datetime.date(2025, 3, 3)
    return_on = factory.LazyAttribute(
        lambda m: m.departure_on + datetime.timedelta(weeks=4)
    )
