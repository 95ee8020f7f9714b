from datetime import timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone

from campus.agenda.models import Event
from campus.formfields import (
    FieldPurposeMixin,
    OrganisationOwnedForm,
    campus_formfield,
    name_empty_choice,
)
from campus.network.models import Organisation, PartnershipStatus
from campus.news.models import Article, Category
from campus.ownership import organisation_ids_of
from campus.richtext import validate_markdown
from campus.trades.models import Trade

LINK_ERRORS = {
    "invalid_choice": "Choix inconnu : cochez des éléments de la liste.",
    "invalid_pk_value": "Choix inconnu : cochez des éléments de la liste.",
    "invalid_list": "Choix inconnu : cochez des éléments de la liste.",
}
PARTNER_STATUSES = [PartnershipStatus.PARTNER, PartnershipStatus.FOUNDING]
DATETIME_WIDGET = forms.DateTimeInput(
    attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
)


class ArticleForm(FieldPurposeMixin, OrganisationOwnedForm):
    """An article a partner writes for one of the organisations they edit.

    Links offer only what is public (published organisations, trades and events),
    so a tampered id cannot reveal or attach a private row.
    """

    class Meta:
        model = Article
        formfield_callback = campus_formfield
        fields = [
            "organisation",
            "title",
            "summary",
            "body",
            "image",
            "image_alt",
            "categories",
            "trades",
            "organisations",
            "events",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "categories": forms.CheckboxSelectMultiple,
            "trades": forms.CheckboxSelectMultiple,
            "organisations": forms.CheckboxSelectMultiple,
            "events": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "summary": "Deux phrases au plus : elles apparaissent dans les listes et les fils RSS.",
            "body": (
                "Mise en forme Markdown : **gras**, *italique*, "
                "[lien](https://…), listes avec « - », intertitres avec « ## ». "
                "Le HTML n'est pas accepté."
            ),
            "image_alt": (
                "Obligatoire avec une image : décrivez ce qu'elle montre pour les "
                "personnes aveugles."
            ),
        }
        error_messages = {
            "title": {
                "required": "Donnez un titre à l'article.",
                "max_length": "Le titre fait au plus %(limit_value)d caractères.",
            },
            "summary": {
                "required": "Écrivez le chapeau : deux phrases qui résument l'article.",
                "max_length": "Le chapeau fait au plus %(limit_value)d caractères.",
            },
            "body": {
                "required": "Écrivez le texte de l'article.",
                "max_length": "Le texte fait au plus %(limit_value)d caractères.",
            },
            "image_alt": {
                "max_length": "Le texte alternatif fait au plus %(limit_value)d caractères.",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The network's partners, the author's organisations and those already
        # cited: a national directory holds far too many actors for a list.
        cited = Q(partnership_status__in=PARTNER_STATUSES) | Q(
            pk__in=organisation_ids_of(user)
        )
        if self.instance.pk:
            cited |= Q(pk__in=self.instance.organisations.values("pk"))
        links = {
            "categories": Category.objects.order_by("name", "pk"),
            "trades": Trade.objects.published().order_by("name", "pk"),
            "organisations": Organisation.objects.published()
            .filter(cited)
            .order_by("name", "pk"),
            "events": Event.objects.published()
            .filter(ends_at__gte=timezone.now() - timedelta(days=365))
            .order_by("starts_at", "pk"),
        }
        # Without an organisation an article is the team's: a partner must name one.
        self.fields["organisation"].required = True
        self.fields["organisation"].help_text = ""
        self.fields["organisation"].error_messages["required"] = (
            "Choisissez l'organisation pour laquelle vous proposez cet article."
        )
        for name, queryset in links.items():
            if not queryset.exists():
                # An empty list of boxes says nothing: the field is left out.
                del self.fields[name]
                continue
            field = self.fields[name]
            field.queryset = queryset
            field.required = False
            field.error_messages.update(LINK_ERRORS)
        self.fields["image"].help_text = (
            "JPEG, PNG ou WebP, 2 Mo au plus. L'image est redimensionnée et ses "
            "métadonnées (lieu de prise de vue…) sont retirées."
        )
        self.fields["image"].error_messages["invalid_image"] = (
            "Ce fichier n'est pas une image lisible. Envoyez une image JPEG, PNG ou WebP."
        )

    def clean_body(self):
        body = self.cleaned_data["body"]
        validate_markdown(body)
        return body

    def clean(self):
        cleaned = super().clean()
        image = cleaned.get("image")
        if image and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt",
                "Décrivez l'image : le texte alternatif est obligatoire avec une image.",
            )
        return cleaned


class TeamArticleForm(ArticleForm):
    """The team writes for the campus (no organisation) or for any organisation,
    and chooses the publication date, which may be to come."""

    class Meta(ArticleForm.Meta):
        fields = [*ArticleForm.Meta.fields, "published_at"]
        widgets = {**ArticleForm.Meta.widgets, "published_at": DATETIME_WIDGET}
        help_texts = {
            **ArticleForm.Meta.help_texts,
            "published_at": (
                "Laissez vide pour publier maintenant ; une date à venir programme "
                "la publication."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        field = self.fields["organisation"]
        field.required = False
        field.help_text = "Vide : article de l'équipe du campus."
        name_empty_choice(field, "L'équipe du campus")
        self.fields["published_at"].error_messages["invalid"] = (
            "Indiquez une date et une heure valides, par exemple 15/03/2027 09:00."
        )


class ScheduleForm(forms.Form):
    published_at = forms.DateTimeField(
        label="Date de publication",
        required=False,
        widget=DATETIME_WIDGET,
        help_text="Laissez vide pour publier maintenant.",
        error_messages={
            "invalid": "Indiquez une date et une heure valides, par exemple 15/03/2027 09:00."
        },
    )

    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        if published_at and published_at < timezone.now() - timedelta(minutes=5):
            raise forms.ValidationError(
                "Cette date est passée : laissez vide pour publier maintenant."
            )
        return published_at


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Envoyé par e-mail à l'auteur de l'article.",
        error_messages={
            "required": "Indiquez le motif du refus : il est envoyé à l'auteur.",
            "max_length": "Le motif fait au plus %(limit_value)d caractères.",
        },
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(
                "Indiquez le motif du refus : il est envoyé à l'auteur."
            )
        return reason
