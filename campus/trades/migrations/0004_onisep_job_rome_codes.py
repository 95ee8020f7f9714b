from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("trades", "0003_onisep_jobs"),
    ]

    operations = [
        # ONISEP gives some trades several ROME codes: a single code becomes a list.
        migrations.RenameField(
            model_name="onisepjob",
            old_name="rome_code",
            new_name="rome_codes",
        ),
        migrations.AlterField(
            model_name="onisepjob",
            name="rome_codes",
            field=models.CharField(
                help_text="Séparés par des virgules.",
                max_length=100,
                verbose_name="codes ROME",
            ),
        ),
    ]
