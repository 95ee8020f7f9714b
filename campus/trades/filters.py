import django_filters
from django import forms

from campus import fragments
from campus.filtersets import ListFilterSet
from campus.profiles.models import SectorProfile
from campus.search import SearchFilter, filter_by_terms
from campus.trades.models import CraftDomain, Trade


def _domains() -> list[tuple[str, str]]:
    return [(domain.slug, str(domain)) for domain in CraftDomain.objects.all()]


class TradeFilter(ListFilterSet):
    q = SearchFilter(label="Rechercher un métier", placeholder="Nom ou code ROME…")
    domaine = django_filters.ModelChoiceFilter(
        label="Domaine des métiers d'art",
        field_name="craft_domain",
        to_field_name="slug",
        queryset=CraftDomain.objects.all(),
        empty_label="Tous les domaines",
        error_messages={
            "invalid_choice": "Domaine inconnu : choisissez-en un dans la liste."
        },
    )
    metiers_art = django_filters.BooleanFilter(
        label="Métiers d'art seulement",
        method="crafts_only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Trade
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The page shows the sector too: one read of the profile serves both.
        sector = (
            SectorProfile.for_request(self.request)
            if self.request is not None
            else SectorProfile.load()
        )
        examples = sector.search_examples
        if examples:
            self.form.fields["q"].widget.attrs["placeholder"] = examples
        if self.request is not None:
            # The domains kept until their table is written, set through
            # ChoiceField's setter: the model field's would list them from the table
            # again. A chosen domain is still checked against the table.
            domains = fragments.kept(self.request, "craft-domain-choices", _domains)
            forms.ChoiceField.choices.__set__(
                self.form.fields["domaine"], [("", "Tous les domaines"), *domains]
            )

    def search(self, queryset, name, value):
        return filter_by_terms(queryset, value)

    def crafts_only(self, queryset, name, value):
        return queryset.crafts() if value else queryset
