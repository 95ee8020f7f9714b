import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField

from campus.accounts.models import User
from campus.dates import InvalidLocalTime, paris_instant
from campus.formfields import FieldPurposeMixin, OrganisationOwnedForm, campus_formfield
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.network.models import Organisation, OrganisationKind, Site
from campus.platforms.models import Booking, Equipment
from campus.richtext import validate_markdown

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MARKDOWN_HELP = (
    "Mise en forme Markdown : **gras**, *italique*, [lien](https://…), "
    "listes avec « - ». Le HTML n'est pas accepté."
)


class ParisDateTimeField(forms.DateTimeField):
    """A date and time typed in Paris time; a time that the clock change skips or
    repeats gets a French message instead of a guess."""

    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
            widget=forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            error_messages={
                "required": "Indiquez la date et l'heure.",
                "invalid": "Date ou heure invalide : écrivez-la comme 14/03/2027 09:00.",
            },
            help_text="Heure de Paris.",
            **kwargs,
        )

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value
        if not isinstance(value, dt.datetime):
            value = BaseTemporalField.to_python(self, str(value)[:40])
        try:
            return paris_instant(
                value.replace(second=0, microsecond=0), repeated_hour="refuse"
            )
        except InvalidLocalTime as error:
            raise ValidationError(str(error), code="invalid_local_time") from error


class EquipmentForm(FieldPurposeMixin, OrganisationOwnedForm):
    """An equipment of one of the user's technology platforms."""

    empty_labels = {
        "site": "À l'adresse de la plateforme",
        "manager": "Les éditeurs de la plateforme",
    }

    class Meta:
        model = Equipment
        formfield_callback = campus_formfield
        fields = [
            "organisation",
            "name",
            "description",
            "characteristics",
            "photo",
            "photo_alt",
            "site",
            "access_conditions",
            "is_free",
            "hourly_price",
            "required_training",
            "manager",
            "is_published",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "characteristics": forms.Textarea(attrs={"rows": 4}),
            "access_conditions": forms.Textarea(attrs={"rows": 3}),
            "required_training": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "description": MARKDOWN_HELP,
            "photo_alt": "Obligatoire avec une photo : décrivez ce qu'elle montre.",
            "hourly_price": "En euros hors taxes, par exemple 45,00. Vide si gratuit.",
            "manager": "Le membre de la plateforme qui accepte ou refuse les demandes.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        platforms = self.organisations.filter(kind=OrganisationKind.TECHNOLOGY_PLATFORM)
        self.organisations = platforms
        self.fields["organisation"].queryset = platforms
        self.fields["organisation"].label = "Plateforme"
        self.fields["description"].validators.append(validate_markdown)
        self.fields["site"].queryset = Site.objects.filter(
            organisation__in=platforms
        ).order_by("name", "pk")
        self.fields["site"].error_messages["invalid_choice"] = (
            "Lieu inconnu : choisissez un site de la plateforme."
        )
        self.fields["manager"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation__in=platforms)
            .distinct()
            .order_by("full_name", "email")
        )
        self.fields["manager"].error_messages["invalid_choice"] = (
            "Choisissez un membre de la plateforme."
        )
        # Typed as people write prices here: « 12,50 » as well as « 12.50 ».
        self.fields["hourly_price"].localize = True
        self.fields["hourly_price"].widget = forms.TextInput(
            attrs={"inputmode": "decimal"}
        )
        self.fields["hourly_price"].error_messages["invalid"] = (
            "Tarif invalide : écrivez un montant comme 45,00."
        )

    def clean(self):
        data = super().clean()
        organisation = data.get("organisation")
        site = data.get("site")
        if organisation and site and site.organisation_id != organisation.pk:
            self.add_error(
                "site", "Ce lieu n'est pas un site de la plateforme choisie."
            )
        manager = data.get("manager")
        if (
            organisation
            and manager
            and not manager.memberships.filter(organisation=organisation).exists()
        ):
            self.add_error(
                "manager", "Le responsable doit être membre de la plateforme."
            )
        price = data.get("hourly_price")
        if (
            not data.get("is_free")
            and price is None
            and "hourly_price" not in self.errors
        ):
            self.add_error(
                "hourly_price", "Indiquez un tarif horaire, ou cochez « gratuit »."
            )
        if price is not None and price < 0:
            self.add_error("hourly_price", "Le tarif ne peut pas être négatif.")
        if data.get("photo") and not data.get("photo_alt", "").strip():
            self.add_error(
                "photo_alt", "Décrivez la photo : le texte alternatif est obligatoire."
            )
        return data

    def save(self, commit=True):
        equipment = super().save(commit=False)
        if "photo" in self.changed_data and self.cleaned_data.get("photo"):
            content = reencoded_image(
                self.cleaned_data["photo"], max_side=SHOWCASE_MAX_SIDE
            )
            equipment.photo.save(content.name, content, save=False)
        if not equipment.photo:
            equipment.photo_alt = ""
        if commit:
            equipment.save()
        return equipment


class BookingForm(FieldPurposeMixin, forms.ModelForm):
    """A partner's request for a slot, for one of their organisations."""

    empty_labels = {"organisation": "Choisissez votre organisation"}

    starts_at = ParisDateTimeField("Début")
    ends_at = ParisDateTimeField("Fin")

    class Meta:
        model = Booking
        fields = ["organisation", "starts_at", "ends_at", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "purpose": "Ce que vous allez réaliser : la plateforme en a besoin pour décider.",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.member_of(user).order_by("name", "pk")
        field = self.fields["organisation"]
        field.queryset = organisations
        field.error_messages["invalid_choice"] = (
            "Organisation inconnue : choisissez une organisation dont vous êtes membre."
        )
        first_two = list(organisations[:2])
        if len(first_two) == 1:
            field.empty_label = None
            field.initial = first_two[0].pk

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "La fin du créneau doit venir après son début.")
        return data


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Envoyé au demandeur.",
        error_messages={
            "required": "Indiquez le motif du refus : il est envoyé au demandeur.",
            "max_length": "Le motif fait au plus 2 000 caractères.",
        },
    )


class PlatformFilterForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False, max_length=200)
    plateforme = forms.ModelChoiceField(
        label="Plateforme",
        queryset=Organisation.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label="Toutes les plateformes",
        error_messages={
            "invalid_choice": "Plateforme inconnue : choisissez dans la liste."
        },
    )

    def __init__(self, *args, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plateforme"].queryset = platforms


class UsageYearForm(forms.Form):
    annee = forms.IntegerField(
        label="Année",
        min_value=2000,
        max_value=2100,
        required=False,
        error_messages={
            "invalid": "Année invalide : écrivez-la sur quatre chiffres, comme 2027.",
            "min_value": "Choisissez une année entre 2000 et 2100.",
            "max_value": "Choisissez une année entre 2000 et 2100.",
        },
    )
