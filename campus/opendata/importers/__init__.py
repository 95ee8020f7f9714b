"""The official datasets Campus imports, with their publisher and licence."""

from collections.abc import Callable
from dataclasses import dataclass

from campus.opendata.importers import (
    communes,
    depp_etablissements,
    inserjeunes,
    lheo,
    onisep,
    onisep_actions,
    onisep_formations,
    onisep_metiers,
    onisep_passage,
    onisep_structures,
    rncp,
    rome,
    sirene,
    urssaf,
)
from campus.opendata.models import ImportSource


@dataclass(frozen=True)
class Source:
    key: ImportSource
    publisher: str
    licence: str
    attribution: str
    import_file: Callable
    # Sources published as archives of several tables open the ZIP themselves.
    reads_archives: bool = False
    # Sources too large to hold the write lock while they are read: this reads and
    # maps the file outside the transaction, and returns the function that writes.
    read_file: Callable | None = None
    # Where the publisher puts the current file, when that address is stable.
    published_url: str = ""

    @property
    def label(self) -> str:
        return self.key.label


SOURCES = {
    source.key: source
    for source in [
        Source(
            key=ImportSource.COMMUNES,
            publisher="data.gouv.fr (INSEE, IGN, La Poste)",
            licence="Licence Ouverte 2.0",
            attribution="Communes et villes de France, data.gouv.fr, d'après l'INSEE, l'IGN et La Poste",
            import_file=communes.import_file,
        ),
        Source(
            key=ImportSource.SIRENE,
            publisher="INSEE",
            licence=sirene.LICENCE,
            attribution="INSEE, base Sirene des entreprises et de leurs établissements",
            import_file=sirene.import_file,
            read_file=sirene.read_file,
            published_url="https://files.data.gouv.fr/insee-sirene/StockEtablissement_utf8.zip",
        ),
        Source(
            key=ImportSource.URSSAF,
            publisher="Urssaf",
            licence=urssaf.LICENCE,
            attribution="Urssaf, open.urssaf.fr, établissements employeurs et effectifs salariés du secteur privé",
            import_file=urssaf.import_file,
        ),
        Source(
            key=ImportSource.RNCP,
            publisher="France compétences",
            licence=rncp.LICENCE,
            attribution="France compétences, répertoire national des certifications professionnelles et répertoire spécifique",
            import_file=rncp.import_file,
            reads_archives=True,
        ),
        Source(
            key=ImportSource.ROME,
            publisher="France Travail",
            licence=rome.LICENCE,
            attribution="France Travail, Répertoire opérationnel des métiers et des emplois (ROME 4.0)",
            import_file=rome.import_file,
            reads_archives=True,
        ),
        Source(
            key=ImportSource.INSERJEUNES,
            publisher="DEPP et DARES",
            licence=inserjeunes.LICENCE,
            attribution="InserJeunes, ministère de l'Éducation nationale (DEPP) et ministère du Travail (DARES)",
            import_file=inserjeunes.import_file,
            published_url="https://data.education.gouv.fr/api/explore/v2.1/catalog/datasets/fr-en-inserjeunes-cfa/exports/csv?use_labels=true&delimiter=%3B",
        ),
        Source(
            key=ImportSource.DEPP_ETABLISSEMENTS,
            publisher="DEPP",
            licence=depp_etablissements.LICENCE,
            attribution="InserJeunes par établissement, ministère de l'Éducation "
            "nationale (DEPP) : lycées professionnels et CFA",
            import_file=depp_etablissements.import_file,
        ),
        Source(
            key=ImportSource.ONISEP_FORMATIONS,
            publisher="ONISEP",
            licence=onisep.LICENCE,
            attribution="ONISEP, Idéo-Formations initiales en France, sous licence ODbL",
            import_file=onisep_formations.import_file,
            published_url="https://api.opendata.onisep.fr/downloads/5fa591127f501/5fa591127f501.csv",
        ),
        Source(
            key=ImportSource.ONISEP_ACTIONS,
            publisher="ONISEP",
            licence=onisep.LICENCE,
            attribution="ONISEP, Idéo-Actions de formation initiale, sous licence ODbL",
            import_file=onisep_actions.import_file,
            published_url="https://api.opendata.onisep.fr/downloads/605340ddc19a9/605340ddc19a9.csv",
        ),
        Source(
            key=ImportSource.ONISEP_STRUCTURES,
            publisher="ONISEP",
            licence=onisep.LICENCE,
            attribution="ONISEP, Idéo-Structures d'enseignement, sous licence ODbL",
            import_file=onisep_structures.import_file,
            published_url="https://api.opendata.onisep.fr/downloads/5fa5816ac6a6e/5fa5816ac6a6e.csv",
        ),
        Source(
            key=ImportSource.ONISEP_PASSAGE,
            publisher="ONISEP",
            licence=onisep.LICENCE,
            attribution="ONISEP, table de passage des codes certifications et formations, sous licence ODbL",
            import_file=onisep_passage.import_file,
        ),
        Source(
            key=ImportSource.ONISEP_METIERS,
            publisher="ONISEP",
            licence=onisep.LICENCE,
            attribution="ONISEP, Idéo-Métiers Onisep, sous licence ODbL",
            import_file=onisep_metiers.import_file,
            published_url="https://api.opendata.onisep.fr/downloads/5fa5949243f97/5fa5949243f97.csv",
        ),
        Source(
            key=ImportSource.LHEO,
            publisher="Réseau des Carif-Oref (et ONISEP pour ses exports Lhéo)",
            licence=lheo.LICENCE,
            attribution="Réseau des Carif-Oref, offre de formation au format Lhéo 2.2",
            import_file=lheo.import_file,
        ),
    ]
}
