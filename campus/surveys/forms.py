from datetime import timedelta

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from campus.formfields import FieldPurposeMixin
from campus.needs.forms import DATE_WIDGET, RecruitmentNeedForm, SkillsNeedForm
from campus.needs.models import NeedKind
from campus.public_forms import HoneypotMixin
from campus.surveys.models import MAX_REMINDER_DAYS, SurveyCampaign

# A survey open longer than a year is a typing error, not a plan.
MAX_OPEN_DAYS = 366


class CampaignForm(FieldPurposeMixin, forms.ModelForm):
    """The team's campaign: what it asks, whom, until when."""

    departement_code = forms.ChoiceField(label="Département", required=False)
    reminder_days = forms.IntegerField(
        label="Relance après (jours)",
        min_value=1,
        max_value=MAX_REMINDER_DAYS,
        help_text="Les organisations qui n'ont pas répondu reçoivent un rappel, une fois.",
        error_messages={
            "required": "Indiquez le délai de relance en jours.",
            "invalid": "Indiquez un nombre entier de jours, par exemple 10.",
            "min_value": "La relance vient au moins un jour après l'envoi.",
            "max_value": f"La relance vient au plus {MAX_REMINDER_DAYS} jours après l'envoi.",
        },
    )
    closes_on = forms.DateField(
        label="Date de clôture",
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text="Les liens fonctionnent jusqu'à ce jour inclus.",
        error_messages={
            "required": "Indiquez la date de clôture.",
            "invalid": "Indiquez une date valide, par exemple 31/03/2027.",
        },
    )

    class Meta:
        model = SurveyCampaign
        fields = [
            "title",
            "introduction",
            "organisation_kind",
            "departement_code",
            "reminder_days",
            "closes_on",
        ]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "title": {
                "required": "Indiquez le titre de l'enquête.",
                "max_length": "Le titre fait au plus %(limit_value)d caractères.",
            },
            "introduction": {
                "required": "Écrivez le texte d'introduction.",
                "max_length": "Le texte fait au plus %(limit_value)d caractères.",
            },
            "organisation_kind": {
                "invalid_choice": "Type d'organisation inconnu : choisissez-en un.",
            },
        }

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        departement = self.fields["departement_code"]
        departement.choices = [("", "Tout le réseau")] + [
            (d.code, f"{d.name} ({d.code})") for d in departements
        ]
        departement.error_messages["invalid_choice"] = (
            "Département inconnu : choisissez-en un dans la liste."
        )

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Indiquez le titre de l'enquête.")
        return title

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        today = timezone.localdate()
        if closes_on < today:
            raise forms.ValidationError(
                "Cette date est passée : indiquez une clôture à venir."
            )
        if closes_on > today + timedelta(days=MAX_OPEN_DAYS):
            raise forms.ValidationError(
                "Clôture trop lointaine : indiquez une date dans l'année."
            )
        return closes_on


class _SurveyNeedMixin(HoneypotMixin):
    """The partner need form, for the organisation the link names: the answer
    page has no account, so the organisation is the link's, never a field."""

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, user=AnonymousUser(), **kwargs)
        del self.fields["organisation"]
        self.instance.organisation = organisation


class SurveyRecruitmentForm(_SurveyNeedMixin, RecruitmentNeedForm):
    pass


class SurveySkillsForm(_SurveyNeedMixin, SkillsNeedForm):
    pass


ANSWER_FORMS = {
    NeedKind.RECRUITMENT: SurveyRecruitmentForm,
    NeedKind.SKILLS: SurveySkillsForm,
}
