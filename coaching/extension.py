"""What coaching adds to the athlete's training, through ``sessions.extension``.

``sessions`` works alone and never imports coaching; ``CoachingConfig.ready`` registers
``CoachingExtension`` so that the check-in offers the routines on today's calendar (the
engine doses their fixed items under every cap, spec §5.7), and every session page carries its
comment thread — counted in the page's cache version and in the history's unread badges.
"""

from coaching import prescription
from coaching.comments import draft_key, thread_context
from coaching.models import Assignment, Comment, CommentRead
from sessions.extension import SessionsExtension


class CoachingExtension(SessionsExtension):
    thread_template = "coaching/includes/comment_thread.html"

    def todays_routines(self, athlete, day):
        return Assignment.objects.open_on(athlete, day)

    def reason_text(self, code):
        return prescription.describe(code)

    def thread_context(self, request, workout):
        return thread_context(request, workout)

    def has_draft(self, request, workout_pk):
        return draft_key(workout_pk) in request.session

    def unread_counts(self, workout_pks, reader):
        return Comment.objects.filter(workout__in=workout_pks).unread_counts(reader)

    def page_version_sql(self, quote, user):
        # Comments themselves bump the athlete's data version; the reader's last read
        # moves the "new" markers.
        reads = quote(CommentRead._meta.db_table)
        columns = [
            f"(SELECT r.last_read FROM {reads} r"  # noqa: S608
            f" WHERE r.workout_id = w.id AND r.user_id = %s)",
        ]
        return columns, [user.pk]
