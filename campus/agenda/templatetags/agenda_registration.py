"""The registration box of the event page, without changing the page's view."""

from django import template
from django.template.loader import render_to_string

from campus import fragments
from campus.agenda import registration as rules
from campus.agenda.models import Event
from campus.agenda.permissions import event_policy
from campus.agenda.registration_forms import RegistrationForm

register = template.Library()


@register.simple_tag(takes_context=True)
def registration_box(context, event):
    """What the box shows: the form while registration is open, else why not; for
    the organiser's members and the team, a link to the registrant list."""
    if not event.registration_enabled:
        return None
    request = context["request"]
    user = request.user
    # The places left change with a registration, a write: kept until then.
    free = fragments.kept(
        request, f"places-left.{event.pk}", lambda: rules.places_left(event)
    )
    closed_reason = rules.closed_reason(event)
    return {
        "closed_reason": closed_reason,
        "fields_html": None if closed_reason else _blank_fields(request, event),
        "places_left": free,
        "full": free == 0,
        "shows_list": user.is_authenticated
        and event_policy.of_members(Event.objects.filter(pk=event.pk), user).exists(),
        "max_places": rules.MAX_PLACES,
        "confirmation_hours": rules.CONFIRMATION_HOURS,
    }


def _blank_fields(request, event) -> str:
    """The fields of the empty form, the same for every visitor and every event:
    kept until a table they read is written, and the form made only to build
    them. The <form> element around them, with the visitor's CSRF token, is
    rendered on each visit."""
    return fragments.kept(
        request,
        "registration-fields",
        lambda: render_to_string(
            "agenda/registration/_form.html#fields",
            {"form": RegistrationForm(event=event)},
        ),
        # The event only checks what is sent: the fields are the same for every
        # event, and a registration (read above, for the places left) leaves them.
        alone=True,
    )
