from django.db import migrations

# The list as it stood when this migration was written; later changes get their own.
AUDIENCES = [
    ("pupils", "Collégiens et lycéens"),
    ("parents", "Parents"),
    ("teachers", "Enseignants"),
    ("job_seekers", "Demandeurs d'emploi"),
    ("companies", "Entreprises"),
    ("public", "Grand public"),
]


def create_audiences(apps, schema_editor):
    Audience = apps.get_model("agenda", "Audience")
    for position, (code, label) in enumerate(AUDIENCES):
        Audience.objects.update_or_create(
            code=code, defaults={"label": label, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("agenda", "0001_initial")]

    operations = [
        migrations.RunPython(create_audiences, migrations.RunPython.noop),
    ]
