"""The filters shared by the catalogue, the map, its list and its data: one URL scheme.

Every parameter is validated; an unknown value is a French message and a 400,
never an error page or a silently ignored filter.
"""

import math
import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import ExpressionWrapper, F, FloatField, Value
from django.db.models.functions import ASin, Cos, Power, Radians, Sin, Sqrt

from campus.places.forms import CommuneField
from campus.places.models import Commune, Departement
from campus.profiles.models import ROME_CODE, CampusProfile
from campus.search import MAX_QUERY_LENGTH, filter_by_terms, search_terms
from campus.trainings.models import DiplomaType, Level, Offering, Route

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
DEFAULT_RADIUS_KM = 30
MAX_RADIUS_KM = 200
EARTH_RADIUS_KM = 6371.0

SORTS = {
    "formation": ("certification__title", "organisation__name", "pk"),
    "-formation": ("-certification__title", "organisation__name", "pk"),
    "etablissement": ("organisation__name", "certification__title", "pk"),
    "-etablissement": ("-organisation__name", "certification__title", "pk"),
    "commune": ("commune__name", "certification__title", "pk"),
    "-commune": ("-commune__name", "certification__title", "pk"),
    "niveau": ("certification__level", "certification__title", "pk"),
    "-niveau": ("-certification__level", "certification__title", "pk"),
    "distance": ("distance_km", "certification__title", "pk"),
    "-distance": ("-distance_km", "certification__title", "pk"),
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


def campus_departements():
    """The campus's départements, or every département on a national instance."""
    profile = CampusProfile.load()
    if profile.pk and profile.departements.exists():
        return profile.departements.all()
    return Departement.objects.all()


class CommuneCodeOrNameField(CommuneField):
    """A commune given by its INSEE code (shared links) or typed by its name (the form)."""

    def prepare_value(self, value):
        if isinstance(value, str) and INSEE_CODE.match(value.strip()):
            value = Commune.objects.filter(insee_code=value.strip()).first() or value
        return super().prepare_value(value)

    def to_python(self, value):
        text = (value or "").strip()
        if INSEE_CODE.match(text):
            commune = Commune.objects.filter(insee_code=text).first()
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


class OfferingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": "Diplôme, métier, établissement, ville…",
            }
        ),
    )
    niveau = django_filters.ChoiceFilter(
        label="Niveau",
        field_name="certification__level",
        choices=Level.choices,
        empty_label="Tous les niveaux",
    )
    voie = django_filters.ChoiceFilter(
        label="Voie",
        field_name="route",
        choices=Route.choices,
        empty_label="Toutes les voies",
    )
    diplome = django_filters.ChoiceFilter(
        label="Type de diplôme",
        field_name="certification__diploma_type",
        choices=DiplomaType.choices,
        empty_label="Tous les diplômes",
    )
    metier = django_filters.CharFilter(
        label="Métier (code ROME)",
        method="by_trade",
        max_length=5,
        validators=[
            RegexValidator(
                ROME_CODE.pattern,
                "Code ROME invalide : une lettre et quatre chiffres, par exemple B1802.",
                flags=re.IGNORECASE,
            )
        ],
        widget=forms.TextInput(attrs={"placeholder": "B1802", "size": 6}),
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        field_name="departement_code",
        empty_label="Tous les départements",
    )
    commune = CommuneFilter(label="Près de la commune", method="keep")
    rayon = django_filters.NumberFilter(
        label="Distance maximale (km)",
        method="keep",
        min_value=1,
        max_value=MAX_RADIUS_KM,
        widget=forms.NumberInput(
            attrs={"min": 1, "max": MAX_RADIUS_KM, "step": 1, "inputmode": "numeric"}
        ),
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=SORT_LABELS,
        method="keep",
        empty_label="Par défaut (distance si une commune est choisie)",
    )

    class Meta:
        model = Offering
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.name} ({d.code})") for d in campus_departements()
        ]
        fields["rayon"].help_text = (
            f"Avec une commune ; {DEFAULT_RADIUS_KM} km si vide, "
            f"{MAX_RADIUS_KM} km au plus."
        )
        messages = {
            "niveau": "Niveau inconnu : choisissez un niveau de 3 à 8.",
            "voie": "Voie inconnue : scolaire, apprentissage ou formation continue.",
            "diplome": "Type de diplôme inconnu : choisissez-en un dans la liste.",
            "departement": "Département inconnu : choisissez-en un dans la liste.",
            "tri": "Tri inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message
        fields["q"].error_messages["max_length"] = (
            f"La recherche est trop longue ({MAX_QUERY_LENGTH} caractères au plus)."
        )
        fields["metier"].error_messages["max_length"] = (
            "Code ROME invalide : une lettre et quatre chiffres, par exemple B1802."
        )
        fields["rayon"].error_messages.update(
            {
                "invalid": "La distance doit être un nombre de kilomètres.",
                "min_value": "La distance doit être d'au moins 1 km.",
                "max_value": f"La distance est limitée à {MAX_RADIUS_KM} km.",
                "max_digits": f"La distance est limitée à {MAX_RADIUS_KM} km.",
                "max_decimal_places": "La distance doit être un nombre entier de kilomètres.",
            }
        )

    def clean_sort(self) -> None:
        data = self.form.cleaned_data
        if data.get("tri") in {"distance", "-distance"} and not data.get("commune"):
            self.form.add_error(
                "tri", "Le tri par distance demande une commune de départ."
            )
        if (
            data.get("rayon")
            and not data.get("commune")
            and "commune" not in (self.form.errors)
        ):
            self.form.add_error(
                "commune", "Indiquez la commune d'où compter la distance."
            )

    def is_valid(self):
        if not super().is_valid():
            return False
        self.clean_sort()
        return not self.form.errors

    def search(self, queryset, name, value):
        return filter_by_terms(queryset, " ".join(stem(t) for t in search_terms(value)))

    def by_trade(self, queryset, name, value):
        return queryset.filter(certification__rome_codes__contains=value.upper())

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        commune = data.get("commune")
        if commune is not None:
            queryset = near(
                queryset, commune, float(data.get("rayon") or DEFAULT_RADIUS_KM)
            )
        default_sort = "distance" if commune is not None else "formation"
        return queryset.order_by(*SORTS[data.get("tri") or default_sort])

    @property
    def radius_km(self) -> int | None:
        if not self.form.cleaned_data.get("commune"):
            return None
        return int(self.form.cleaned_data.get("rayon") or DEFAULT_RADIUS_KM)


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
