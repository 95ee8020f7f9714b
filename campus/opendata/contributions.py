"""What open data adds to the team's home: the imports."""

from campus import contributions
from campus.contributions import BackOfficeCard

contributions.back_office.register(
    BackOfficeCard(
        title="Données ouvertes",
        description=(
            "Imports des fichiers officiels (ONISEP, RNCP, ROME, Sirene, Urssaf, "
            "InserJeunes, communes) : progression et bilans."
        ),
        link_label="Imports",
        url_name="opendata:run_list",
    )
)
