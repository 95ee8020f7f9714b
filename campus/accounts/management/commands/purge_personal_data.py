from django.core.management.base import BaseCommand

from campus.accounts.services import purge_personal_data


class Command(BaseCommand):
    help = (
        "Efface les données personnelles devenues inutiles (auteurs des propositions "
        "traitées, tentatives de connexion anciennes, inscrits aux événements passés, "
        "adresses de la lettre non confirmées ou désabonnées, comptes jamais "
        "confirmés, candidatures aux appels clos depuis plus de trois ans, apprenants "
        "des mobilités rentrées depuis plus de cinq ans, suivi des enquêtes sur les "
        "besoins closes depuis plus de six mois). À lancer "
        "chaque jour."
    )

    def handle(self, *args, **options):
        counts = purge_personal_data()
        self.stdout.write(
            f"{counts['proposals']} proposition(s) anonymisée(s), "
            f"{counts['login_attempts']} tentative(s) de connexion effacée(s), "
            f"{counts['registrations']} inscription(s) à un événement effacée(s), "
            f"{counts['newsletter_unconfirmed']} adresse(s) jamais confirmée(s) et "
            f"{counts['newsletter_unsubscribed']} adresse(s) désabonnée(s) effacées "
            "de la lettre, "
            f"{counts['unconfirmed_accounts']} compte(s) jamais confirmé(s) effacé(s), "
            f"{counts['applications']} candidature(s) effacée(s) avec "
            f"{counts['application_files']} fichier(s), "
            f"{counts['mobilities']} mobilité(s) anonymisée(s), "
            f"{counts['survey_invitations']} invitation(s) à une enquête effacée(s)."
        )
