"""Keep an event's search text in step with its sources.

Only data integrity happens here: whoever saves an event (a form, the demo, an
import), the agenda's search reads this column. (The event's commune and point
are copied by `Event.save()`.)
"""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from campus.agenda.models import Event
from campus.network.models import Organisation
from campus.search import fold_parts


def event_search_text(event: Event) -> str:
    organisation = event.organisation
    commune = event.commune if event.commune_id else None
    return fold_parts(
        event.title,
        event.summary,
        event.get_kind_display(),
        organisation.name,
        event.venue,
        commune.name if commune else "",
    )


@receiver(pre_save, sender=Event)
def fill_search_text(sender, instance, raw=False, **kwargs):
    if not raw:
        instance.search_text = event_search_text(instance)


@receiver(post_save, sender=Organisation)
def refresh_organisation_events(sender, instance, raw=False, **kwargs):
    """A renamed organiser stays findable in the agenda's search."""
    if raw:
        return
    events = list(Event.objects.filter(organisation=instance).select_related("commune"))
    for event in events:
        event.organisation = instance
        event.search_text = event_search_text(event)
    Event.objects.bulk_update(events, ["search_text"])
