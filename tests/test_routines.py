"""The routine builder: create, add, reorder, remove, duplicate, delete — and who may."""

from datetime import date

import pytest
from django.urls import reverse

from coaching.models import Assignment, Routine, RoutineItem
from exercises.models import Ladder
from tests.coaching import assign, coach_ladder, make_routine

pytestmark = pytest.mark.django_db

LIST = reverse("coaching:routine_list")


def item_data(slug, **changes):
    data = {
        "ladder": str(Ladder.objects.get(slug=slug).pk),
        "mode": "fatigue",
        "start_level": "",
        "fixed_sets": "",
        "fixed_reps": "",
        "rest_seconds": "90",
        "note": "",
    }
    data.update(changes)
    return data


def add_item(client, routine, slug, **changes):
    return client.post(
        reverse("coaching:item_create", args=[routine.pk]), item_data(slug, **changes)
    )


def order(routine):
    return list(routine.items.order_by("position").values_list("ladder__slug", flat=True))


# --- The built-in template ------------------------------------------------------------------


def test_it_offers_the_seed_routine_as_a_built_in_template(client, alice, library):
    client.force_login(alice)
    response = client.get(LIST)
    assert response.status_code == 200
    seed = Routine.objects.get(template_key="seed")
    assert seed.owner is None and seed in response.context["others"]
    assert order(seed) == ["calf-raise", "squat", "hip-thrust", "step-up", "core"]
    client.get(LIST)
    assert Routine.objects.filter(template_key="seed").count() == 1  # made once


def test_it_lists_the_page_without_a_template_before_the_library_is_loaded(client, alice):
    client.force_login(alice)
    assert client.get(LIST).status_code == 200
    assert not Routine.objects.exists()


# --- Building ---------------------------------------------------------------------------------


def test_it_builds_a_routine_step_by_step(client, carol, library):
    client.force_login(carol)
    response = client.post(
        reverse("coaching:routine_create"),
        {"name": "Hill week", "description": "Before the hills."},
    )
    routine = Routine.objects.get(name="Hill week")
    assert response.url == routine.get_absolute_url() and routine.owner == carol
    assert add_item(client, routine, "calf-raise").status_code == 302
    assert (
        add_item(
            client,
            routine,
            "squat",
            mode="fixed",
            fixed_sets="4",
            fixed_reps="6",
            start_level="3",
            rest_seconds="120",
            note="Slow down",
        ).status_code
        == 302
    )
    add_item(client, routine, "core")
    assert order(routine) == ["calf-raise", "squat", "core"]
    squat = routine.items.get(ladder__slug="squat")
    assert (
        squat.mode,
        squat.fixed_sets,
        squat.fixed_reps,
        squat.start_level,
        squat.rest_seconds,
        squat.note,
    ) == ("fixed", 4, 6, 3, 120, "Slow down")
    page = client.get(routine.get_absolute_url()).content.decode()
    assert "Fixed: 4 × 6 reps" in page and "level 3 of 5" in page and "Slow down" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"mode": "fixed"}, "A fixed dose needs sets and reps."),
        ({"mode": "fixed", "fixed_sets": "11", "fixed_reps": "8"}, "A fixed dose is 1 to 10 sets."),
        ({"mode": "fixed", "fixed_sets": "3", "fixed_reps": "101"}, "up to 100 reps"),
        ({"mode": "fixed", "fixed_sets": "0", "fixed_reps": "8"}, "A fixed dose is 1 to 10 sets."),
        ({"rest_seconds": "601"}, "less than or equal to 600"),
        ({"rest_seconds": "-1"}, "greater than or equal to 0"),
        ({"start_level": "9"}, "has 5 levels"),
        ({"mode": "sometimes"}, "Select a valid choice"),
        ({"ladder": "999999"}, "Select a valid choice"),
        ({"note": "x" * 201}, "at most 200 characters"),
    ],
)
def test_it_refuses_a_bad_item_with_a_clear_message(client, alice, library, changes, message):
    routine = make_routine(alice, slugs=())
    client.force_login(alice)
    response = add_item(client, routine, "squat", **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not routine.items.exists()


def test_it_keeps_a_ladder_once_per_routine(client, alice, library):
    routine = make_routine(alice, slugs=("squat",))
    client.force_login(alice)
    response = add_item(client, routine, "squat")
    assert response.status_code == 400
    assert "Squat is already in this routine." in response.content.decode()
    assert routine.items.count() == 1


def test_it_forgets_sets_and_reps_for_a_fatigue_adjusted_item(client, alice, library):
    routine = make_routine(alice, slugs=())
    client.force_login(alice)
    add_item(client, routine, "squat", fixed_sets="3", fixed_reps="8")
    item = routine.items.get()
    assert item.mode == "fatigue" and item.fixed_sets is None and item.fixed_reps is None


def test_it_moves_items_up_and_down(client, alice, library):
    routine = make_routine(alice, slugs=("calf-raise", "squat", "core"))
    client.force_login(alice)
    core = routine.items.get(ladder__slug="core")
    move = reverse("coaching:item_move", args=[routine.pk, core.pk])
    assert client.post(move, {"direction": "up"}).status_code == 302
    assert order(routine) == ["calf-raise", "core", "squat"]
    client.post(move, {"direction": "up"})
    client.post(move, {"direction": "up"})  # already first: nothing happens
    assert order(routine) == ["core", "calf-raise", "squat"]
    client.post(move, {"direction": "down"})
    assert order(routine) == ["calf-raise", "core", "squat"]
    page = client.get(routine.get_absolute_url())
    assert [i.ladder.slug for i in page.context["items"]] == ["calf-raise", "core", "squat"]


def test_it_removes_an_item_and_keeps_the_order_of_the_rest(client, alice, library):
    routine = make_routine(alice, slugs=("calf-raise", "squat", "core"))
    client.force_login(alice)
    squat = routine.items.get(ladder__slug="squat")
    url = reverse("coaching:item_delete", args=[routine.pk, squat.pk])
    assert client.post(url).status_code == 302
    assert order(routine) == ["calf-raise", "core"]
    add_item(client, routine, "step-up")
    assert order(routine) == ["calf-raise", "core", "step-up"]


def test_it_edits_an_item(client, alice, library):
    routine = make_routine(alice, slugs=("squat",))
    item = routine.items.get()
    client.force_login(alice)
    url = reverse("coaching:item_edit", args=[routine.pk, item.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, item_data("squat", mode="fixed", fixed_sets="3", fixed_reps="12"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.mode, item.fixed_sets, item.fixed_reps) == ("fixed", 3, 12)


def test_it_renames_a_routine(client, alice, library):
    routine = make_routine(alice)
    client.force_login(alice)
    url = reverse("coaching:routine_edit", args=[routine.pk])
    assert client.post(url, {"name": ""}).status_code == 200  # required: shown again
    client.post(url, {"name": "Renamed", "description": ""})
    routine.refresh_from_db()
    assert routine.name == "Renamed"


def test_it_duplicates_a_template_into_my_own_routine(client, alice, library):
    seed = Routine.objects.seed()
    client.force_login(alice)
    response = client.post(reverse("coaching:routine_duplicate", args=[seed.pk]))
    copy = Routine.objects.get(owner=alice)
    assert response.url == copy.get_absolute_url()
    assert copy.name == "Runner's home routine (copy)"
    assert order(copy) == order(seed)
    client.post(reverse("coaching:item_delete", args=[copy.pk, copy.items.first().pk]))
    assert len(order(copy)) == 4
    assert order(seed) == ["calf-raise", "squat", "hip-thrust", "step-up", "core"]


def test_it_lets_no_one_change_a_template(client, alice, library):
    seed = Routine.objects.seed()
    item = seed.items.first()
    client.force_login(alice)
    assert client.get(seed.get_absolute_url()).status_code == 200
    assert add_item(client, seed, "squat").status_code == 404
    assert client.post(reverse("coaching:item_delete", args=[seed.pk, item.pk])).status_code == 404
    assert client.post(reverse("coaching:routine_delete", args=[seed.pk])).status_code == 404


def test_it_deletes_a_routine_after_confirming(client, alice, library):
    routine = make_routine(alice)
    assign(routine, alice, date.today())
    client.force_login(alice)
    url = reverse("coaching:routine_delete", args=[routine.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["assigned"] == 1
    assert client.post(url).status_code == 302
    assert not Routine.objects.filter(pk=routine.pk).exists()
    assert not Assignment.objects.exists()


def test_it_hides_another_persons_routine(client, alice, bob, library):
    routine = make_routine(alice)
    item = routine.items.first()
    client.force_login(bob)
    for url in (
        routine.get_absolute_url(),
        reverse("coaching:routine_edit", args=[routine.pk]),
        reverse("coaching:routine_assign", args=[routine.pk]),
        reverse("coaching:item_edit", args=[routine.pk, item.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for name in ("routine_duplicate", "routine_delete", "item_create"):
        assert client.post(reverse(f"coaching:{name}", args=[routine.pk])).status_code == 404
    assert client.post(reverse("coaching:item_move", args=[routine.pk, item.pk])).status_code == 404


def test_it_shows_a_routine_on_my_calendar_but_does_not_let_me_change_it(
    client, alice, carol, library
):
    routine = make_routine(carol)
    assign(routine, alice, date.today())
    client.force_login(alice)
    page = client.get(routine.get_absolute_url())
    assert page.status_code == 200 and not page.context["editable"]
    assert client.post(reverse("coaching:routine_delete", args=[routine.pk])).status_code == 404


@pytest.mark.parametrize("name", ["routine_duplicate", "item_create"])
def test_it_refuses_get_on_post_only_routine_views(client, alice, library, name):
    routine = make_routine(alice)
    client.force_login(alice)
    assert client.get(reverse(f"coaching:{name}", args=[routine.pk])).status_code == 405


@pytest.mark.parametrize("name", ["item_move", "item_delete"])
def test_it_refuses_get_on_post_only_item_views(client, alice, library, name):
    routine = make_routine(alice)
    item = routine.items.first()
    client.force_login(alice)
    assert client.get(reverse(f"coaching:{name}", args=[routine.pk, item.pk])).status_code == 405


# --- A coach's own ladders in the builder ------------------------------------------------------


def test_it_offers_my_coachs_ladders_to_me_and_not_to_others(client, alice, bob, carol, library):
    ladder = coach_ladder(carol)
    for person, offered in ((carol, True), (alice, True), (bob, False)):
        routine = make_routine(person, slugs=())
        client.force_login(person)
        page = client.get(routine.get_absolute_url())
        assert (ladder in page.context["item_form"].fields["ladder"].queryset) is offered
        response = add_item(client, routine, ladder.slug)
        assert (response.status_code == 302) is offered
        assert RoutineItem.objects.filter(routine=routine, ladder=ladder).exists() is offered


def test_it_does_not_offer_a_ladder_without_levels(client, carol, library):
    empty = coach_ladder(carol, levels=0)
    routine = make_routine(carol, slugs=())
    client.force_login(carol)
    page = client.get(routine.get_absolute_url())
    assert empty not in page.context["item_form"].fields["ladder"].queryset
