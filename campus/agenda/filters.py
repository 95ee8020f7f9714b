"""The agenda's filters, shared by the list, the archive, the month, the map and the
iCalendar feed: one URL scheme, so a search becomes a subscription as it stands.

Every parameter is validated; an unknown value is a French message and a 400,
never an error page or a silently ignored filter. The commune, its radius and the
trade read the catalogue's fields and distance (campus/trainings/filters.py).
"""

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from campus import fragments
from campus.agenda.models import Audience, Event, EventKind
from campus.dates import start_of_day
from campus.profiles.models import CampusProfile
from campus.search import SearchFilter, expand_terms, fold
from campus.trades.models import Trade
from campus.trainings.filters import CommuneFilter, NearCommuneMixin, radius_filter

# Beyond this span a range is a typing error (« 2062 »), not a search.
MAX_RANGE_DAYS = 3 * 366


class FrenchDateField(forms.DateField):
    """A day typed as the browser's date picker sends it (2026-04-01) or as
    people write it (01/04/2026)."""

    input_formats = ["%Y-%m-%d", "%d/%m/%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        if day is not None and not 2000 <= day.year <= 2100:
            raise forms.ValidationError(
                "Cette date est hors de l'agenda (années 2000 à 2100).",
                code="out_of_range",
            )
        return day


class DayInput(forms.DateInput):
    """The browser's date picker; an empty day renders no value, as on a first load."""

    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value):
        return super().format_value(value) if value else None


class FrenchDateFilter(django_filters.Filter):
    field_class = FrenchDateField


MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


class MonthField(forms.CharField):
    """The month the month view shows, as the browser's month picker sends it
    (« 2026-04 »); this month when empty."""

    default_error_messages = {
        "invalid": "Mois inconnu : indiquez-le sous la forme 2026-04.",
    }

    def __init__(self, **kwargs):
        kwargs.update(required=False, max_length=7)
        kwargs.setdefault("help_text", "Par exemple 2026-04 pour avril 2026.")
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "month", "placeholder": "2026-04"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            today = timezone.localdate()
            return today.year, today.month
        found = MONTH.match(text)
        year, month = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return year, month


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def filter_choices() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The audiences and the trades the filters offer."""
    return (
        list(Audience.objects.order_by("position", "pk").values_list("code", "label")),
        list(
            Trade.objects.published().order_by("name", "pk").values_list("slug", "name")
        ),
    )


class EventFilter(NearCommuneMixin, django_filters.FilterSet):
    q = SearchFilter(placeholder="Atelier, salon, métier, organisateur, ville…")
    type = django_filters.ChoiceFilter(
        label="Type d'événement",
        field_name="kind",
        choices=EventKind.choices,
        empty_label="Tous les types",
    )
    public = django_filters.ChoiceFilter(
        label="Public",
        method="by_audience",
        empty_label="Tous les publics",
    )
    departement = django_filters.ChoiceFilter(
        label="Département",
        method="by_departement",
        empty_label="Tous les départements",
    )
    commune = CommuneFilter(label="Près de la commune", method="keep")
    rayon = radius_filter()
    metier = django_filters.ChoiceFilter(
        label="Métier",
        method="by_trade",
        empty_label="Tous les métiers",
    )
    du = FrenchDateFilter(
        label="À partir du",
        method="keep",
        widget=DayInput(),
    )
    au = FrenchDateFilter(
        label="Jusqu'au",
        method="keep",
        widget=DayInput(),
    )
    gratuit = django_filters.BooleanFilter(
        label="Gratuits seulement",
        method="free_only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Event
        fields = []

    def __init__(self, *args, departements=None, with_month=False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_month:
            # The month view's own field, after the search box; it filters nothing.
            month = MonthFilter(label="Mois affiché", method="keep")
            month.model, month.parent = self.queryset.model, self
            q = self.filters.pop("q")
            self.filters = {"q": q, "mois": month, **self.filters}
        if departements is None:
            departements = CampusProfile.load().served_departements()
        fields = self.form.fields
        fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        audiences, trades = (
            fragments.kept(self.request, "agenda-filter-choices", filter_choices)
            if self.request is not None
            else filter_choices()
        )
        fields["public"].choices = [("", "Tous les publics"), *audiences]
        fields["metier"].choices = [("", "Tous les métiers"), *trades]
        fields["gratuit"].required = False
        messages = {
            "type": "Type d'événement inconnu : choisissez-en un dans la liste.",
            "public": "Public inconnu : choisissez-en un dans la liste.",
            "departement": "Département inconnu : choisissez-en un dans la liste.",
            "metier": "Métier inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message
        for name in ("du", "au"):
            fields[name].error_messages["invalid"] = (
                "Date invalide : choisissez un jour du calendrier, "
                "par exemple 01/04/2026."
            )

    def is_valid(self):
        if not super().is_valid():
            return False
        data = self.form.cleaned_data
        start, end = data.get("du"), data.get("au")
        if start and end and end < start:
            self.form.add_error(
                "au", "La date de fin de la période précède sa date de début."
            )
        elif start and end and (end - start).days > MAX_RANGE_DAYS:
            self.form.add_error("au", "La période est limitée à trois ans.")
        self.check_radius_has_commune()
        return not self.form.errors

    def search(self, queryset, name, value):
        """Every word (or one of its synonyms) in the event's folded text."""
        for alternatives in expand_terms(value):
            condition = Q()
            for alternative in alternatives:
                condition |= Q(search_text__contains=fold(alternative))
            queryset = queryset.filter(condition)
        return queryset

    def by_audience(self, queryset, name, value):
        return queryset.filter(
            pk__in=Audience.objects.filter(code=value).values("events")
        )

    def by_departement(self, queryset, name, value):
        return queryset.filter(
            Q(commune__departement__code=value)
            | Q(commune__isnull=True, organisation__commune__departement__code=value)
        )

    def by_trade(self, queryset, name, value):
        return queryset.filter(pk__in=Trade.objects.filter(slug=value).values("events"))

    def free_only(self, queryset, name, value):
        return queryset.filter(is_free=True) if value else queryset

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.near_commune(super().filter_queryset(queryset))
        data = self.form.cleaned_data
        # An event belongs to the period if it runs on one of its days.
        if data.get("du"):
            queryset = queryset.filter(ends_at__gte=start_of_day(data["du"]))
        if data.get("au"):
            queryset = queryset.filter(
                starts_at__lt=start_of_day(data["au"] + dt.timedelta(days=1))
            )
        return queryset
