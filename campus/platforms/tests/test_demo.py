import pytest

from campus.platforms.demo import load_demo_platforms
from campus.platforms.models import Booking, BookingStatus, Equipment

pytestmark = pytest.mark.django_db


def test_demo_platform_loads_twice_labelled_with_approved_and_pending_bookings(client):
    """A skiving machine and a laser cutter, « Démo », with bookings this week and the
    next; the public calendar shows the approved ones."""
    load_demo_platforms()
    load_demo_platforms()
    equipment = Equipment.objects.order_by("name")
    assert [item.name for item in equipment] == ["Découpe laser", "Pareuse"]
    assert all(item.is_demo and item.organisation.is_demo for item in equipment)
    assert not Booking.objects.filter(is_demo=False).exists()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses == {BookingStatus.APPROVED, BookingStatus.PENDING}
    response = client.get("/plateformes/pareuse-demo/")
    assert response.status_code == 200
    assert "Réservé de 9 h à 12 h" in response.content.decode()
    assert "Démo" in response.content.decode()
