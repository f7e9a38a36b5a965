# The first-run steps (onboarding app). Accounts that existed before them count as set up,
# so their logins and pages stay as they were; only new accounts start with it empty.

from django.db import migrations, models
from django.db.models import F


def existing_accounts_are_set_up(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(onboarded_at__isnull=True).update(onboarded_at=F("date_joined"))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_team_link"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="onboarded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="set-up finished on"),
        ),
        migrations.RunPython(existing_accounts_are_set_up, migrations.RunPython.noop),
    ]
