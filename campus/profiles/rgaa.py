"""The RGAA self-assessment: one data file for the statement page and the document.

`data/rgaa.toml` holds the 106 criteria of RGAA 4.1 with their status (C, NC, NA)
and a one-line justification, the sample of pages, the date and whether an audit
was carried out. The accessibility page reads it, and `manage.py rgaa_grid` writes
docs/rgaa-self-assessment.md from it, so the two cannot say different things.
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from campus.dates import french_date

DATA_FILE = Path(__file__).resolve().parent / "data" / "rgaa.toml"
DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "rgaa-self-assessment.md"
STATUS_LABELS = {"C": "conforme", "NC": "non conforme", "NA": "non applicable"}


@dataclass(frozen=True)
class Criterion:
    number: str
    theme: str
    title: str
    status: str
    note: str


@dataclass(frozen=True)
class Assessment:
    date: date
    rgaa_version: str
    method: str
    audited: bool
    tools: list[str]
    environment: list[str]
    sample: list[dict]
    themes: dict[int, str]
    criteria: list[Criterion]

    def count(self, status: str) -> int:
        return sum(criterion.status == status for criterion in self.criteria)

    @property
    def rate(self) -> float:
        """The conformity rate, C / (C + NC), in per cent."""
        applicable = self.count("C") + self.count("NC")
        return 100 * self.count("C") / applicable if applicable else 0.0

    @property
    def rate_label(self) -> str:
        return f"{self.rate:.1f}".replace(".", ",") + " %"

    @property
    def status(self) -> str:
        """The statement's status: RGAA declares « non conforme » a site never audited."""
        if not self.audited or self.rate < 50:
            return "non conforme"
        return "totalement conforme" if self.rate == 100 else "partiellement conforme"

    @property
    def non_conformities(self) -> list[Criterion]:
        return [criterion for criterion in self.criteria if criterion.status == "NC"]

    def by_theme(self) -> list[tuple[int, str, list[Criterion]]]:
        return [
            (number, name, [c for c in self.criteria if c.theme == name])
            for number, name in self.themes.items()
        ]


def _sort_key(number: str) -> tuple[int, int]:
    theme, criterion = number.split(".")
    return int(theme), int(criterion)


@cache
def load(path: Path = DATA_FILE) -> Assessment:
    with path.open("rb") as stream:
        data = tomllib.load(stream)
    themes = {int(number): name for number, name in data["themes"].items()}
    criteria = [
        Criterion(
            number=number,
            theme=themes[int(number.split(".")[0])],
            title=values["title"],
            status=values["status"],
            note=values["note"],
        )
        for number, values in sorted(
            data["criteria"].items(), key=lambda item: _sort_key(item[0])
        )
    ]
    unknown = {c.status for c in criteria} - set(STATUS_LABELS)
    if unknown:
        raise ValueError(f"Unknown RGAA statuses in {path.name}: {sorted(unknown)}")
    return Assessment(
        date=data["date"],
        rgaa_version=data["rgaa_version"],
        method=" ".join(data["method"].split()),
        audited=data["audited"],
        tools=data["tools"],
        environment=data["environment"],
        sample=data["sample"],
        themes=themes,
        criteria=criteria,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def render_markdown(assessment: Assessment) -> str:
    """docs/rgaa-self-assessment.md, written by `manage.py rgaa_grid`."""
    a = assessment
    lines = [
        f"# Auto-évaluation RGAA {a.rgaa_version}",
        "",
        "<!-- Written by `manage.py rgaa_grid` from campus/profiles/data/rgaa.toml:",
        "     edit the data file, then run the command. -->",
        "",
        f"- **Date** : {french_date(a.date)}",
        f"- **Taux de conformité** : {a.rate_label} "
        f"(critères conformes / critères applicables : {a.count('C')} / "
        f"{a.count('C') + a.count('NC')} ; {a.count('NA')} non applicables)",
        f"- **État déclaré** : {a.status}"
        + (
            ""
            if a.audited
            else " (aucun audit : le RGAA impose alors « non conforme »)"
        ),
        f"- **Méthode** : {a.method}",
        f"- **Outils** : {', '.join(a.tools)}",
        f"- **Environnement de test** : {' ; '.join(a.environment)}",
        "",
        "## Échantillon",
        "",
    ]
    lines += [f"- {page['title']} : `{page['path']}`" for page in a.sample]
    lines += ["", "## Non-conformités connues", ""]
    lines += [f"- **{c.number}** {c.title} — {c.note}" for c in a.non_conformities] or [
        "Aucune."
    ]
    lines += [
        "",
        "## Voies de recours",
        "",
        "Si vous signalez un défaut d'accessibilité qui vous empêche d'accéder à un contenu "
        "ou à un service et que vous n'obtenez pas de réponse satisfaisante, vous pouvez "
        "saisir le Défenseur des droits : formulaire en ligne "
        "(https://formulaire.defenseurdesdroits.fr/), délégué territorial "
        "(https://www.defenseurdesdroits.fr/saisir/delegues), ou courrier gratuit sans "
        "affranchissement : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.",
        "",
        "## Grille",
        "",
        "C : conforme, NC : non conforme, NA : non applicable.",
    ]
    for number, name, criteria in a.by_theme():
        lines += [
            "",
            f"### {number}. {name}",
            "",
            "| Critère | Intitulé | État | Justification |",
            "| --- | --- | --- | --- |",
        ]
        lines += [
            f"| {c.number} | {_cell(c.title)} | {c.status} | {_cell(c.note)} |"
            for c in criteria
        ]
    return "\n".join(lines) + "\n"
