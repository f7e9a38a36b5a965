"""Profile, data export and deletion, and coach–athlete invitations.

Sign-up, login, email verification and passwords are django-allauth's (see settings).
"""

import logging
from smtplib import SMTPException

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import export_jobs
from accounts.decorators import coach_required
from accounts.export import export_chunks, table_lines
from accounts.forms import (
    AccountDeleteForm,
    InvitationForm,
    InvitationListForm,
    ProfileForm,
    TeamLinkForm,
)
from accounts.models import CoachLink, DataExport, Invitation, TeamLink, User
from core import byteranges
from core.languages import in_language, supported_language

log = logging.getLogger(__name__)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request):
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        with translation.override(user.language):  # the message in the language just chosen
            messages.success(request, _("Your profile is saved."))
        return remember_language(redirect("accounts:profile"), user.language)
    context = {
        "form": form,
        "coach_links": CoachLink.objects.active().filter(athlete=user).select_related("coach"),
        "athlete_count": user.coached_athletes().count(),
        "has_second_step": user.is_coach and user.has_second_step(),
        "large_export": export_jobs.is_large(user),
    }
    return render(request, "accounts/profile_form.html", context)


def remember_language(response, language):
    """The language cookie, so the choice also holds once logged out (Django reads it)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@require_POST
@csrf_exempt  # checked below for a logged-in person
def language_switch(request):
    """The footer's switch: saves the language on the profile (if logged in) and in the
    cookie, and goes back to the page it was on. An unknown code is English; a ``next``
    that leaves the site is the home page.

    A visitor's switch only sets their own cookie, so its form carries no CSRF token and
    fits in the anonymous pages kept whole in the "library" cache, which must hold no
    token (README, "Caching"). A logged-in person's switch changes their profile: Django's
    CSRF check applies, and their pages are never kept whole.
    """
    user = request.user
    if user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
    language = supported_language(request.POST.get("language")) or settings.LANGUAGE_CODE
    if user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return remember_language(HttpResponseRedirect(page_to_return_to(request)), language)


def page_to_return_to(request) -> str:
    """``next`` when it is a path on this site; a control character (a header injection),
    another host or scheme, a relative path or nothing at all is the home page."""
    target = request.POST.get("next", "")
    if not target.startswith("/") or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return reverse("home")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("home")
    return target


def attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@require_GET
@login_required
def data_export(request):
    # Streamed: a large account's history is read through cursors, never whole in memory.
    # A large one is prepared in the background instead (no web request takes seconds).
    if export_jobs.is_large(request.user):
        return redirect("accounts:export")
    response = StreamingHttpResponse(
        in_language(export_chunks(request.user)), content_type="application/json"
    )
    return attachment(response, f"homestrength-data-{timezone.localdate():%Y-%m-%d}.json")


@never_cache
@require_GET
@login_required
def sets_export(request):
    if export_jobs.is_large(request.user):
        return redirect("accounts:export")
    rows = table_lines(request.user, "sets")  # sessions.export
    response = StreamingHttpResponse(in_language(rows), content_type="text/csv; charset=utf-8")
    return attachment(response, f"homestrength-sets-{timezone.localdate():%Y-%m-%d}.csv")


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def export_page(request):
    """The export prepared in the background: its state, and "Prepare my export" (POST).

    A POST while one is waiting or being written shows that one (``request_export``).
    """
    if request.method == "POST":
        export_jobs.request_export(request.user, translation.get_language())
        return redirect("accounts:export")
    export = export_jobs.latest_export(request.user)
    context = {
        "export": export,
        "large": export_jobs.is_large(request.user),
        "expires_days": DataExport.EXPIRES_DAYS,
    }
    return render(request, "accounts/export.html", context)


@never_cache
@require_GET
@login_required
def export_download(request, pk):
    """A ready export's zip, to its owner only (anyone else: 404), read from the database
    part by part, whole or one byte range."""
    export = get_object_or_404(
        DataExport,
        pk=pk,
        user=request.user,
        status=DataExport.Status.READY,
        expires_at__gt=timezone.now(),
    )
    response = byteranges.file_response(
        request, export_jobs.ExportFile(export), content_type="application/zip"
    )
    return attachment(response, export.filename())


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def account_delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.user.delete_account()
        logout(request)
        messages.success(request, _("Your account and everything in it are deleted."))
        return redirect("home")
    return render(request, "accounts/account_delete.html", {"form": form})


# --- Coach–athlete links ------------------------------------------------------------------


LIST_RESULTS = "invitation_list_results"  # per-address answers, shown once after a redirect


def invitation_list_context(request, form=None, list_form=None, team_form=None):
    coach = request.user
    invitations = Invitation.objects.filter(coach=coach)
    results = request.session.pop(LIST_RESULTS, None) or []
    return {
        "form": form or InvitationForm(coach=coach),
        "list_form": list_form or InvitationListForm(coach=coach),
        "team_form": team_form or TeamLinkForm(coach=coach),
        "links": CoachLink.objects.active().filter(coach=coach).select_related("athlete"),
        "pending": invitations.pending(),
        "answered": invitations.answered().select_related("used_by")[:10],
        "team_links": TeamLink.objects.filter(coach=coach)[:10],
        "list_results": [
            (address, outcome, InvitationListForm.OUTCOMES[outcome]) for address, outcome in results
        ],
    }


def invitation_form_refused(request, **forms):
    context = invitation_list_context(request, **forms)
    return render(request, "accounts/invitation_list.html", context, status=400)


@never_cache
@require_GET
@coach_required
def invitation_list(request):
    return render(request, "accounts/invitation_list.html", invitation_list_context(request))


@require_POST
@coach_required
def invitation_create(request):
    form = InvitationForm(request.POST, coach=request.user)
    if not form.is_valid():
        return invitation_form_refused(request, form=form)
    invitation = form.save()
    if invitation.email:
        send_invitation(request, invitation)
    else:
        messages.success(
            request, _("Your invitation link is ready. Copy it and send it to your athlete.")
        )
    return redirect("accounts:invitation_list")


@require_POST
@coach_required
def invitation_bulk_create(request):
    """One invitation per pasted address, each bound to its address; an answer for each."""
    with transaction.atomic():
        # One list at a time per coach: a double-tapped "Send" judges the second copy
        # after the first one's invitations exist, so each address is invited once.
        list(User.objects.select_for_update().filter(pk=request.user.pk).values("pk"))
        form = InvitationListForm(request.POST, coach=request.user)
        if not form.is_valid():
            return invitation_form_refused(request, list_form=form)
        entries = [
            (address, Invitation.objects.create(coach=request.user, email=address))
            if outcome == InvitationListForm.NEW
            else (address, outcome)
            for address, outcome in form.cleaned_data["entries"]
        ]
    results = []
    for address, outcome in entries:
        if isinstance(outcome, Invitation):
            outcome = "sent" if email_invitation(request, outcome) else "not_sent"
        results.append((address, outcome))
    request.session[LIST_RESULTS] = results
    sent = sum(1 for _address, outcome in results if outcome in ("sent", "not_sent"))
    messages.success(
        request,
        ngettext(
            "%(n)d invitation made from %(total)d addresses; each one's answer is below.",
            "%(n)d invitations made from %(total)d addresses; each one's answer is below.",
            sent,
        )
        % {"n": sent, "total": len(results)},
    )
    return redirect("accounts:invitation_list")


def email_invitation(request, invitation) -> bool:
    """Send the invitation through the site's mail (allauth's adapter); False if it failed."""
    context = {
        "coach": invitation.coach,
        "invitation": invitation,
        "invitation_url": request.build_absolute_uri(invitation.get_absolute_url()),
    }
    try:
        get_adapter(request).send_mail("accounts/email/invitation", invitation.email, context)
    except (SMTPException, OSError):
        log.exception("could not email invitation %s", invitation.pk)
        return False
    return True


def send_invitation(request, invitation):
    if email_invitation(request, invitation):
        messages.success(
            request, _("We emailed the invitation to %(email)s.") % {"email": invitation.email}
        )
    else:
        messages.warning(
            request, _("We could not send the email. Copy the link below and send it yourself.")
        )


# --- Team links ---------------------------------------------------------------------------


@require_POST
@coach_required
def team_link_create(request):
    form = TeamLinkForm(request.POST, coach=request.user)
    if not form.is_valid():
        return invitation_form_refused(request, team_form=form)
    form.save()
    messages.success(request, _("Your team link is ready. Copy it and share it with your team."))
    return redirect("accounts:invitation_list")


@require_POST
@coach_required
def team_link_revoke(request, pk):
    link = get_object_or_404(TeamLink, pk=pk, coach=request.user)
    link.revoke()
    messages.info(request, _("The team link is revoked: nobody else can join through it."))
    return redirect("accounts:invitation_list")


def team_link_closed(request, link):
    """404 for an unknown token, 410 for a link revoked, expired or full."""
    status = 404 if link is None else 410
    return render(request, "accounts/team_link_closed.html", {"team_link": link}, status=status)


@never_cache
@require_GET
def team_link_detail(request, token):
    """Who is inviting, and Join; visitors are asked to sign up or log in first."""
    link = TeamLink.objects.select_related("coach").filter(token=token).first()
    if link is None or not link.is_open:
        return team_link_closed(request, link)
    context = {
        "team_link": link,
        "coach": link.coach,
        "own": request.user.is_authenticated and request.user.pk == link.coach_id,
        "already_linked": request.user.is_authenticated
        and CoachLink.objects.active()
        .filter(coach_id=link.coach_id, athlete=request.user)
        .exists(),
    }
    return render(request, "accounts/team_link_detail.html", context)


@require_POST
@login_required
def team_link_join(request, token):
    with transaction.atomic():
        # Holding the row: two people taking the last place wait for each other.
        link = TeamLink.objects.select_for_update().filter(token=token).first()
        if link is None or not link.is_open:
            return team_link_closed(request, link)
        if link.coach_id == request.user.pk:
            raise PermissionDenied("Coaches cannot join their own team link.")
        try:
            _link, created = link.join(request.user)
        except ValueError:
            return team_link_closed(request, link)
    if created:
        messages.success(
            request,
            _(
                "%(coach)s is now your coach and can see your training. You can end this at "
                "any time below."
            )
            % {"coach": link.coach.name},
        )
    else:
        messages.info(request, _("%(coach)s is already your coach.") % {"coach": link.coach.name})
    return redirect("accounts:profile")


def invitation_closed(request, invitation):
    """The clear page for a link that no longer works: 404 if unknown, 410 once answered."""
    status = 404 if invitation is None else 410
    return render(
        request, "accounts/invitation_closed.html", {"invitation": invitation}, status=status
    )


@never_cache
@require_GET
def invitation_detail(request, token):
    """Who is inviting, and Accept/Decline; visitors are asked to sign up or log in first."""
    invitation = Invitation.objects.select_related("coach").filter(token=token).first()
    if invitation is None or not invitation.is_pending:
        return invitation_closed(request, invitation)
    context = {"invitation": invitation, "coach": invitation.coach}
    if request.user.is_authenticated:
        context["own"] = request.user.pk == invitation.coach_id
        context["already_linked"] = (
            CoachLink.objects.active()
            .filter(coach_id=invitation.coach_id, athlete=request.user)
            .exists()
        )
        if not context["own"]:
            context.update(wrong_person_context(request, invitation))
    return render(request, "accounts/invitation_detail.html", context)


def wrong_person_context(request, invitation) -> dict:
    """Why the logged-in person may not answer (nothing when they may)."""
    if invitation.is_for(request.user):
        return {}
    unconfirmed = EmailAddress.objects.filter(
        user=request.user, email__iexact=invitation.email, verified=False
    ).exists()
    return {"wrong_person": True, "unconfirmed": unconfirmed}


def invitation_refused(request, invitation):
    """The same page, explaining why: answering is for the invited address only."""
    context = {
        "invitation": invitation,
        "coach": invitation.coach,
        **wrong_person_context(request, invitation),
    }
    return render(request, "accounts/invitation_detail.html", context, status=403)


@require_POST
@login_required
def invitation_accept(request, token):
    with transaction.atomic():
        # Holding the row makes a double-tapped Accept wait, then see the first one's answer.
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None:
            return invitation_closed(request, None)
        if invitation.used_by_id == request.user.pk:
            messages.info(request, _("You have already accepted this invitation."))
            return redirect("accounts:profile")
        if not invitation.is_pending:
            return invitation_closed(request, invitation)
        if invitation.coach_id == request.user.pk:
            raise PermissionDenied("Coaches cannot accept their own invitation.")
        if not invitation.is_for(request.user):
            return invitation_refused(request, invitation)
        invitation.accept(request.user)
    messages.success(
        request,
        _(
            "%(coach)s is now your coach and can see your training. You can end this at any "
            "time below."
        )
        % {"coach": invitation.coach.name},
    )
    return redirect("accounts:profile")


@require_POST
@login_required
def invitation_decline(request, token):
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or not invitation.is_pending:
            return invitation_closed(request, invitation)
        if invitation.coach_id == request.user.pk:
            raise PermissionDenied("Coaches cannot decline their own invitation.")
        if not invitation.is_for(request.user):
            return invitation_refused(request, invitation)
        invitation.decline()
    messages.info(
        request, _("You declined the invitation from %(coach)s.") % {"coach": invitation.coach.name}
    )
    return redirect("accounts:profile")


@require_POST
@coach_required
def invitation_cancel(request, token):
    invitation = get_object_or_404(Invitation, token=token, coach=request.user)
    if invitation.is_pending:
        invitation.delete()
        messages.info(request, _("The invitation is withdrawn; its link no longer works."))
    else:
        messages.info(request, _("That invitation was already answered or has expired."))
    return redirect("accounts:invitation_list")


@require_POST
@login_required
def link_end(request, pk):
    user = request.user
    link = get_object_or_404(
        CoachLink.objects.select_related("coach", "athlete").filter(
            Q(coach=user) | Q(athlete=user)
        ),
        pk=pk,
    )
    link.end(by=user)
    if link.coach_id == user.pk:
        messages.info(request, _("You no longer coach %(name)s.") % {"name": link.athlete.name})
        return redirect("accounts:invitation_list" if user.is_coach else "accounts:profile")
    messages.info(
        request,
        _("%(name)s is no longer your coach and can no longer see your training.")
        % {"name": link.coach.name},
    )
    return redirect("accounts:profile")
