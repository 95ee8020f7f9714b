"""Protections of the forms anyone can post: a honeypot and rate limits.

A public form sends e-mail to an address the visitor types, so without limits it
relays mail to third parties. Each form is limited per client address and per
recipient address (django-ratelimit, counts in the "ratelimit" cache; see
docs/operators.md), and carries a honeypot field: a robot that fills it gets the
same answer as a person, and nothing is stored or sent.
"""

from django import forms
from django.conf import settings
from django_ratelimit.decorators import ratelimit

from campus.rules import RuleError

HONEYPOT_FIELD = "website_confirmation"


class TooManyRequests(RuleError):
    """Answered as the site's error page with status 429 (RATELIMIT_EXCEPTION_CLASS)."""

    status_code = 429
    title = "Trop de demandes"

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or (
                "Trop de demandes ont été envoyées depuis votre connexion ou pour "
                "cette adresse e-mail. Réessayez dans une heure ; en cas d'urgence, "
                "écrivez à l'équipe du campus."
            )
        )


class HoneypotMixin(forms.Form):
    # Robots fill every field; people never see this one (components/honeypot.html).
    website_confirmation = forms.CharField(
        required=False, label="Ne pas remplir ce champ"
    )

    @property
    def filled_by_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT_FIELD), "").strip())


def client_ip(request) -> str:
    """The visitor's address, for the rate limits and django-axes.

    Behind a reverse proxy REMOTE_ADDR is the proxy's: CAMPUS_CLIENT_IP_HEADER
    names the header in which the proxy puts the client's address. Only the last
    address of a list counts, the one the proxy itself added.
    """
    header = settings.CAMPUS_CLIENT_IP_HEADER
    if header:
        value = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        value = value.split(",")[-1].strip()
        if value:
            return value
    # Requests built outside a server (force_login in tests) carry no address.
    return request.META.get("REMOTE_ADDR", "")


def _per_address_rate(group, request):
    return settings.CAMPUS_PUBLIC_FORM_RATE_PER_ADDRESS


def _recipient_key(field):
    def key(group, request):
        return request.POST.get(field, "").strip().lower()

    return key


def _per_recipient_rate(field):
    def rate(group, request):
        # Without an address the form is refused and nothing can be sent.
        if not request.POST.get(field, "").strip():
            return None
        return settings.CAMPUS_PUBLIC_FORM_RATE_PER_RECIPIENT

    return rate


def limit_public_form(name: str, *, recipient_field: str | None):
    """Limits the POSTs of the view `name` per client address, then per recipient
    (unless the form sends to no typed address: `recipient_field=None`).

    A POST over either limit raises TooManyRequests before the view runs, so
    nothing is validated, stored or sent.
    """

    def decorator(view):
        per_address = ratelimit(
            group=f"{name}:address",
            key="ip",
            rate=_per_address_rate,
            method="POST",
        )
        if recipient_field is None:
            return per_address(view)
        per_recipient = ratelimit(
            group=f"{name}:recipient",
            key=_recipient_key(recipient_field),
            rate=_per_recipient_rate(recipient_field),
            method="POST",
        )
        return per_address(per_recipient(view))

    return decorator
