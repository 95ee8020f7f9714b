"""The territories the observatory speaks of, named in its addresses.

`?territoire=` takes `france`, `region` (the campus's région), a département code
(`21`, `2A`, `971`) or a commune's INSEE code (`21231`). Without it, the région.
Only the campus's own département and communes are offered: the imports keep the
région's rows (and France's totals), nothing else.
"""

from dataclasses import dataclass

from django.db.models import Q

from campus.observatory.models import TerritoryLevel
from campus.places.models import Commune, Departement
from campus.profiles.models import CampusProfile

FRANCE_CODE = "FR"


class TerritoryError(ValueError):
    """An address names a territory the observatory does not cover (French message)."""


@dataclass(frozen=True)
class Territory:
    level: str
    code: str
    name: str

    @property
    def parameter(self) -> str:
        """The value of `?territoire=` that names this territory."""
        if self.level in (TerritoryLevel.FRANCE, TerritoryLevel.REGION):
            return self.level
        return self.code

    @property
    def label(self) -> str:
        if self.level in (TerritoryLevel.DEPARTEMENT, TerritoryLevel.COMMUNE):
            return f"{self.name} ({self.code})"
        return self.name

    @property
    def is_france(self) -> bool:
        return self.level == TerritoryLevel.FRANCE

    @property
    def query(self) -> str:
        """The query string that keeps this territory on a link; empty for the default."""
        if self.level == TerritoryLevel.REGION:
            return ""
        return f"?territoire={self.parameter}"


def france() -> Territory:
    return Territory(TerritoryLevel.FRANCE, FRANCE_CODE, "France")


def region(campus: CampusProfile) -> Territory:
    if campus.region is None:
        return Territory(TerritoryLevel.REGION, "", "Région du campus")
    return Territory(TerritoryLevel.REGION, campus.region.code, campus.region.name)


def departements(campus: CampusProfile) -> list[Territory]:
    return [
        Territory(TerritoryLevel.DEPARTEMENT, d.code, d.name)
        for d in campus.served_departements().order_by("code")
    ]


def choices(campus: CampusProfile) -> list[Territory]:
    """France, the région and its départements, in the order of the selector."""
    return [france(), region(campus), *departements(campus)]


MAX_PARAMETER = 10


def from_parameter(value: str | None, campus: CampusProfile) -> Territory:
    """The territory an address names; `TerritoryError` with a French message if none."""
    value = (value or "").strip()
    if not value or value == "region":
        return region(campus)
    if value == "france":
        return france()
    if len(value) > MAX_PARAMETER:
        raise TerritoryError("Territoire inconnu : le code est trop long.")
    if not value.isalnum() or not value.isascii():
        # PostgreSQL refuses a NUL in a query: no code has anything but letters and digits.
        raise TerritoryError(
            "Territoire inconnu : un code de département ou de commune n'a que des "
            "chiffres et des lettres."
        )
    served = campus.served_departements()
    if len(value) <= 3:
        departement = served.filter(code=value.upper()).first()
        if departement is None:
            raise TerritoryError(
                f"Le département « {value} » n'est pas un département du campus."
            )
        return Territory(TerritoryLevel.DEPARTEMENT, departement.code, departement.name)
    commune = (
        Commune.objects.filter(insee_code=value.upper(), departement__in=served)
        .only("insee_code", "name")
        .first()
    )
    if commune is None:
        raise TerritoryError(
            f"« {value} » n'est ni un département ni une commune du campus "
            "(code INSEE attendu, par exemple 25056)."
        )
    return Territory(TerritoryLevel.COMMUNE, commune.insee_code, commune.name)


def departement_codes(territory: Territory, campus: CampusProfile) -> list[str]:
    """The département codes a territory covers (all the campus's for the région)."""
    if territory.level == TerritoryLevel.DEPARTEMENT:
        return [territory.code]
    if territory.level == TerritoryLevel.COMMUNE:
        return list(
            Departement.objects.filter(communes__insee_code=territory.code).values_list(
                "code", flat=True
            )
        )
    return list(campus.served_departements().values_list("code", flat=True))


def in_departements(codes: list[str]) -> Q:
    """Stored rows of the communes of these départements, by their INSEE code: a
    range of codes rather than a prefix, because SQLite's LIKE can't use the index."""
    return Q.create(
        [
            Q(territory_code__gte=code.ljust(5, "0"))
            & Q(territory_code__lte=code.ljust(5, "9"))
            for code in codes
        ],
        Q.OR,
    )


def communes_scope(territory: Territory) -> Territory:
    """Where a figure by commune looks: the territory, or for a commune the
    département that holds it (its neighbours, to compare)."""
    if territory.level != TerritoryLevel.COMMUNE:
        return territory
    departement = Commune.objects.get(insee_code=territory.code).departement
    return Territory(TerritoryLevel.DEPARTEMENT, departement.code, departement.name)
