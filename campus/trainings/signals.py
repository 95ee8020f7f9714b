"""Keep the copies an offering holds (place, search text) in step with their sources.

Only data integrity happens here: an organisation, site or certification that
changes its name or commune would otherwise leave its offerings unfindable.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from campus.network.models import Organisation, Site
from campus.trainings.models import Certification, Offering


def refresh_offerings(offerings) -> None:
    changed = []
    for offering in offerings.select_related(
        "certification", "organisation__commune__departement", "site__commune"
    ):
        offering.copy_from_sources()
        changed.append(offering)
    Offering.objects.bulk_update(
        changed,
        [
            "commune",
            "departement_code",
            "latitude",
            "longitude",
            "organisation_published",
            "search_text",
        ],
        batch_size=500,
    )


@receiver(post_save, sender=Organisation, dispatch_uid="trainings_organisation")
def organisation_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_offerings(instance.offerings.all())


@receiver(post_save, sender=Site, dispatch_uid="trainings_site")
def site_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_offerings(instance.offerings.all())


@receiver(post_save, sender=Certification, dispatch_uid="trainings_certification")
def certification_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        refresh_offerings(instance.offerings.all())
