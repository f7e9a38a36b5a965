"""Today's aim (spec v1.1 §7.5): the engine's rule, its properties, and one-tap progression
through the app's own pages."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from exercises.models import Ladder
from sessions.models import LadderProgress
from sessions.reasons import aim_text
from sessions.volume import MINIMUM, NORMAL, PLUS, RECOVERY, REDUCED, TIERS, SessionLog, rep_aim
from tests.app_days import Clock, check_in, finish, log_prefilled_sets

PROPERTY_SETTINGS = settings(max_examples=300, deadline=None)


def last(reps, rir, target=2, same_level=True):
    return SessionLog(sets=((reps, rir), (reps, rir)), target_rir=target, same_level=same_level)


# --- The spec's examples ------------------------------------------------------------------


def test_a_first_time_aims_a_third_of_the_way_up_the_range():
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL) == 10
    assert rep_aim(rep_min=6, rep_max=12, tier=NORMAL) == 8


def test_one_more_rep_after_a_set_on_target_but_not_on_a_reduced_day():
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL, last=last(10, 2)) == 11
    assert rep_aim(rep_min=8, rep_max=15, tier=REDUCED, last=last(10, 2)) == 10


def test_the_top_of_the_range_stays_the_aim():
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL, last=last(15, 2)) == 15


@pytest.mark.parametrize(
    ("rir", "target", "aim"),
    [(4, 2, 12), (5, 2, 12), (3, 2, 11), (2, 2, 11), (1, 2, 10), (0, 2, 8), (1, 3, 8)],
)
def test_the_aim_follows_how_hard_the_last_first_set_was(rir, target, aim):
    assert rep_aim(rep_min=6, rep_max=15, tier=PLUS, last=last(10, rir, target)) == aim


def test_a_fixed_range_is_its_own_aim():
    assert rep_aim(rep_min=20, rep_max=20, tier=MINIMUM, last=last(5, 5)) == 20


def test_another_level_or_no_sets_starts_again_from_the_default():
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL, last=last(14, 2, same_level=False)) == 10
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL, last=SessionLog((), 2)) == 10


def test_the_aim_is_clamped_to_the_range():
    assert rep_aim(rep_min=8, rep_max=15, tier=NORMAL, last=last(4, 2)) == 8
    assert rep_aim(rep_min=8, rep_max=15, tier=PLUS, last=last(14, 5)) == 15


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"rep_min": 0, "rep_max": 15}, "rep_min"),
        ({"rep_min": 8, "rep_max": 301}, "rep_max"),
        ({"rep_min": 12, "rep_max": 8}, "rep_max"),
        ({"rep_min": 8, "rep_max": 15, "tier": "EASY"}, "tier"),
        ({"rep_min": 8, "rep_max": 15, "last": (10, 2)}, "last"),
        ({"rep_min": True, "rep_max": 15}, "rep_min"),
    ],
)
def test_it_refuses_impossible_values_naming_the_field(arguments, field):
    with pytest.raises(ValueError, match=field):
        rep_aim(**{"tier": NORMAL, **arguments})


REPS = Ladder(rep_unit=Ladder.RepUnit.REPS)
HOLD = Ladder(rep_unit=Ladder.RepUnit.SECONDS)


@pytest.mark.parametrize(
    ("aim", "ladder", "words"),
    [
        ({"reps": 10, "last": None, "fixed": False}, REPS, "Aim for 10 reps today."),
        (
            {"reps": 11, "last": 10, "fixed": False},
            REPS,
            "Aim for 11 reps today: 1 rep more than last time.",
        ),
        (
            {"reps": 12, "last": 10, "fixed": False},
            REPS,
            "Aim for 12 reps today: 2 reps more than last time.",
        ),
        (
            {"reps": 10, "last": 10, "fixed": False},
            REPS,
            "Aim for 10 reps today, the same as last time.",
        ),
        (
            {"reps": 8, "last": 10, "fixed": False},
            REPS,
            "Aim for 8 reps today: 2 reps fewer than last time.",
        ),
        (
            {"reps": 20, "last": 20, "fixed": True},
            REPS,
            "Aim for 20 reps today, as your coach set.",
        ),
        (
            {"reps": 32, "last": 30, "fixed": False},
            HOLD,
            "Aim for 32 seconds today: 2 seconds more than last time.",
        ),
        (None, REPS, ""),
    ],
)
def test_the_aim_is_said_in_plain_words_in_the_ladders_unit(aim, ladder, words):
    assert aim_text(aim, ladder) == words


# --- Properties ---------------------------------------------------------------------------


@st.composite
def aims(draw):
    rep_min = draw(st.integers(1, 300))
    rep_max = draw(st.integers(rep_min, 300))
    target = draw(st.integers(0, 5))
    sets = draw(st.lists(st.tuples(st.integers(0, 320), st.integers(0, 5)), max_size=4))
    previous = draw(
        st.one_of(
            st.none(),
            st.builds(
                SessionLog,
                sets=st.just(tuple(sets)),
                target_rir=st.just(target),
                same_level=st.booleans(),
            ),
        )
    )
    return rep_min, rep_max, previous


@PROPERTY_SETTINGS
@given(aims(), st.sampled_from(TIERS))
def test_the_aim_never_leaves_the_range(case, tier):
    rep_min, rep_max, previous = case
    assert rep_min <= rep_aim(rep_min=rep_min, rep_max=rep_max, tier=tier, last=previous) <= rep_max


@PROPERTY_SETTINGS
@given(aims(), st.sampled_from((REDUCED, MINIMUM, RECOVERY)))
def test_on_a_lighter_day_the_aim_never_rises(case, tier):
    rep_min, rep_max, previous = case
    aim = rep_aim(rep_min=rep_min, rep_max=rep_max, tier=tier, last=previous)
    if previous is not None and previous.same_level and previous.sets:
        reps = previous.sets[0][0]
        assert aim <= max(reps, rep_min)


@PROPERTY_SETTINGS
@given(aims(), st.sampled_from((REDUCED, MINIMUM, RECOVERY)))
def test_a_lighter_day_never_aims_higher_than_a_good_one(case, tier):
    rep_min, rep_max, previous = case
    lighter = rep_aim(rep_min=rep_min, rep_max=rep_max, tier=tier, last=previous)
    assert lighter <= rep_aim(rep_min=rep_min, rep_max=rep_max, tier=NORMAL, last=previous)


# --- One tap a set, through the app -------------------------------------------------------


@pytest.mark.django_db
def test_one_tap_sets_on_fresh_days_walk_up_the_range_and_the_ladder(client, alice, library):
    client.force_login(alice)
    first_sets = []
    levels = []
    with Clock() as clock:
        for _ in range(9):
            workout = check_in(client)
            if len(first_sets) == 2:
                # Third day: the plan says today's aim in words before anything is logged.
                plan = client.get(reverse("workout_sessions:detail", args=[workout.pk]))
                assert "Aim for 11 reps today: 1 rep more than last time." in plan.content.decode()
                logger = client.get(reverse("workout_sessions:log", args=[workout.pk]))
                assert logger.context["item"].ladder.slug == "calf-raise"
                assert (
                    "Aim for 11 reps today: 1 rep more than last time." in logger.content.decode()
                )
            logged = log_prefilled_sets(client, workout)
            finish(client, workout)
            first_sets.append(logged["calf-raise"][0])
            levels.append(
                LadderProgress.objects.get(athlete=alice, ladder__slug="calf-raise").level
            )
            clock.advance(days=3)
    # Two short new-user days hold the aim at 10, then one rep more a session up to the top
    # of the range (8–15); two sessions at the top move the athlete up a level (start: 2).
    reps = [r for r, _rir in first_sets]
    assert reps == [10, 10, 11, 12, 13, 14, 15, 15, 10]
    assert levels == [2, 2, 2, 2, 2, 2, 2, 3, 3]
    squat = LadderProgress.objects.get(athlete=alice, ladder__slug="squat")
    assert squat.level == 3  # 6–12 from 8: the top sooner
