"""Coach–athlete links: invitations (accept, decline, expiry, reuse, tampering) and ending."""

import importlib
import re
import uuid
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.forms import INVITATIONS_PER_DAY
from accounts.models import INVITATION_DAYS, CoachLink, Invitation, User
from sessions.models import CheckIn
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:invitation_list")
CREATE = reverse("accounts:invitation_create")


def detail(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("accounts:invitation_detail", args=[token])


def accept(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("accounts:invitation_accept", args=[token])


def decline(invitation_or_token):
    token = getattr(invitation_or_token, "token", invitation_or_token)
    return reverse("accounts:invitation_decline", args=[token])


@pytest.fixture
def invitation(dave):
    """An open link: anyone holding it may answer (the coach ticked the box)."""
    return Invitation.objects.create(coach=dave, open_link=True)


@pytest.fixture
def bound(dave):
    """An invitation only the owner of alice@example.com may answer."""
    return Invitation.objects.create(coach=dave, email="alice@example.com")


# --- Creating -----------------------------------------------------------------------------


def test_it_creates_a_single_use_link_that_expires_in_two_weeks(client, dave):
    client.force_login(dave)
    response = client.post(CREATE, {"email": "", "open_link": "on"}, follow=True)
    invitation = Invitation.objects.get(coach=dave)
    assert invitation.open_link
    assert len(invitation.token) >= 43
    assert invitation.expires_at - invitation.created == timedelta(days=INVITATION_DAYS)
    assert invitation.state == Invitation.State.PENDING
    assert response.redirect_chain[-1][0] == LIST
    assert f"http://testserver{detail(invitation)}".encode() in response.content
    assert not mail.outbox


def test_it_asks_for_an_address_unless_the_link_is_open(client, dave):
    client.force_login(dave)
    response = client.post(CREATE, {"email": ""})
    assert response.status_code == 400
    assert "Type your athlete’s email, or tick “Anyone with this link can join”." in (
        response.content.decode()
    )
    assert not Invitation.objects.exists()


def test_it_binds_an_emailed_invitation_to_its_address(client, dave):
    client.force_login(dave)
    client.post(CREATE, {"email": "runner@example.com"})
    invitation = Invitation.objects.get(coach=dave)
    assert not invitation.open_link
    assert len(mail.outbox) == 1


def test_it_shows_the_coach_which_links_are_open(client, dave):
    Invitation.objects.create(coach=dave, email="runner@example.com")
    Invitation.objects.create(coach=dave, open_link=True)
    client.force_login(dave)
    content = client.get(LIST).content.decode()
    assert "Only runner@example.com can accept it." in content
    assert "Anyone with this link can join." in content


def test_it_makes_a_different_token_every_time(dave):
    tokens = {Invitation.objects.create(coach=dave).token for _ in range(20)}
    assert len(tokens) == 20


def test_it_emails_the_link_when_given_an_address(client, dave):
    client.force_login(dave)
    response = client.post(CREATE, {"email": "runner@example.com"}, follow=True)
    invitation = Invitation.objects.get(coach=dave)
    assert invitation.email == "runner@example.com"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["runner@example.com"]
    assert message.subject == "[HomeStrength] Dave invites you to train together on HomeStrength"
    assert f"http://testserver{detail(invitation)}" in message.body
    assert b"We emailed the invitation to runner@example.com." in response.content


def test_it_still_creates_the_link_when_the_email_cannot_be_sent(client, dave, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    client.force_login(dave)
    response = client.post(CREATE, {"email": "runner@example.com"}, follow=True)
    assert Invitation.objects.filter(coach=dave).count() == 1
    assert b"We could not send the email." in response.content


def test_it_refuses_a_malformed_email(client, dave):
    client.force_login(dave)
    response = client.post(CREATE, {"email": "not-an-address"})
    assert response.status_code == 400
    assert b"is-invalid" in response.content
    assert not Invitation.objects.exists()


def test_it_caps_the_invitations_a_coach_creates_in_a_day(client, dave):
    for _ in range(INVITATIONS_PER_DAY):
        Invitation.objects.create(coach=dave)
    client.force_login(dave)
    response = client.post(CREATE, {"email": "runner@example.com"})
    assert response.status_code == 400
    assert b"Try again tomorrow." in response.content
    assert Invitation.objects.count() == INVITATIONS_PER_DAY
    assert not mail.outbox


def test_it_lets_only_coaches_create_invitations(client, alice):
    client.force_login(alice)
    assert client.post(CREATE, {}).status_code == 403
    assert client.get(LIST).status_code == 403
    assert not Invitation.objects.exists()


def test_it_only_creates_invitations_on_post(client, dave):
    client.force_login(dave)
    assert client.get(CREATE).status_code == 405


def test_it_lists_athletes_and_pending_invitations_for_the_coach(client, carol, dave):
    Invitation.objects.create(coach=carol, email="next@example.com")
    Invitation.objects.create(coach=dave, email="daves@example.com")
    client.force_login(carol)
    content = client.get(LIST).content.decode()
    assert "alice@example.com" in content
    assert "next@example.com" in content
    assert "daves@example.com" not in content


# --- Opening and answering ----------------------------------------------------------------


def test_it_shows_the_athlete_who_is_inviting(client, alice, invitation):
    client.force_login(alice)
    response = client.get(detail(invitation))
    assert response.status_code == 200
    assert b"Dave would like to coach you" in response.content
    assert b"dave@example.com" in response.content
    assert accept(invitation).encode() in response.content
    assert decline(invitation).encode() in response.content


def test_it_links_the_athlete_to_the_coach_on_accept(client, alice, dave, invitation):
    client.force_login(alice)
    response = client.post(accept(invitation), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert b"Dave is now your coach" in response.content
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.ACCEPTED
    assert invitation.used_by == alice
    assert list(dave.coached_athletes()) == [alice]
    assert list(alice.coaches()) == [dave]
    assert dave.can_coach(alice)


def test_it_lets_the_invited_address_accept(client, alice, dave, bound):
    client.force_login(alice)
    page = client.get(detail(bound))
    assert accept(bound).encode() in page.content
    response = client.post(accept(bound))
    assert response["Location"] == reverse("accounts:profile")
    assert list(dave.coached_athletes()) == [alice]


def test_it_matches_the_invited_address_whatever_its_case(client, alice, dave):
    invitation = Invitation.objects.create(coach=dave, email="Alice@Example.COM")
    client.force_login(alice)
    client.post(accept(invitation))
    assert list(dave.coached_athletes()) == [alice]


def test_it_refuses_a_bound_invitation_to_another_account(client, bob, dave, bound):
    client.force_login(bob)
    page = client.get(detail(bound))
    assert page.status_code == 200
    content = page.content.decode()
    assert "This invitation is for another email address" in content
    assert "a…@example.com" in content
    assert "alice@example.com" not in content
    assert accept(bound) not in content
    assert decline(bound) not in content
    for url in (accept(bound), decline(bound)):
        response = client.post(url)
        assert response.status_code == 403
        assert "Log in with that address" in response.content.decode()
    bound.refresh_from_db()
    assert bound.state == Invitation.State.PENDING
    assert not CoachLink.objects.filter(athlete=bob).exists()


def test_it_waits_for_the_invited_address_to_be_confirmed(client, alice, dave, bound):
    EmailAddress.objects.filter(user=alice).update(verified=False)
    client.force_login(alice)
    response = client.post(accept(bound))
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()
    assert not CoachLink.objects.filter(athlete=alice).exists()
    EmailAddress.objects.filter(user=alice).update(verified=True)
    client.post(accept(bound))
    assert list(dave.coached_athletes()) == [alice]


def test_it_tells_visitors_which_address_a_bound_invitation_is_for(client, bound):
    content = client.get(detail(bound)).content.decode()
    assert "Sign up or log in with a…@example.com" in content


def test_it_lets_anyone_with_an_open_link_accept(client, bob, dave, invitation):
    client.force_login(bob)
    client.post(accept(invitation))
    assert list(dave.coached_athletes()) == [bob]


def test_it_refuses_a_bound_invitation_in_the_model_too(bob, bound):
    with pytest.raises(ValueError, match="not for"):
        bound.accept(bob)


def test_it_opens_the_links_made_before_invitations_had_addresses(dave):
    shared = Invitation.objects.create(coach=dave)
    emailed = Invitation.objects.create(coach=dave, email="runner@example.com")
    migration = importlib.import_module("accounts.migrations.0003_invitation_open_link")
    migration.open_emailless_invitations(apps, None)
    shared.refresh_from_db()
    emailed.refresh_from_db()
    assert shared.open_link
    assert not emailed.open_link


def test_it_creates_one_link_when_accept_is_sent_twice(client, alice, dave, invitation):
    client.force_login(alice)
    client.post(accept(invitation))
    response = client.post(accept(invitation), follow=True)
    assert response.status_code == 200
    assert b"You have already accepted this invitation." in response.content
    assert CoachLink.objects.filter(coach=dave, athlete=alice).count() == 1


def test_it_does_not_duplicate_an_existing_link(client, alice, carol):
    client.force_login(alice)
    again = Invitation.objects.create(coach=carol, open_link=True)
    assert client.get(detail(again)).content.count(b"Carol is already your coach.") == 1
    client.post(accept(again))
    assert CoachLink.objects.active().filter(coach=carol, athlete=alice).count() == 1
    again.refresh_from_db()
    assert again.state == Invitation.State.ACCEPTED


def test_it_refuses_a_used_invitation_to_someone_else(client, alice, bob, invitation):
    client.force_login(alice)
    client.post(accept(invitation))
    client.force_login(bob)
    response = client.get(detail(invitation))
    assert response.status_code == 410
    assert b"This invitation was already used" in response.content
    response = client.post(accept(invitation))
    assert response.status_code == 410
    assert not CoachLink.objects.filter(athlete=bob).exists()


def test_it_records_a_decline_and_closes_the_link(client, alice, dave, invitation):
    client.force_login(alice)
    response = client.post(decline(invitation), follow=True)
    assert b"You declined the invitation from Dave." in response.content
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.DECLINED
    assert invitation.used_by is None
    assert not dave.coached_athletes().exists()
    assert client.post(accept(invitation)).status_code == 410
    assert client.post(decline(invitation)).status_code == 410
    assert b"This invitation was declined" in client.get(detail(invitation)).content


def test_it_shows_a_clear_page_for_an_expired_invitation(client, alice, invitation):
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save()
    client.force_login(alice)
    response = client.get(detail(invitation))
    assert response.status_code == 410
    assert b"This invitation has expired" in response.content
    assert b"Ask Dave for a new one." in response.content
    assert client.post(accept(invitation)).status_code == 410
    assert client.post(decline(invitation)).status_code == 410
    assert not CoachLink.objects.filter(athlete=alice).exists()


def test_it_expires_invitations_after_fourteen_days(dave):
    invitation = Invitation.objects.create(coach=dave)
    assert not invitation.is_expired(timezone.now() + timedelta(days=13, hours=23))
    assert invitation.is_expired(timezone.now() + timedelta(days=14, seconds=1))


@pytest.mark.parametrize(
    "token",
    ["nope", "x" * 43, "%00", "a" * 500, "' OR 1=1 --", "..%2F..%2Fetc"],
)
def test_it_shows_a_clear_page_for_a_tampered_token(client, alice, invitation, token):
    client.force_login(alice)
    for response in (
        client.get(detail(token)),
        client.post(accept(token)),
        client.post(decline(token)),
    ):
        assert response.status_code == 404
        assert b"This invitation link does not work" in response.content
    assert not CoachLink.objects.filter(athlete=alice).exists()


def test_it_shows_a_clear_page_for_a_token_with_one_character_changed(client, alice, invitation):
    token = invitation.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    client.force_login(alice)
    response = client.get(detail(tampered))
    assert response.status_code == 404
    assert b"This invitation link does not work" in response.content


def test_it_tells_the_coach_the_link_is_their_own(client, dave, invitation):
    client.force_login(dave)
    response = client.get(detail(invitation))
    assert b"This is your own invitation" in response.content
    assert accept(invitation).encode() not in response.content
    assert client.post(accept(invitation)).status_code == 403
    assert client.post(decline(invitation)).status_code == 403
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.PENDING


@pytest.mark.parametrize("url", [accept, decline])
def test_it_answers_invitations_only_on_post(client, alice, invitation, url):
    client.force_login(alice)
    assert client.get(url(invitation)).status_code == 405


@pytest.mark.parametrize("url", [accept, decline])
def test_it_asks_visitors_to_log_in_before_answering(client, invitation, url):
    response = client.post(url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_brings_a_new_visitor_back_to_the_invitation_after_sign_up(client, dave, invitation):
    page = client.get(detail(invitation))
    assert page.status_code == 200
    assert b"Dave would like to coach you" in page.content
    signup = f"{reverse('account_signup')}?next={detail(invitation)}"
    assert signup.encode() in page.content

    form = client.get(signup)
    assert f'value="{detail(invitation)}"'.encode() in form.content
    response = client.post(
        signup,
        {
            "email": "newrunner@example.com",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": detail(invitation),
        },
    )
    # The code mailed to the new address comes first; then straight back to the invitation.
    assert response["Location"] == reverse("account_email_verification_sent")
    code = re.search(r"^([A-Z0-9]{6})$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response["Location"] == detail(invitation)

    client.post(accept(invitation))
    newcomer = User.objects.get(email="newrunner@example.com")
    assert list(dave.coached_athletes()) == [newcomer]


def test_it_brings_a_returning_visitor_back_to_the_invitation_after_login(
    client, alice, invitation
):
    login = f"{reverse('account_login')}?next={detail(invitation)}"
    assert login.encode() in client.get(detail(invitation)).content
    response = client.post(
        login, {"login": "alice@example.com", "password": PASSWORD, "next": detail(invitation)}
    )
    assert response["Location"] == detail(invitation)


def test_it_lets_an_athlete_have_several_coaches(client, alice, carol, invitation, dave):
    client.force_login(alice)
    client.post(accept(invitation))
    assert set(alice.coaches()) == {carol, dave}


# --- Withdrawing an invitation ------------------------------------------------------------


def test_it_lets_the_coach_withdraw_a_pending_invitation(client, alice, dave, invitation):
    client.force_login(dave)
    response = client.post(reverse("accounts:invitation_cancel", args=[invitation.token]))
    assert response.status_code == 302
    assert not Invitation.objects.exists()
    client.force_login(alice)
    assert client.get(detail(invitation)).status_code == 404


def test_it_keeps_answered_invitations_when_withdrawing(client, alice, dave, invitation):
    client.force_login(alice)
    client.post(accept(invitation))
    client.force_login(dave)
    client.post(reverse("accounts:invitation_cancel", args=[invitation.token]))
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_it_hides_other_coaches_invitations_from_withdrawal(client, carol, invitation):
    client.force_login(carol)
    response = client.post(reverse("accounts:invitation_cancel", args=[invitation.token]))
    assert response.status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_it_only_withdraws_on_post(client, dave, invitation):
    client.force_login(dave)
    response = client.get(reverse("accounts:invitation_cancel", args=[invitation.token]))
    assert response.status_code == 405


# --- Ending a link ------------------------------------------------------------------------


def end(link):
    return reverse("accounts:link_end", args=[link.pk])


def test_it_lets_the_athlete_end_a_link_and_keep_their_history(client, alice, carol):
    CheckIn.objects.create(athlete=alice, client_id=uuid.uuid4())
    link = CoachLink.objects.get(coach=carol, athlete=alice)
    client.force_login(alice)
    response = client.post(end(link), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert b"Carol is no longer your coach" in response.content
    link.refresh_from_db()
    assert link.ended_at is not None
    assert link.ended_by == alice
    assert not carol.coached_athletes().exists()
    assert not carol.can_coach(alice)
    assert CheckIn.objects.filter(athlete=alice).count() == 1


def test_it_lets_the_coach_end_a_link(client, alice, carol):
    link = CoachLink.objects.get(coach=carol, athlete=alice)
    client.force_login(carol)
    response = client.post(end(link))
    assert response["Location"] == LIST
    link.refresh_from_db()
    assert link.ended_by == carol
    assert not alice.coaches().exists()


def test_it_ends_a_link_once_however_often_it_is_sent(client, alice, carol):
    link = CoachLink.objects.get(coach=carol, athlete=alice)
    client.force_login(alice)
    client.post(end(link))
    link.refresh_from_db()
    ended_at = link.ended_at
    client.force_login(carol)
    assert client.post(end(link)).status_code == 302
    link.refresh_from_db()
    assert (link.ended_at, link.ended_by) == (ended_at, alice)


@pytest.mark.parametrize("outsider", ["bob", "dave", "staff"])
def test_it_hides_other_peoples_links(client, alice, carol, outsider, request):
    link = CoachLink.objects.get(coach=carol, athlete=alice)
    client.force_login(request.getfixturevalue(outsider))
    assert client.post(end(link)).status_code == 404
    link.refresh_from_db()
    assert link.is_active


def test_it_only_ends_links_on_post(client, alice, carol):
    client.force_login(alice)
    assert client.get(end(CoachLink.objects.get(athlete=alice))).status_code == 405


def test_it_allows_a_new_link_after_one_ended(client, alice, carol):
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    client.force_login(alice)
    client.post(accept(Invitation.objects.create(coach=carol, email="alice@example.com")))
    assert CoachLink.objects.filter(coach=carol, athlete=alice).count() == 2
    assert carol.can_coach(alice)


def test_it_closes_the_coach_area_when_the_coach_switch_is_off(alice, carol):
    carol.is_coach = False
    carol.save()
    assert not carol.coached_athletes().exists()
    assert list(alice.coaches()) == [carol]  # the link itself is untouched


# --- Database rules -----------------------------------------------------------------------


def test_it_allows_one_active_link_per_pair_in_the_database(alice, carol):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachLink.objects.create(coach=carol, athlete=alice)


def test_it_refuses_a_link_to_oneself_in_the_database(alice):
    with pytest.raises(IntegrityError), transaction.atomic():
        CoachLink.objects.create(coach=alice, athlete=alice)


def test_it_refuses_an_invitation_both_accepted_and_declined(alice, dave):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(coach=dave, used_at=now, used_by=alice, declined_at=now)
