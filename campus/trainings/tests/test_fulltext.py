import pytest
from django.db import connection

from campus.trainings import fulltext
from campus.trainings.fulltext import TABLE, TRIGGERS, ensure_index, filter_by_words
from campus.trainings.models import Offering
from campus.trainings.tests.factories import CertificationFactory, OfferingFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="PostgreSQL searches its pg_trgm index"
    ),
]


def found(*words: str) -> set[int]:
    return set(
        filter_by_words(Offering.objects.all(), list(words)).values_list(
            "pk", flat=True
        )
    )


def indexed_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def test_index_follows_saves_and_deletes():
    """An offering is found once saved, by its new text once changed, never once deleted."""
    offering = OfferingFactory(certification__title="CAP Sellier-harnacheur")
    assert found("sell", "harnach") == {offering.pk}
    offering.certification.title = "CAP Tapissier"
    offering.certification.save()
    offering.refresh_from_db()
    assert found("tapiss") == {offering.pk}
    assert found("harnach") == set()
    offering.delete()
    assert found("tapiss") == set()
    assert indexed_rows() == 0


def test_index_follows_bulk_paths():
    """Rows written by bulk_create, update and bulk_update are indexed like saved ones."""
    certification = CertificationFactory()
    template = OfferingFactory(certification=certification)
    created = Offering.objects.bulk_create(
        Offering(
            certification=certification,
            organisation=template.organisation,
            search_text=f"bijouterie joaillerie {n}",
        )
        for n in range(3)
    )
    assert found("bijout") == {o.pk for o in created}
    Offering.objects.filter(pk=created[0].pk).update(search_text="horlogerie")
    assert found("bijout") == {created[1].pk, created[2].pk}
    created[1].search_text = "verrerie"
    Offering.objects.bulk_update([created[1]], ["search_text"])
    assert found("verre") == {created[1].pk}
    assert found("horlog") == {created[0].pk}
    Offering.objects.filter(pk__in=[o.pk for o in created]).delete()
    assert found("bijout") == found("horlog") == found("verre") == set()
    assert indexed_rows() == 1


def test_words_are_found_inside_words_and_short_ones_without_the_index():
    """A word matches inside another, every word must match, and a two-letter word still counts."""
    offering = OfferingFactory(certification__title="BP Maroquinerie")
    assert found("roquin") == found("maroquin", "bp") == {offering.pk}
    assert found("maroquin", "bts") == set()


def test_missing_triggers_are_restored_and_the_index_rebuilt():
    """After a table rebuild dropped the triggers, the index is restored and complete."""
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}")
    offering = OfferingFactory(certification__title="CAP Ébéniste")
    assert found("ebenist") == set()
    assert ensure_index(connection) is True
    assert found("ebenist") == {offering.pk}
    assert ensure_index(connection) is False


def test_frequent_words_are_searched_without_the_index(monkeypatch):
    """Past the cap of indexed matches, the plain search gives the same offerings."""
    offerings = OfferingFactory.create_batch(3, certification__title="CAP Cuisine")
    OfferingFactory(certification__title="CAP Coiffure")
    expected = {o.pk for o in offerings}
    assert found("cuisin") == expected
    monkeypatch.setattr(fulltext, "MAX_INDEXED_MATCHES", 2)
    assert found("cuisin") == expected
