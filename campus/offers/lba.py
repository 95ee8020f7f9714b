"""The open apprenticeship offers in the structure La bonne alternance takes from
partners (the « écriture d'offre » of the API Apprentissage, api.apprentissage.beta.gouv.fr).

Each offer follows the writable job offer of that API: `identifier`, `workplace`,
`apply`, `contract`, `offer`. The mapping, and which parts of it are guesses, is
documented in docs/offers-lba.md. La bonne alternance takes apprenticeship and
professionalisation contracts only, so internships and jobs are left out; it
identifies a workplace by its SIRET, so an apprenticeship of an organisation
without one is listed under `skipped` with the reason, and a reader of the file
knows why it is missing.
"""

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone

from campus.offers.models import Contract, Offer

# Levels 1, 2 and 8 are not targets La bonne alternance accepts.
EUROPEAN_LEVELS = {3, 4, 5, 6, 7}


def _paris_datetime(day: date) -> str:
    """A day as the API's Paris local dates are sent: midnight, Paris time."""
    return timezone.make_aware(datetime.combine(day, time.min)).isoformat()


def offer_to_lba(offer: Offer) -> dict:
    organisation = offer.organisation
    commune = offer.commune
    return {
        "identifier": {"partner_job_id": str(offer.pk)},
        "workplace": {
            "siret": organisation.siret,
            "name": organisation.name,
            "description": organisation.description or None,
            "website": organisation.website or None,
            "address": {
                "label": " ".join(
                    part
                    for part in (
                        organisation.address
                        if organisation.commune_id == commune.pk
                        else "",
                        commune.main_postal_code,
                        commune.name,
                    )
                    if part
                )
            },
        },
        "apply": {
            "url": offer.apply_url or None,
            "email": offer.apply_email or None,
            "phone": None,
        },
        "contract": {
            "start": _paris_datetime(offer.starts_on),
            "duration": offer.duration_months,
            "type": ["Apprentissage"],
            "remote": "onsite",
        },
        "offer": {
            "title": offer.title,
            "description": offer.description,
            "rome_codes": [offer.rome_job.code],
            "desired_skills": [],
            "to_be_acquired_skills": [],
            "access_conditions": [],
            "opening_count": offer.positions,
            "target_diploma": (
                {"european": str(offer.level)}
                if offer.level in EUROPEAN_LEVELS
                else None
            ),
            "creation": _paris_datetime(timezone.localdate(offer.created_at)),
            "expiration": _paris_datetime(offer.expires_on),
            "multicast": True,
            "origin": settings.CAMPUS_SITE_URL + offer.get_absolute_url(),
        },
    }


def lba_export(offers) -> dict:
    """The apprenticeships of `offers`, exported, or skipped with a reason."""
    exported, skipped = [], []
    apprenticeships = (
        offers.filter(contract=Contract.APPRENTICESHIP)
        .select_related("organisation", "commune", "rome_job")
        .order_by("pk")
    )
    for offer in apprenticeships.iterator(chunk_size=2000):
        if offer.organisation.siret:
            exported.append(offer_to_lba(offer))
        else:
            skipped.append(
                {
                    "partner_job_id": str(offer.pk),
                    "reason": "L'organisation n'a pas de SIRET.",
                }
            )
    return {
        "source": settings.CAMPUS_SITE_URL,
        "generated_at": timezone.now().isoformat(),
        "format": (
            "api.apprentissage.beta.gouv.fr job offer (writable), "
            "see docs/offers-lba.md"
        ),
        "offers": exported,
        "skipped": skipped,
    }
