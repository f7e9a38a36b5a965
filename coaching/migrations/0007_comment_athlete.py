from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_athlete(apps, schema_editor):
    """Each comment's athlete is its session's."""
    Comment = apps.get_model("coaching", "Comment")
    WorkoutSession = apps.get_model("workout_sessions", "WorkoutSession")
    Comment.objects.update(
        athlete_id=Subquery(
            WorkoutSession.objects.filter(pk=OuterRef("workout_id")).values("athlete_id")[:1]
        )
    )


class Migration(migrations.Migration):
    # The column is made required in 0008: on PostgreSQL a table cannot be altered in the
    # transaction that updated its rows (pending foreign-key trigger events).
    dependencies = [
        ("coaching", "0006_routine_spanish"),
        ("workout_sessions", "0009_checkin_answers_in_words"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="athlete",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(fill_athlete, migrations.RunPython.noop),
    ]
