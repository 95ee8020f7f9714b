"""The catalogue's filter set as a ListFilterSet (campus/filtersets.py): each form
works on its own fields, built from the class's once."""

import pytest
from django.http import QueryDict

from campus.trainings.filters import OfferingFilter
from campus.trainings.models import Level

pytestmark = pytest.mark.django_db


def form():
    return OfferingFilter(QueryDict(""), departements=[]).form


def test_forms_share_their_lists_of_choices():
    """The choices declared on a filter are not copied for each form."""
    first, second = form().fields["niveau"], form().fields["niveau"]
    assert first is not second
    assert first.choices.choices is second.choices.choices


def test_choices_set_for_one_form_stay_with_it():
    """Choices set on one form's field change neither the next form's nor how its
    empty choice reads."""
    first = form().fields["niveau"]
    first.choices = [("3", "CAP")]
    second = form().fields["niveau"]
    assert [value for value, _ in first.choices] == ["", "3"]
    assert [value for value, _ in second.choices] == ["", *Level.values]
    second.empty_label = "Aucun"
    assert next(iter(second.choices)) == ("", "Aucun")
    assert next(iter(form().fields["niveau"].choices)) == ("", "Tous les niveaux")
