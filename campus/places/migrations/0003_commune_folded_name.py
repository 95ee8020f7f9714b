from django.db import migrations, models

from campus.search import fold


def fold_names(apps, schema_editor):
    Commune = apps.get_model("places", "Commune")
    batch = []
    for commune in Commune.objects.only("pk", "name").iterator(chunk_size=2000):
        commune.folded_name = fold(commune.name)
        batch.append(commune)
        if len(batch) == 2000:
            Commune.objects.bulk_update(batch, ["folded_name"])
            batch = []
    Commune.objects.bulk_update(batch, ["folded_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0002_commune_source"),
    ]

    operations = [
        migrations.AddField(
            model_name="commune",
            name="folded_name",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=150
            ),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
