"""Approved bookings of one equipment never overlap, enforced by PostgreSQL.

An exclusion constraint over the booking's time range (`tstzrange(starts_at,
ends_at)`, half-open, so back-to-back slots are allowed) and the equipment, for
approved rows only. It needs the btree_gist extension for the equality on the
equipment id. SQLite has neither: both operations do nothing there, and the
approving service's locked check is the rule (SQLite serialises writers).

The constraint is added to the database only, not to the model's state: declared
in Meta, Django would also try to create and validate it on SQLite.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Q

NAME = "platforms_booking_no_overlap"


def _constraint():
    from campus.platforms.models import TsTzRange

    return ExclusionConstraint(
        name=NAME,
        expressions=[
            (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
            ("equipment", RangeOperators.EQUAL),
        ],
        condition=Q(status="approved"),
    )


class BtreeGistOnPostgreSQL(BtreeGistExtension):
    """Django's operation does nothing forwards on SQLite, but backwards it asks
    SQLite for PostgreSQL's pg_extension table (a migration test goes back past it)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        super().database_backwards(app_label, schema_editor, from_state, to_state)


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_constraint(apps.get_model("platforms", "Booking"), _constraint())


def remove_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_constraint(
        apps.get_model("platforms", "Booking"), _constraint()
    )


class Migration(migrations.Migration):
    dependencies = [("platforms", "0001_platforms")]

    operations = [
        BtreeGistOnPostgreSQL(),
        migrations.RunPython(add_constraint, remove_constraint, elidable=False),
    ]
