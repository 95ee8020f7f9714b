# The open days are agenda events now: agenda 0003 copied the lines first.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('trainings', '0007_offering_fulltext_index'),
        ('agenda', '0003_open_days_from_offerings'),
    ]

    operations = [
        migrations.RemoveField(
            model_name='offering',
            name='open_days',
        ),
    ]
