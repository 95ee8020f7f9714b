"""The platforms list and an equipment's page, kept per address under the content
stamp (the equipment's week until midnight): the same pages as built from
scratch, a write and the next day show on the next visit, an editor's link and an
unpublished equipment never reach another visitor, and the parts are read back
without their queries."""

import datetime as dt
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campus import fragments
from campus.network.tests.factories import MembershipFactory
from campus.platforms.models import Equipment
from campus.platforms.tests.factories import BookingFactory, EquipmentFactory
from campus.platforms.times import week_label, week_start
from campus.testing.fragments import (
    assert_same_as_built_from_scratch,
    body,
    committed,
    warm,
)

LIST = "/plateformes/"


@committed
def test_platform_pages_are_the_same_as_built_from_scratch(monkeypatch):
    """On the demo campus the list, searched or not, and an equipment's week are
    byte for byte the same built from the database and read back."""
    call_command("load_demo", verbosity=0)
    equipment = Equipment.objects.published().order_by("pk").first()
    detail = equipment.get_absolute_url()
    urls = [LIST, f"{LIST}?q=laser", detail, f"{detail}?semaine=2027-W12"]
    pages = assert_same_as_built_from_scratch(monkeypatch, Client(), urls)
    assert equipment.name in pages[LIST]
    assert "Disponibilités du" in pages[detail]


@committed
def test_a_write_shows_on_the_next_visit():
    """A new equipment shows in the list, an approved booking in its week."""
    equipment = EquipmentFactory(name="Pareuse")
    client = Client()
    warm(client, LIST)
    assert "Libre" in warm(client, equipment.get_absolute_url())
    EquipmentFactory(name="Découpe laser", organisation=equipment.organisation)
    assert "Découpe laser" in body(client, LIST)
    start = timezone.make_aware(
        dt.datetime.combine(week_start(timezone.localdate()), dt.time(9))
    )
    BookingFactory(
        equipment=equipment,
        approved=True,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
    )
    assert "day-bar__slot" in body(client, equipment.get_absolute_url())


@committed
def test_the_week_shown_changes_with_the_day(monkeypatch):
    """An equipment's page without a week asked shows this week, and is built
    anew when the day changes."""
    soon = timezone.now() + dt.timedelta(seconds=2)
    monkeypatch.setattr(fragments, "next_midnight", lambda *since: soon)
    url = EquipmentFactory().get_absolute_url()
    client = Client()
    today = timezone.localdate()
    assert this_week(today) in warm(client, url)
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.5)
    later = today + dt.timedelta(days=7)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: later)
    assert this_week(later) in body(client, url)


def this_week(day) -> str:
    """The link « Cette semaine » of the page seen on `day`."""
    label = week_label(week_start(day))
    return f'?semaine={label}#disponibilites" rel="nofollow">Cette semaine'


@committed
def test_an_editors_link_and_an_unpublished_equipment_reach_no_other_visitor():
    """The edit link shows to the platform's editors only, whoever came first, and
    an unpublished equipment shown to a member stays hidden from others."""
    equipment = EquipmentFactory()
    hidden = EquipmentFactory(organisation=equipment.organisation, unpublished=True)
    editor = Client()
    editor.force_login(MembershipFactory(organisation=equipment.organisation).user)
    anonymous = Client()
    url = equipment.get_absolute_url()
    assert "Modifier l'équipement" not in warm(anonymous, url)
    assert "Modifier l'équipement" in warm(editor, url)
    assert "Modifier l'équipement" not in body(anonymous, url)
    assert "n'est pas publié" in warm(editor, hidden.get_absolute_url())
    assert anonymous.get(hidden.get_absolute_url()).status_code == 404


@committed
def test_kept_parts_are_read_back_without_their_queries():
    """Read back, the list queries no equipment and the page no booking."""
    equipment = EquipmentFactory()
    client = Client()
    for url, table in [
        (LIST, "platforms_equipment"),
        (equipment.get_absolute_url(), "platforms_booking"),
    ]:
        warm(client, url)
        with CaptureQueriesContext(connection) as queries:
            body(client, url)
        assert not [q for q in queries if table in q["sql"]], url
