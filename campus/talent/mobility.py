"""European mobility (Erasmus+): host partners abroad, the places they offer,
and the mobilities learners did, counted for the campus's reports.

Host partners are in the Erasmus+ programme countries other than France. The
learners' names are erased five years after their return
(`anonymise_old_mobilities`, called by the purge command).
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import NoReverseMatch
from django_countries import countries

from campus.talent.models import (
    ANONYMOUS_LEARNER,
    MOBILITY_RETENTION_DAYS,
    HostPartner,
    Mobility,
    MobilityOffer,
)

# EU member states (France excepted: mobility goes abroad) and the third
# countries associated to the programme.
EU_MEMBER_STATES = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU",
    "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES",
    "SE",
}  # fmt: skip
ASSOCIATED_COUNTRIES = {"IS", "LI", "NO", "MK", "RS", "TR"}
ERASMUS_HOST_COUNTRIES = (EU_MEMBER_STATES | ASSOCIATED_COUNTRIES) - {"FR"}


def country_name(code: str) -> str:
    return str(countries.name(code)) or code


def host_country_choices() -> list[tuple[str, str]]:
    """The host countries, by their French name in alphabetical order."""
    return sorted(
        ((code, country_name(code)) for code in ERASMUS_HOST_COUNTRIES),
        key=lambda choice: choice[1],
    )


@dataclass
class CountryPartners:
    code: str
    name: str
    partners: list[HostPartner] = field(default_factory=list)


def partners_by_country() -> list[CountryPartners]:
    """Active host partners grouped by country (French names, alphabetical)."""
    groups: dict[str, CountryPartners] = {}
    partners = (
        HostPartner.objects.active().prefetch_related("trades").order_by("name", "pk")
    )
    for partner in partners:
        code = partner.country.code
        groups.setdefault(code, CountryPartners(code, country_name(code)))
        groups[code].partners.append(partner)
    return sorted(groups.values(), key=lambda group: group.name)


@dataclass
class PublicOffer:
    offer: MobilityOffer
    country: str
    call_url: str
    call_is_open: bool


def _call_url(call) -> str:
    """The call's public page, when it is published and the calls' pages exist."""
    if call is None or not call.is_published:
        return ""
    try:
        return call.get_absolute_url()
    except NoReverseMatch:
        return ""


def published_offers(*, now: datetime.datetime) -> list[PublicOffer]:
    """Published offers of active partners, by country, each with its call."""
    offers = (
        MobilityOffer.objects.published()
        .select_related("host_partner", "call")
        .order_by("host_partner__country", "title", "pk")
    )
    return [
        PublicOffer(
            offer=offer,
            country=country_name(offer.host_partner.country.code),
            call_url=_call_url(offer.call),
            call_is_open=bool(offer.call and offer.call.is_open(now)),
        )
        for offer in offers
    ]


@dataclass
class MobilityCounts:
    """The mobilities done, counted four ways; each list is (label, count) rows."""

    year: int | None
    total: int
    by_year: list[tuple[int, int]]
    by_country: list[tuple[str, int]]
    by_trade: list[tuple[str, int]]
    by_school: list[tuple[str, int]]


def _counted(mobilities, key: str) -> list[tuple]:
    return [
        (row[key], row["count"])
        for row in mobilities.values(key).annotate(count=Count("pk")).order_by(key)
    ]


def _by_count(rows):
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def mobility_counts(year: int | None = None) -> MobilityCounts:
    """Mobilities by year of departure, by host country, by trade and by sending
    school; `year` keeps those that left that year."""
    mobilities = Mobility.objects.all()
    if year is not None:
        mobilities = mobilities.filter(departure_on__year=year)
    by_year = [
        (row["year"], row["count"])
        for row in mobilities.annotate(year=ExtractYear("departure_on"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    ]
    by_country = [
        (country_name(code), count)
        for code, count in _counted(mobilities, "host_partner__country")
    ]
    return MobilityCounts(
        year=year,
        total=sum(count for _, count in by_year),
        by_year=by_year,
        by_country=_by_count(by_country),
        by_trade=_by_count(_counted(mobilities, "trade__name")),
        by_school=_by_count(_counted(mobilities, "sending_school__name")),
    )


def departure_years() -> list[int]:
    return sorted(
        {
            value.year
            for value in Mobility.objects.dates("departure_on", "year", order="ASC")
        }
    )


def _delete_file_on_commit(field_file) -> None:
    if field_file:
        storage, name = field_file.storage, field_file.name
        transaction.on_commit(lambda: storage.delete(name))


def delete_mobility(mobility: Mobility) -> None:
    """Deletes a mobility and, once that is committed, its certificate."""
    with transaction.atomic():
        _delete_file_on_commit(mobility.certificate)
        mobility.delete()


def anonymise_old_mobilities(now: datetime.datetime) -> int:
    """Erases the learners' names and certificates of mobilities that came back
    more than `MOBILITY_RETENTION_DAYS` ago; returns how many were anonymised."""
    limit = now.date() - datetime.timedelta(days=MOBILITY_RETENTION_DAYS)
    old = Mobility.objects.filter(return_on__lt=limit, anonymised_at__isnull=True)
    count = 0
    with transaction.atomic():
        for mobility in old.select_for_update().order_by("pk"):
            _delete_file_on_commit(mobility.certificate)
            mobility.learner_first_name = ANONYMOUS_LEARNER
            mobility.learner_last_initial = ""
            mobility.certificate = ""
            mobility.anonymised_at = now
            mobility.save(
                update_fields=[
                    "learner_first_name",
                    "learner_last_initial",
                    "certificate",
                    "anonymised_at",
                ]
            )
            count += 1
    return count
