"""Forms of the review: the team's (reviewers, criteria, assignments, deliberation,
decisions) and the reviewer's (scores, conflict of interest)."""

from django import forms

from campus.formfields import FieldPurposeMixin
from campus.talent.models import Criterion, Decision, Deliberation, Reviewer
from campus.talent.review import MAX_REVIEWERS_PER_APPLICATION, REASON_REQUIRED


class AppointReviewerForm(FieldPurposeMixin, forms.Form):
    autocomplete = {"email": "off"}

    email = forms.EmailField(
        label="Adresse e-mail de l'évaluateur",
        max_length=254,
        error_messages={"invalid": "Saisissez une adresse e-mail valide."},
        help_text=(
            "Un compte existant, ou un nouveau compte que la personne active en "
            "choisissant son mot de passe."
        ),
    )


class CriterionForm(FieldPurposeMixin, forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["label", "description", "weight", "max_score", "position"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "weight": {
                "min_value": "Le coefficient doit être positif.",
                "max_digits": "Coefficient trop grand.",
            },
            "max_score": {
                "min_value": "La note maximale est au moins 1.",
                "max_value": "La note maximale est au plus 100.",
            },
        }


class AssignForm(FieldPurposeMixin, forms.Form):
    empty_labels = {
        "application": "Choisissez une candidature",
        "reviewer": "Choisissez un évaluateur",
    }

    application = forms.ModelChoiceField(
        label="Candidature",
        queryset=None,
        error_messages={"invalid_choice": "Candidature inconnue : choisissez-en une."},
    )
    reviewer = forms.ModelChoiceField(
        label="Évaluateur",
        queryset=None,
        error_messages={"invalid_choice": "Évaluateur inconnu : choisissez-en un."},
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = call.applications.submitted().order_by(
            "pk"
        )
        self.fields["reviewer"].queryset = (
            Reviewer.objects.active()
            .filter(call=call)
            .select_related("user")
            .order_by("pk")
        )
        self.fields["application"].label_from_instance = lambda application: (
            f"{application.reference} — {application.title}"
        )


class DistributeForm(FieldPurposeMixin, forms.Form):
    per_application = forms.IntegerField(
        label="Évaluateurs par candidature",
        min_value=1,
        max_value=MAX_REVIEWERS_PER_APPLICATION,
        initial=2,
        error_messages={
            "min_value": "Au moins un évaluateur par candidature.",
            "max_value": (
                f"Au plus {MAX_REVIEWERS_PER_APPLICATION} évaluateurs par candidature."
            ),
            "invalid": "Indiquez un nombre entier.",
        },
    )


class ConflictForm(FieldPurposeMixin, forms.Form):
    note = forms.CharField(
        label="Précisez le lien avec le candidat (facultatif)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def score_field_name(criterion) -> str:
    return f"critere_{criterion.pk}"


class ScoreForm(FieldPurposeMixin, forms.Form):
    """One score per criterion (empty while a draft), and a comment."""

    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, criteria, review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        values = {}
        if review is not None:
            values = {score.criterion_id: score.value for score in review.scores.all()}
            self.fields["comment"].initial = review.comment
        fields = {}
        for criterion in self.criteria:
            fields[score_field_name(criterion)] = forms.IntegerField(
                label=f"{criterion.label} (sur {criterion.max_score})",
                help_text=criterion.description,
                required=False,
                min_value=0,
                max_value=criterion.max_score,
                initial=values.get(criterion.pk),
                error_messages={
                    "min_value": "La note ne peut pas être négative.",
                    "max_value": f"La note est au plus {criterion.max_score}.",
                    "invalid": "Indiquez une note entière.",
                },
            )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    def scores(self) -> dict[int, int | None]:
        return {
            criterion.pk: self.cleaned_data.get(score_field_name(criterion))
            for criterion in self.criteria
        }


class DeliberationForm(FieldPurposeMixin, forms.ModelForm):
    class Meta:
        model = Deliberation
        fields = ["held_on", "members_present", "minutes"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "members_present": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }


def decision_field_name(application) -> str:
    return f"decision_{application.pk}"


def reason_field_name(application) -> str:
    return f"motif_{application.pk}"


class DecisionsForm(FieldPurposeMixin, forms.Form):
    """A decision and its reason for each submitted application."""

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        choices = [("", "Pas encore décidée"), *Decision.choices]
        for application in self.applications:
            self.fields[decision_field_name(application)] = forms.ChoiceField(
                label=f"Décision pour {application.reference}",
                choices=choices,
                required=False,
                initial=application.decision,
                error_messages={"invalid_choice": "Décision inconnue."},
            )
            self.fields[reason_field_name(application)] = forms.CharField(
                label=f"Motif pour {application.reference}",
                required=False,
                max_length=2000,
                initial=application.decision_reason,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def clean(self):
        cleaned = super().clean()
        for application in self.applications:
            decision = cleaned.get(decision_field_name(application))
            reason = (cleaned.get(reason_field_name(application)) or "").strip()
            if decision in REASON_REQUIRED and not reason:
                self.add_error(
                    reason_field_name(application),
                    "Indiquez le motif : il est envoyé au candidat.",
                )
        return cleaned

    def rows(self):
        for application in self.applications:
            yield (
                application,
                self[decision_field_name(application)],
                self[reason_field_name(application)],
            )

    def decisions(self) -> dict[int, tuple[str, str]]:
        return {
            application.pk: (
                self.cleaned_data[decision_field_name(application)],
                self.cleaned_data[reason_field_name(application)],
            )
            for application in self.applications
        }
