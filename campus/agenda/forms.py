from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from campus.agenda.models import Audience, Event, PlaceKind
from campus.formfields import (
    FieldPurposeMixin,
    OrganisationOwnedForm,
    campus_formfield,
)
from campus.images import SHOWCASE_MAX_SIDE, reencoded_image
from campus.network.models import Site
from campus.places.forms import CommuneField
from campus.richtext import validate_markdown
from campus.trades.models import Trade
from campus.trainings.models import Certification, Offering

# Large enough for a national fair, small enough to catch a typo.
MAX_CAPACITY = 100_000
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_field(label: str, *, required: bool = True, help_text: str = ""):
    """A date and time typed in Paris time, with a picker where the browser has one."""
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
        ),
        error_messages={
            "required": "Indiquez la date et l'heure.",
            "invalid": "Date ou heure invalide : écrivez-la comme 14/03/2027 09:00.",
        },
    )


def multiple_choice(label: str, unknown: str):
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Audience.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": f"{unknown} : choisissez dans la liste.",
            "invalid_pk_value": f"{unknown} : choisissez dans la liste.",
        },
    )


FIELD_GROUPS = [
    ("L'événement", ["organisation", "title", "kind", "summary", "description"]),
    (
        "Date et lieu",
        [
            "starts_at",
            "ends_at",
            "all_day",
            "place_kind",
            "site",
            "venue",
            "address",
            "commune",
            "online_url",
            "accessibility",
        ],
    ),
    (
        "Pour qui, sur quoi",
        ["audiences", "trades", "certifications", "offerings", "is_free", "price"],
    ),
    ("Image", ["image", "image_alt"]),
    (
        "Inscription",
        [
            "registration_enabled",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
        ],
    ),
]


class EventForm(FieldPurposeMixin, OrganisationOwnedForm):
    """An event of one of the user's organisations, with its registration settings."""

    empty_labels = {
        "kind": "Choisissez un type",
        "site": "Au siège de l'organisateur",
    }

    starts_at = datetime_field("Début", help_text="Heure de Paris.")
    ends_at = datetime_field("Fin")
    commune = CommuneField(required=False, help_text="Pour un événement à une adresse.")
    audiences = multiple_choice("Publics visés", "Public inconnu")
    trades = multiple_choice("Métiers présentés", "Métier inconnu")
    certifications = multiple_choice("Diplômes présentés", "Diplôme inconnu")
    offerings = multiple_choice(
        "Formations ouvertes ce jour-là",
        "Formation inconnue ou d'une autre organisation",
    )
    registration_opens_at = datetime_field(
        "Ouverture des inscriptions",
        required=False,
        help_text="Vide : dès la publication.",
    )
    registration_closes_at = datetime_field(
        "Clôture des inscriptions", required=False, help_text="Vide : au début."
    )

    class Meta:
        model = Event
        formfield_callback = campus_formfield
        # The form's order is the page's: errors are listed as the fields are shown.
        fields = [name for _legend, names in FIELD_GROUPS for name in names]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "accessibility": forms.Textarea(attrs={"rows": 2}),
            "place_kind": forms.RadioSelect,
        }
        help_texts = {
            "description": (
                "Mise en forme Markdown : **gras**, *italique*, [lien](https://…), "
                "listes avec « - ». Le HTML n'est pas accepté."
            ),
            "image_alt": "Obligatoire avec une image : décrivez ce qu'elle montre.",
            "capacity": "Vide : sans limite. Au-delà, les inscrits vont en liste d'attente.",
            "price": "Par exemple « 5 €, gratuit pour les scolaires ».",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        owners = self._owners(user)
        fields = self.fields
        fields["site"].queryset = Site.objects.filter(
            organisation__in=owners
        ).select_related("organisation")
        fields["offerings"].queryset = (
            Offering.objects.filter(organisation__in=owners)
            .select_related("organisation")
            .order_by("organisation__name", "title", "route", "pk")
        )
        fields["audiences"].queryset = Audience.objects.all()
        fields["trades"].queryset = Trade.objects.published().order_by("name", "pk")
        # The certifications taught in the network: the sector's, a short list.
        fields["certifications"].queryset = Certification.objects.filter(
            pk__in=Offering.objects.values("certification_id")
        ).order_by("title", "pk")
        fields["site"].help_text = ""
        if not fields["offerings"].queryset.exists():
            fields["offerings"].help_text = (
                "Aucune formation à lier ici : celles de l'organisateur choisi "
                "apparaissent une fois l'événement enregistré."
            )
        fields["description"].validators.append(validate_markdown)
        fields["capacity"].validators.append(MaxValueValidator(MAX_CAPACITY))
        fields["capacity"].error_messages.update(
            {
                "min_value": "Indiquez au moins 1 place, ou laissez vide pour ne pas limiter.",
                "max_value": f"Au plus {MAX_CAPACITY:,} places.".replace(",", " "),
                "invalid": "Indiquez un nombre entier de places.",
            }
        )
        fields["kind"].error_messages["invalid_choice"] = (
            "Type inconnu : choisissez-en un dans la liste."
        )
        fields["place_kind"].error_messages["invalid_choice"] = (
            "Lieu inconnu : choisissez-en un dans la liste."
        )
        fields["site"].error_messages["invalid_choice"] = (
            "Site inconnu : choisissez un site de votre organisation."
        )
        fields["online_url"].error_messages["invalid"] = (
            "Adresse web invalide, par exemple https://visio.exemple.fr/salle."
        )
        for name in ("title", "kind"):
            fields[name].error_messages["required"] = "Ce champ est obligatoire."

    def _owners(self, user):
        """The organisations whose sites and trainings are offered: the organiser
        once known, else the user's. The team, who edits every organisation, gets
        them once the organiser is chosen, rather than every training of the region."""
        chosen = (
            self.data.get(self.add_prefix("organisation"))
            if self.is_bound
            else self.instance.organisation_id
            or self.initial.get("organisation")
            or self.fields["organisation"].initial
        )
        if chosen and str(chosen).isdigit():
            return self.organisations.filter(pk=chosen).values("pk")
        if user.is_campus_team:
            return self.organisations.none().values("pk")
        return self.organisations.values("pk")

    def clean_capacity(self):
        # The model field is positive: refuse 0 and negatives in French before it does.
        capacity = self.cleaned_data.get("capacity")
        if capacity is not None and capacity < 1:
            raise forms.ValidationError(
                "Indiquez au moins 1 place, ou laissez vide pour ne pas limiter."
            )
        return capacity

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        starts_changed = "starts_at" in self.changed_data or not self.instance.pk
        if starts and starts_changed and starts < timezone.now():
            self.add_error(
                "starts_at", "Le début est passé : choisissez une date à venir."
            )
        if starts and ends and ends < starts:
            self.add_error("ends_at", "La fin doit venir après le début.")
        self._clean_place(cleaned, organisation)
        if organisation:
            for name, label in (("site", "Ce site"), ("offerings", "Cette formation")):
                values = cleaned.get(name)
                values = [values] if isinstance(values, Site) else values or []
                if any(v.organisation_id != organisation.pk for v in values):
                    self.add_error(
                        name, f"{label} n'appartient pas à l'organisation choisie."
                    )
        if cleaned.get("image") and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt",
                "Décrivez l'image en quelques mots pour les personnes aveugles.",
            )
        if not cleaned.get("is_free", True) and not cleaned.get("price", "").strip():
            self.add_error("price", "Indiquez le tarif, ou cochez « gratuit ».")
        self._clean_registration(cleaned, starts)
        return cleaned

    def _clean_place(self, cleaned, organisation):
        place_kind = cleaned.get("place_kind")
        if place_kind == PlaceKind.ONLINE and not cleaned.get("online_url"):
            self.add_error(
                "online_url", "Un événement en ligne a besoin de son lien de connexion."
            )
        if place_kind == PlaceKind.ADDRESS:
            if not cleaned.get("address", "").strip():
                self.add_error("address", "Indiquez l'adresse de l'événement.")
            if not cleaned.get("commune") and "commune" not in self.errors:
                self.add_error("commune", "Indiquez la commune de l'adresse.")

    def _clean_registration(self, cleaned, starts):
        opens = cleaned.get("registration_opens_at")
        closes = cleaned.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error(
                "registration_closes_at",
                "La clôture des inscriptions doit suivre leur ouverture.",
            )
        if starts and closes and closes > starts:
            self.add_error(
                "registration_closes_at",
                "Les inscriptions doivent fermer au plus tard au début de l'événement.",
            )
        if starts and opens and opens > starts:
            self.add_error(
                "registration_opens_at",
                "Les inscriptions doivent ouvrir avant le début de l'événement.",
            )
        if not cleaned.get("registration_enabled") and (
            cleaned.get("capacity") or opens or closes
        ):
            self.add_error(
                "registration_enabled",
                "Cochez « inscription » pour limiter les places ou dater les inscriptions.",
            )

    def save(self, commit=True):
        event = super().save(commit=False)
        if event.place_kind != PlaceKind.ADDRESS:
            event.address = ""
        if event.place_kind != PlaceKind.SITE:
            event.site = None
        if event.place_kind != PlaceKind.ONLINE:
            event.online_url = ""
        if "image" in self.changed_data and self.cleaned_data.get("image"):
            content = reencoded_image(
                self.cleaned_data["image"], max_side=SHOWCASE_MAX_SIDE
            )
            event.image.save(content.name, content, save=False)
        if commit:
            event.save()
            self.save_m2m()
        return event

    @property
    def groups(self) -> list[tuple[str, list]]:
        """The fields under their headings, in the order of the page."""
        return [
            (legend, [self[name] for name in names]) for legend, names in FIELD_GROUPS
        ]

    @property
    def relations(self) -> dict:
        """The many-to-many choices, for the services that save the event."""
        return {
            name: self.cleaned_data[name]
            for name in ("audiences", "trades", "certifications", "offerings")
        }


class StateChangeForm(forms.Form):
    note = forms.CharField(
        label="Message aux inscrits et aux visiteurs",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Expliquez en quelques mots ce qui se passe.",
            "max_length": "2 000 caractères au plus.",
        },
    )


class PostponeForm(StateChangeForm):
    starts_at = datetime_field(
        "Nouveau début", required=False, help_text="Vide si la date n'est pas connue."
    )
    ends_at = datetime_field("Nouvelle fin", required=False)

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if (starts is None) != (ends is None) and not self.errors:
            self.add_error(
                "ends_at",
                "Indiquez le nouveau début et la nouvelle fin, ou aucun des deux.",
            )
        if starts and starts < timezone.now():
            self.add_error("starts_at", "La nouvelle date doit être à venir.")
        if starts and ends and ends < starts:
            self.add_error("ends_at", "La fin doit venir après le début.")
        return cleaned


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus (envoyé à l'auteur)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Indiquez le motif du refus : il est envoyé à l'auteur.",
            "max_length": "2 000 caractères au plus.",
        },
    )
