"""Coaching URLs, mounted at the site root: one namespace for the coach area (/coach/),
the routine builder (/routines/), the athlete's calendar (/calendar/) and session comments."""

from django.urls import path

from coaching.views import calendar, coach, comments, groups, ladders, routines

app_name = "coaching"
urlpatterns = [
    # Coach area
    path("coach/", coach.dashboard, name="dashboard"),
    path("coach/athletes/<id:pk>/", coach.athlete_detail, name="athlete_detail"),
    path(
        "coach/athletes/<id:pk>/sessions/<id:workout_pk>/",
        coach.athlete_workout,
        name="athlete_workout",
    ),
    path("coach/groups/", groups.group_list, name="group_list"),
    path("coach/groups/<id:pk>/", groups.group_edit, name="group_edit"),
    path("coach/groups/<id:pk>/delete/", groups.group_delete, name="group_delete"),
    path("coach/ladders/", ladders.ladder_list, name="ladder_list"),
    path("coach/ladders/new/", ladders.ladder_create, name="ladder_create"),
    path("coach/ladders/<id:pk>/", ladders.ladder_edit, name="ladder_edit"),
    path("coach/ladders/<id:pk>/exercises/new/", ladders.exercise_create, name="exercise_create"),
    path("coach/exercises/<id:pk>/", ladders.exercise_edit, name="exercise_edit"),
    # Routine builder
    path("routines/", routines.routine_list, name="routine_list"),
    path("routines/new/", routines.routine_create, name="routine_create"),
    path("routines/<id:pk>/", routines.routine_detail, name="routine_detail"),
    path("routines/<id:pk>/edit/", routines.routine_edit, name="routine_edit"),
    path("routines/<id:pk>/duplicate/", routines.routine_duplicate, name="routine_duplicate"),
    path("routines/<id:pk>/delete/", routines.routine_delete, name="routine_delete"),
    path("routines/<id:pk>/items/", routines.item_create, name="item_create"),
    path("routines/<id:pk>/items/<id:item_pk>/", routines.item_edit, name="item_edit"),
    path("routines/<id:pk>/items/<id:item_pk>/move/", routines.item_move, name="item_move"),
    path("routines/<id:pk>/items/<id:item_pk>/delete/", routines.item_delete, name="item_delete"),
    path("routines/<id:pk>/assign/", routines.routine_assign, name="routine_assign"),
    # Calendar
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/feed/rotate/", calendar.feed_rotate, name="feed_rotate"),
    path("calendar/<str:token>.ics", calendar.feed, name="feed"),
    path(
        "calendar/assignments/<id:pk>/delete/", calendar.assignment_delete, name="assignment_delete"
    ),
    # Comments on a session (the athlete's and their coach's)
    path("sessions/<id:pk>/comments/", comments.comment_create, name="comment_create"),
]
