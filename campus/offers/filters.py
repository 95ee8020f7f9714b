"""The public list's filters: the catalogue's trade, level, commune and radius
(campus/trainings/filters.py), and the type of contract, in one URL scheme shared
by the page, its htmx fragment and the RSS feed.

Every parameter is validated; an unknown value is a French message and a 400.
"""

import django_filters
from django.db.models import Q

from campus import fragments
from campus.filtersets import ListFilterSet
from campus.offers.models import Contract, Offer
from campus.profiles.models import ROME_CODE
from campus.search import SearchFilter, expand_terms, fold
from campus.trades.models import Trade
from campus.trainings.filters import (
    CommuneFilter,
    NearCommuneMixin,
    TradeFilter,
    radius_filter,
    trade_choices,
)
from campus.trainings.models import Level

# French values in addresses.
CONTRACT_VALUES = {
    "apprentissage": Contract.APPRENTICESHIP,
    "stage": Contract.INTERNSHIP,
    "emploi": Contract.JOB,
}


class OfferFilter(NearCommuneMixin, ListFilterSet):
    q = SearchFilter(placeholder="Métier, entreprise, diplôme, ville…")
    contrat = django_filters.ChoiceFilter(
        label="Type d'offre",
        choices=[(value, c.label) for value, c in CONTRACT_VALUES.items()],
        method="by_contract",
        empty_label="Tous les types",
    )
    metier = TradeFilter(
        label="Métier", method="by_trade", empty_label="Tous les métiers"
    )
    niveau = django_filters.ChoiceFilter(
        label="Niveau du diplôme préparé",
        field_name="level",
        choices=Level.choices,
        empty_label="Tous les niveaux",
    )
    commune = CommuneFilter(label="Près de la commune", method="keep")
    rayon = radius_filter()

    class Meta:
        model = Offer
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        trades = (
            list(fragments.kept(self.request, "trade-choices", trade_choices))
            if self.request is not None
            else trade_choices()
        )
        code = (self.data.get("metier") or "").strip().upper()
        if ROME_CODE.match(code) and code not in {slug for slug, _ in trades}:
            trades.append((code, f"Code ROME {code}"))
        fields["metier"].choices = [("", "Tous les métiers"), *trades]
        messages = {
            "contrat": "Type d'offre inconnu : apprentissage, stage ou emploi.",
            "niveau": "Niveau inconnu : choisissez un niveau de 3 à 8.",
            "metier": "Métier inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message

    def is_valid(self):
        if not super().is_valid():
            return False
        self.check_radius_has_commune()
        return not self.form.errors

    def search(self, queryset, name, value):
        """Every word (or one of its synonyms) in the offer's folded text."""
        for alternatives in expand_terms(value):
            condition = Q()
            for alternative in alternatives:
                condition |= Q(search_text__contains=fold(alternative))
            queryset = queryset.filter(condition)
        return queryset

    def by_contract(self, queryset, name, value):
        return queryset.filter(contract=CONTRACT_VALUES[value])

    def by_trade(self, queryset, name, value):
        if ROME_CODE.match(value):
            codes = [value]
        else:
            trade = Trade.objects.published().filter(slug=value).first()
            codes = trade.rome_code_list if trade else []
        return queryset.for_rome_codes(codes)

    def keep(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.near_commune(super().filter_queryset(queryset))
        if self.form.cleaned_data.get("commune") is not None:
            return queryset.order_by("distance_km", "-created_at", "-pk")
        return queryset.order_by("-created_at", "-pk")
