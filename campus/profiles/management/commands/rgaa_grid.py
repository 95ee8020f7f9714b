from django.core.management.base import BaseCommand, CommandError

from campus.profiles import rgaa


class Command(BaseCommand):
    help = (
        "Écrit docs/rgaa-self-assessment.md à partir de campus/profiles/data/rgaa.toml "
        "(--check : vérifie seulement qu'il est à jour)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true")

    def handle(self, *args, check=False, **options):
        assessment = rgaa.load()
        text = rgaa.render_markdown(assessment)
        current = (
            rgaa.DOCUMENT.read_text(encoding="utf-8") if rgaa.DOCUMENT.exists() else ""
        )
        if check:
            if current != text:
                raise CommandError(
                    f"{rgaa.DOCUMENT.name} n'est pas à jour : lancez manage.py rgaa_grid."
                )
            self.stdout.write(f"{rgaa.DOCUMENT.name} est à jour.")
            return
        rgaa.DOCUMENT.write_text(text, encoding="utf-8")
        self.stdout.write(
            f"{rgaa.DOCUMENT.name} écrit : {len(assessment.criteria)} critères, "
            f"taux de conformité {assessment.rate_label}."
        )
