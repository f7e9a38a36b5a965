"""Every number and text people can edit stays within what a person does or writes (issue 11).

Out of range or with invisible characters, a form says what is wrong, stores nothing and
shows again what was typed; the coaching tables hold the same limits when the form is
bypassed.
"""

import importlib
import inspect
import uuid
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape

from coaching.forms import ExerciseForm, LadderForm
from coaching.models import Comment, Routine, RoutineItem
from core.forms import PlainTextMixin
from core.validators import validate_multi_line, validate_single_line
from exercises.models import Ladder
from runs.models import Race, Run
from tests.coaching import coach_ladder, make_routine, make_workout

LADDER = {
    "name": "Wall sit",
    "area": "legs",
    "regions": ["knee"],
    "rep_min": "6",
    "rep_max": "12",
    "rep_unit": "reps",
    "minutes_per_set": "2",
    "keep_priority": "3",
    "why": "Quads that hold up on long descents.",
}
EXERCISE = {
    "name": "Wall sit, thighs level",
    "summary": "",
    "cues": "Back to the wall.",
    "mistakes": "",
    "muscles": "",
    "caution": "",
    "fallback": "",
    "video_url": "",
}
ROUTINE_ITEM = {
    "mode": "fatigue",
    "start_level": "",
    "fixed_sets": "",
    "fixed_reps": "",
    "rest_seconds": "90",
    "note": "",
}
BIG = "9223372036854775807"  # 2**63 - 1: what the ladder form stored before
TOO_BIG = "That is more than one set: up to 100 reps, or 180 seconds for a hold."


def errors(response, field):
    return response.context["form"].errors.get(field, [])


def shows_error(response, field, message):
    """The field's error says it, and the page shows it to the person."""
    return (
        any(message in error for error in errors(response, field))
        and escape(message) in response.content.decode()
    )


# --- The validator ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Calf\traise", "Remove the tab after “Calf”."),
        ("Calf\nraise", "Remove the line break after “Calf”."),
        ("Calf raise\x07", "Remove the invisible character U+0007 after “Calf raise”."),
        ("\x1b[31mRed", "Remove the invisible character U+001B at the start."),
        ("Al\u200bice", "Remove the invisible space after “Al”."),
        ("\u202eesiar flaC", "Remove the invisible text-direction mark at the start."),
        (
            "Single-leg calf raise off a\u0085step",
            "Remove the invisible character U+0085 after “…leg calf raise off a”.",
        ),
    ],
)
def test_it_says_which_invisible_character_to_remove_from_a_name(text, message):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(text)
    assert refused.value.messages == [message]


@pytest.mark.parametrize("text", ["Knee\x0bover toe", "Slowly\x1b[0m", "Hold \u202estill"])
def test_it_refuses_control_characters_in_long_text(text):
    with pytest.raises(ValidationError):
        validate_multi_line(text)


@pytest.mark.parametrize(
    "text",
    [
        "Hüftstrecker — Gesäß",
        "پل\u200cباسن",
        "👨\u200d👩\u200d👧 family plank",
        "Ça va, 10 × 8",
        "حركة\u200fالساق",
    ],
)
def test_it_accepts_every_script_and_emoji_in_a_name(text):
    validate_single_line(text)
    validate_multi_line(text)


def test_it_accepts_line_breaks_and_tabs_in_long_text():
    validate_multi_line("Kneel.\r\nLower slowly.\n\tThen push back up.\u200b")


# --- A coach's ladders --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rep_max": BIG}, "rep_max", TOO_BIG),
        ({"rep_min": BIG, "rep_max": BIG}, "rep_min", TOO_BIG),
        ({"rep_max": "101"}, "rep_max", TOO_BIG),
        ({"rep_unit": "seconds", "rep_max": "181"}, "rep_max", TOO_BIG),
        ({"rep_min": "0"}, "rep_min", "A set is at least 1 rep (or 1 second for a hold)."),
        ({"keep_priority": "0"}, "keep_priority", "greater than or equal to 1."),
        ({"keep_priority": "100"}, "keep_priority", "less than or equal to 99."),
        ({"keep_priority": BIG}, "keep_priority", "less than or equal to 99."),
        ({"minutes_per_set": "15.5"}, "minutes_per_set", "less than or equal to 15."),
        (
            {"why": "w" * 1001},
            "why",
            "Ensure this value has at most 1000 characters (it has 1001).",
        ),
        ({"name": "n" * 81}, "name", "at most 80 characters"),
        (
            {"name": "Wall\x1b[5m sit"},
            "name",
            "Remove the invisible character U+001B after “Wall”.",
        ),
        (
            {"name": "\u202etis llaW"},
            "name",
            "Remove the invisible text-direction mark at the start.",
        ),
        ({"why": "Quads.\x07"}, "why", "Remove the invisible character U+0007 after “Quads.”."),
    ],
)
def test_it_refuses_a_ladder_beyond_what_a_person_does(client, carol, changes, field, message):
    client.force_login(carol)
    response = client.post(reverse("coaching:ladder_create"), {**LADDER, **changes})
    assert response.status_code == 200
    assert shows_error(response, field, message)
    assert not Ladder.objects.exists()


def test_it_keeps_everything_else_the_coach_typed(client, carol):
    client.force_login(carol)
    why = "Quads that hold up on long descents, and knees that trust them."
    response = client.post(
        reverse("coaching:ladder_create"),
        {**LADDER, "name": "Wall\tsit", "why": why, "rep_max": "14"},
    )
    page = response.content.decode()
    assert why in page
    assert 'name="rep_max" value="14"' in page
    assert 'value="Wall\tsit"' in page


def test_it_accepts_a_hold_of_up_to_three_minutes(client, carol):
    client.force_login(carol)
    client.post(
        reverse("coaching:ladder_create"),
        {
            **LADDER,
            "rep_unit": "seconds",
            "rep_min": "60",
            "rep_max": "180",
            "why": "Line one.\r\nLine two.",
        },
    )
    ladder = Ladder.objects.get()
    assert (ladder.rep_min, ladder.rep_max, ladder.rep_unit) == (60, 180, "seconds")
    assert ladder.why == "Line one.\r\nLine two."


def test_it_shows_the_limits_on_the_ladder_inputs(client, carol):
    client.force_login(carol)
    page = client.get(reverse("coaching:ladder_create")).content.decode()
    assert 'maxlength="1000"' in page
    assert 'max="99"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cues": "c" * 2001}, "cues", "at most 2000 characters (it has 2001)"),
        ({"mistakes": "m" * 2001}, "mistakes", "at most 2000 characters (it has 2001)"),
        ({"muscles": "m" * 1001}, "muscles", "at most 1000 characters (it has 1001)"),
        ({"summary": "s" * 241}, "summary", "at most 240 characters"),
        ({"caution": "c" * 301}, "caution", "at most 300 characters"),
        (
            {"cues": "Back to the wall.\x0bSlide down."},
            "cues",
            "Remove the invisible character U+000B after “Back to the wall.”.",
        ),
        ({"name": "Wall sit\x00"}, "name", "Null characters are not allowed."),
        ({"caution": "Knees\u2028hurt"}, "caution", "Remove the line break after “Knees”."),
        ({"fallback": "\u202dchair"}, "fallback", "Remove the invisible text-direction mark"),
    ],
)
def test_it_refuses_an_exercise_beyond_the_limits(client, carol, changes, field, message):
    ladder = coach_ladder(carol, levels=0)
    client.force_login(carol)
    response = client.post(
        reverse("coaching:exercise_create", args=[ladder.pk]), {**EXERCISE, **changes}
    )
    assert response.status_code == 200
    assert shows_error(response, field, message)
    assert not ladder.exercises.exists()


def test_it_stops_a_ladder_at_twenty_levels(client, carol):
    ladder = coach_ladder(carol, levels=20)
    client.force_login(carol)
    response = client.post(reverse("coaching:exercise_create", args=[ladder.pk]), EXERCISE)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "A ladder has at most 20 levels: change one of them instead."
    ]
    assert ladder.exercises.count() == 20
    level = ladder.exercises.get(level=20)
    response = client.post(
        reverse("coaching:exercise_edit", args=[level.pk]), {**EXERCISE, "name": "Renamed"}
    )
    assert response.status_code == 302
    assert ladder.exercises.get(level=20).name == "Renamed"


def test_it_accepts_the_shipped_library_in_the_coach_forms(library):
    """The limits sit above anything the library needed: a coach never hits them by writing."""
    for ladder in Ladder.objects.prefetch_related("exercises__equipment"):
        data = {field: getattr(ladder, field) for field in LadderForm.Meta.fields}
        form = LadderForm(data, instance=ladder)
        assert form.is_valid(), (ladder.slug, form.errors)
        for exercise in ladder.exercises.all():
            data = {field: getattr(exercise, field) for field in ExerciseForm.Meta.fields}
            data["equipment"] = [item.pk for item in exercise.equipment.all()]
            form = ExerciseForm(data, instance=exercise)
            assert form.is_valid(), (exercise.slug, form.errors)


# --- Routines and comments ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "Legs\tday"}, "name", "Remove the tab after “Legs”."),
        ({"name": "x" * 121}, "name", "at most 120 characters"),
        ({"description": "For Tuesdays.\x1b"}, "description", "U+001B after “For Tuesdays.”"),
        ({"description": "d" * 1001}, "description", "at most 1000 characters"),
    ],
)
def test_it_refuses_a_routine_name_or_description_beyond_the_limits(
    client, alice, changes, field, message
):
    client.force_login(alice)
    response = client.post(
        reverse("coaching:routine_create"), {"name": "Legs day", "description": "", **changes}
    )
    assert response.status_code == 200
    assert shows_error(response, field, message)
    assert not Routine.objects.exists()


def add_item(client, routine, ladder, **changes):
    return client.post(
        reverse("coaching:item_create", args=[routine.pk]),
        {**ROUTINE_ITEM, "ladder": str(ladder.pk), **changes},
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_level": "21"}, "start_level", "less than or equal to 20."),
        ({"start_level": BIG}, "start_level", "less than or equal to 20."),
        ({"mode": "fixed", "fixed_sets": "3", "fixed_reps": "181"}, "fixed_reps", TOO_BIG),
        (
            {"mode": "fixed", "fixed_sets": BIG, "fixed_reps": BIG},
            "fixed_sets",
            "A fixed dose is 1 to 10 sets.",
        ),
        ({"rest_seconds": BIG}, "rest_seconds", "less than or equal to 600."),
        ({"note": "Use the\x07stairs"}, "note", "U+0007 after “Use the”."),
        ({"note": "Use the\nstairs"}, "note", "Remove the line break after “Use the”."),
    ],
)
def test_it_refuses_a_routine_item_beyond_the_limits(client, carol, changes, field, message):
    # A hold ladder, with more levels than any coach can make, to show each limit binds.
    ladder = coach_ladder(carol, levels=25)
    Ladder.objects.filter(pk=ladder.pk).update(rep_unit="seconds", rep_min=30, rep_max=60)
    routine = make_routine(carol, slugs=())
    client.force_login(carol)
    response = add_item(client, routine, ladder, **changes)
    assert response.status_code == 400
    assert shows_error(response, field, message)
    assert not routine.items.exists()


def test_it_takes_a_fixed_hold_in_seconds_and_fixed_reps_up_to_one_hundred(client, carol):
    hold = coach_ladder(carol, name="Plank", levels=1)
    Ladder.objects.filter(pk=hold.pk).update(rep_unit="seconds", rep_min=30, rep_max=60)
    reps = coach_ladder(carol, name="Calf raise", levels=1)
    routine = make_routine(carol, slugs=())
    client.force_login(carol)
    assert (
        add_item(client, routine, hold, mode="fixed", fixed_sets="3", fixed_reps="120").status_code
        == 302
    )
    response = add_item(client, routine, reps, mode="fixed", fixed_sets="3", fixed_reps="120")
    assert response.status_code == 400
    assert errors(response, "fixed_reps") == [TOO_BIG]
    assert list(routine.items.values_list("ladder__name", "fixed_reps")) == [("Plank", 120)]


def test_it_refuses_a_comment_with_control_characters_and_keeps_the_draft(client, alice, library):
    workout = make_workout(alice)
    client.force_login(alice)
    url = reverse("coaching:comment_create", args=[workout.pk])
    body = "Felt strong today.\x1b[2J"
    response = client.post(url, {"client_id": str(uuid.uuid4()), "body": body}, follow=True)
    page = response.content.decode()
    assert "Remove the invisible character U+001B after “Felt strong today.”." in page
    assert "Felt strong today." in page  # the draft is back in the box
    assert not Comment.objects.exists()
    client.post(url, {"client_id": str(uuid.uuid4()), "body": "Felt strong.\r\nLegs fine."})
    assert Comment.objects.get().body == "Felt strong.\r\nLegs fine."


# --- The coaching tables hold the limits without the forms -----------------------------------


# PostgreSQL's varchar refuses an over-long name before the check constraint does.
REFUSED = (IntegrityError, DataError)


def create_item(routine, ladder, **fields):
    with transaction.atomic():
        return RoutineItem.objects.create(routine=routine, position=1, ladder=ladder, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"start_level": 21},
        {"start_level": 0},
        {"mode": "fixed", "fixed_sets": 3, "fixed_reps": 181},
        {"mode": "fixed", "fixed_sets": 11, "fixed_reps": 8},
        {"rest_seconds": 601},
        {"note": "n" * 201},
    ],
)
def test_it_refuses_an_impossible_routine_item_in_the_database(alice, library, fields):
    routine = make_routine(alice, slugs=())
    with pytest.raises(REFUSED):
        create_item(routine, Ladder.objects.get(slug="squat"), **fields)


@pytest.mark.parametrize("fields", [{"name": "x" * 121}, {"description": "d" * 1001}, {"name": ""}])
def test_it_refuses_an_over_long_routine_in_the_database(alice, fields):
    with pytest.raises(REFUSED), transaction.atomic():
        Routine.objects.create(owner=alice, **{"name": "Legs", **fields})


def test_it_refuses_control_characters_when_a_coaching_row_is_checked(alice, library):
    routine = Routine(owner=alice, name="Legs\x07", description="Fine\nhere")
    with pytest.raises(ValidationError) as refused:
        routine.full_clean()
    assert list(refused.value.message_dict) == ["name"]
    routine = make_routine(alice, slugs=("squat",))
    item = routine.items.get()
    item.note = "\u202eStairs"
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert list(refused.value.message_dict) == ["note"]
    comment = Comment(workout=make_workout(alice), author=alice, body="Good\x1b session")
    with pytest.raises(ValidationError) as refused:
        comment.full_clean()
    assert list(refused.value.message_dict) == ["body"]


# --- Profile, runs, races and sessions ------------------------------------------------------


def profile(**changes):
    return {
        "display_name": "Alice",
        "units": "kg",
        "timezone": "UTC",
        "language": "en",
        "dumbbells_kg": "",
        "weekly_km": "40",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": "Alice\x07"}, "display_name", "U+0007 after “Alice”."),
        ({"display_name": "\u202eecilA"}, "display_name", "text-direction mark at the start."),
        ({"display_name": "Al\u200bice"}, "display_name", "Remove the invisible space after “Al”."),
        ({"display_name": "A" * 81}, "display_name", "at most 80 characters"),
        ({"weekly_km": "501"}, "weekly_km", "less than or equal to 500."),
        ({"weekly_km": BIG}, "weekly_km", "less than or equal to 500."),
        ({"dumbbells_kg": "4, 101"}, "dumbbells_kg", "Each weight must be more than 0"),
    ],
)
def test_it_refuses_a_profile_beyond_the_limits(client, alice, changes, field, message):
    client.force_login(alice)
    response = client.post(reverse("accounts:profile"), profile(**changes))
    assert response.status_code == 200
    assert shows_error(response, field, message)
    alice.refresh_from_db()
    assert (alice.display_name, alice.weekly_km, alice.dumbbells_kg) == ("Alice", None, [])


def test_it_refuses_an_invitation_email_with_control_characters(client, carol):
    client.force_login(carol)
    response = client.post(reverse("accounts:invitation_create"), {"email": '"\x07"@example.com'})
    assert response.status_code == 400
    assert carol.invitations_sent.count() == 0


def run(**changes):
    return {
        "status": "done",
        "kind": "easy",
        "start": "2025-03-01T07:30",
        "duration": "45",
        "distance_km": "8",
        "rpe": "4",
        "notes": "",
        **changes,
    }


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"notes": "Windy.\x07"}, "notes", "U+0007 after “Windy.”."),
        ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
        ({"duration": "25:00"}, "duration", "more than 24 hours"),
        ({"distance_km": "301"}, "distance_km", "more than 300 km"),
    ],
)
def test_it_refuses_a_run_beyond_the_limits(client, alice, changes, field, message):
    client.force_login(alice)
    response = client.post(reverse("runs:create"), run(**changes))
    assert response.status_code == 200
    assert shows_error(response, field, message)
    assert not Run.objects.exists()


def test_it_keeps_line_breaks_in_run_notes(client, alice):
    client.force_login(alice)
    client.post(reverse("runs:create"), run(notes="Windy.\r\nFelt good."))
    assert Run.objects.get().notes == "Windy.\r\nFelt good."


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "City\n10K"}, "name", "Remove the line break after “City”."),
        ({"name": "City 10K\x1b"}, "name", "U+001B after “City 10K”."),
        ({"name": "r" * 121}, "name", "at most 120 characters"),
        ({"distance_km": "301"}, "distance_km", "more than 300 km"),
    ],
)
def test_it_refuses_a_race_beyond_the_limits(client, alice, changes, field, message):
    client.force_login(alice)
    data = {"name": "City 10K", "date": "2030-05-01", "distance_km": "10", "priority": "A"}
    response = client.post(reverse("runs:race_create"), {**data, **changes})
    assert response.status_code == 200
    assert shows_error(response, field, message)
    assert not Race.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"notes": "Good.\x07"}, "notes", "U+0007 after “Good.”."),
        ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
        ({"duration_minutes": BIG}, "duration_minutes", "less than or equal to 600."),
    ],
)
def test_it_refuses_session_notes_beyond_the_limits(
    client, alice, library, changes, field, message
):
    workout = make_workout(alice, finished=False)
    client.force_login(alice)
    data = {"session_rpe": "5", "duration_minutes": "30", "notes": "", **changes}
    response = client.post(reverse("workout_sessions:finish", args=[workout.pk]), data)
    assert response.status_code == 200
    assert shows_error(response, field, message)
    workout.refresh_from_db()
    assert workout.finished is None


# --- Every form is covered ------------------------------------------------------------------

# Forms whose text is parsed or checked, never stored or shown to anyone: dates, a load, a
# password, the one-time codes of sign-in. A new form lands here only on purpose.
PARSED_ONLY = {
    "AssignForm",
    "SetForm",
    "AccountDeleteForm",
    "EmailCodeForm",
    "AuthenticateCodeForm",
    "ReauthenticateCodeForm",
    "ActivateAuthenticatorAppForm",
}
# Fields that keep text as text; the others parse it (a time, a distance, a list of weights).
TEXT_FIELDS = (forms.CharField, forms.EmailField, forms.URLField, forms.SlugField)


def project_forms():
    for config in apps.get_app_configs():
        if Path(config.path).parent != settings.BASE_DIR:  # Django's and libraries' apps
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                yield form


def test_it_finds_the_forms_of_every_app():
    names = {form.__name__ for form in project_forms()}
    assert {"LadderForm", "ProfileForm", "RunForm", "FinishForm", "CommentForm"} <= names


@pytest.mark.parametrize("form", list(project_forms()), ids=lambda form: form.__name__)
def test_it_limits_and_checks_every_stored_text_field(form):
    text = {
        name: field
        for name, field in form.base_fields.items()
        if type(field) in TEXT_FIELDS
        and not field.widget.is_hidden
        and not isinstance(field.widget, forms.PasswordInput)
    }
    if not text or form.__name__ in PARSED_ONLY:
        return
    assert issubclass(form, PlainTextMixin)
    limits = getattr(form, "text_limits", {})
    unlimited = [
        name for name, field in text.items() if field.max_length is None and name not in limits
    ]
    assert unlimited == []


@pytest.mark.django_db
def test_it_holds_a_ladder_within_human_limits_in_the_database(library):
    from exercises.models import Ladder

    ladder = Ladder.objects.get(slug="squat")
    for changes in ({"rep_max": 101}, {"rep_unit": "seconds", "rep_max": 181}, {"why": "x" * 1001}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Ladder.objects.filter(pk=ladder.pk).update(**changes)
