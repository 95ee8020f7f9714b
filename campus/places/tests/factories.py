import factory

from campus.places.models import Commune, Departement, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "27"
    name = "Bourgogne-Franche-Comté"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "21"
    name = "Côte-d'Or"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["insee_code"]

    insee_code = "21425"
    name = "Montbard"
    departement = factory.SubFactory(DepartementFactory)
    postal_codes = "21500"
    latitude = 47.62294
    longitude = 4.337
    population = 4639
