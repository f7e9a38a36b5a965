"""The sentences that explain the engine's codes to the athlete, ready for translation.

The engine (``sessions.volume``) returns codes: a reason for each exercise and for the
session, advisories, and an action after each set. These are their words — one plain
sentence each, training guidance and never a diagnosis. ``SET_ACTION_TEXT`` takes the next
set's target with its unit as ``{reps}`` ("12 reps", "30 seconds": ``Ladder.amount``).
"""

from collections.abc import Mapping
from types import MappingProxyType

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

REASON_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "URGENT": _("Stop and get emergency help now: no training today."),
        "ILL": _("You're unwell, so today is a rest day."),
        "PAIN_RED": _("This exercise loads the spot that hurts badly, so leave it out today."),
        "PAIN_SKIP": _("This exercise loads the spot that hurts, so leave it out today."),
        "PAIN_OTHER": _("You have a painful spot, so your other leg work is lighter today."),
        "PAIN_MILD": _(
            "This loads a mildly sore spot, so it's lighter and one level easier; "
            "stop if the pain goes above 3 out of 10."
        ),
        "RACE_SKIP": _("Your race is within two days, so no leg work and only a little else."),
        "RACE_MIN": _("Your race is a few days away, so today is a very light session."),
        "RACE_TAPER": _("You're tapering for your race, so the session is lighter."),
        "FLOOR": _("It's been a week without strength work, so do a short session to keep it."),
        "F1": _("You're very tired, so today is a very light session."),
        "S1": _("Your legs are very sore, so today is a very light leg day."),
        "POST_RACE": _("You raced recently, so your legs get a lighter day."),
        "S2": _("Your legs are sore, so today is a lighter leg day."),
        "ASSUMED_SORE": _("You ran hard recently and didn't rate soreness, so legs go lighter."),
        "RUN_BIG": _("Your last run was a big one, so your legs get less work today."),
        "RUN_HARD": _("You ran hard in the last two days, so no extra leg sets today."),
        "NEXT_KEY": _("You have a key run coming up, so legs are kept fresh for it."),
        "STRENGTH_24": _("You did strength work less than a day ago, so today is very light."),
        "STRENGTH_FREQ": _("You've already done three strength sessions this week, so go lighter."),
        "STRENGTH_48": _("You did strength work in the last two days, so no extra sets today."),
        "REENTRY": _("It's been two weeks or more since your last session, so ease back in."),
        "NEW_USER": _("You're just starting, so the first sessions are kept short."),
        "NEW_USER_EARLY": _("You're still new to this, so no extra sets yet."),
        "WEAK_LINK": _("One of your check-in answers was low, so no extra sets today."),
        "MISSING": _("Some check-in questions were skipped, so no extra sets today."),
        "RUN_UNKNOWN": _("We don't know when you last ran hard, so no extra leg sets today."),
        "BASE_RECOVERY": _("Your check-in says you need rest, so skip strength work today."),
        "BASE_MINIMUM": _("Your check-in is low, so do just one easy set."),
        "BASE_REDUCED": _("Your check-in is a bit low, so today is a lighter session."),
        "BASE_NORMAL": _("You're good to go for a normal session."),
        "BASE_PLUS": _("You feel fresh, so today you can do an extra set."),
        "WEEKLY_CAP": _("You've already done plenty of this exercise this week."),
        "TIME": _("A set was dropped to fit the time you have."),
        "TIME_SKIP": _("This exercise was left out to fit the time you have."),
    }
)

ADVISORY_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "URGENT": _(
            "Stop and get emergency help now: call your local emergency number. Chest pain, "
            "fainting, a racing or irregular heartbeat, unusual breathlessness, or dark urine "
            "with severe muscle pain can be serious. Don't train or run."
        ),
        "ILL": _("Rest while you're unwell, and ease back in once you feel well again."),
        "PAIN_RED": _(
            "This pain has warning signs: get it assessed by a doctor or physio, and "
            "don't run or train through it."
        ),
        "PAIN_SKIP": _(
            "Let the sore spot settle; if it isn't clearly better within 7 days, see a physio."
        ),
        "SPIKE": _(
            "Your last run was much longer than usual; build distance up more gradually "
            "and give your legs time to recover."
        ),
        "PAIN_PERSIST": _(
            "The same spot has bothered you for a week or several sessions in a "
            "row: have a physio or doctor assess it."
        ),
        "LOW_STREAK": _(
            "Your readiness has been low for several days: consider an easier "
            "running week, and if it lasts two weeks or more, see a doctor."
        ),
    }
)

# The session's headline when the reason is about leaving exercises out for pain: the reason's
# own sentence speaks of "this exercise", so the headline names them instead ({exercises}).
HEADLINE_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "PAIN_RED": _(
            "Pain with warning signs: leave out {exercises} today, get it assessed, and "
            "don't train through it."
        ),
        "PAIN_SKIP": _("Leave out {exercises} today because of the spot that hurts."),
    }
)

SET_ACTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "continue": _("Right on target: aim for {reps} on the next set."),
        "reduce_reps": _("That was harder than planned: aim for {reps} on the next set."),
        "regress_level": _("Too hard at this level: go one level easier and aim for {reps}."),
        "stop_fatigue": _("You're more tired than planned: stop this exercise for today."),
        "stop_pain": _("The pain went above your limit: stop this exercise for today."),
        "stop_failure": _(
            "Nothing left at the end of that set: stop this exercise for today, and next "
            "time stop while you could still do a couple more."
        ),
        "advance_level": _("Too easy: go one level harder and aim for {reps}."),
        "add_reps": _("That felt easy: aim for {reps} on the next set."),
        "too_easy": _(
            "Easy at the top of the range: keep to {reps}; you'll likely move up next time."
        ),
    }
)


def aim_text(aim: Mapping | None, counter) -> str:
    """Today's aim for the first set in plain words (spec §7.5), from the plan's ``aims``
    entry of one exercise: ``reps``, ``last`` (last time's first set at this level, or
    None) and ``fixed`` (a coach's dose). Counted in the ``counter``'s unit (a ladder or
    its level: "11 reps", "30 seconds", "10 slow breaths"), so a plank's aim is never a
    bare number. Empty without an aim."""
    if not aim:
        return ""
    reps, last = aim["reps"], aim.get("last")
    amount = counter.amount(reps)
    if aim.get("fixed"):
        return gettext("Aim for %(amount)s today, as your coach set.") % {"amount": amount}
    if last is None:
        return gettext("Aim for %(amount)s today.") % {"amount": amount}
    if reps > last:
        return gettext("Aim for %(amount)s today: %(change)s more than last time.") % {
            "amount": amount,
            "change": counter.amount(reps - last),
        }
    if reps < last:
        return gettext("Aim for %(amount)s today: %(change)s fewer than last time.") % {
            "amount": amount,
            "change": counter.amount(last - reps),
        }
    return gettext("Aim for %(amount)s today, the same as last time.") % {"amount": amount}
