from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from campus.accounts.management.base import TeamMemberCommand
from campus.opendata.download import DownloadError, download
from campus.opendata.importers import SOURCES
from campus.opendata.models import ImportStatus
from campus.opendata.services import run_import


class Command(TeamMemberCommand):
    help = (
        "Importe un fichier de données ouvertes (tout ou rien) et affiche le bilan. "
        "Sources : " + ", ".join(SOURCES) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", choices=list(SOURCES))
        parser.add_argument("path", type=Path, nargs="?")
        parser.add_argument(
            "--url",
            help="Télécharge le fichier à cette adresse avant de l'importer.",
        )
        parser.add_argument(
            "--from-publisher",
            action="store_true",
            help="Télécharge le fichier à l'adresse de publication connue de la source.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Lit tout et affiche le bilan sans rien enregistrer.",
        )
        parser.add_argument(
            "--unites-legales",
            type=Path,
            help="Sirene : fichier StockUniteLegale, pour le nom des entreprises.",
        )
        parser.add_argument(
            "--millesime",
            help="depp_etablissements : millésime du fichier (2022-2023), quand son "
            "nom ne le donne pas.",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="Sans barre de progression."
        )

    def handle(
        self, *args, source, path, dry_run, unites_legales, millesime, **options
    ):
        acting_user = self.acting_user(options)
        path = self.file_to_import(
            source, path, options["url"], options["from_publisher"]
        )
        options_for_source = {}
        if unites_legales is not None:
            if source != "sirene":
                raise CommandError("--unites-legales ne sert qu'à la source sirene.")
            options_for_source["unites_legales"] = unites_legales
        if millesime is not None:
            if source != "depp_etablissements":
                raise CommandError(
                    "--millesime ne sert qu'à la source depp_etablissements."
                )
            options_for_source["millesime"] = millesime
        with tqdm(
            total=0,
            unit="o",
            unit_scale=True,
            desc=source,
            disable=options["no_progress"],
            # The raw stream: OutputWrapper ends every write with a newline, which
            # would print one bar per update instead of redrawing it.
            file=self.stderr._out,
        ) as bar:

            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            run = run_import(
                source,
                path,
                dry_run=dry_run,
                progress=progress,
                acting_user=acting_user,
                **options_for_source,
            )
        if run.status != ImportStatus.SUCCEEDED:
            raise CommandError(f"{path} : {run.error} Rien n'a été modifié.")
        prefix = "Simulation, rien n'est enregistré : " if dry_run else ""
        self.stdout.write(
            f"{prefix}{run.rows_read} lignes lues, {run.created} créés, "
            f"{run.updated} mis à jour, {run.unchanged} inchangés, "
            f"{run.skipped} ignorés."
        )
        for reason, count in run.skipped_reason_list:
            self.stdout.write(f"  ignorés — {reason} : {count}")
        for row in run.summary.get("rows", []):
            self.stdout.write("  " + " · ".join(str(cell) for cell in row))
        self.stdout.write(f"Import n° {run.pk} ({run.licence}).")

    def file_to_import(self, source, path, url, from_publisher) -> Path:
        if from_publisher:
            url = SOURCES[source].published_url
            if not url:
                raise CommandError(
                    f"la source {source} n'a pas d'adresse de publication stable : "
                    "donnez --url ou un fichier."
                )
        if (path is None) == (url is None):
            raise CommandError(
                "Donnez soit un fichier, soit --url ou --from-publisher."
            )
        if url is None:
            return path
        self.stderr.write(f"Téléchargement de {url}…")
        try:
            return download(url)
        except DownloadError as error:
            raise CommandError(str(error)) from error
