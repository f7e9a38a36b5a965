from django.db import migrations, models


def clear_kind_without_a_recent_run(apps, schema_editor):
    """Stored check-ins keep their codes (the answers' new words mean the same hours); only
    "What was it?", stored as "hard" even when no hard run was recent, is cleared there: the
    engine never read it, and the check-in now stores it empty."""
    CheckIn = apps.get_model("workout_sessions", "CheckIn")
    CheckIn.objects.filter(last_hard_run__in=["gt3", "unknown"]).update(run_kind="")


class Migration(migrations.Migration):

    dependencies = [
        ('workout_sessions', '0008_athlete_slice_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='checkin',
            name='last_hard_run',
            field=models.CharField(choices=[('log', 'As my log says'), ('lt24', 'Today'), ('1to2', 'Yesterday'), ('2to3', '2–3 days ago'), ('gt3', 'More than 3 days ago / none'), ('unknown', "Don't know")], default='unknown', max_length=7),
        ),
        migrations.AlterField(
            model_name='checkin',
            name='run_kind',
            field=models.CharField(blank=True, choices=[('log', 'As my log says'), ('hard', 'Hard (tempo, intervals)'), ('big', 'Long or very hard'), ('race', 'A race')], default='hard', max_length=4),
        ),
        migrations.RunPython(clear_kind_without_a_recent_run, migrations.RunPython.noop),
    ]
