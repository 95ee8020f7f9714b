from django import forms

from campus.formfields import campus_formfield
from campus.network.models import Organisation, Site
from campus.trainings.models import Certification, Offering

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferingForm(forms.ModelForm):
    """An offering kept up to date by an editor of its organisation, or by the team."""

    class Meta:
        model = Offering
        formfield_callback = campus_formfield
        fields = [
            "certification",
            "organisation",
            "site",
            "route",
            "duration",
            "start_dates",
            "enrolment_opens",
            "enrolment_closes",
            "open_days",
            "how_to_apply",
            "capacity",
            "url",
            "is_published",
        ]
        widgets = {
            "enrolment_opens": DATE_INPUT,
            "enrolment_closes": DATE_INPUT,
            "open_days": forms.Textarea(attrs={"rows": 3}),
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.editable_by(user).order_by("name", "pk")
        self.fields["organisation"].queryset = organisations
        self.fields["site"].queryset = Site.objects.filter(
            organisation__in=organisations.values("pk")
        ).select_related("organisation")
        self.fields["certification"].queryset = Certification.objects.order_by(
            "title", "pk"
        )
        self.fields["organisation"].error_messages["invalid_choice"] = (
            "Organisation inconnue ou que vous ne pouvez pas modifier."
        )
        self.fields["site"].error_messages["invalid_choice"] = (
            "Site inconnu : choisissez un site de votre organisation."
        )
        self.fields["certification"].error_messages["invalid_choice"] = (
            "Certification inconnue : choisissez-en une dans la liste."
        )
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean(self):
        cleaned = super().clean()
        site, organisation = cleaned.get("site"), cleaned.get("organisation")
        if site and organisation and site.organisation_id != organisation.pk:
            self.add_error("site", "Ce site n'appartient pas à l'organisation choisie.")
        opens, closes = cleaned.get("enrolment_opens"), cleaned.get("enrolment_closes")
        if opens and closes and closes < opens:
            self.add_error(
                "enrolment_closes",
                "La fin des inscriptions doit suivre leur ouverture.",
            )
        return cleaned
