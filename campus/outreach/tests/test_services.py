from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from campus.outreach.models import InterventionRequest
from campus.outreach.tests.factories import InterventionRequestFactory

pytestmark = pytest.mark.django_db


def age(request, days):
    InterventionRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def test_purge_deletes_only_unconfirmed_requests_older_than_7_days():
    """Expired unconfirmed requests go; recent or confirmed ones stay; --dry-run only counts."""
    expired, recent = InterventionRequestFactory(), InterventionRequestFactory()
    old_confirmed = InterventionRequestFactory(confirmed=True)
    age(expired, 8)
    age(recent, 6)
    age(old_confirmed, 30)
    out = StringIO()
    call_command("purge_unconfirmed_requests", "--dry-run", stdout=out)
    assert "à supprimer : 1" in out.getvalue()
    assert InterventionRequest.objects.count() == 3
    call_command("purge_unconfirmed_requests", stdout=out)
    assert set(InterventionRequest.objects.all()) == {recent, old_confirmed}
