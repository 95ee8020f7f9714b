from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campus.operations import schedule
from campus.operations.models import Outcome, ScheduledJobRun


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


class Command(BaseCommand):
    help = (
        "Lance les tâches périodiques dues (campus/operations/schedule.py) et "
        "enregistre chaque exécution. À appeler toutes les cinq minutes par un seul "
        "timer systemd ou une seule ligne cron ; deux exécutions simultanées ne "
        "lancent pas deux fois la même tâche."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--list",
            action="store_true",
            dest="show_list",
            help="Affiche les tâches, leur dernière et leur prochaine exécution.",
        )
        parser.add_argument(
            "--run",
            metavar="TÂCHE",
            choices=sorted(schedule.JOBS_BY_NAME),
            help="Lance cette tâche tout de suite, qu'elle soit due ou non.",
        )

    def handle(self, *args, show_list, run, **options):
        if show_list:
            self.list_jobs()
            return
        runs = [schedule.run_now(run)] if run else schedule.run_due_jobs()
        for job_run in runs:
            self.stdout.write(
                f"{job_run.job} : {job_run.get_outcome_display().lower()} "
                f"en {job_run.duration.total_seconds():.1f} s"
            )
        failed = [r.job for r in runs if r.outcome == Outcome.FAILED]
        if failed:
            raise CommandError(
                f"{len(failed)} tâche(s) en échec : {', '.join(failed)} "
                "(sortie dans « Administration › Exécutions planifiées »)."
            )
        if not runs:
            self.stdout.write("Aucune tâche due.")

    def list_jobs(self):
        now = timezone.now()
        latest = ScheduledJobRun.objects.latest_per_job()
        # The registry is read at each call: tests replace it.
        for job in schedule.JOBS:
            last = latest.get(job.name)
            due = job.is_due(last.started_at if last else None, now)
            self.stdout.write(
                f"{job.name} [{job.cron}] {job.description}\n"
                f"    dernière : {_when(last and last.started_at)}"
                f"{f' ({last.get_outcome_display().lower()})' if last else ''}"
                f" ; prochaine : {'maintenant' if due else _when(job.next_due(now))}"
            )
