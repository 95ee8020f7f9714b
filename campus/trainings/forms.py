import re

from django import forms
from django.urls import reverse

from campus.formfields import (
    FieldPurposeMixin,
    OrganisationOwnedForm,
    campus_formfield,
)
from campus.network.models import Site
from campus.trainings.models import Certification, Offering, SkillBlock

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def row_id(value) -> int | None:
    """The id a form sent, or None for anything else (text, « ² », an overflow)."""
    text = str(value or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def limit_blocks_to_certification(form, field) -> None:
    """Offers the blocks of the offering's certification (the one sent, else the
    one saved): a block of another certification is refused."""
    certification_id = form.instance.certification_id
    if form.is_bound:
        certification_id = row_id(form.data.get(form.add_prefix("certification")))
    field.queryset = SkillBlock.objects.filter(
        certification_id=certification_id
    ).order_by("order", "pk")
    field.error_messages["invalid_choice"] = (
        "Bloc de compétences inconnu ou d'une autre certification : cochez les "
        "blocs de la certification choisie."
    )
    field.error_messages["invalid_pk_value"] = field.error_messages["invalid_choice"]
    if certification_id is None:
        field.help_text = (
            "Choisissez la certification et enregistrez : ses blocs de compétences "
            "s'afficheront ici, pour une formation qui n'en prépare qu'une partie."
        )
    elif not field.queryset.exists():
        field.help_text = (
            "Les blocs de compétences de cette certification ne sont pas encore "
            "connus du campus."
        )


class OfferingForm(FieldPurposeMixin, OrganisationOwnedForm):
    """An offering kept up to date by an editor of its organisation, or by the team."""

    empty_labels = {
        "certification": "Choisissez une certification",
        "site": "Aucun site : à l'adresse de l'organisation",
        "route": "Choisissez une voie",
    }

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
            "how_to_apply",
            "capacity",
            "url",
            "is_published",
            "skill_blocks",
        ]
        widgets = {
            "enrolment_opens": DATE_INPUT,
            "enrolment_closes": DATE_INPUT,
            "how_to_apply": forms.Textarea(attrs={"rows": 4}),
            "skill_blocks": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["site"].queryset = Site.objects.filter(
            organisation__in=self.organisations.values("pk")
        ).select_related("organisation")
        self.fields["certification"].queryset = Certification.objects.order_by(
            "title", "pk"
        )
        self.fields["site"].error_messages["invalid_choice"] = (
            "Site inconnu : choisissez un site de votre organisation."
        )
        self.fields["certification"].error_messages["invalid_choice"] = (
            "Certification inconnue : choisissez-en une dans la liste."
        )
        limit_blocks_to_certification(self, self.fields["skill_blocks"])
        # Choosing another certification brings its blocks in (plain form: after
        # saving).
        self.fields["certification"].widget.attrs.update(
            {
                "hx-get": reverse("trainings:offering_blocks_field"),
                "hx-target": "#offering-blocks",
                "hx-swap": "innerHTML",
            }
        )

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
