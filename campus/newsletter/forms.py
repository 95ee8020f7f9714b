from datetime import timedelta

from django import forms
from django.utils import timezone

from campus.agenda.models import Event
from campus.formfields import FieldPurposeMixin
from campus.news.models import Article
from campus.newsletter.models import NewsletterIssue, Topic
from campus.public_forms import HoneypotMixin

RECENT_DAYS = 92
COMING_DAYS = 183
TOPIC_ERRORS = {
    "required": "Choisissez au moins un thème.",
    "invalid_choice": "Ce thème n'existe pas : choisissez dans la liste.",
    "invalid_list": "Choisissez les thèmes dans la liste.",
}


def topics_field(label: str) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=TOPIC_ERRORS,
    )


class SubscriptionForm(FieldPurposeMixin, HoneypotMixin, forms.Form):
    autocomplete = {"email": "email"}

    email = forms.EmailField(
        label="Votre adresse e-mail",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse e-mail.",
            "invalid": "Saisissez une adresse e-mail valide, comme nom@exemple.fr.",
            "max_length": "Cette adresse est trop longue (254 caractères au plus).",
        },
    )
    topics = topics_field("Les thèmes qui vous intéressent")
    consent = forms.BooleanField(
        label=(
            "J'accepte que le campus m'envoie sa lettre d'information à cette adresse. "
            "Je peux me désabonner à tout moment par le lien de chaque lettre."
        ),
        error_messages={
            "required": "Cochez la case pour consentir à recevoir la lettre."
        },
    )


class TopicsForm(forms.Form):
    topics = topics_field("Les thèmes que vous recevez")


class IssueForm(FieldPurposeMixin, forms.ModelForm):
    topics = topics_field("Abonnés qui la reçoivent : ceux des thèmes")
    articles = forms.ModelMultipleChoiceField(
        label="Actualités publiées",
        queryset=Article.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Cette actualité n'est pas publiée : choisissez dans la liste.",
            "invalid_pk_value": "Cette actualité n'existe pas : choisissez dans la liste.",
        },
    )
    events = forms.ModelMultipleChoiceField(
        label="Événements publiés à venir",
        queryset=Event.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Cet événement n'est pas publié ou est passé : choisissez dans la liste.",
            "invalid_pk_value": "Cet événement n'existe pas : choisissez dans la liste.",
        },
    )

    class Meta:
        model = NewsletterIssue
        fields = ["subject", "intro", "topics", "articles", "events"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 8})}
        error_messages = {
            "subject": {
                "required": "Donnez un objet à la lettre.",
                "max_length": "L'objet est trop long (150 caractères au plus).",
            },
            "intro": {
                "max_length": "L'introduction est trop longue (5 000 caractères au plus)."
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = timezone.now()
        # The choices stay a readable list: the last quarter's news, the next
        # half-year's events.
        self.fields["articles"].queryset = (
            Article.objects.published()
            .filter(published_at__gte=now - timedelta(days=RECENT_DAYS))
            .order_by("-published_at", "-pk")
        )
        self.fields["events"].queryset = (
            Event.objects.published()
            .filter(ends_at__gte=now, starts_at__lte=now + timedelta(days=COMING_DAYS))
            .order_by("starts_at", "pk")
        )

    def clean_subject(self):
        # A line break in an e-mail subject would let it add headers.
        return " ".join(self.cleaned_data["subject"].split())
