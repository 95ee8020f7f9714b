"""The demo's open data: real files shipped in `data/` (see its README), imported
through the ordinary importers so that each is an import run with its source."""

from pathlib import Path

from campus.opendata.models import ImportRun, ImportSource, ImportStatus
from campus.opendata.services import run_import

DATA = Path(__file__).parent / "data"
SIRENE_SAMPLE = DATA / "StockEtablissement_sample_2024-03.csv"
FILES = [
    (
        ImportSource.DEPP_ETABLISSEMENTS,
        DATA / "depp-etablissements-2022_2023-pro_BFC-and-cuir.csv",
    ),
    (
        ImportSource.DEPP_ETABLISSEMENTS,
        DATA / "depp-etablissements-2022_2023-apprentissage_BFC.csv",
    ),
    (ImportSource.URSSAF, DATA / "urssaf-commune-ape_76-seine-maritime.csv"),
    (ImportSource.SIRENE, SIRENE_SAMPLE),
]


def load_demo_open_data(files=FILES) -> None:
    """Imports each shipped file once: a second `load_demo` finds its run."""
    for source, path in files:
        done = ImportRun.objects.succeeded().filter(source=source, file_name=path.name)
        if done.exists():
            continue
        run = run_import(source, path)
        if run.status != ImportStatus.SUCCEEDED:
            raise RuntimeError(f"{path.name} : {run.error}")
