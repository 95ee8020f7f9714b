"""The public list of calls: filtered by kind and state, open calls first.

Every parameter is validated; an unknown value is a French message and a 400.
"""

import django_filters
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from campus.filtersets import ListFilterSet
from campus.talent.models import Call, CallKind

# French values in addresses.
STATE_VALUES = {
    "ouverts": "Ouverts",
    "a-venir": "À venir",
    "clos": "Clos",
}


def ordered_by_state(queryset, now=None):
    """Open calls first (closing soonest first), then upcoming ones (opening soonest
    first), then closed ones (most recently closed first)."""
    now = now or timezone.now()
    is_open = Q(opens_at__lte=now, closes_at__gt=now)
    is_upcoming = Q(opens_at__gt=now)
    return queryset.annotate(
        state_rank=Case(
            When(is_open, then=Value(0)),
            When(is_upcoming, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        soonest=Case(
            When(is_open, then="closes_at"),
            When(is_upcoming, then="opens_at"),
        ),
        latest=Case(When(~is_open & ~is_upcoming, then="closes_at")),
    ).order_by("state_rank", "soonest", "-latest", "-pk")


class CallFilter(ListFilterSet):
    type = django_filters.ChoiceFilter(
        label="Type d'appel",
        field_name="kind",
        choices=CallKind.choices,
        empty_label="Tous les types",
    )
    etat = django_filters.ChoiceFilter(
        label="État",
        choices=list(STATE_VALUES.items()),
        method="by_state",
        empty_label="Tous les appels",
    )

    class Meta:
        model = Call
        fields = []

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        fields = self.form.fields
        fields["type"].error_messages["invalid_choice"] = (
            "Type d'appel inconnu : choisissez-en un dans la liste."
        )
        fields["etat"].error_messages["invalid_choice"] = (
            "État inconnu : ouverts, à venir ou clos."
        )

    def by_state(self, queryset, name, value):
        now = self.now
        if value == "ouverts":
            return queryset.filter(opens_at__lte=now, closes_at__gt=now)
        if value == "a-venir":
            return queryset.filter(opens_at__gt=now)
        return queryset.filter(closes_at__lte=now)

    def filter_queryset(self, queryset):
        return ordered_by_state(super().filter_queryset(queryset), self.now)
