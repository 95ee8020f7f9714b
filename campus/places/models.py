import math
import re

from django.db import models

from campus.search import fold, fold_parts


class Region(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)

    class Meta:
        verbose_name = "région"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField("code INSEE", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="departements",
        verbose_name="région",
    )

    class Meta:
        verbose_name = "département"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class CommuneQuerySet(models.QuerySet):
    def search(self, query: str):
        terms = fold(query).split()
        queryset = self
        for term in terms[:5]:
            queryset = queryset.filter(search_name__contains=term)
        return queryset

    def with_coordinates(self):
        return self.filter(latitude__isnull=False, longitude__isnull=False)


class Commune(models.Model):
    insee_code = models.CharField("code INSEE", max_length=5, unique=True)
    name = models.CharField("nom", max_length=150)
    search_name = models.CharField(max_length=150, editable=False, db_index=True)
    # The name alone, folded: a place named in a search is found by equality on an
    # index (a prefix of `search_name` is a scan of every commune on SQLite).
    folded_name = models.CharField(
        max_length=150, editable=False, db_index=True, default=""
    )
    departement = models.ForeignKey(
        Departement,
        on_delete=models.PROTECT,
        related_name="communes",
        verbose_name="département",
    )
    postal_codes = models.CharField(
        "codes postaux",
        max_length=200,
        blank=True,
        help_text="Séparés par des virgules.",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "insee_code"]

    def __str__(self):
        return f"{self.name} ({self.departement_id and self.departement.code})"

    def save(self, *args, **kwargs):
        self.fold_search_name()
        super().save(*args, **kwargs)

    def fold_search_name(self) -> None:
        """What searches match: the name and postal codes, folded (also called
        before a bulk insert, which skips save())."""
        self.search_name = fold_parts(self.name, self.postal_codes.replace(",", " "))
        self.folded_name = fold(self.name)

    @property
    def postal_code_list(self) -> list[str]:
        return [code.strip() for code in self.postal_codes.split(",") if code.strip()]

    @property
    def main_postal_code(self) -> str:
        codes = self.postal_code_list
        return codes[0] if codes else ""


def coordinates_or_commune(
    latitude: float | None, longitude: float | None, commune: Commune | None
) -> tuple[float | None, float | None]:
    """The point when both coordinates are known, else its commune's: a place
    without coordinates is shown at its commune."""
    if latitude is not None and longitude is not None:
        return latitude, longitude
    if commune is not None and commune.latitude is not None:
        return commune.latitude, commune.longitude
    return None, None


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points, in kilometres."""
    earth_radius_km = 6371.0
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    delta_phi = math.radians(lat2 - lat1)
    delta_lambda = math.radians(lon2 - lon1)
    a = (
        math.sin(delta_phi / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(delta_lambda / 2) ** 2
    )
    return 2 * earth_radius_km * math.asin(math.sqrt(a))


_ADDRESS_TAIL = re.compile(r"^(?:(?P<code>\d{5}) )?(?P<town>.*?)(?: cedex(?: \d+)?)?$")


def street_address(address: str, commune: Commune | None) -> str:
    """The address without the postal code and commune that pages show after it.

    People type the whole postal address (« 12 rue Carnot, 21500 Montbard ») and
    choose the commune too; the page then said Montbard twice. The end of the
    address is cut when it names the commune, its postal code, or both (accents,
    case and « CEDEX » aside); anything else is kept as typed.
    """
    address = (address or "").strip()
    if not address or commune is None:
        return address
    town = fold(commune.name)
    codes = set(commune.postal_code_list)
    for start in _tail_starts(address):
        tail = _ADDRESS_TAIL.match(fold(address[start:]))
        if tail is None:
            continue
        code, name = tail["code"], tail["town"]
        # « rue de Paris » in Paris is a street: the commune alone is cut only
        # after a comma or a line break.
        after_comma = address[start] in ",;\n"
        names_commune = name == town and (
            after_comma if code is None else (code in codes or not codes)
        )
        only_code = code is None and name in codes
        if names_commune or only_code:
            street = address[:start].rstrip(" ,;-–\n")
            return street or address
    return address


def _tail_starts(address: str):
    """Where the end of an address may start: after each comma or space, longest first."""
    for index, char in enumerate(address):
        if index and char in " ,;\n" and address[index - 1] not in " ,;\n":
            yield index
