"""The first-run steps: what you have at home, your running week, then today's check-in.

Sign-up lands on step 1 (ACCOUNT_SIGNUP_REDIRECT_URL). Each step saves the signed-in
person's own profile and nothing else, can be skipped, and hands on by POST → redirect, so
it all works without JavaScript. Step 3 is the check-in page itself (``/today/?welcome=1``
adds the "last step" note). Leaving step 2 in any way, or "Skip setup", marks the account
set up (``User.onboarded_at``); nobody is sent here again, but the steps stay open from the
profile.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.timezones import GuessedTimeZoneField, adopt_guessed_time_zone
from onboarding.forms import EquipmentStepForm, NextRaceForm, RunningStepForm
from runs.models import Race

STEPS = 3


def check_in_url() -> str:
    """Step 3: the check-in, with the note that says it is the last step."""
    return f"{reverse('today')}?welcome=1"


def mark_set_up(user):
    if user.onboarded_at is None:
        user.onboarded_at = timezone.now()
        user.save(update_fields=["onboarded_at"])


def skip_setup(request):
    """ "Skip setup": done with the steps; a coach goes to switch on coaching instead."""
    mark_set_up(request.user)
    messages.info(
        request,
        _("Set-up skipped. You can fill in your equipment and running any time on your profile."),
    )
    if request.POST.get("skip_all") == "coach":
        return redirect(reverse("accounts:profile") + "#coaching")
    return redirect("today")


def step_context(number, **context):
    return {"step": number, "steps": STEPS, "step_range": range(1, STEPS + 1), **context}


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def equipment_step(request):
    user = request.user
    if request.method == "POST":
        # The browser's zone comes with whichever button was tapped.
        adopt_guessed_time_zone(user, GuessedTimeZoneField().clean(request.POST.get("tz_guess")))
        if "skip_all" in request.POST:
            return skip_setup(request)
        if "skip" in request.POST:
            return redirect("onboarding:running")
        form = EquipmentStepForm(request.POST, instance=user)
        if form.is_valid():
            form.save()
            return redirect("onboarding:running")
        user.refresh_from_db()  # the refused answer is on the form, not on the person
    else:
        form = EquipmentStepForm(instance=user)
    return render(request, "onboarding/equipment.html", step_context(1, form=form))


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def running_step(request):
    user = request.user
    if request.method == "POST" and "skip_all" in request.POST:
        return skip_setup(request)
    if request.method == "POST" and "skip" in request.POST:
        mark_set_up(user)
        return redirect(check_in_url())
    # Back here after saving a race: it is edited, not added again.
    race = Race.objects.filter(athlete=user).upcoming(timezone.localdate()).first()
    race = race or Race(athlete=user)
    form = RunningStepForm(request.POST or None, instance=user)
    race_form = NextRaceForm(request.POST or None, instance=race, prefix="race")
    if request.method == "POST":
        if form.is_valid() and race_form.is_valid():
            with transaction.atomic():
                # One answer at a time per person: a double tap finds the first one's race.
                list(User.objects.select_for_update().filter(pk=user.pk).values("pk"))
                form.save()
                race_form.save_race(user)
                mark_set_up(user)
            return redirect(check_in_url())
        user.refresh_from_db()
    context = step_context(2, form=form, race_form=race_form, race=race if race.pk else None)
    return render(request, "onboarding/running.html", context)
