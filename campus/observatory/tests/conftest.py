"""Fixtures of the observatory tests."""

from pathlib import Path

import pytest

from campus.network.models import OrganisationKind
from campus.network.tests.factories import OrganisationFactory
from campus.opendata.services import run_import
from campus.places.models import Region
from campus.places.tests.factories import CommuneFactory, DepartementFactory
from campus.profiles.models import CampusProfile

FIXTURES = Path(__file__).parents[2] / "opendata" / "tests" / "fixtures"
PRO = FIXTURES / "depp-etablissements-2022_2023-pro.csv"
CFA = FIXTURES / "depp-etablissements-2022_2023-apprentissage.csv"


@pytest.fixture
def insertion_network(db):
    """A campus in Côte-d'Or and Doubs, its schools with UAI, and the DEPP fixture
    files imported; by UAI, the network's organisations."""
    cote_dor = DepartementFactory()
    doubs = DepartementFactory(code="25", name="Doubs")
    DepartementFactory(
        code="26", name="Drôme", region=Region.objects.create(code="84", name="ARA")
    )
    montbard = CommuneFactory()
    besancon = CommuneFactory(
        insee_code="25056", name="Besançon", departement=doubs, postal_codes="25000"
    )
    profile = CampusProfile(name="Campus de test", region=cote_dor.region)
    profile.save()
    profile.departements.set([cote_dor, doubs])
    schools = {
        "0210056X": OrganisationFactory(
            name="Lycée Eugène Guillaume",
            kind=OrganisationKind.SECONDARY_SCHOOL,
            uai="0210056X",
            commune=montbard,
        ),
        "0250067M": OrganisationFactory(
            name="Lycée Les Huisselets",
            kind=OrganisationKind.SECONDARY_SCHOOL,
            uai="0250067M",
            commune=besancon,
        ),
        "0251749R": OrganisationFactory(
            name="CFA du Pays de Montbéliard",
            kind=OrganisationKind.CFA,
            uai="0251749R",
            commune=besancon,
        ),
        # Not shown: unpublished, or without a commune to place it.
        "0210017E": OrganisationFactory(
            name="Lycée Montchapet", uai="0210017E", commune=montbard, unpublished=True
        ),
        "0260023J": OrganisationFactory(
            name="Lycée du Dauphiné", uai="0260023J", commune=None
        ),
    }
    for path in (PRO, CFA):
        assert run_import("depp_etablissements", path).status == "succeeded"
    return schools
