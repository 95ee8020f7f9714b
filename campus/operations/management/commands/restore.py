import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus.operations.backups import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = (
        "Remplace la base de données et les fichiers déposés par ceux d'une "
        "sauvegarde, après en avoir vérifié les empreintes. Arrêtez le site et "
        "les workers avant."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirme le remplacement sans question (scripts).",
        )

    def handle(self, *args, archive, yes, **options):
        if not yes and not sys.stdin.isatty():
            raise CommandError(
                "Restauration refusée : elle remplace toute la base et les fichiers "
                "déposés. Relancez avec --yes pour confirmer."
            )
        try:
            if not yes:
                manifest = read_manifest(archive)
                answer = input(
                    f"Remplacer la base et les fichiers par la sauvegarde du "
                    f"{manifest['created_at']} ? Tapez « oui » pour confirmer : "
                )
                if answer.strip().lower() != "oui":
                    raise CommandError(
                        "Restauration abandonnée ; rien n'a été modifié."
                    )
            report = restore_backup(archive, progress=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if report.migrations_missing:
            self.stdout.write(
                f"La sauvegarde précède {len(report.migrations_missing)} migration(s) "
                "de cette version : lancez « manage.py migrate »."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration terminée : {report.tables} tables, {report.rows} "
                f"lignes, {report.files} fichiers. Redémarrez le site et les workers."
            )
        )
