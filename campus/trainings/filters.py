"""The filters shared by the catalogue, the map, its list and its data: one URL scheme.

Every parameter is validated; an unknown value is a French message and a 400,
never an error page or a silently ignored filter.
"""

import math
import re

import django_filters
import django_filters.fields
from django import forms
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from campus import fragments
from campus.filtersets import ListFilterSet
from campus.places.forms import CommuneField
from campus.places.models import Commune
from campus.profiles.models import ROME_CODE, CampusProfile
from campus.search import (
    MAX_QUERY_LENGTH,
    SearchFilter,
    commune_for_postal_code,
    expand_terms,
    filter_by_groups,
    recognised_place,
    sector_synonyms,
)
from campus.trades.models import Trade
from campus.trainings.fulltext import filter_by_words
from campus.trainings.models import (
    Certification,
    DiplomaType,
    Level,
    Offering,
    Route,
    SkillBlock,
)
from campus.trainings.services import with_matching_blocks

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEFAULT_RADIUS_KM = 30
MAX_RADIUS_KM = 200
EARTH_RADIUS_KM = 6371.0

# Sorting and the level and diploma filters read the offering's own copies of its
# certification's fields: one table, no join, so an index serves the first page.
SORTS = {
    "formation": ("title", "pk"),
    "-formation": ("-title", "-pk"),
    "etablissement": ("organisation__name", "title", "pk"),
    "-etablissement": ("-organisation__name", "title", "pk"),
    "commune": ("commune__name", "title", "pk"),
    "-commune": ("-commune__name", "title", "pk"),
    "niveau": ("level", "title", "pk"),
    "-niveau": ("-level", "title", "pk"),
    "distance": ("distance_km", "title", "pk"),
    "-distance": ("-distance_km", "title", "pk"),
}
SORT_LABELS = [
    ("formation", "Formation (A → Z)"),
    ("-formation", "Formation (Z → A)"),
    ("etablissement", "Établissement (A → Z)"),
    ("-etablissement", "Établissement (Z → A)"),
    ("commune", "Commune (A → Z)"),
    ("-commune", "Commune (Z → A)"),
    ("niveau", "Niveau (du CAP au plus élevé)"),
    ("-niveau", "Niveau (du plus élevé au CAP)"),
    ("distance", "Distance (la plus proche d'abord)"),
    ("-distance", "Distance (la plus lointaine d'abord)"),
]


# Longest first. A query word loses its ending so that the trade and its workshop meet:
# "sellerie" and "sellier" both become "sell", "maroquinerie" becomes "maroquin".
FRENCH_ENDINGS = [
    "eries", "ieres", "euses", "trices", "erie", "iere", "iers", "euse", "eurs",
    "trice", "ier", "eur", "ees", "ee", "es", "s", "e",
]  # fmt: skip
MIN_STEM_LENGTH = 4


def stem(term: str) -> str:
    """A folded word without its French ending, if at least four letters remain."""
    for ending in FRENCH_ENDINGS:
        if term.endswith(ending) and len(term) - len(ending) >= MIN_STEM_LENGTH:
            return term[: -len(ending)]
    return term


# French values in addresses; the English ones of older links still work.
ROUTE_VALUES = {
    "scolaire": Route.SCHOOL,
    "apprentissage": Route.APPRENTICESHIP,
    "continue": Route.CONTINUING,
}
OLD_ROUTE_VALUES = {route.value: value for value, route in ROUTE_VALUES.items()}


def modernised_query(query):
    """The address's parameters with the French values of the route, or None when
    they already have them: older links are redirected to the address a visitor
    reads and shares. (Empty parameters are left out by the page's script; a
    form sent without JavaScript keeps them, rather than costing a redirect.)"""
    old = [value for value in query.getlist("voie") if value in OLD_ROUTE_VALUES]
    if not old:
        return None
    modern = query.copy()
    modern.setlist(
        "voie", [OLD_ROUTE_VALUES.get(value, value) for value in query.getlist("voie")]
    )
    return modern


class RouteField(django_filters.fields.ChoiceField):
    def to_python(self, value):
        value = super().to_python(value)
        return OLD_ROUTE_VALUES.get(value, value)


class RouteFilter(django_filters.ChoiceFilter):
    field_class = RouteField

    def filter(self, qs, value):
        return super().filter(qs, ROUTE_VALUES.get(value, value))


class TradeChoiceField(django_filters.fields.ChoiceField):
    """A trade chosen by name (its slug in the address); the ROME code of older
    links (« metier=B1802 ») is still accepted."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        return value.upper() if ROME_CODE.match(value.upper()) else value

    def valid_value(self, value):
        return bool(ROME_CODE.match(value)) or super().valid_value(value)


class TradeFilter(django_filters.ChoiceFilter):
    field_class = TradeChoiceField


def trade_choices() -> list[tuple[str, str]]:
    return list(
        Trade.objects.published()
        .exclude(rome_codes="")
        .order_by("name", "pk")
        .values_list("slug", "name")
    )


class CommuneCodeOrNameField(CommuneField):
    """A commune given by its INSEE code (shared links), its postal code alone
    (« 25000 ») or typed by its name (the form).

    Five digits are read as an INSEE code first, so older links keep their
    commune, then as a postal code (the most populous commune having it).
    """

    def prepare_value(self, value):
        if isinstance(value, str) and INSEE_CODE.match(value.strip()):
            value = Commune.objects.filter(insee_code=value.strip()).first() or value
        return super().prepare_value(value)

    def to_python(self, value):
        text = (value or "").strip()
        if INSEE_CODE.match(text):
            commune = Commune.objects.filter(insee_code=text).first()
            if commune is None and text.isdigit():
                commune = commune_for_postal_code(text)
            if commune is None:
                raise forms.ValidationError(
                    self.error_messages["unknown"],
                    code="unknown",
                    params={"value": text},
                )
            return commune
        return super().to_python(value)


class CommuneFilter(django_filters.Filter):
    field_class = CommuneCodeOrNameField


def radius_filter() -> django_filters.NumberFilter:
    """The distance around the commune filter, in kilometres, declared after it:
    `commune = CommuneFilter(label="Près de la commune", method="keep")`."""
    return django_filters.NumberFilter(
        label="Distance maximale (km)",
        method="keep",
        min_value=1,
        max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(
            attrs={"min": 1, "max": MAX_RADIUS_KM, "step": 1, "inputmode": "numeric"}
        ),
        help_text=(
            f"Avec une commune ; {DEFAULT_RADIUS_KM} km si vide, "
            f"{MAX_RADIUS_KM} km au plus."
        ),
        error_messages={
            "invalid": "La distance doit être un nombre de kilomètres.",
            "min_value": "La distance doit être d'au moins 1 km.",
            "max_value": f"La distance est limitée à {MAX_RADIUS_KM} km.",
            "max_digits": f"La distance est limitée à {MAX_RADIUS_KM} km.",
            "max_decimal_places": "La distance doit être un nombre entier de kilomètres.",
        },
    )


class NearCommuneMixin:
    """The commune and radius filters of a FilterSet (`commune`, `rayon = radius_filter()`):
    the radius needs a commune, and the rows are those within the radius."""

    def check_radius_has_commune(self) -> None:
        data = self.form.cleaned_data
        if (
            data.get("rayon")
            and not data.get("commune")
            and "commune" not in (self.form.errors)
        ):
            self.form.add_error(
                "commune", "Indiquez la commune d'où compter la distance."
            )

    def near_commune(self, queryset):
        """The rows within the radius of the chosen commune, with their `distance_km`."""
        data = self.form.cleaned_data
        commune = data.get("commune")
        if commune is None:
            return queryset
        return near(queryset, commune, float(data.get("rayon") or DEFAULT_RADIUS_KM))

    @property
    def radius_km(self) -> int | None:
        if not self.form.cleaned_data.get("commune"):
            return None
        return int(self.form.cleaned_data.get("rayon") or DEFAULT_RADIUS_KM)


class OfferingFilter(NearCommuneMixin, ListFilterSet):
    q = SearchFilter(placeholder="Diplôme, métier, établissement, ville…")
    niveau = django_filters.ChoiceFilter(
        label="Niveau",
        field_name="level",
        choices=Level.choices,
        empty_label="Tous les niveaux",
    )
    voie = RouteFilter(
        label="Voie",
        field_name="route",
        choices=[(value, route.label) for value, route in ROUTE_VALUES.items()],
        empty_label="Toutes les voies",
    )
    diplome = django_filters.ChoiceFilter(
        label="Type de diplôme",
        field_name="diploma_type",
        choices=DiplomaType.choices,
        empty_label="Tous les diplômes",
    )
    metier = TradeFilter(
        label="Métier",
        method="by_trade",
        empty_label="Tous les métiers",
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        field_name="departement_code",
        empty_label="Tous les départements",
    )
    commune = CommuneFilter(label="Près de la commune", method="keep")
    rayon = radius_filter()
    bloc = django_filters.CharFilter(
        label="Par bloc de compétences",
        method="by_block",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Compétence ou code du bloc"}
        ),
        help_text=(
            "Les formations qui préparent un bloc d'une certification plutôt que "
            "la certification entière : un geste, une compétence ou le code du bloc."
        ),
        error_messages={
            "max_length": (
                f"Le bloc cherché est trop long ({MAX_QUERY_LENGTH} caractères au plus)."
            )
        },
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=SORT_LABELS,
        method="keep",
        empty_label="Par défaut (distance si une commune est choisie)",
    )

    recognised_place = None
    synonyms = None

    class Meta:
        model = Offering
        fields = []

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departements is None:
            departements = CampusProfile.load().served_departements()
        fields = self.form.fields
        fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        trades = (
            list(fragments.kept(self.request, "trade-choices", trade_choices))
            if self.request is not None
            else trade_choices()
        )
        code = (self.data.get("metier") or "").strip().upper()
        if ROME_CODE.match(code) and code not in {slug for slug, _ in trades}:
            # A link by ROME code (a certification's page, older links) shows as such.
            trades.append((code, f"Code ROME {code}"))
        fields["metier"].choices = [("", "Tous les métiers"), *trades]
        messages = {
            "niveau": "Niveau inconnu : choisissez un niveau de 3 à 8.",
            "voie": "Voie inconnue : scolaire, apprentissage ou formation continue.",
            "diplome": "Type de diplôme inconnu : choisissez-en un dans la liste.",
            "departement": "Département inconnu : choisissez-en un dans la liste.",
            "tri": "Tri inconnu : choisissez-en un dans la liste.",
            "metier": "Métier inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message

    def clean_sort(self) -> None:
        data = self.form.cleaned_data
        if data.get("tri") in {"distance", "-distance"} and not data.get("commune"):
            self.form.add_error(
                "tri", "Le tri par distance demande une commune de départ."
            )
        self.check_radius_has_commune()

    def recognise_place(self) -> None:
        """A commune named in the search box becomes the commune filter, unless
        one is chosen: « maroquinerie besançon » searches « maroquinerie » near
        Besançon."""
        data = self.form.cleaned_data
        if not data.get("q") or data.get("commune"):
            return
        self.synonyms = sector_synonyms(self.request)
        rest, commune = recognised_place(self.request, data["q"], self.synonyms)
        if commune is not None:
            self.recognised_place = commune
            data["q"], data["commune"] = rest, commune

    def is_valid(self):
        if not super().is_valid():
            return False
        self.recognise_place()
        self.clean_sort()
        return not self.form.errors

    def search(self, queryset, name, value):
        groups = [
            tuple(dict.fromkeys(stem(word) for word in alternatives))
            for alternatives in expand_terms(value, self.synonyms)
        ]
        if all(len(alternatives) == 1 for alternatives in groups):
            # No synonym applies: one term a word, which the full-text index serves.
            return filter_by_words(queryset, [words[0] for words in groups])
        return filter_by_groups(queryset, groups)

    def by_trade(self, queryset, name, value):
        if ROME_CODE.match(value):
            codes = [value]
        else:
            trade = Trade.objects.published().filter(slug=value).first()
            codes = trade.rome_code_list if trade else []
        if not codes:
            return queryset.none()
        matching = Q(rome_codes__contains=codes[0])
        for code in codes[1:]:
            matching |= Q(rome_codes__contains=code)
        return queryset.filter(
            certification__in=Certification.objects.filter(matching).values("pk")
        )

    def by_block(self, queryset, name, value):
        """The offerings preparing a block whose code, title or skills match."""
        prepared = Offering.skill_blocks.through.objects.filter(
            skillblock__in=SkillBlock.objects.matching(value, self.synonyms)
        )
        return queryset.filter(pk__in=prepared.values("offering_id"))

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.near_commune(super().filter_queryset(queryset))
        return queryset.order_by(*SORTS[self.sort])

    @property
    def sort(self) -> str:
        """The chosen sort, else by distance from a chosen commune, else by title."""
        data = self.form.cleaned_data
        if data.get("tri"):
            return data["tri"]
        return "distance" if data.get("commune") is not None else "formation"


def near(queryset, commune: Commune, radius_km: float):
    """Offerings within `radius_km` of the commune: a bounding box, then the exact distance."""
    if commune.latitude is None:
        return queryset.none()
    lat, lon = commune.latitude, commune.longitude
    delta_lat = radius_km / 111.2
    delta_lon = radius_km / (111.2 * max(math.cos(math.radians(lat)), 0.01))
    queryset = queryset.filter(
        latitude__range=(lat - delta_lat, lat + delta_lat),
        longitude__range=(lon - delta_lon, lon + delta_lon),
    )
    half_chord = Power(Sin((Radians(F("latitude")) - math.radians(lat)) / 2), 2) + (
        Cos(Radians(F("latitude")))
        * Value(math.cos(math.radians(lat)))
        * Power(Sin((Radians(F("longitude")) - math.radians(lon)) / 2), 2)
    )
    distance = Value(2 * EARTH_RADIUS_KM) * ASin(Sqrt(half_chord))
    return queryset.annotate(
        distance_km=ExpressionWrapper(distance, output_field=FloatField())
    ).filter(distance_km__lte=radius_km)


class SkillBlockSearch(django_filters.FilterSet):
    """The search across certifications' skill blocks: the certifications having a
    block that matches, with those blocks (`matching_blocks`)."""

    q = SearchFilter(
        label="Compétence recherchée",
        placeholder="Un geste, une compétence, un code de bloc…",
    )
    niveau = django_filters.ChoiceFilter(
        label="Niveau",
        field_name="level",
        choices=Level.choices,
        empty_label="Tous les niveaux",
    )

    class Meta:
        model = Certification
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["niveau"].error_messages["invalid_choice"] = (
            "Niveau inconnu : choisissez un niveau de 3 à 8."
        )

    synonyms = None

    def search(self, queryset, name, value):
        self.synonyms = sector_synonyms()
        return with_matching_blocks(queryset, value, self.synonyms)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("q"):
            return queryset.none()
        return super().filter_queryset(queryset).order_by("level", "title", "pk")
