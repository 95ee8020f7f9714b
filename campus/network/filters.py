import django_filters
from django import forms

from campus.network.models import Organisation, OrganisationKind
from campus.places.models import Departement
from campus.search import MAX_QUERY_LENGTH, filter_by_terms


class DirectoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Rechercher",
        method="search",
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Nom, commune, activité…"}
        ),
    )
    type = django_filters.ChoiceFilter(
        label="Type d'acteur",
        field_name="kind",
        choices=OrganisationKind.choices,
        empty_label="Tous les types",
    )
    departement = django_filters.ModelChoiceFilter(
        label="Département",
        field_name="commune__departement",
        to_field_name="code",
        queryset=Departement.objects.all(),
        empty_label="Tous les départements",
    )
    partenaire = django_filters.BooleanFilter(
        label="Partenaires du campus seulement",
        method="partners_only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, *args, departements=None, **kwargs):
        super().__init__(*args, **kwargs)
        if departements is not None:
            self.filters["departement"].queryset = departements
            self.form.fields["departement"].queryset = departements
        self.form.fields["departement"].error_messages["invalid_choice"] = (
            "Département inconnu : choisissez-en un dans la liste."
        )
        self.form.fields["type"].error_messages["invalid_choice"] = (
            "Type d'acteur inconnu : choisissez-en un dans la liste."
        )
        self.form.fields["q"].error_messages["max_length"] = (
            f"La recherche est trop longue ({MAX_QUERY_LENGTH} caractères au plus)."
        )

    def search(self, queryset, name, value):
        return filter_by_terms(queryset, value)

    def partners_only(self, queryset, name, value):
        if value:
            return queryset.filter(partnership_status__in=["partner", "founding"])
        return queryset
