"""Workflows of the offers: publish, renew (from the partner space or the link of
the reminder e-mail), withdraw and republish (the team), remind before expiry.

The renewal link is signed with the offer's current expiry date: once the offer
is renewed its date moves, so the same link cannot renew it twice; it also stops
working `RENEWAL_LINK_DAYS` after it was sent.
"""

from datetime import date, timedelta

from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_tasks import task

from campus.accounts.models import User
from campus.mail import send_templated_email
from campus.offers.models import REMINDER_DAYS, VALIDITY_DAYS, Offer
from campus.rules import RuleError

RENEWAL_SALT = "campus.offers.renew"
RENEWAL_LINK_DAYS = 30


class OfferError(RuleError):
    status_code = 409


class RenewalLinkError(RuleError):
    status_code = 410
    title = "Lien expiré ou déjà utilisé"


class UnknownRenewalLink(RenewalLinkError):
    """A token the site never signed: as for any unknown address, a 404."""

    status_code = 404
    title = "Lien inconnu"


def _recipients(offer: Offer) -> list[str]:
    """The offer's author and its organisation's editors."""
    return list(
        User.objects.filter(
            Q(pk=offer.author_id) | Q(memberships__in=offer.organisation.editors()),
            is_active=True,
        )
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
        .distinct()
    )


def publish_offer(offer: Offer, *, acting_user: User) -> Offer:
    """A new offer, open at once for two months (its `expires_on`)."""
    if offer.pk is not None:
        raise ValueError("publish_offer creates an offer; use update_offer.")
    with transaction.atomic():
        offer.author = acting_user
        offer.save()
    return offer


def update_offer(offer: Offer, *, acting_user: User) -> Offer:
    """Saves a partner's changes; a withdrawn offer stays withdrawn."""
    with transaction.atomic():
        offer.save()
    return offer


def renewed_expiry(offer: Offer, *, today: date | None = None) -> date:
    """Two months from today, or from the current expiry if that is later."""
    today = today or timezone.localdate()
    return max(today, offer.expires_on) + timedelta(days=VALIDITY_DAYS)


def renew_offer(offer: Offer, *, acting_user: User | None = None) -> Offer:
    """Keeps the offer open two more months (`acting_user` is None through the
    signed link of the reminder)."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.is_withdrawn:
            raise OfferError(
                "L'équipe du campus a retiré cette offre : elle ne peut pas être "
                "prolongée."
            )
        offer.expires_on = renewed_expiry(offer)
        offer.save(update_fields=["expires_on", "updated_at"])
    return offer


def withdraw_offer(offer: Offer, *, reason: str, acting_user: User) -> Offer:
    """The team takes a published offer off the site; its organisation is told why."""
    reason = reason.strip()
    if not reason:
        raise OfferError("Indiquez le motif du retrait : il est envoyé à l'entreprise.")
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.is_withdrawn:
            raise OfferError("Cette offre est déjà retirée.")
        offer.is_withdrawn = True
        offer.withdrawal_reason = reason
        offer.withdrawn_by = acting_user
        offer.withdrawn_at = timezone.now()
        offer.save()
        send_templated_email(
            "offers/email/offer_withdrawn",
            {"offer": offer, "reason": reason},
            _recipients(offer),
        )
    return offer


def republish_offer(offer: Offer, *, acting_user: User) -> Offer:
    """The team puts a withdrawn offer back."""
    with transaction.atomic():
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if not offer.is_withdrawn:
            raise OfferError("Cette offre est déjà publiée.")
        offer.is_withdrawn = False
        offer.withdrawal_reason = ""
        offer.withdrawn_by = None
        offer.withdrawn_at = None
        offer.save()
    return offer


def delete_offer(offer: Offer, *, acting_user: User) -> None:
    offer.delete()


def renewal_token(offer: Offer) -> str:
    return signing.dumps(
        {"offer": offer.pk, "expires_on": offer.expires_on.isoformat()},
        salt=RENEWAL_SALT,
        compress=True,
    )


def offer_for_renewal_token(token: str) -> Offer:
    """The offer a reminder's link renews; RenewalLinkError when the link is
    forged, too old, or already used (the offer's expiry date has moved)."""
    try:
        data = signing.loads(
            token, salt=RENEWAL_SALT, max_age=timedelta(days=RENEWAL_LINK_DAYS)
        )
    except signing.SignatureExpired:
        raise RenewalLinkError(
            "Ce lien de prolongation n'est plus valable. Connectez-vous à votre "
            "espace partenaire pour prolonger l'offre."
        ) from None
    except signing.BadSignature:
        raise UnknownRenewalLink(
            "Ce lien de prolongation est inconnu : vérifiez qu'il est complet, ou "
            "prolongez l'offre depuis votre espace partenaire."
        ) from None
    offer = (
        Offer.objects.select_related("organisation", "commune")
        .filter(pk=data.get("offer"))
        .first()
    )
    if offer is None or offer.expires_on.isoformat() != data.get("expires_on"):
        raise RenewalLinkError(
            "Ce lien de prolongation a déjà servi ou l'offre n'existe plus."
        )
    return offer


def send_offer_reminders(*, today: date | None = None) -> int:
    """E-mails the renewal link of each open offer that expires within
    `REMINDER_DAYS`, once per expiry date; returns how many were sent.

    `reminded_for` is set by a conditional update before the e-mail is queued,
    so two runs at once never send the same reminder twice.
    """
    today = today or timezone.localdate()
    due = (
        Offer.objects.filter(
            is_withdrawn=False,
            organisation_published=True,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .exclude(reminded_for=F("expires_on"))
        .select_related("organisation")
        .order_by("expires_on", "pk")
    )
    sent = 0
    for offer in due:
        with transaction.atomic():
            claimed = (
                Offer.objects.filter(pk=offer.pk, expires_on=offer.expires_on)
                .exclude(reminded_for=offer.expires_on)
                .update(reminded_for=offer.expires_on)
            )
            if claimed:
                send_templated_email(
                    "offers/email/offer_expiring",
                    {"offer": offer, "token": renewal_token(offer)},
                    _recipients(offer),
                )
                sent += 1
    return sent


@task()
def send_offer_reminders_task() -> int:
    """The reminders as a background task, for a scheduler that queues tasks."""
    return send_offer_reminders()
