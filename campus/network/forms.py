from django import forms

from campus.formfields import FieldPurposeMixin, campus_formfield
from campus.images import LOGO_MAX_SIDE, reencoded_image
from campus.network.models import (
    PROPOSED_ACTOR_FIELDS,
    MemberRole,
    Organisation,
    Person,
    Proposal,
    ProposalKind,
    Site,
)
from campus.network.validators import normalize_siret, normalize_uai
from campus.places.forms import CommuneField
from campus.places.models import street_address
from campus.public_forms import HoneypotMixin

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


class OrganisationForm(FieldPurposeMixin, IdentifierFieldsMixin, forms.ModelForm):
    """The listing a partner editor keeps up to date."""

    autocomplete = {
        "name": "organization",
        "address": "street-address",
        "website": "url",
        "email": "work email",
        "phone": "work tel",
    }
    empty_labels = {"kind": "Choisissez un type d'acteur"}

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
        if "logo" in self.changed_data and self.cleaned_data.get("logo"):
            content = reencoded_image(
                self.cleaned_data["logo"],
                max_side=LOGO_MAX_SIDE,
                keep_transparency=True,
            )
            organisation.logo.save(content.name, content, save=False)
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


class OwnRowsFormSet(forms.BaseInlineFormSet):
    """Refuses a posted row that is not one of the organisation's.

    Django's inline formset silently turns an unknown or foreign id into a row it
    then skips on save, so a tampered id would be « enregistré » while nothing is.
    """

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            if form.instance.pk is None:
                raise forms.ValidationError(
                    "Une des lignes envoyées ne fait pas partie de cette "
                    "organisation : rechargez la page et recommencez.",
                    code="foreign_row",
                )


class PersonForm(FieldPurposeMixin, forms.ModelForm):
    # Often the editor's own details: the browser may offer them.
    autocomplete = {"full_name": "name", "email": "work email", "phone": "work tel"}

    class Meta:
        model = Person
        fields = ["full_name", "role", "email", "phone", "is_public"]


PersonFormSet = forms.inlineformset_factory(
    Organisation,
    Person,
    formset=OwnRowsFormSet,
    form=PersonForm,
    fields=["full_name", "role", "email", "phone", "is_public"],
    extra=1,
    max_num=50,
    validate_max=True,
    can_delete=True,
)


class SiteForm(FieldPurposeMixin, IdentifierFieldsMixin, forms.ModelForm):
    autocomplete = {"address": "street-address"}

    commune = CommuneField(required=False)
    uai = identifier_field("UAI")

    class Meta:
        model = Site
        fields = ["name", "uai", "address", "commune"]


SiteFormSet = forms.inlineformset_factory(
    Organisation,
    Site,
    form=SiteForm,
    formset=OwnRowsFormSet,
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


class StreetAddressMixin(forms.Form):
    """The commune is chosen in its own field: the address keeps the street only."""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("address") and cleaned.get("commune"):
            cleaned["address"] = street_address(cleaned["address"], cleaned["commune"])
        return cleaned


class NewActorProposalForm(
    FieldPurposeMixin,
    StreetAddressMixin,
    IdentifierFieldsMixin,
    HoneypotMixin,
    forms.ModelForm,
):
    siret = identifier_field(
        "SIRET",
        "Facultatif : 14 chiffres, espaces acceptés. Il évite les doublons dans "
        "l'annuaire.",
    )
    # Sent again, ticked, by a proposer who has seen the similar organisations.
    confirm_new = forms.BooleanField(
        required=False,
        label="Il s'agit bien d'un autre acteur : envoyer ma proposition",
    )
    autocomplete = {
        "name": "organization",
        "address": "street-address",
        "website": "url",
        "submitter_name": "name",
        "submitter_email": "email",
    }
    empty_labels = {"organisation_kind": "Choisissez un type d'acteur"}

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
            *PROPOSED_ACTOR_FIELDS,
            "message",
            "submitter_name",
            "submitter_email",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "message": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "address": "Numéro et rue ; la commune se choisit dans son propre champ."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        self.fields["organisation_kind"].required = True
        self.resembling = Organisation.objects.none()

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            self.resembling = (
                Organisation.objects.published()
                .resembling(
                    name=cleaned.get("name", ""), siret=cleaned.get("siret", "")
                )
                .order_by("name", "pk")
            )
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        """Valid, but like an organisation of the directory and not yet confirmed."""
        return not self.cleaned_data.get("confirm_new") and self.resembling.exists()


class CorrectionProposalForm(
    FieldPurposeMixin, StreetAddressMixin, HoneypotMixin, forms.ModelForm
):
    autocomplete = {"submitter_name": "name", "submitter_email": "email"}

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


class ProposalEditForm(
    FieldPurposeMixin, StreetAddressMixin, IdentifierFieldsMixin, forms.ModelForm
):
    """The team corrects what a visitor proposed before accepting it."""

    commune = CommuneField(required=False)
    siret = identifier_field("SIRET", "14 chiffres, espaces acceptés.")
    empty_labels = {"organisation_kind": "Choisissez un type d'acteur"}

    class Meta:
        model = Proposal
        formfield_callback = campus_formfield
        fields = PROPOSED_ACTOR_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.kind == ProposalKind.NEW_ACTOR:
            self.fields["name"].required = True
            self.fields["organisation_kind"].required = True
        else:
            # A correction changes an existing organisation: its type stays.
            del self.fields["organisation_kind"], self.fields["siret"]


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé à l'auteur)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
