import secrets

from django.db import migrations, models


def first_stamp(apps, schema_editor):
    apps.get_model("profiles", "ContentVersion").objects.create(
        pk=1, stamp=secrets.randbits(62)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0005_logo_size"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("stamp", models.BigIntegerField(verbose_name="empreinte")),
            ],
            options={
                "verbose_name": "version du contenu",
                "verbose_name_plural": "version du contenu",
            },
        ),
        migrations.RunPython(first_stamp, migrations.RunPython.noop),
    ]
