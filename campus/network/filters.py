import django_filters
from django import forms
from django.core.validators import RegexValidator

from campus.filtersets import ListFilterSet
from campus.network.models import SIZE_BANDS, Organisation, OrganisationKind
from campus.opendata.importers.base import normalise_naf
from campus.places.models import Departement
from campus.search import SearchFilter, filter_by_terms


class DirectoryFilter(ListFilterSet):
    q = SearchFilter(placeholder="Nom, commune, activité…")
    type = django_filters.ChoiceFilter(
        label="Type d'acteur",
        field_name="kind",
        choices=OrganisationKind.choices,
        empty_label="Tous les types",
        error_messages={
            "invalid_choice": "Type d'acteur inconnu : choisissez-en un dans la liste."
        },
    )
    # Choices of the campus's départements by code (set per request), as in the
    # catalogue: a model choice would read again the départements the campus has
    # just read.
    departement = django_filters.ChoiceFilter(
        label="Département",
        field_name="commune__departement__code",
        empty_label="Tous les départements",
        error_messages={
            "invalid_choice": "Département inconnu : choisissez-en un dans la liste."
        },
    )
    # The observatory's company figures link here filtered the same way.
    activite = django_filters.ChoiceFilter(
        label="Activité (code NAF)",
        field_name="naf_code",
        empty_label="Toutes les activités",
        error_messages={
            "invalid_choice": "Code NAF inconnu : choisissez-en un de la filière."
        },
    )
    taille = django_filters.ChoiceFilter(
        label="Taille de l'établissement",
        field_name="size_band",
        choices=list(SIZE_BANDS.items()),
        empty_label="Toutes les tailles",
        error_messages={
            "invalid_choice": "Tranche d'effectif inconnue : choisissez-en une dans "
            "la liste."
        },
    )
    # A code rather than a list: the région has thousands of communes.
    commune = django_filters.CharFilter(
        label="Commune (code INSEE)",
        field_name="commune__insee_code",
        max_length=5,
        validators=[
            RegexValidator(
                r"^[0-9][0-9AB][0-9]{3}$",
                "Code de commune inconnu : saisissez un code INSEE à cinq caractères "
                "(par exemple 21425).",
            )
        ],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 5}),
    )
    partenaire = django_filters.BooleanFilter(
        label="Partenaires du campus seulement",
        method="partners_only",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, *args, departements=None, naf_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["activite"].choices = [(normalise_naf(code),) * 2 for code in naf_codes]
        if departements is None:
            departements = Departement.objects.all()
        fields["departement"].choices = [(d.code, str(d)) for d in departements]

    def search(self, queryset, name, value):
        return filter_by_terms(queryset, value)

    def partners_only(self, queryset, name, value):
        if value:
            return queryset.filter(partnership_status__in=["partner", "founding"])
        return queryset
