"""The offerings' full-text index on SQLite: an FTS5 table with the trigram tokenizer.

The catalogue keeps every folded query word that is found anywhere in an offering's
`search_text` (« maroquin » in « maroquinerie »). PostgreSQL answers that
`LIKE '%maroquin%'` from its pg_trgm GIN index (migration 0001); SQLite has no such
index and scanned 300,000 rows per word. An FTS5 table with the trigram tokenizer
answers the same substring question from an index, for words of three letters or
more; shorter words keep the plain `LIKE`.

The index helps when the words are rare: « maroquin » matches 5,000 of 300,000
offerings, read from the index in 3 ms where the scan took 100 to 400. A frequent
word (« cuisine », 30,000) is better served by the plain `LIKE`: the page, in title
order, stops after 20 matches and the count after 1,001, while reading 30,000 row
ids from the index costs 50 to 90 ms. So a query first asks the index for at most
`MAX_INDEXED_MATCHES` ids (2 to 4 ms for 6,000; 10 to 17 ms for 10,000) and uses
them only if there are no more.

The index is kept in sync by triggers on `trainings_offering`, so every write path
(save, bulk_create, update, bulk_update, delete, raw SQL of the importers) updates
it. A migration that rebuilds the offering table on SQLite drops its triggers: the
`post_migrate` handler puts them back and rebuilds the index when they were missing.
"""

import json

from django.db import connections
from django.db.models.expressions import RawSQL

TABLE = "trainings_offering_fts"
MIN_TERM_LENGTH = 3  # The trigram tokenizer indexes three-letter sequences.
MAX_INDEXED_MATCHES = 6_000

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "search_text, content='trainings_offering', content_rowid='id', "
    "tokenize='trigram')"
)
TRIGGERS = {
    f"{TABLE}_insert": (
        "AFTER INSERT ON trainings_offering BEGIN "
        f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
    f"{TABLE}_delete": (
        "AFTER DELETE ON trainings_offering BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "END"
    ),
    f"{TABLE}_update": (
        "AFTER UPDATE OF search_text ON trainings_offering BEGIN "
        f"INSERT INTO {TABLE}({TABLE}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {TABLE}(rowid, search_text) VALUES (new.id, new.search_text); "
        "END"
    ),
}


def is_indexed(connection) -> bool:
    return connection.vendor == "sqlite"


def ensure_index(connection) -> bool:
    """Create the table and its triggers if missing; rebuild if anything was missing.

    Returns whether the index had to be rebuilt.
    """
    if not is_indexed(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') "
            "AND name LIKE %s",
            [f"{TABLE}%"],
        )
        present = {row[0] for row in cursor.fetchall()}
        if {TABLE, *TRIGGERS} <= present:
            return False
        cursor.execute(CREATE_TABLE)
        for name, body in TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')")
    return True


def drop_index(connection) -> None:
    if not is_indexed(connection):
        return
    with connection.cursor() as cursor:
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")


def filter_by_words(queryset, words: list[str]):
    """Offerings whose folded text contains every word, from the index where there is one.

    `words` are folded (ASCII letters and digits only), as `campus.search` makes them.
    """
    connection = connections[queryset.db]
    indexed = [word for word in words if len(word) >= MIN_TERM_LENGTH]
    if indexed and is_indexed(connection):
        # Each word as a phrase: with trigrams, a phrase matches as a substring.
        match = " AND ".join(f'"{word}"' for word in indexed)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s LIMIT %s",
                [match, MAX_INDEXED_MATCHES + 1],
            )
            ids = [row[0] for row in cursor.fetchall()]
        if len(ids) <= MAX_INDEXED_MATCHES:
            queryset = queryset.filter(
                pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
            )
            words = [word for word in words if len(word) < MIN_TERM_LENGTH]
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset
