"""ONISEP Idéo-Métiers Onisep: the trades ONISEP describes, and its books about them.

Dataset id `5fa5949243f97`, read by `campus.opendata.importers.onisep` in CSV,
JSON or XML. One row per trade and ONISEP publication describing it: a trade
(`MET.x`, at the end of its onisep.fr link) comes back once per book, and once
with the collection `pas de publication Onisep spécifique` when no book covers
it. Quirks:
- the keys vary with the variant, and are all mapped by name to the JSON/XML
  keys: the CSV labels `lien site onisep.fr` and `domaine/sous-domaine` give
  `lien_site_onisep_fr` and `domaine_sous_domaine`, where the JSON and XML say
  `lien_site_onisepfr` and `domainesous-domaine` (`domainesous_domaine` when a
  JSON-keys CSV header goes through `label_to_key`); the 2025 CSV labels the
  ROME column `code ROME (V.3)`, and some JSON dumps say `codeRome`;
- `code_rome` is a ROME v3 code (`B1802`), empty for a trade without a fiche,
  or several codes separated by `|` (`A1407 | A1416`, and so are their labels);
- links are `http://` in 2022 and `https://` since: the https form is kept;
- `domaine/sous-domaine` is `|`-separated `domaine/sous-domaine` pairs.

A trade belongs to the sector when one of its ROME codes is one of the sector
profile's; all its codes are kept.
Its rows become one `OnisepJob`, upserted by ONISEP id, with the list of its
publications; a trade's page shows the fiches of its ROME codes.
"""

from pathlib import Path
from urllib.parse import urlsplit

from campus.opendata.importers import onisep
from campus.opendata.importers.base import ImportFileError, ImportReport, SkippedRow
from campus.opendata.progress import ProgressTracker
from campus.profiles.models import ROME_CODE, SectorProfile
from campus.search import fold
from campus.trades.models import OnisepJob

LABEL = "ONISEP « Idéo-Métiers »"
REQUIRED = {
    "libelle_metier",
    "lien_site_onisepfr",
    "nom_publication",
    "collection",
    "code_rome",
}
RENAMED = {
    "lien_site_onisep_fr": "lien_site_onisepfr",
    "domaine_sous_domaine": "domainesous-domaine",
    "domainesous_domaine": "domainesous-domaine",
    "code_rome_v_3": "code_rome",
    "code_rome_v3": "code_rome",
    "codeRome": "code_rome",
    "coderome": "code_rome",
}
NO_PUBLICATION = fold("pas de publication Onisep spécifique")
FIELDS = [
    "label",
    "url",
    "rome_codes",
    "rome_label",
    "domains",
    "publications",
    "source",
    "source_licence",
]


def onisep_link(value: str, line: int) -> tuple[str, str]:
    """(https URL, MET id) of a trade's onisep.fr link; anything else is an error."""
    value = value.strip()
    parts = urlsplit(value)
    host = parts.hostname or ""
    identifier = onisep.onisep_id(value)
    if (
        parts.scheme not in {"http", "https"}
        or not (host == "onisep.fr" or host.endswith(".onisep.fr"))
        or not identifier.startswith("MET.")
    ):
        raise ImportFileError(
            f"« {value[:80]} » n'est pas l'adresse d'un métier sur onisep.fr "
            "(…/MET.… attendu).",
            line=line,
            column="lien_site_onisepfr",
        )
    return parts._replace(scheme="https").geturl()[:250], identifier


def publication(record: dict, line: int) -> dict | None:
    name = record["nom_publication"].strip()
    collection = record["collection"].strip()
    year = record.get("annee", "").strip()
    if year and not (year.isdigit() and len(year) == 4):
        raise ImportFileError(
            f"année « {year[:10]} » invalide (4 chiffres attendus).",
            line=line,
            column="annee",
        )
    if not name or fold(collection) == NO_PUBLICATION:
        return None
    return {
        "name": name[:250],
        "collection": collection[:100],
        "year": int(year) if year else None,
    }


def map_metier(record: dict, line: int, sector_codes: set[str]) -> dict:
    label = record["libelle_metier"].strip()
    if not label:
        raise ImportFileError(
            "intitulé du métier vide.", line=line, column="libelle_metier"
        )
    url, identifier = onisep_link(record["lien_site_onisepfr"], line)
    codes = onisep.split_values(record["code_rome"].upper())
    for code in codes:
        if not ROME_CODE.match(code):
            raise ImportFileError(
                f"code ROME « {code[:10]} » invalide (une lettre et 4 chiffres "
                "attendus).",
                line=line,
                column="code_rome",
            )
    found = publication(record, line)
    if not codes:
        raise SkippedRow("métier sans code ROME")
    if sector_codes.isdisjoint(codes):
        raise SkippedRow("métier hors de la filière")
    return {
        "onisep_id": identifier,
        "label": label[:250],
        "url": url,
        "rome_codes": ", ".join(codes),
        "rome_label": record.get("libelle_rome", "").strip()[:250],
        "domains": onisep.split_values(record.get("domainesous-domaine", "")),
        "publications": [found] if found else [],
    }


def merge(kept: dict, values: dict) -> None:
    """Adds another row of the same trade: its publication and domains."""
    for key in ("publications", "domains"):
        kept[key] += [value for value in values[key] if value not in kept[key]]


def _latest_first(item: dict):
    return (-(item["year"] or 0), item["name"], item["collection"])


def import_file(path: Path, *, report: ImportReport, progress: ProgressTracker) -> None:
    sector_codes = set(SectorProfile.load().rome_code_list)
    if not sector_codes:
        raise ImportFileError(
            "le profil de la filière n'a aucun code ROME : renseignez-le avant "
            "d'importer."
        )
    kept: dict[str, dict] = {}
    merged = 0
    for values in onisep.kept_records(
        path,
        required=REQUIRED,
        label=LABEL,
        progress=progress,
        report=report,
        map_record=lambda record, line: map_metier(record, line, sector_codes),
        renamed=RENAMED,
    ):
        if values["onisep_id"] in kept:
            merge(kept[values["onisep_id"]], values)
            merged += 1
        else:
            kept[values["onisep_id"]] = values
    existing = {
        job.onisep_id: job for job in OnisepJob.objects.filter(onisep_id__in=kept)
    }
    for identifier, values in kept.items():
        values["publications"].sort(key=_latest_first)
        values.update(source=onisep.SOURCE, source_licence=onisep.LICENCE)
        job = existing.get(identifier)
        if job is None:
            OnisepJob.objects.create(**values)
            report.created += 1
        elif any(getattr(job, field) != values[field] for field in FIELDS):
            for field in FIELDS:
                setattr(job, field, values[field])
            job.save()
            report.updated += 1
        else:
            report.unchanged += 1
    report.summary = {
        "title": "Fiches métiers de la filière",
        "columns": ["fiches", "lignes d'une autre publication du même métier"],
        "rows": [[len(kept), merged]],
    }
    progress.finish()
