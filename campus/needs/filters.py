"""The team's list of training projects: step, kind, département and year, in the
address; an unknown value is a French message and a 400."""

import django_filters
from django import forms

from campus.needs.models import ProjectKind, Step, TrainingProject


class ProjectFilter(django_filters.FilterSet):
    etape = django_filters.ChoiceFilter(
        label="Étape atteinte",
        field_name="current_step",
        choices=Step.choices,
        empty_label="Toutes les étapes",
    )
    type = django_filters.ChoiceFilter(
        label="Type de projet",
        field_name="kind",
        choices=ProjectKind.choices,
        empty_label="Tous les types",
    )
    departement = django_filters.ChoiceFilter(
        label="Département des besoins",
        method="by_departement",
        empty_label="Tous les départements",
    )
    annee = django_filters.NumberFilter(
        label="Année d'ouverture du projet",
        field_name="created_at",
        lookup_expr="year",
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    class Meta:
        model = TrainingProject
        fields = []

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        messages = {
            "etape": "Étape inconnue : choisissez-en une dans la liste.",
            "type": "Type de projet inconnu : choisissez-en un dans la liste.",
            "departement": "Département inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message
        fields["annee"].error_messages.update(
            {
                "invalid": "Indiquez une année, par exemple 2026.",
                "min_value": "Indiquez une année à partir de 2000.",
                "max_value": "Indiquez une année avant 2100.",
            }
        )

    def by_departement(self, queryset, name, value):
        return queryset.filter(
            pk__in=TrainingProject.needs.through.objects.filter(
                need__departement_code=value
            ).values("trainingproject_id")
        )
