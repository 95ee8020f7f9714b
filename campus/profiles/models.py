"""What makes this instance *this* campus: its identity and its sector, as data.

Both are singletons edited by the campus team in the back-office. Importers, maps,
the observatory and reports read the sector profile, so another CMQ runs the same
code with another profile.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible

from campus import fragments
from campus.places.models import Departement
from campus.search import SynonymError, parse_synonyms

NAF_CODE = re.compile(r"^\d{2}\.?\d{2}[A-Z]$")
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
NSF_CODE = re.compile(r"^\d{3}[a-z]?$")


def split_codes(text: str) -> list[str]:
    return [code for code in re.split(r"[\s,;]+", text or "") if code]


@deconstructible
class CodeListValidator:
    """Checks every code of a comma- or space-separated list against an official format."""

    def __init__(self, pattern: str, label: str, example: str):
        self.pattern, self.label, self.example = pattern, label, example

    def __call__(self, value: str) -> None:
        wrong = [
            code for code in split_codes(value) if not re.match(self.pattern, code)
        ]
        if wrong:
            raise ValidationError(
                f"Codes {self.label} invalides : {', '.join(wrong[:5])} "
                f"(exemple de code attendu : {self.example})."
            )

    def __eq__(self, other):
        return isinstance(other, CodeListValidator) and (
            (self.pattern, self.label, self.example)
            == (other.pattern, other.label, other.example)
        )


validate_naf_codes = CodeListValidator(NAF_CODE.pattern, "NAF", "15.12Z")
validate_rome_codes = CodeListValidator(ROME_CODE.pattern, "ROME", "B1601")
validate_nsf_codes = CodeListValidator(NSF_CODE.pattern, "NSF", "242 ou 242t")


def validate_synonyms(value: str) -> None:
    try:
        parse_synonyms(value)
    except SynonymError as error:
        raise ValidationError(str(error)) from error


class SingletonModel(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The saved profile, or an unsaved default one: reading never writes."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @classmethod
    def load_shown(cls):
        """The profile with what the pages show of it."""
        return cls.load()

    @classmethod
    def for_request(cls, request):
        """The profile read once per request: the view and the base template share it.
        Kept in the process until a table it read is written (campus/fragments.py)."""
        attribute = f"_campus_{cls._meta.model_name}"
        if not hasattr(request, attribute):
            profile = fragments.memo(request, attribute, cls.load_shown)
            setattr(request, attribute, profile)
        return getattr(request, attribute)


class CampusProfile(SingletonModel):
    name = models.CharField(
        "nom", max_length=200, default="Campus des métiers et des qualifications"
    )
    short_name = models.CharField("nom court", max_length=80, blank=True)
    tagline = models.CharField("accroche", max_length=250, blank=True)
    label_decree_date = models.DateField(
        "date de l'arrêté de labellisation", null=True, blank=True
    )
    region = models.ForeignKey(
        "places.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name="région",
    )
    departements = models.ManyToManyField(
        "places.Departement", blank=True, verbose_name="départements"
    )
    director_name = models.CharField(
        "directeur ou directrice opérationnel(le)", max_length=150, blank=True
    )
    contact_email = models.EmailField("e-mail de contact", blank=True)
    contact_phone = models.CharField("téléphone", max_length=30, blank=True)
    postal_address = models.TextField("adresse postale", blank=True)
    mission_trades = models.TextField(
        "mission 1 : promouvoir les métiers et les savoir-faire", blank=True
    )
    mission_training = models.TextField(
        "mission 2 : promouvoir les formations", blank=True
    )
    mission_talent = models.TextField("mission 3 : développer les talents", blank=True)
    mission_resources = models.TextField("mission 4 : centre de ressources", blank=True)
    publisher_name = models.CharField(
        "directeur ou directrice de la publication", max_length=150, blank=True
    )
    host_name = models.CharField("hébergeur", max_length=250, blank=True)
    # The logo's size, kept on save, lets pages reserve its place before it loads.
    logo = models.ImageField(
        "logo",
        upload_to="logos/campus/",
        blank=True,
        width_field="logo_width",
        height_field="logo_height",
    )
    logo_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    logo_alt = models.CharField(
        "texte alternatif du logo",
        max_length=200,
        blank=True,
        help_text="Ce que dit le logo, par exemple le nom du campus qu'il écrit.",
    )
    main_image = models.ImageField(
        "image principale", upload_to="vitrine/campus/", blank=True
    )
    main_image_alt = models.CharField(
        "texte alternatif de l'image principale",
        max_length=250,
        blank=True,
        help_text="Décrivez ce que montre l'image pour les personnes aveugles.",
    )
    is_demo = models.BooleanField("démonstration", default=False)

    class Meta:
        verbose_name = "profil du campus"
        verbose_name_plural = "profil du campus"

    def __str__(self):
        return self.name

    @classmethod
    def load_shown(cls):
        """With its region and links, which the home page shows: kept for all pages
        (see `for_request`), they cost one query more only when the profile is read."""
        return cls.objects.select_related("region").prefetch_related("links").filter(
            pk=1
        ).first() or cls(pk=1)

    @property
    def missions(self) -> list[dict]:
        return [
            {
                "number": 1,
                "title": "Promouvoir les métiers et les savoir-faire",
                "text": self.mission_trades,
                "slug": "metiers",
            },
            {
                "number": 2,
                "title": "Promouvoir les formations",
                "text": self.mission_training,
                "slug": "formations",
            },
            {
                "number": 3,
                "title": "Développer les talents",
                "text": self.mission_talent,
                "slug": "talents",
            },
            {
                "number": 4,
                "title": "Centre de ressources",
                "text": self.mission_resources,
                "slug": "ressources",
            },
        ]

    def served_departements(self) -> models.QuerySet[Departement]:
        """The campus's départements: those chosen, else its region's, else every
        known one (a national instance). Filters, maps and imports all use it."""
        chosen = self.departements.all()
        if chosen:  # Evaluated once: the rows come back with the QuerySet.
            return chosen
        if self.region_id:
            return Departement.objects.filter(region_id=self.region_id)
        return Departement.objects.all()


def served_departements(request) -> list[Departement]:
    """The campus's départements (`CampusProfile.served_departements`), kept while
    nothing is written: the lists' filters offer them on every page."""
    return fragments.kept(
        request,
        "served-departements",
        lambda: list(CampusProfile.for_request(request).served_departements()),
    )


class ReferenceLink(models.Model):
    campus = models.ForeignKey(
        CampusProfile, on_delete=models.CASCADE, related_name="links"
    )
    label = models.CharField("intitulé", max_length=150)
    url = models.URLField("adresse")
    description = models.CharField("description", max_length=250, blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "lien de référence"
        verbose_name_plural = "liens de référence"
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class SectorProfile(SingletonModel):
    name = models.CharField("filière", max_length=200, default="")
    description = models.TextField("description", blank=True)
    naf_codes = models.TextField(
        "codes NAF",
        blank=True,
        validators=[validate_naf_codes],
        help_text="Activités des entreprises de la filière, séparées par des virgules (ex. 15.12Z).",
    )
    rome_codes = models.TextField(
        "codes ROME",
        blank=True,
        validators=[validate_rome_codes],
        help_text="Métiers de la filière (ex. B1601).",
    )
    nsf_codes = models.TextField(
        "codes NSF",
        blank=True,
        validators=[validate_nsf_codes],
        help_text="Domaines de formation (ex. 242).",
    )
    diploma_titles = models.TextField(
        "intitulés de diplômes", blank=True, help_text="Un intitulé par ligne."
    )
    keywords = models.TextField(
        "mots-clés",
        blank=True,
        help_text="Séparés par des virgules (ex. maroquinerie, cuir).",
    )
    synonyms = models.TextField(
        "synonymes de la recherche",
        blank=True,
        max_length=10000,
        validators=[validate_synonyms],
        help_text=(
            "Une règle par ligne. « alternance = apprentissage » : chaque mot trouve "
            "les autres. « sac → maroquinerie » : « sac » trouve aussi "
            "« maroquinerie », pas l'inverse. Servent au catalogue, à l'annuaire et "
            "aux métiers."
        ),
    )

    class Meta:
        verbose_name = "profil de la filière"
        verbose_name_plural = "profil de la filière"

    def __str__(self):
        return self.name or "Filière"

    @property
    def naf_code_list(self) -> list[str]:
        return split_codes(self.naf_codes)

    @property
    def rome_code_list(self) -> list[str]:
        return split_codes(self.rome_codes)

    @property
    def nsf_code_list(self) -> list[str]:
        return split_codes(self.nsf_codes)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def search_examples(self) -> str:
        """Examples for a search box, in the sector's own words: "maroquinerie, cuir, B1802…"."""
        text = ", ".join([*self.keyword_list[:2], *self.rome_code_list[:1]])
        return f"{text[:1].upper()}{text[1:]}…" if text else ""

    @property
    def diploma_title_list(self) -> list[str]:
        return [
            line.strip() for line in self.diploma_titles.splitlines() if line.strip()
        ]


class ContentStamp(models.Model):
    """A random number changed by every write to a table (campus/page_cache.py):
    public pages and their parts kept in memory are served again while the tables
    they read keep their stamps."""

    name = models.CharField("table", max_length=100, primary_key=True)
    stamp = models.BigIntegerField("empreinte")

    class Meta:
        verbose_name = "empreinte du contenu"
        verbose_name_plural = "empreintes du contenu"

    def __str__(self):
        return f"{self.name} {self.stamp}"
