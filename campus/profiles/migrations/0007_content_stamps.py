import secrets

from django.db import migrations, models


def first_stamp(apps, schema_editor):
    apps.get_model("profiles", "ContentStamp").objects.create(
        name="*", stamp=secrets.randbits(62)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("profiles", "0006_content_version"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentVersion"),
        migrations.CreateModel(
            name="ContentStamp",
            fields=[
                (
                    "name",
                    models.CharField(
                        max_length=100,
                        primary_key=True,
                        serialize=False,
                        verbose_name="table",
                    ),
                ),
                ("stamp", models.BigIntegerField(verbose_name="empreinte")),
            ],
            options={
                "verbose_name": "empreinte du contenu",
                "verbose_name_plural": "empreintes du contenu",
            },
        ),
        migrations.RunPython(first_stamp, migrations.RunPython.noop),
    ]
