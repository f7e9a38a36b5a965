"""The library in Spanish (issue 17): the data is complete, it reaches every page in the
reader's language with English where a text is missing, and it costs no query."""

import csv
import io
import re
import tomllib

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coaching.forms import ExerciseForm
from exercises.management.commands.load_library import DATA_FILE, SPANISH_FILE
from exercises.models import Equipment, Exercise, Ladder, LibraryRevision
from sessions.models import LadderProgress
from sessions.views import PAGE_CACHE
from tests.app_days import train_a_day
from tests.coaching import coach_ladder, make_routine, make_workout
from tests.test_sessions import open_workout

pytestmark = pytest.mark.django_db

TEXTS = {
    "equipment": ("name", "description"),
    "ladders": ("name", "why"),
    "exercises": ("name", "summary", "fallback", "cues", "mistakes", "muscles", "caution"),
}


def shipped_items():
    """(kind, slug, English entry) for every item of library.toml."""
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    for item in data["equipment"]:
        yield "equipment", item["slug"], item
    for ladder in data["ladders"]:
        yield "ladders", ladder["slug"], ladder
        for level in ladder["levels"]:
            yield "exercises", level["slug"], level


# --- The data -----------------------------------------------------------------------------


def test_every_library_text_has_its_spanish():
    spanish = tomllib.loads(SPANISH_FILE.read_text(encoding="utf-8"))
    missing = []
    for kind, slug, english in shipped_items():
        entry = spanish.get(kind, {}).get(slug, {})
        for key in TEXTS[kind]:
            if english.get(key) and not entry.get(key):
                missing.append(f"{kind}.{slug}.{key}")
            elif isinstance(english.get(key), list) and len(entry[key]) != len(english[key]):
                missing.append(f"{kind}.{slug}.{key}: {len(entry[key])} of {len(english[key])}")
    assert missing == []


def test_the_spanish_names_only_shipped_items_and_known_texts():
    spanish = tomllib.loads(SPANISH_FILE.read_text(encoding="utf-8"))
    shipped = {(kind, slug) for kind, slug, _english in shipped_items()}
    stray = [
        f"{kind}.{slug}.{key}"
        for kind, entries in spanish.items()
        for slug, entry in entries.items()
        for key in entry
        if (kind, slug) not in shipped or key not in TEXTS[kind]
    ]
    assert stray == []


def test_the_loaded_library_reads_in_spanish_everywhere(library):
    with translation.override("es"):
        untranslated = [
            f"{obj.slug}.{field}"
            for model in (Equipment, Ladder, Exercise)
            for obj in model.objects.all()
            for field in model.translated_fields()
            if getattr(obj, f"{field}_es") == "" and obj.__dict__[field] != ""
        ]
    assert untranslated == []


# --- Reading in the active language -------------------------------------------------------


def test_it_reads_spanish_to_a_spanish_reader_and_english_to_others(library):
    exercise = Exercise.objects.select_related("ladder").get(slug="squat-goblet")
    assert exercise.name == "Goblet squat"
    with translation.override("es"):
        assert exercise.name == "Sentadilla goblet"
        assert exercise.cue_list[0].startswith("Sujeta una mancuerna en vertical")
        assert exercise.ladder.name == "Sentadilla"
        assert str(Equipment.objects.get(slug="dumbbells")) == "Mancuernas"
    with translation.override("es-mx"):
        assert exercise.name == "Sentadilla goblet"
    with translation.override("fr"):
        assert exercise.name == "Goblet squat"


def test_it_falls_back_to_english_where_the_spanish_is_missing(library):
    Exercise.objects.filter(slug="squat-goblet").update(name_es="", cues_es="")
    exercise = Exercise.objects.get(slug="squat-goblet")
    with translation.override("es"):
        assert exercise.name == "Goblet squat"
        assert (
            exercise.cue_list[0]
            == "Hold one dumbbell upright by its top end, close against your chest."
        )
        assert exercise.summary == "Sentadilla con una mancuerna en vertical, pegada al pecho."


def test_a_coachs_own_exercise_reads_as_the_coach_wrote_it(library, carol):
    ladder = coach_ladder(carol, name="Curl nórdico")
    with translation.override("es"):
        assert [e.name for e in ladder.exercises.all()] == ["Curl nórdico 1", "Curl nórdico 2"]
    with translation.override("en"):
        assert ladder.exercises.get(level=1).name == "Curl nórdico 1"


def test_saving_in_spanish_keeps_the_english_as_written(library):
    exercise = Exercise.objects.get(slug="squat-goblet")
    with translation.override("es"):
        exercise.full_clean()
        exercise.save()
        exercise.refresh_from_db()
        assert exercise.name == "Sentadilla goblet"
    stored = Exercise.objects.filter(pk=exercise.pk).values("name", "name_es").get()
    assert stored == {"name": "Goblet squat", "name_es": "Sentadilla goblet"}


def test_a_form_in_spanish_edits_the_english_text(library, carol):
    exercise = coach_ladder(carol).exercises.get(level=1)
    Exercise.objects.filter(pk=exercise.pk).update(name_es="Nombre en español")
    exercise.refresh_from_db()
    with translation.override("es"):
        form = ExerciseForm(instance=exercise)
        assert form["name"].value() == "Nordic curl 1"
        data = {"name": "Nordic curl, slow", "cues": "Kneel.\nLower slowly.", "summary": ""}
        form = ExerciseForm(data, instance=exercise)
        assert form.is_valid(), form.errors
        form.save()
    stored = Exercise.objects.filter(pk=exercise.pk).values("name", "name_es").get()
    assert stored == {"name": "Nordic curl, slow", "name_es": "Nombre en español"}


def test_only_brings_the_translation_in_the_same_query(library, django_assert_num_queries):
    with translation.override("es"), django_assert_num_queries(1):
        exercises = list(
            Exercise.objects.filter(ladder__slug="squat")
            .select_related("ladder")
            .only("name", "ladder__name")
        )
        assert exercises[0].name == "Levantarse de la silla (sentadilla a silla)"
        assert exercises[0].ladder.name == "Sentadilla"


# --- The loader ---------------------------------------------------------------------------


def test_it_loads_the_spanish_idempotently(library):
    revision = LibraryRevision.current()
    with translation.override("es"):  # the language the command runs in changes nothing
        call_command("load_library", verbosity=0)
    assert LibraryRevision.current() == revision


def test_it_puts_back_an_edited_spanish_text(library):
    Exercise.objects.filter(slug="squat-goblet").update(name_es="Otra cosa", cues_es="")
    call_command("load_library", verbosity=0)
    stored = Exercise.objects.filter(slug="squat-goblet").values("name", "name_es").get()
    assert stored == {"name": "Goblet squat", "name_es": "Sentadilla goblet"}
    assert Exercise.objects.get(slug="squat-goblet").cues_es.startswith("Sujeta una mancuerna")


def test_a_text_left_out_of_the_spanish_file_is_stored_empty_and_read_in_english(library, tmp_path):
    spanish = SPANISH_FILE.read_text(encoding="utf-8")
    line = 'name = "Sentadilla goblet"\n'
    assert spanish.count(line) == 1
    partial = tmp_path / "library.es.toml"
    partial.write_text(spanish.replace(line, ""), encoding="utf-8")
    call_command("load_library", spanish=partial, verbosity=0)
    exercise = Exercise.objects.get(slug="squat-goblet")
    assert exercise.name_es == ""
    with translation.override("es"):
        assert exercise.name == "Goblet squat"
        assert exercise.summary.startswith("Sentadilla con una mancuerna")


# --- Pages --------------------------------------------------------------------------------


def get(client, url, language):
    # The reader's browser asks for the language (nobody here has chosen one on a profile).
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}"' in response.content.decode()
    return response.content.decode()


@pytest.mark.parametrize("logged_in", [False, True])
def test_the_list_page_reads_in_the_readers_language(client, library, alice, logged_in):
    if logged_in:
        client.force_login(alice)
    url = reverse("exercises:list")
    english = get(client, url, "en")
    spanish = get(client, url, "es")
    assert "Goblet squat" in english and "Sentadilla goblet" not in english
    assert "Sentadilla goblet" in spanish and "Goblet squat" not in spanish
    assert "Mochila con libros" in spanish  # the equipment filter
    assert "Goblet squat" in get(client, url, "en")  # the Spanish page was kept apart


def test_the_detail_page_reads_in_the_readers_language(client, library):
    url = reverse("exercises:detail", args=["calf-raise-double-leg-step"])
    english = get(client, url, "en")
    assert "Lower your heels below the step" in english
    spanish = get(client, url, "es")
    for text in (
        "Elevación de talones a dos piernas en escalón",  # name
        "Baja los talones por debajo del escalón",  # a cue
        "Tirar de la barandilla para subir.",  # a mistake
        "sóleo",  # muscles
        "te molesta en el Aquiles",  # caution
        "Sin escalón: hazla en suelo plano",  # without the equipment
        "tus gemelos y tu tendón de Aquiles",  # why it matters
        "Escalón o primer peldaño",  # equipment
        "Elevación de talón lenta a una pierna",  # the other levels of the ladder
    ):
        assert text in spanish, text
    assert "Lower your heels below the step" not in spanish
    assert "Lower your heels below the step" in get(client, url, "en")


def test_the_cached_page_does_not_leak_into_the_other_language(client, library):
    url = reverse("exercises:detail", args=["squat-goblet"])
    get(client, url, "en")
    with CaptureQueriesContext(connection) as queries:
        cached_english = get(client, url, "en")
    assert len(queries.captured_queries) == 1  # served from the cache: the revision only
    assert "Sentadilla goblet" in get(client, url, "es")
    assert "Sentadilla goblet" not in cached_english
    assert "Sentadilla goblet" not in get(client, url, "en")  # with the Spanish page kept too


def test_the_plan_and_the_logger_read_in_the_readers_language(client, alice, library):
    client.force_login(alice)
    workout = open_workout(client)
    items = list(workout.items.select_related("exercise").filter(action="do"))
    assert items
    spanish = get(client, workout.get_absolute_url(), "es")
    english = get(client, workout.get_absolute_url(), "en")
    for item in items:
        name, name_es = item.exercise.__dict__["name"], item.exercise.name_es
        assert name_es in spanish and name in english and name_es not in english
    logger = reverse("workout_sessions:log", args=[workout.pk])
    first = items[0].exercise
    assert first.name_es in get(client, logger, "es")
    assert first.name_es not in get(client, logger, "en")


def test_the_history_names_ladders_and_levels_in_the_readers_language(client, alice, library):
    client.force_login(alice)
    workout, _logged = train_a_day(client)
    progress = LadderProgress.objects.filter(athlete=alice).select_related("ladder")
    assert progress
    spanish = get(client, reverse("workout_sessions:list"), "es")
    english = get(client, reverse("workout_sessions:list"), "en")
    for row in progress:
        level = row.ladder.exercises.get(level=row.level)
        assert f"{row.ladder.name_es}</strong>" in spanish and level.name_es in spanish
        assert f"{row.ladder.__dict__['name']}</strong>" in english
        assert level.name_es not in english


def test_the_coach_reads_an_athletes_session_in_the_coachs_language(client, alice, carol, library):
    workout = make_workout(alice, sets=2)
    client.force_login(carol)
    url = reverse("coaching:athlete_workout", args=[alice.pk, workout.pk])
    exercise = workout.items.get().exercise
    assert exercise.name_es in get(client, url, "es")
    assert exercise.name_es not in get(client, url, "en")


def test_the_sets_export_names_exercises_in_the_readers_language(client, alice, library):
    workout = make_workout(alice, sets=1)
    exercise = workout.items.get().exercise
    client.force_login(alice)

    def names(language):
        # Read after the view returned, like a browser reading the stream.
        response = client.get(reverse("accounts:sets_export"), HTTP_ACCEPT_LANGUAGE=language)
        body = response.getvalue().decode()
        rows = list(csv.reader(io.StringIO(body)))
        return [row[rows[0].index("exercise_name")] for row in rows[1:]]

    assert names("es") == [exercise.name_es]
    assert names("en") == [exercise.__dict__["name"]]


def test_a_spanish_search_finds_spanish_words_and_is_kept_apart(client, library):
    url = reverse("exercises:list") + "?q=mancuerna"
    spanish = get(client, url, "es")
    assert "Sentadilla goblet" in spanish and "Dominada escapular" not in spanish
    english = get(client, url, "en")
    assert "Goblet squat" not in english  # no English text says "mancuerna"


def test_the_routine_editor_names_ladders_in_the_coachs_language(client, carol, library):
    routine = make_routine(carol, slugs=("calf-raise", "hip-thrust"))
    client.force_login(carol)
    url = reverse("coaching:routine_detail", args=[routine.pk])
    spanish = get(client, url, "es")
    assert "Elevación de talones" in spanish and "Puente de glúteos (hip thrust)" in spanish
    assert "Elevación de talones" not in get(client, url, "en")
    assert re.search(r"<option [^>]*>Sentadilla \(5 ", spanish)  # the ladders to add


def test_staff_editing_in_spanish_see_and_keep_both_texts(client, library, staff):
    exercise = Exercise.objects.get(slug="squat-goblet")
    url = reverse("admin:exercises_exercise_change", args=[exercise.pk])
    client.force_login(staff)
    with translation.override("es"):
        response = client.get(url)
        assert response.status_code == 200
        form = response.context["adminform"].form
        assert form["name"].value() == "Goblet squat"
        assert form["name_es"].value() == "Sentadilla goblet"
        data = {
            key: value
            for key, value in form.initial.items()
            if value is not None and key not in ("video_file", "equipment")
        }
        data.update(name_es="Sentadilla copa", ladder=exercise.ladder_id)
        data["equipment"] = [e.pk for e in exercise.equipment.all()]
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Exercise.objects.filter(pk=exercise.pk).values("name", "name_es", "cues").get()
    assert stored["name"] == "Goblet squat" and stored["name_es"] == "Sentadilla copa"
    assert stored["cues"].startswith("Hold one dumbbell upright")


# --- Queries ------------------------------------------------------------------------------


def count_queries(client, url, language, clear=()):
    for alias in clear:
        caches[alias].clear()
    with translation.override(language), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_spanish_pages_run_the_same_queries_as_english(client, alice, library):
    client.force_login(alice)  # logged in: the library pages are not cached
    workout = open_workout(client)
    pages = [
        (reverse("exercises:list"), ()),
        (reverse("exercises:detail", args=["squat-goblet"]), ()),
        (workout.get_absolute_url(), (PAGE_CACHE,)),
        (reverse("workout_sessions:log", args=[workout.pk]), ()),
    ]
    for url, clear in pages:
        count_queries(client, url, "en", clear)  # warm what is cached per user
        english = count_queries(client, url, "en", clear)
        assert count_queries(client, url, "es", clear) == english, url
