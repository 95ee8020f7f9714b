"""The team's « Journal des actions »: who changed what, and when.

It reads the django-simple-history tables of memberships, intervention requests
and proposals, whose services record the acting user. One UNION query picks a
page across the tables, newest first; then one query per kind loads the page's
records with the earlier records of the same objects, to tell what changed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import CharField, Value

from campus.accounts.models import User
from campus.dates import french_date
from campus.network.models import PROPOSED_ACTOR_FIELDS, Membership, Proposal
from campus.outreach.models import InterventionRequest

PAGE_SIZE = 50

ACTIONS = {"+": "Création", "~": "Modification", "-": "Suppression"}


@dataclass(frozen=True)
class Kind:
    label: str
    model: type[models.Model]
    # The fields whose changes the journal shows, and the relations they need.
    fields: tuple[str, ...]
    related: tuple[str, ...]
    describe: Callable[[models.Model], str]


def _describe_membership(record) -> str:
    person = record.user or "Compte supprimé"
    return f"{person} — {record.organisation or 'organisation supprimée'}"


def _describe_proposal(record) -> str:
    target = record.organisation.name if record.organisation else record.name
    return f"{record.get_kind_display()} : {target}"


def _describe_request(record) -> str:
    return f"{record.school_name} ({record.get_class_level_display()})"


KINDS = {
    "membres": Kind(
        "Membres",
        Membership,
        fields=("role",),
        related=("user", "organisation"),
        describe=_describe_membership,
    ),
    "demandes": Kind(
        "Demandes d'intervention",
        InterventionRequest,
        fields=(
            "status",
            "assigned_organisation",
            "scheduled_for",
            "held_on",
            "pupils_reached",
            "artisans_involved",
            "outcome",
        ),
        related=("assigned_organisation",),
        describe=_describe_request,
    ),
    "propositions": Kind(
        "Propositions",
        Proposal,
        # The team's corrections before a decision show before and after.
        fields=(
            "status",
            "refusal_reason",
            "organisation",
            *(name for name in PROPOSED_ACTOR_FIELDS if name != "description"),
        ),
        related=("organisation", "commune__departement"),
        describe=_describe_proposal,
    ),
}


@dataclass
class Change:
    label: str
    before: str | None
    after: str


@dataclass
class Entry:
    when: datetime
    who: User | None
    kind: Kind
    subject: str
    action: str
    changes: list[Change] = field(default_factory=list)


def action_log_page(kind: str | None, page_number) -> Page:
    """A page of entries of one kind (a key of KINDS) or of all, newest first."""
    kinds = {kind: KINDS[kind]} if kind else KINDS
    rows = [
        kinds[key]
        .model.history.annotate(log_kind=Value(key, output_field=CharField()))
        .values("log_kind", "id", "history_id", "history_date")
        .order_by()
        for key in kinds
    ]
    union = rows[0].union(*rows[1:], all=True)
    union = union.order_by("-history_date", "-history_id", "log_kind")
    page = Paginator(union, PAGE_SIZE).get_page(page_number)
    page.object_list = _entries(list(page.object_list))
    return page


def _entries(rows: list[dict]) -> list[Entry]:
    entries = {}
    for key in {row["log_kind"] for row in rows}:
        kind = KINDS[key]
        wanted = {row["history_id"] for row in rows if row["log_kind"] == key}
        records = kind.model.history.filter(
            id__in={row["id"] for row in rows if row["log_kind"] == key}
        ).select_related("history_user", *kind.related)
        previous = {}
        for record in records.order_by("id", "history_id"):
            if record.history_id in wanted:
                entries[key, record.history_id] = _entry(
                    kind, record, previous.get(record.id)
                )
            previous[record.id] = record
    return [entries[row["log_kind"], row["history_id"]] for row in rows]


def _entry(kind: Kind, record, previous) -> Entry:
    entry = Entry(
        when=record.history_date,
        who=record.history_user,
        kind=kind,
        subject=kind.describe(record),
        action=ACTIONS[record.history_type],
    )
    if record.history_type == "-":
        return entry
    for name in kind.fields:
        model_field = record._meta.get_field(name)
        after = _display(record, model_field)
        if previous is None:
            if after != "—":
                entry.changes.append(Change(model_field.verbose_name, None, after))
        elif getattr(previous, model_field.attname) != getattr(
            record, model_field.attname
        ):
            entry.changes.append(
                Change(
                    model_field.verbose_name,
                    _display(previous, model_field),
                    after,
                )
            )
    return entry


def _display(record, model_field) -> str:
    value = getattr(record, model_field.name)
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, datetime):
        return french_date(value, "heure")
    if isinstance(value, date):
        return french_date(value)
    return str(value)
