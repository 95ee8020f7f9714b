import secrets
from datetime import timedelta
from difflib import SequenceMatcher

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from campus.network.permissions import organisation_policy
from campus.network.validators import (
    normalize_siret,
    normalize_uai,
    validate_siret,
    validate_uai,
)
from campus.ownership import OwnedQuerySet, organisation_ids_of
from campus.places.models import coordinates_or_commune, street_address
from campus.search import fold, fold_parts
from campus.slugs import unique_slug


class OrganisationKind(models.TextChoices):
    INSTITUTIONAL = "institutional", "Partenaire institutionnel"
    SECONDARY_SCHOOL = "secondary_school", "Établissement scolaire du second degré"
    HIGHER_EDUCATION = "higher_education", "Enseignement supérieur"
    CFA = "cfa", "Centre de formation d'apprentis (CFA)"
    TRAINING_BODY = "training_body", "GRETA ou organisme de formation"
    RESEARCH_CENTRE = "research_centre", "Centre de recherche"
    COMPETITIVENESS_CLUSTER = "competitiveness_cluster", "Pôle de compétitivité"
    COMPANY = "company", "Entreprise"
    CLUSTER = "cluster", "Cluster ou grappe d'entreprises"
    FEDERATION = "federation", "Fédération ou organisation professionnelle"
    TECHNOLOGY_PLATFORM = "technology_platform", "Plateforme technologique"
    EMPLOYMENT_ACTOR = "employment_actor", "Acteur de l'emploi et de l'insertion"


# get_kind_display() rebuilds this mapping on each call: too slow for bulk imports.
KIND_LABELS = dict(OrganisationKind.choices)

# INSEE's size bands of an establishment (Sirene `trancheEffectifsEtablissement`),
# with INSEE's labels; the stock leaves it empty for a non-employer, kept as "NN".
SIZE_BANDS = {
    "NN": "Non employeur ou effectif inconnu",
    "00": "0 salarié",
    "01": "1 ou 2 salariés",
    "02": "3 à 5 salariés",
    "03": "6 à 9 salariés",
    "11": "10 à 19 salariés",
    "12": "20 à 49 salariés",
    "21": "50 à 99 salariés",
    "22": "100 à 199 salariés",
    "31": "200 à 249 salariés",
    "32": "250 à 499 salariés",
    "41": "500 à 999 salariés",
    "42": "1 000 à 1 999 salariés",
    "51": "2 000 à 4 999 salariés",
    "52": "5 000 à 9 999 salariés",
    "53": "10 000 salariés et plus",
}


def organisation_search_text(
    *,
    name: str,
    kind: str,
    acronym: str = "",
    commune_name: str = "",
    description: str = "",
) -> str:
    """The folded text the directory searches in: name, acronym, kind, commune, presentation."""
    return fold_parts(
        name, acronym, KIND_LABELS.get(kind, kind), commune_name, description
    )


class PartnershipStatus(models.TextChoices):
    NONE = "none", "Pas de partenariat"
    PROSPECT = "prospect", "Partenariat en discussion"
    PARTNER = "partner", "Partenaire du campus"
    FOUNDING = "founding", "Membre fondateur"
    FORMER = "former", "Ancien partenaire"


class MemberRole(models.TextChoices):
    EDITOR = "editor", "Éditeur"
    VIEWER = "viewer", "Lecteur"


def names_look_alike(first: str, second: str) -> bool:
    """Two folded names are alike when equal, when one holds the other (« atelier
    du cuir » and « l atelier du cuir auxois »), or when they differ by a typo."""
    if not first or not second:
        return False
    shorter, longer = sorted((first, second), key=len)
    if len(shorter) >= 6 and f" {shorter} " in f" {longer} ":
        return True
    return SequenceMatcher(None, first, second).ratio() >= 0.85


class OrganisationQuerySet(OwnedQuerySet):
    policy = organisation_policy

    def published(self):
        return self.filter(is_published=True)

    def resembling(self, *, name: str = "", siret: str = ""):
        """Organisations a proposal may duplicate: the same SIRET or SIREN, or a name
        that reads almost the same once accents, case and punctuation are set aside.
        """
        matches = set()
        siret = normalize_siret(siret)
        if len(siret) >= 9:
            matches |= set(
                self.filter(siret__startswith=siret[:9]).values_list("pk", flat=True)
            )
        folded = fold(name)
        terms = sorted(folded.split(), key=len, reverse=True)
        if terms and len(terms[0]) >= 3:
            candidates = self.filter(search_text__contains=terms[0]).values_list(
                "pk", "name"
            )
            for pk, candidate in candidates.order_by("pk")[:500]:
                if names_look_alike(folded, fold(candidate)):
                    matches.add(pk)
        return self.filter(pk__in=matches)

    def member_of(self, user):
        """The organisations the user belongs to, whatever their role (the team's too)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(pk__in=organisation_ids_of(user))


class Organisation(models.Model):
    """An actor of the campus network: a school, a company, a federation..."""

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'adresse", max_length=220, unique=True)
    kind = models.CharField(
        "type d'acteur", max_length=40, choices=OrganisationKind.choices
    )
    acronym = models.CharField("sigle", max_length=40, blank=True)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validate_siret], db_index=True
    )
    uai = models.CharField(
        "UAI",
        max_length=8,
        blank=True,
        validators=[validate_uai],
        db_index=True,
        help_text="Identifiant des établissements d'enseignement (7 chiffres et une lettre).",
    )
    # From Sirene, so that the observatory's figures link to their companies.
    naf_code = models.CharField(
        "code NAF", max_length=6, blank=True, help_text="Activité principale (Sirene)."
    )
    size_band = models.CharField(
        "tranche d'effectif salarié",
        max_length=2,
        blank=True,
        choices=list(SIZE_BANDS.items()),
        help_text="Tranche d'effectif de l'établissement (Sirene).",
    )
    description = models.TextField("présentation", blank=True, max_length=5000)
    address = models.CharField("adresse", max_length=250, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name="commune",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    website = models.URLField("site web", blank=True)
    email = models.EmailField("e-mail de contact", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    logo = models.ImageField("logo", upload_to="logos/", blank=True)
    logo_alt = models.CharField("texte alternatif du logo", max_length=200, blank=True)
    partnership_status = models.CharField(
        "partenariat avec le campus",
        max_length=20,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.NONE,
    )
    partner_since = models.DateField("partenaire depuis", null=True, blank=True)
    agreement_reference = models.CharField(
        "convention de partenariat",
        max_length=200,
        blank=True,
        help_text="Référence ou intitulé de la convention signée (donnée interne).",
    )
    internal_notes = models.TextField("notes internes", blank=True)
    is_published = models.BooleanField("publiée dans l'annuaire", default=True)
    is_demo = models.BooleanField("donnée de démonstration", default=False)
    source = models.CharField(
        "source",
        max_length=100,
        blank=True,
        help_text="Jeu de données officiel d'où vient la fiche (ex. INSEE, base Sirene).",
    )
    source_licence = models.CharField(
        "licence de la source", max_length=100, blank=True
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["search_text"])
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisation"
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["kind", "is_published"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Organisation, self.name, max_length=220, default="organisation"
            )
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("network:organisation_detail", kwargs={"slug": self.slug})

    def get_kind_display(self):
        # Each card of the directory shows it: read from KIND_LABELS.
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def street_address(self) -> str:
        """The address without the commune, which pages show after it."""
        return street_address(self.address, self.commune if self.commune_id else None)

    def fill_derived_fields(self):
        """Normalised identifiers, search text and coordinates; bulk imports call it too."""
        self.siret = normalize_siret(self.siret)
        self.uai = normalize_uai(self.uai)
        commune_name = self.commune.name if self.commune_id else ""
        self.search_text = organisation_search_text(
            name=self.name,
            kind=self.kind,
            acronym=self.acronym,
            commune_name=commune_name,
            description=self.description,
        )
        self.latitude, self.longitude = coordinates_or_commune(
            self.latitude, self.longitude, self.commune if self.commune_id else None
        )

    @property
    def is_partner(self) -> bool:
        return self.partnership_status in {
            PartnershipStatus.PARTNER,
            PartnershipStatus.FOUNDING,
        }

    @property
    def departement(self):
        return self.commune.departement if self.commune_id else None

    def editors(self):
        return self.memberships.filter(role=MemberRole.EDITOR, user__is_active=True)


class Site(models.Model):
    """A place where an organisation works or teaches, besides its head office."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="sites"
    )
    name = models.CharField("nom du site", max_length=200)
    uai = models.CharField("UAI", max_length=8, blank=True, validators=[validate_uai])
    address = models.CharField("adresse", max_length=250, blank=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="commune",
    )
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = "site"
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.organisation} — {self.name}"

    def save(self, *args, **kwargs):
        self.uai = normalize_uai(self.uai)
        self.latitude, self.longitude = coordinates_or_commune(
            self.latitude, self.longitude, self.commune if self.commune_id else None
        )
        super().save(*args, **kwargs)

    @property
    def street_address(self) -> str:
        """The address without the commune, which pages show after it."""
        return street_address(self.address, self.commune if self.commune_id else None)


class Person(models.Model):
    """A contact person of an organisation. Shown publicly only with consent."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="people"
    )
    full_name = models.CharField("nom complet", max_length=150)
    role = models.CharField("fonction", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_public = models.BooleanField(
        "visible sur la page publique",
        default=False,
        help_text="Cochez seulement avec l'accord de la personne.",
    )

    class Meta:
        verbose_name = "personne"
        ordering = ["full_name", "pk"]

    def __str__(self):
        return self.full_name


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=10, choices=MemberRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "membre"
        ordering = ["organisation", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="one_membership_per_user"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.organisation} ({self.get_role_display()})"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def default_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("adresse e-mail")
    role = models.CharField("rôle", max_length=10, choices=MemberRole.choices)
    token = models.CharField(
        max_length=64, unique=True, default=new_token, editable=False
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "pk"]

    def __str__(self):
        return f"{self.email} → {self.organisation}"

    def get_absolute_url(self):
        return reverse("network:accept_invitation", kwargs={"token": self.token})

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ProposalKind(models.TextChoices):
    NEW_ACTOR = "new_actor", "Nouvel acteur"
    CORRECTION = "correction", "Correction"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"


# What a visitor proposes about a new actor, and what the team may correct.
PROPOSED_ACTOR_FIELDS = [
    "name",
    "organisation_kind",
    "siret",
    "commune",
    "address",
    "website",
    "description",
]


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)


class Proposal(models.Model):
    """A visitor's proposal of a new actor or of a correction, waiting for moderation."""

    kind = models.CharField("type", max_length=20, choices=ProposalKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name="organisation concernée",
    )
    name = models.CharField("nom de l'acteur", max_length=200, blank=True)
    organisation_kind = models.CharField(
        "type d'acteur", max_length=40, choices=OrganisationKind.choices, blank=True
    )
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="commune",
    )
    address = models.CharField("adresse", max_length=250, blank=True)
    siret = models.CharField(
        "SIRET", max_length=14, blank=True, validators=[validate_siret]
    )
    website = models.URLField("site web", blank=True)
    description = models.TextField("présentation", blank=True, max_length=5000)
    resembles = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name="ressemble à",
        help_text="Organisations existantes au nom ou au SIRET proche, pour l'équipe.",
    )
    message = models.TextField(
        "message à l'équipe du campus", blank=True, max_length=5000
    )
    submitter_name = models.CharField("votre nom", max_length=150)
    submitter_email = models.EmailField("votre e-mail")
    status = models.CharField(
        "statut",
        max_length=10,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PENDING,
    )
    refusal_reason = models.TextField("motif du refus", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("reçue le", auto_now_add=True)

    # What the visitor wrote about themself stays out of the history, so that
    # purge_personal_data() erases it everywhere.
    history = HistoricalRecords(
        excluded_fields=["submitter_name", "submitter_email", "message"]
    )
    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition"
        ordering = ["-created_at", "pk"]

    def __str__(self):
        target = self.organisation.name if self.organisation_id else self.name
        return f"{self.get_kind_display()} : {target}"
