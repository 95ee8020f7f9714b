from datetime import timedelta

from django import forms
from django.utils import timezone

from campus.formfields import (
    FieldPurposeMixin,
    OrganisationOwnedForm,
    name_empty_choice,
)
from campus.needs.gaps import GAP_LABELS, GapFilters
from campus.needs.models import Need, ProjectKind, Step
from campus.needs.trades import rome_choices
from campus.places.forms import CommuneField
from campus.trainings.filters import ROUTE_VALUES
from campus.trainings.models import Certification, Level, Offering, SkillBlock

MAX_HEADCOUNT = 500
# Beyond five years a horizon is a typing error (« 2062 »), not a plan.
MAX_HORIZON_DAYS = 5 * 366
UNKNOWN_ROME = "Métier inconnu : choisissez le code ROME dans la liste."
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SkillBlockChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, block):
        return f"{block.certification.title} — {block.title}"


class NeedForm(FieldPurposeMixin, OrganisationOwnedForm):
    """What both kinds of need ask; the subclasses add their own questions."""

    rome_code = forms.ChoiceField(
        label="Métier (code ROME)",
        error_messages={
            "required": "Choisissez le métier.",
            "invalid_choice": UNKNOWN_ROME,
        },
    )
    headcount = forms.IntegerField(
        label="Nombre de personnes",
        min_value=1,
        max_value=MAX_HEADCOUNT,
        error_messages={
            "required": "Indiquez le nombre de personnes.",
            "invalid": "Indiquez un nombre entier, par exemple 3.",
            "min_value": "Indiquez au moins une personne.",
            "max_value": f"Au plus {MAX_HEADCOUNT} personnes par besoin : "
            "déclarez plusieurs besoins au-delà.",
        },
    )
    commune = CommuneField(
        help_text="Le lieu de travail ou de formation souhaité, par exemple « Montbard ».",
        error_messages={"required": "Indiquez la commune."},
    )
    horizon = forms.DateField(
        label="Échéance",
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Indiquez l'échéance.",
            "invalid": "Indiquez une date valide, par exemple 01/09/2027.",
        },
    )

    class Meta:
        model = Need
        fields = [
            "organisation",
            "rome_code",
            "appellation",
            "level",
            "headcount",
            "horizon",
            "commune",
            "status",
        ]
        error_messages = {
            "appellation": {
                "required": "Indiquez l'intitulé du poste.",
                "max_length": "L'intitulé fait au plus %(limit_value)d caractères.",
            },
            "level": {
                "required": "Choisissez le niveau de qualification.",
                "invalid_choice": "Niveau inconnu : choisissez-en un dans la liste.",
            },
            "status": {"invalid_choice": "Statut inconnu : choisissez-en un."},
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["rome_code"].choices = [("", ""), *rome_choices()]
        name_empty_choice(self.fields["rome_code"], "Choisissez un métier")
        name_empty_choice(self.fields["level"], "Choisissez un niveau")
        self.fields["organisation"].error_messages["required"] = (
            "Choisissez l'organisation qui a ce besoin."
        )
        # Meta.labels names the model's fields; the fields declared here are named too.
        for name, label in getattr(self.Meta, "labels", {}).items():
            self.fields[name].label = label
        if self.instance.pk is None:
            # A new need is open; its status changes when it is reviewed.
            del self.fields["status"]
        else:
            status = self.fields["status"]
            status.help_text = (
                "« Satisfait » ou « Abandonné » : le besoin sort du tableau des écarts."
            )

    def clean_appellation(self):
        appellation = " ".join(self.cleaned_data["appellation"].split())
        if not appellation:
            raise forms.ValidationError("Indiquez l'intitulé du poste.")
        return appellation

    def clean_horizon(self):
        horizon = self.cleaned_data["horizon"]
        today = timezone.localdate()
        unchanged = self.instance.pk and horizon == self.instance.horizon
        if horizon < today and not unchanged:
            raise forms.ValidationError(
                "Cette date est passée : indiquez une échéance à venir."
            )
        if horizon > today + timedelta(days=MAX_HORIZON_DAYS):
            raise forms.ValidationError(
                "Échéance trop lointaine : indiquez une date dans les cinq ans."
            )
        return horizon


class RecruitmentNeedForm(NeedForm):
    """People a partner wants to recruit."""

    class Meta(NeedForm.Meta):
        fields = [
            "organisation",
            "rome_code",
            "appellation",
            "level",
            "headcount",
            "contract",
            "horizon",
            "commune",
            "status",
        ]
        labels = {"horizon": "À pourvoir avant le", "commune": "Lieu de travail"}
        widgets = {"contract": forms.RadioSelect}
        error_messages = {
            **NeedForm.Meta.error_messages,
            "contract": {
                "required": "Choisissez le contrat proposé.",
                "invalid_choice": "Contrat inconnu : apprentissage, CDD ou CDI.",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["contract"].required = True
        self.fields["contract"].choices = [
            choice for choice in self.fields["contract"].choices if choice[0]
        ]


class SkillsNeedForm(NeedForm):
    """Skills a partner's employees should gain, by continuing education or VAE."""

    skill_blocks = SkillBlockChoiceField(
        queryset=SkillBlock.objects.none(),
        required=False,
        label="Blocs de compétences RNCP visés",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Bloc inconnu : cochez des blocs de la liste.",
            "invalid_pk_value": "Bloc inconnu : cochez des blocs de la liste.",
            "invalid_list": "Bloc inconnu : cochez des blocs de la liste.",
        },
    )

    class Meta(NeedForm.Meta):
        fields = [
            "organisation",
            "rome_code",
            "appellation",
            "level",
            "headcount",
            "training_mode",
            "skills",
            "skill_blocks",
            "period",
            "horizon",
            "commune",
            "status",
        ]
        labels = {
            "appellation": "Poste des salariés concernés",
            "headcount": "Nombre de salariés",
            "horizon": "À former avant le",
            "commune": "Lieu de formation souhaité",
        }
        help_texts = {
            "skills": "Les gestes, techniques ou savoirs à acquérir, en quelques lignes.",
            "period": "Par exemple « hors saison haute, de janvier à mars ».",
        }
        widgets = {
            "training_mode": forms.RadioSelect,
            "skills": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            **NeedForm.Meta.error_messages,
            "training_mode": {
                "required": "Choisissez formation continue ou VAE.",
                "invalid_choice": "Modalité inconnue : formation continue ou VAE.",
            },
            "skills": {
                "max_length": "Au plus %(limit_value)d caractères.",
            },
            "period": {
                "max_length": "La période fait au plus %(limit_value)d caractères.",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["training_mode"].required = True
        self.fields["training_mode"].choices = [
            choice for choice in self.fields["training_mode"].choices if choice[0]
        ]
        blocks = (
            SkillBlock.objects.exclude(certification__rome_codes="")
            .select_related("certification")
            .order_by("certification__title", "order", "pk")
        )
        if not blocks.exists():
            # An empty list of boxes says nothing: the field is left out.
            del self.fields["skill_blocks"]
        else:
            self.fields["skill_blocks"].queryset = blocks

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("skills", "").strip() and not cleaned.get("skill_blocks"):
            self.add_error(
                "skills",
                "Décrivez les compétences recherchées ou cochez des blocs de compétences.",
            )
        return cleaned


def route_choices() -> list[tuple[str, str]]:
    return [(value, route.label) for value, route in ROUTE_VALUES.items()]


class GapFilterForm(FieldPurposeMixin, forms.Form):
    """The gap view's filters, read from the address; unknown values are French
    messages, never an ignored filter."""

    metier = forms.ChoiceField(label="Métier (code ROME)", required=False)
    niveau = forms.TypedChoiceField(
        label="Niveau",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "Tous les niveaux"), *Level.choices],
    )
    departement = forms.ChoiceField(label="Département", required=False)
    voie = forms.ChoiceField(
        label="Voie", required=False, choices=[("", "Toutes les voies")]
    )
    ecart = forms.ChoiceField(
        label="Écart",
        required=False,
        choices=[("", "Toutes les lignes"), *GAP_LABELS.items()],
    )

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["metier"].choices = [("", "Tous les métiers"), *rome_choices()]
        fields["departement"].choices = [("", "Tous les départements")] + [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        fields["voie"].choices = [("", "Toutes les voies"), *route_choices()]
        messages = {
            "metier": UNKNOWN_ROME,
            "niveau": "Niveau inconnu : choisissez un niveau de 3 à 8.",
            "departement": "Département inconnu : choisissez-en un dans la liste.",
            "voie": "Voie inconnue : scolaire, apprentissage ou formation continue.",
            "ecart": "Écart inconnu : choisissez-en un dans la liste.",
        }
        for name, message in messages.items():
            fields[name].error_messages["invalid_choice"] = message

    def filters(self):
        data = self.cleaned_data
        route = ROUTE_VALUES.get(data["voie"], "")
        return GapFilters(
            rome_code=data["metier"],
            level=data["niveau"],
            departement_code=data["departement"],
            route=route,
            gap=data["ecart"],
        )


# Training projects


class NeedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, need):
        return (
            f"{need.organisation.name} — {need.appellation} "
            f"({need.headcount} pers., {need.commune.name}, {need.get_status_display()})"
        )


class ProjectForm(forms.Form):
    """Opening a project: its title and kind, and the active needs it covers,
    chosen among those of one row of the gap table."""

    title = forms.CharField(
        label="Intitulé du projet",
        max_length=250,
        help_text="Par exemple « Licence professionnelle en apprentissage à Montbéliard ».",
        error_messages={"required": "Indiquez l'intitulé du projet."},
    )
    kind = forms.ChoiceField(
        label="Type de projet",
        choices=ProjectKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez le type de projet.",
            "invalid_choice": "Type de projet inconnu : choisissez-en un dans la liste.",
        },
    )
    needs = NeedChoiceField(
        label="Besoins couverts",
        queryset=Need.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choisissez au moins un besoin que le projet couvre.",
            "invalid_choice": "Ce besoin n'est plus ouvert ou n'existe pas : "
            "rechargez la page et choisissez parmi les besoins listés.",
            "invalid_pk_value": "Besoin inconnu : choisissez parmi les besoins listés.",
        },
    )
    notes = forms.CharField(
        label="Notes", required=False, max_length=5000, widget=forms.Textarea
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["needs"].queryset = needs

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Indiquez l'intitulé du projet.")
        return title


class StepForm(forms.Form):
    """Recording the project's next step; choosing the certification asks its RNCP code."""

    step = forms.ChoiceField(
        label="Étape",
        choices=Step.choices,
        error_messages={"invalid_choice": "Étape inconnue."},
    )
    reached_on = forms.DateField(
        label="Date",
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Le jour où l'étape a été atteinte ; pour la date d'ouverture, "
        "le jour prévu de la rentrée.",
        error_messages={
            "required": "Indiquez la date.",
            "invalid": "Indiquez une date valide, par exemple 15/03/2026.",
        },
    )
    rncp_code = forms.CharField(
        label="Code RNCP de la certification choisie",
        required=False,
        max_length=12,
        help_text="Par exemple « RNCP38431 » ; seulement pour l'étape « Certification choisie ».",
    )
    note = forms.CharField(
        label="Note", required=False, max_length=3000, widget=forms.Textarea
    )

    def __init__(self, *args, next_step=None, **kwargs):
        super().__init__(*args, **kwargs)
        if next_step:
            self.fields["step"].initial = next_step
            self.fields["step"].widget = forms.HiddenInput()
        if next_step != Step.CERTIFICATION_CHOSEN:
            self.fields["rncp_code"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        code = "".join((data.get("rncp_code") or "").split()).upper()
        data["certification"] = None
        if data.get("step") == Step.CERTIFICATION_CHOSEN:
            if not code:
                self.add_error(
                    "rncp_code", "Indiquez le code RNCP de la certification."
                )
                return data
            if code.isdigit():
                code = f"RNCP{code}"
            certification = (
                Certification.objects.filter(rncp_code=code).order_by("pk").first()
            )
            if certification is None:
                self.add_error(
                    "rncp_code",
                    f"Aucune certification du catalogue n'a le code « {code[:12]} » : "
                    "vérifiez-le sur France compétences ou importez la fiche RNCP.",
                )
            data["certification"] = certification
        return data


class OfferingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, offering):
        return f"{offering.organisation.name} — {offering.get_route_display()}" + (
            f" ({offering.commune.name})" if offering.commune_id else ""
        )


class LinkOfferingForm(forms.Form):
    offering = OfferingChoiceField(
        label="Formation ouverte",
        queryset=Offering.objects.none(),
        empty_label="Choisissez la formation du catalogue",
        error_messages={
            "required": "Choisissez la formation ouverte.",
            "invalid_choice": "Cette formation ne prépare pas la certification du "
            "projet : choisissez-en une dans la liste.",
        },
    )

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offering"].queryset = (
            Offering.objects.filter(certification_id=project.certification_id)
            .select_related("organisation", "commune")
            .order_by("organisation__name", "pk")
            if project.certification_id
            else Offering.objects.none()
        )
