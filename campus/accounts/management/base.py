"""Commands that record which team member ran them, as the back-office does."""

from django.core.management.base import BaseCommand, CommandError

from campus.accounts.models import User


class TeamMemberCommand(BaseCommand):
    """A command taking `--par EMAIL`: the team member recorded as having run it.

    `acting_user(options)` gives that account, or None without `--par`; an address
    that is not an active team member's stops the command before it does anything.
    """

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument(
            "--par",
            dest="run_by",
            metavar="E-MAIL",
            help="Compte de l'équipe du campus qui lance la commande, inscrit au "
            "journal.",
        )
        return parser

    def acting_user(self, options) -> User | None:
        email = options["run_by"]
        if email is None:
            return None
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None or not user.is_campus_team:
            raise CommandError(
                f"« {email} » n'est pas le compte actif d'un membre de l'équipe du "
                "campus : rien n'a été fait."
            )
        return user
