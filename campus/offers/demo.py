"""Demo offers of the leather campus: apprenticeships in the demo companies, all
flagged `is_demo`.

The companies are the demo's fictitious ones; the ROME fiches are those of
France Travail's ROME 4.0 (created here when the ROME has not been imported).
Offers are matched by organisation and title: loading twice moves the dates,
never adds a row. One offer expires within the week, so the reminder has
something to send.
"""

from datetime import timedelta

from django.utils import timezone

from campus.network.models import Organisation
from campus.offers.models import Contract, Offer
from campus.places.models import Commune
from campus.trades.models import RomeJob
from campus.trainings.models import Certification

ROME_JOBS = {
    "B1802": "Maroquinier / Maroquinière",
    "H2409": "Coupeur / Coupeuse en industrie textile et matériaux souples",
    "B1610": "Sertisseur / Sertisseuse en bijouterie ou joaillerie",
}

# organisation, title, contract, ROME code, certification slug, INSEE code,
# days to the start, months, positions, days to expiry, description.
OFFERS = [
    (
        "atelier-cuir-auxois",
        "Apprenti piqueur / apprentie piqueuse en maroquinerie (H/F)",
        Contract.APPRENTICESHIP,
        "B1802",
        "cap-maroquinerie",
        "21425",
        75,
        24,
        3,
        50,
        "L'atelier forme trois apprentis au **piquage** des sacs et petite "
        "maroquinerie, en CAP Maroquinerie avec le lycée Eugène Guillaume.\n\n"
        "- piquage à plat et sur machine à colonne ;\n"
        "- préparation des bords et des coutures ;\n"
        "- contrôle qualité avec le chef d'atelier.\n\n"
        "Aucune expérience demandée : la minutie et le goût du travail bien fait "
        "suffisent.",
    ),
    (
        "atelier-cuir-auxois",
        "Apprenti coupeur / apprentie coupeuse cuir (H/F)",
        Contract.APPRENTICESHIP,
        "H2409",
        "bac-pro-metiers-du-cuir-option-maroquinerie",
        "21425",
        75,
        36,
        2,
        5,
        "Apprenez la **coupe** du cuir à la main et à l'emporte-pièce : choix des "
        "peaux, placement des gabarits, économie de matière.\n\n"
        "Contrat d'apprentissage de trois ans, en bac pro Métiers du cuir option "
        "maroquinerie.",
    ),
    (
        "bijoux-de-sac-doubs",
        "Apprenti sertisseur / apprentie sertisseuse de bijoux de sac (H/F)",
        Contract.APPRENTICESHIP,
        "B1610",
        "bma-bijou-option-bijouterie-joaillerie",
        "25056",
        60,
        24,
        1,
        45,
        "Dans notre atelier de Besançon, vous sertissez les pierres et strass des "
        "fermoirs et bijoux de sac en laiton, en BMA Bijou.\n\n"
        "Vous travaillez à la loupe binoculaire avec une sertisseuse confirmée.",
    ),
    (
        "bijoux-de-sac-doubs",
        "Stage de découverte en polissage de fermoirs (H/F)",
        Contract.INTERNSHIP,
        "B1610",
        None,
        "25056",
        30,
        2,
        1,
        40,
        "Deux mois pour découvrir le **polissage** et la finition des pièces "
        "métalliques de la maroquinerie de luxe.",
    ),
]


def load_demo_offers() -> None:
    for code, label in ROME_JOBS.items():
        RomeJob.objects.get_or_create(
            code=code, defaults={"label": label, "source": "ROME 4.0 (démo)"}
        )
    organisations = {o.slug: o for o in Organisation.objects.filter(is_demo=True)}
    today = timezone.localdate()
    for (
        organisation_slug,
        title,
        contract,
        rome_code,
        certification_slug,
        insee_code,
        start_in,
        months,
        positions,
        expires_in,
        description,
    ) in OFFERS:
        organisation = organisations.get(organisation_slug)
        commune = Commune.objects.filter(insee_code=insee_code).first()
        if organisation is None or commune is None:
            continue
        Offer.objects.update_or_create(
            organisation=organisation,
            title=title,
            defaults={
                "contract": contract,
                "rome_job": RomeJob.objects.get(code=rome_code),
                "certification": Certification.objects.filter(
                    slug=certification_slug
                ).first()
                if certification_slug
                else None,
                "commune": commune,
                "starts_on": today + timedelta(days=start_in),
                "duration_months": months,
                "positions": positions,
                "description": description,
                "apply_email": "recrutement@campus.example",
                "expires_on": today + timedelta(days=expires_in),
                "reminded_for": None,
                "is_withdrawn": False,
                "is_demo": True,
            },
        )
