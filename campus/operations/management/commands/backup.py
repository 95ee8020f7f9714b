from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from campus.operations.backups import BackupError, create_backup, default_directory


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données et les fichiers déposés dans une archive "
        "campus-backup-AAAAMMJJ-HHMMSS.tar, avec un manifeste (comptes par table, "
        "empreintes). Sans arrêter le site."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="Dossier des sauvegardes (par défaut : CAMPUS_BACKUP_DIR, var/backups/).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="Ne garde que les N sauvegardes les plus récentes de ce dossier.",
        )

    def handle(self, *args, output, keep, **options):
        try:
            create_backup(
                output or default_directory(),
                keep=keep,
                progress=self.stdout.write,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
