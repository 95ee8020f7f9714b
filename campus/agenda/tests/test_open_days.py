"""Open days typed on offerings become agenda events (agenda migration 0003)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from campus.agenda.open_days import parse_open_day

PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2026, 11, 29)


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("line", "start", "end", "all_day"),
    [
        ("samedi 14 mars 2026, 9 h – 12 h", (2026, 3, 14, 9), (2026, 3, 14, 12), False),
        (
            "Samedi 7 mars 2026, de 9 h à 12 h (démo)",
            (2026, 3, 7, 9),
            (2026, 3, 7, 12),
            False,
        ),
        (
            "Mercredi 25 mars 2026, de 14 h à 17 h 30",
            (2026, 3, 25, 14),
            (2026, 3, 25, 17, 30),
            False,
        ),
        ("Sam. 13 février 2027 9h-12h", (2027, 2, 13, 9), (2027, 2, 13, 12), False),
        ("14/03/2026 de 9h30 à 12h", (2026, 3, 14, 9, 30), (2026, 3, 14, 12), False),
        (
            "Samedi 6 février 2027 à partir de 14 h",
            (2027, 2, 6, 14),
            (2027, 2, 6, 18),
            False,
        ),
        ("Vendredi 1er janvier 2027", (2027, 1, 1, 0), (2027, 1, 1, 23, 59), True),
        # No year: the one whose weekday matches.
        ("Samedi 6 mars, de 9 h à 12 h", (2027, 3, 6, 9), (2027, 3, 6, 12), False),
        # No year nor weekday: the coming one.
        ("15 janvier, 10 h – 16 h", (2027, 1, 15, 10), (2027, 1, 15, 16), False),
    ],
)
def test_one_day_lines_are_read_in_paris_time(line, start, end, all_day):
    day = parse_open_day(line, today=TODAY)
    assert day is not None
    assert (day.starts_at, day.ends_at, day.all_day) == (
        paris(*start),
        paris(*end),
        all_day,
    )


@pytest.mark.parametrize(
    "line",
    [
        "Sur rendez-vous toute l'année",
        "Vendredi 13 et samedi 14 mars 2026",
        "du 13 au 14 mars 2026",
        "Samedi 31 février 2026",
        # The weekday contradicts the date: better ask than guess.
        "Lundi 14 mars 2026, 9 h – 12 h",
        "Samedi 14 mars 2026, 12 h – 9 h",
        "Samedi 14 mars 2026, 25 h – 26 h",
    ],
)
def test_lines_naming_no_single_day_are_not_guessed(line):
    assert parse_open_day(line, today=TODAY) is None


# Organisations as they were then: later network columns are not in that state.
BEFORE = [
    ("agenda", "0002_audiences"),
    ("trainings", "0007_offering_fulltext_index"),
    ("network", "0004_proposal_siret_resembles"),
]
AFTER = [("agenda", "0003_open_days_from_offerings")]


@pytest.mark.django_db(transaction=True)
def test_migration_turns_open_days_into_events_and_keeps_the_rest(capsys):
    """Readable lines become one event per school, day and place, linked to every
    offering that announced it; the others are kept in « comment candidater »."""
    if connection.vendor != "sqlite":
        # The migration reads and writes through the ORM alone, the same on both
        # databases; undoing and redoing the 19 migrations after it costs a minute
        # of each CI run per database.
        pytest.skip("migration de données en ORM seul : vérifiée sur SQLite")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        apps = executor.loader.project_state(BEFORE).apps
        Organisation = apps.get_model("network", "Organisation")
        Certification = apps.get_model("trainings", "Certification")
        Offering = apps.get_model("trainings", "Offering")
        school = Organisation.objects.create(
            name="Lycée du Cuir", slug="lycee-du-cuir", kind="secondary_school"
        )
        cap = Certification.objects.create(
            title="CAP Maroquinerie", slug="cap", level=3
        )
        bac = Certification.objects.create(title="Bac pro Cuir", slug="bac", level=4)
        lines = "Samedi 6 mars 2027, de 9 h à 12 h\nSur rendez-vous"
        first = Offering.objects.create(
            organisation=school, certification=cap, route="school", open_days=lines
        )
        second = Offering.objects.create(
            organisation=school,
            certification=bac,
            route="school",
            open_days="Samedi 6 mars 2027, de 9 h à 12 h",
            how_to_apply="Affelnet.",
            is_published=False,
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
        apps = executor.loader.project_state(AFTER).apps
        Event = apps.get_model("agenda", "Event")
        event = Event.objects.get()
        assert event.kind == "open_day"
        assert event.title == "Portes ouvertes — Lycée du Cuir"
        assert event.status == "published"
        assert event.starts_at == paris(2027, 3, 6, 9)
        assert set(event.offerings.values_list("pk", flat=True)) == {
            first.pk,
            second.pk,
        }
        Offering = apps.get_model("trainings", "Offering")
        assert Offering.objects.get(pk=first.pk).how_to_apply == (
            "Journées portes ouvertes (à vérifier) : Sur rendez-vous"
        )
        assert Offering.objects.get(pk=second.pk).how_to_apply == "Affelnet."
        assert "Sur rendez-vous" in capsys.readouterr().out
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
