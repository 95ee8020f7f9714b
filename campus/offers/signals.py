"""Keep the copies an offer holds (whether its organisation is published, the
level of its certification, the search text) in step with their sources.

Only data integrity happens here: an organisation taken out of the directory
would otherwise leave its offers on the public list.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campus.network.models import Organisation
from campus.offers.models import Offer
from campus.trainings.models import Certification


def refresh_offers(offers) -> None:
    changed = []
    for offer in offers.select_related(
        "organisation", "certification", "rome_job", "commune__departement"
    ):
        offer.copy_from_sources()
        changed.append(offer)
    Offer.objects.bulk_update(
        changed,
        [
            "organisation_published",
            "level",
            "departement_code",
            "latitude",
            "longitude",
            "search_text",
        ],
        batch_size=500,
    )


@receiver(post_save, sender=Organisation, dispatch_uid="offers_organisation")
def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_offers(instance.offers.all())


@receiver(post_save, sender=Certification, dispatch_uid="offers_certification")
def certification_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_offers(instance.offers.all())
