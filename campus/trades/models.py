from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from campus.network.models import Organisation
from campus.ownership import OwnedQuerySet
from campus.profiles.models import ROME_CODE, split_codes
from campus.search import fold_parts
from campus.slugs import unique_slug
from campus.trades.endangerment import AT_RISK_LEVELS, Level
from campus.trades.permissions import showcase_policy


def parse_rome_codes(value: str) -> list[str]:
    return split_codes((value or "").upper())


def validate_rome_codes(value: str) -> None:
    wrong = [code for code in parse_rome_codes(value) if not ROME_CODE.match(code)]
    if wrong:
        raise ValidationError(
            "Code ROME invalide : %(codes)s (une lettre et quatre chiffres, par exemple B1802).",
            params={"codes": ", ".join(wrong)},
        )


class CraftDomain(models.Model):
    """A domain of the official list of métiers d'art (arrêté du 24 décembre 2015)."""

    slug = models.SlugField("identifiant", unique=True)
    name = models.CharField("nom", max_length=120)
    order = models.PositiveSmallIntegerField("ordre dans l'arrêté", default=0)

    class Meta:
        verbose_name = "domaine des métiers d'art"
        verbose_name_plural = "domaines des métiers d'art"
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


class TradeQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def crafts(self):
        return self.filter(craft_domain__isnull=False)


class Trade(models.Model):
    """A trade people can learn and practise, possibly a métier d'art."""

    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant d'adresse", max_length=160, unique=True)
    summary = models.CharField("en une phrase", max_length=250, blank=True)
    description = models.TextField("description", blank=True, max_length=8000)
    rome_codes = models.CharField(
        "codes ROME",
        max_length=100,
        blank=True,
        validators=[validate_rome_codes],
        help_text="Séparés par des virgules, par exemple « B1802, H2411 ».",
    )
    craft_domain = models.ForeignKey(
        CraftDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trades",
        verbose_name="domaine des métiers d'art",
        help_text="Renseigné seulement pour un métier inscrit sur la liste officielle des métiers d'art.",
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="trades",
        verbose_name="organisations qui l'exercent",
    )
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(editable=False, default="")

    objects = TradeQuerySet.as_manager()

    class Meta:
        verbose_name = "métier"
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.rome_codes = ", ".join(parse_rome_codes(self.rome_codes))
        if not self.slug:
            self.slug = unique_slug(Trade, self.name, max_length=160, default="metier")
        self.search_text = fold_parts(
            self.name, self.summary, self.description, self.rome_codes
        )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trades:trade_detail", kwargs={"slug": self.slug})

    @property
    def is_craft(self) -> bool:
        return self.craft_domain_id is not None

    @property
    def rome_code_list(self) -> list[str]:
        return parse_rome_codes(self.rome_codes)


class KnowHowQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def at_risk(self):
        """Published know-how whose latest assessment is not viable, most at risk first."""
        return (
            self.published()
            .filter(level__in=AT_RISK_LEVELS)
            .order_by("-score", "name", "pk")
        )


class KnowHow(models.Model):
    """A savoir-faire: a technique or gesture that people hold and pass on."""

    name = models.CharField("nom", max_length=150)
    slug = models.SlugField("identifiant d'adresse", max_length=160, unique=True)
    description = models.TextField("description", max_length=8000)
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="know_hows", verbose_name="métiers"
    )
    level = models.CharField(
        "niveau de menace (dernière évaluation)",
        max_length=20,
        choices=Level.choices,
        blank=True,
        editable=False,
    )
    score = models.PositiveSmallIntegerField(
        "points de menace (dernière évaluation)", null=True, editable=False
    )
    assessed_on = models.DateField("évalué le", null=True, editable=False)
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    search_text = models.TextField(editable=False, default="")

    objects = KnowHowQuerySet.as_manager()

    class Meta:
        verbose_name = "savoir-faire"
        verbose_name_plural = "savoir-faire"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["is_published", "level"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                KnowHow, self.name, max_length=160, default="savoir-faire"
            )
        self.search_text = fold_parts(self.name, self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("trades:know_how_detail", kwargs={"slug": self.slug})


class HolderKind(models.TextChoices):
    ARTISAN = "artisan", "Artisan"
    COMPANY = "company", "Entreprise"
    EPV = "epv", "Entreprise du patrimoine vivant (EPV)"
    MASTER = "master", "Maître d'art"
    ORGANISATION = "organisation", "Organisation (école, association...)"


class AgeBand(models.TextChoices):
    UNDER_40 = "under_40", "Moins de 40 ans"
    FROM_40_TO_54 = "40_54", "40 à 54 ans"
    FROM_55_TO_64 = "55_64", "55 à 64 ans"
    OVER_65 = "65_plus", "65 ans ou plus"
    NOT_APPLICABLE = "", "Sans objet (entreprise, organisation)"


SENIOR_AGE_BANDS = [AgeBand.FROM_55_TO_64, AgeBand.OVER_65]


class HolderQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class Holder(models.Model):
    """Who holds a know-how: an artisan, a company (EPV or not), a maître d'art."""

    know_how = models.ForeignKey(
        KnowHow, on_delete=models.CASCADE, related_name="holders"
    )
    kind = models.CharField("type", max_length=20, choices=HolderKind.choices)
    name = models.CharField(
        "nom",
        max_length=200,
        blank=True,
        help_text="Nom de l'artisan ou de l'entreprise, si elle n'est pas dans l'annuaire.",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="held_know_hows",
        verbose_name="organisation de l'annuaire",
    )
    age_band = models.CharField(
        "tranche d'âge", max_length=10, choices=AgeBand.choices, blank=True
    )
    is_public = models.BooleanField(
        "visible sur la page publique",
        default=False,
        help_text="Cochez seulement avec l'accord de la personne.",
    )

    objects = HolderQuerySet.as_manager()

    class Meta:
        verbose_name = "détenteur"
        ordering = ["kind", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name="") | Q(organisation__isnull=False),
                name="holder_has_name_or_organisation",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.organisation.name if self.organisation_id else self.name


class Assessment(models.Model):
    """One assessment of a know-how: the counts, the computed level, who and when."""

    know_how = models.ForeignKey(
        KnowHow, on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_on = models.DateField("date de l'évaluation")
    holder_count = models.PositiveIntegerField("nombre de détenteurs")
    senior_holder_count = models.PositiveIntegerField(
        "dont détenteurs de 55 ans ou plus"
    )
    trainee_count = models.PositiveIntegerField("apprentis ou élèves en formation")
    training_count = models.PositiveIntegerField("formations qui l'enseignent")
    level = models.CharField("niveau", max_length=20, choices=Level.choices)
    score = models.PositiveSmallIntegerField("points de menace")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="évaluateur",
    )
    comment = models.TextField("commentaire", blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "évaluation"
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(senior_holder_count__lte=models.F("holder_count")),
                name="assessment_seniors_within_holders",
            )
        ]

    def __str__(self):
        return f"{self.know_how} — {self.get_level_display()} ({self.assessed_on})"


class ActionKind(models.TextChoices):
    APPRENTICESHIP = "apprenticeship", "Apprentissage auprès d'un maître"
    WORKSHOP = "workshop", "Atelier de transmission"
    DOCUMENTATION = "documentation", "Documentation (film, fiche, inventaire)"
    OTHER = "other", "Autre action"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Prévue"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Terminée"
    CANCELLED = "cancelled", "Annulée"


class TransmissionAction(models.Model):
    """An action to pass a know-how on, and what came of it."""

    know_how = models.ForeignKey(
        KnowHow, on_delete=models.CASCADE, related_name="actions"
    )
    kind = models.CharField("type d'action", max_length=20, choices=ActionKind.choices)
    title = models.CharField("intitulé", max_length=200)
    started_on = models.DateField("début", null=True, blank=True)
    ended_on = models.DateField("fin", null=True, blank=True)
    status = models.CharField(
        "état",
        max_length=20,
        choices=ActionStatus.choices,
        default=ActionStatus.PLANNED,
    )
    participant_count = models.PositiveIntegerField(
        "personnes formées ou sensibilisées", default=0
    )
    results = models.TextField("résultats", blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "action de transmission"
        verbose_name_plural = "actions de transmission"
        ordering = ["-started_on", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "La fin précède le début."})


class ShowcaseItemQuerySet(OwnedQuerySet):
    policy = showcase_policy

    def published(self):
        return self.filter(
            is_published=True, organisation__is_published=True
        ).select_related("organisation")


def showcase_upload_path(instance, filename):
    return f"vitrine/{instance.organisation_id}/{filename}"


class ShowcaseItem(models.Model):
    """A piece of work an artisan or company shows: an image and its story."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="showcase_items",
        verbose_name="organisation",
    )
    title = models.CharField("titre", max_length=150)
    description = models.TextField("présentation", blank=True, max_length=3000)
    image = models.ImageField("image", upload_to=showcase_upload_path)
    image_alt = models.CharField(
        "texte alternatif de l'image",
        max_length=250,
        help_text="Décrivez ce que montre l'image pour les personnes aveugles.",
    )
    trades = models.ManyToManyField(
        Trade, blank=True, related_name="showcase_items", verbose_name="métiers"
    )
    is_published = models.BooleanField("publié", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShowcaseItemQuerySet.as_manager()

    class Meta:
        verbose_name = "réalisation de la vitrine"
        verbose_name_plural = "réalisations de la vitrine"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class RomeJob(models.Model):
    """A fiche of France Travail's ROME 4.0, imported for the sector's codes."""

    code = models.CharField("code ROME", max_length=5, unique=True)
    label = models.CharField("intitulé", max_length=250)
    definition = models.TextField("définition", blank=True)
    access = models.TextField("accès au métier", blank=True)
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )

    class Meta:
        verbose_name = "fiche ROME"
        verbose_name_plural = "fiches ROME"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} — {self.label}"


class Appellation(models.Model):
    """A job title under a ROME fiche ("Maroquinier / Maroquinière d'art")."""

    code_ogr = models.CharField("code OGR", max_length=10, unique=True)
    rome_job = models.ForeignKey(
        RomeJob,
        on_delete=models.CASCADE,
        related_name="appellations",
        verbose_name="fiche ROME",
    )
    label = models.CharField("appellation", max_length=250)
    is_main = models.BooleanField("appellation principale", default=False)

    class Meta:
        verbose_name = "appellation"
        ordering = ["rome_job", "-is_main", "label", "pk"]

    def __str__(self):
        return self.label


class OnisepJobQuerySet(models.QuerySet):
    def for_rome_codes(self, codes: list[str]):
        # Codes are five characters without separators: one cannot match inside another.
        having_one = Q(pk__in=[])
        for code in codes:
            having_one |= Q(rome_codes__contains=code)
        return self.filter(having_one).order_by("label", "pk")


class OnisepJob(models.Model):
    """A trade as ONISEP describes it (Idéo-Métiers), tied to trades by its ROME code."""

    onisep_id = models.CharField("identifiant ONISEP", max_length=20, unique=True)
    label = models.CharField("intitulé", max_length=250)
    url = models.URLField("page sur onisep.fr", max_length=250)
    rome_codes = models.CharField(
        "codes ROME", max_length=100, help_text="Séparés par des virgules."
    )
    rome_label = models.CharField(
        "intitulé de la fiche ROME", max_length=250, blank=True
    )
    domains = models.JSONField("domaines et sous-domaines", default=list, blank=True)
    # [{"name": …, "collection": …, "year": 2019 or None}], latest first.
    publications = models.JSONField(
        "publications de l'ONISEP", default=list, blank=True
    )
    source = models.CharField("source", max_length=100, blank=True)
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )

    objects = OnisepJobQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche métier ONISEP"
        verbose_name_plural = "fiches métiers ONISEP"
        ordering = ["label", "pk"]

    def __str__(self):
        return f"{self.label} ({self.onisep_id})"
