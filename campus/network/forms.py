from django import forms

from campus.formfields import campus_formfield
from campus.images import validate_image_upload
from campus.network.models import (
    MemberRole,
    Organisation,
    OrganisationKind,
    Person,
    Proposal,
    Site,
)
from campus.network.validators import normalize_siret, normalize_uai
from campus.places.forms import CommuneField

PUBLIC_FIELDS = [
    "name",
    "acronym",
    "kind",
    "siret",
    "uai",
    "description",
    "address",
    "commune",
    "website",
    "email",
    "phone",
    "logo",
    "logo_alt",
]


class IdentifierFieldsMixin(forms.Form):
    """SIRET and UAI may be typed with spaces or in lower case; they are stored normalised."""

    def clean_siret(self):
        return normalize_siret(self.cleaned_data.get("siret", ""))

    def clean_uai(self):
        return normalize_uai(self.cleaned_data.get("uai", ""))


def identifier_field(label, help_text=""):
    return forms.CharField(
        label=label, required=False, max_length=24, help_text=help_text
    )


class OrganisationForm(IdentifierFieldsMixin, forms.ModelForm):
    """The listing a partner editor keeps up to date."""

    commune = CommuneField(required=False)
    siret = identifier_field("SIRET", "14 chiffres, espaces acceptés.")
    uai = identifier_field(
        "UAI", "Établissements d'enseignement : 7 chiffres et une lettre."
    )

    class Meta:
        model = Organisation
        formfield_callback = campus_formfield
        fields = PUBLIC_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 8})}

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):
            validate_image_upload(logo)
        return logo

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("logo") and not cleaned.get("logo_alt"):
            self.add_error(
                "logo_alt",
                "Décrivez le logo en quelques mots pour les personnes aveugles.",
            )
        return cleaned

    def save(self, commit=True):
        organisation = super().save(commit=False)
        if "commune" in self.changed_data:
            organisation.latitude = organisation.longitude = None
            if organisation.commune and not organisation.postal_code:
                organisation.postal_code = organisation.commune.main_postal_code
        if commit:
            organisation.save()
        return organisation


class TeamOrganisationForm(OrganisationForm):
    """The campus team also keeps the partnership and publication fields."""

    class Meta(OrganisationForm.Meta):
        fields = PUBLIC_FIELDS + [
            "partnership_status",
            "partner_since",
            "agreement_reference",
            "internal_notes",
            "is_published",
        ]
        widgets = {
            **OrganisationForm.Meta.widgets,
            "partner_since": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


PersonFormSet = forms.inlineformset_factory(
    Organisation,
    Person,
    fields=["full_name", "role", "email", "phone", "is_public"],
    extra=1,
    max_num=50,
    validate_max=True,
    can_delete=True,
)


class SiteForm(IdentifierFieldsMixin, forms.ModelForm):
    commune = CommuneField(required=False)
    uai = identifier_field("UAI")

    class Meta:
        model = Site
        fields = ["name", "uai", "address", "commune"]


SiteFormSet = forms.inlineformset_factory(
    Organisation,
    Site,
    form=SiteForm,
    extra=1,
    max_num=50,
    validate_max=True,
    can_delete=True,
)


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse e-mail de la personne invitée")
    role = forms.ChoiceField(
        label="Rôle", choices=MemberRole.choices, initial=MemberRole.VIEWER
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Rôle", choices=MemberRole.choices)


class HoneypotMixin(forms.Form):
    # Robots fill every field; people never see this one.
    website_confirmation = forms.CharField(
        required=False, label="Ne pas remplir ce champ"
    )

    def clean_website_confirmation(self):
        if self.cleaned_data.get("website_confirmation"):
            raise forms.ValidationError("Envoi refusé.")
        return ""


class NewActorProposalForm(HoneypotMixin, forms.ModelForm):
    commune = CommuneField(
        required=False,
        help_text=(
            "Commune de la région. Si l'acteur est ailleurs, laissez vide et "
            "indiquez sa ville dans l'adresse."
        ),
    )

    class Meta:
        model = Proposal
        formfield_callback = campus_formfield
        fields = [
            "name",
            "organisation_kind",
            "commune",
            "address",
            "website",
            "description",
            "message",
            "submitter_name",
            "submitter_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["organisation_kind"].required = True
        self.fields["organisation_kind"].choices = [("", "Choisissez un type")] + list(
            OrganisationKind.choices
        )


class CorrectionProposalForm(HoneypotMixin, forms.ModelForm):
    commune = CommuneField(required=False)

    class Meta:
        model = Proposal
        formfield_callback = campus_formfield
        fields = [
            "name",
            "address",
            "commune",
            "website",
            "description",
            "message",
            "submitter_name",
            "submitter_email",
        ]
        labels = {"name": "Nom corrigé", "message": "Ce qui est inexact"}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        proposed = [
            cleaned.get(f)
            for f in ["name", "address", "commune", "website", "description"]
        ]
        if not any(proposed) and not cleaned.get("message"):
            raise forms.ValidationError(
                "Indiquez au moins une correction ou décrivez ce qui est inexact."
            )
        return cleaned


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé à l'auteur)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
