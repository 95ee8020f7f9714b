from django.db import migrations


def create_index(apps, schema_editor):
    # SQLite only: PostgreSQL already has its pg_trgm index (0001_initial).
    from campus.trainings.fulltext import ensure_index

    ensure_index(schema_editor.connection)


def drop_index(apps, schema_editor):
    from campus.trainings.fulltext import drop_index

    drop_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("trainings", "0006_lheo"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
