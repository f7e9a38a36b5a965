"""Inviting a team: a pasted list of addresses (one bound invitation each) and a team link
with a cap and an expiry that the coach can revoke."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.forms import INVITATIONS_PER_DAY, MAX_LISTED_ADDRESSES, MAX_OPEN_TEAM_LINKS
from accounts.models import CoachLink, Invitation, TeamLink
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:invitation_list")
BULK = reverse("accounts:invitation_bulk_create")
TEAM = reverse("accounts:team_link_create")


def results(response) -> dict[str, str]:
    """{address: outcome} as the page shows them after the redirect."""
    return {address: outcome for address, outcome, _text in response.context["list_results"]}


# --- A pasted list --------------------------------------------------------------------------


def test_it_invites_each_pasted_address_and_says_what_happened_to_each(
    client, carol, alice, django_user_model
):
    Invitation.objects.create(coach=carol, email="waiting@example.com")
    client.force_login(carol)
    pasted = (
        "ann@example.com, Ben@Example.com\n"
        "not-an-address; ann@example.com\n"
        "alice@example.com  waiting@example.com <cy@example.com>"
    )
    response = client.post(BULK, {"addresses": pasted}, follow=True)
    assert response.redirect_chain[-1][0] == LIST
    assert results(response) == {
        "ann@example.com": "repeated",  # the second time it is listed; the first was sent
        "ben@example.com": "sent",
        "not-an-address": "invalid",
        "alice@example.com": "linked",
        "waiting@example.com": "pending",
        "cy@example.com": "sent",
    }
    outcomes = [outcome for _a, outcome, _t in response.context["list_results"]]
    assert outcomes == ["sent", "sent", "invalid", "repeated", "linked", "pending", "sent"]
    page = response.content.decode()
    assert "Not an email address: nothing sent." in page
    assert "3 invitations made from 7 addresses" in page
    made = Invitation.objects.filter(coach=carol).exclude(email="waiting@example.com")
    assert sorted(made.values_list("email", flat=True)) == [
        "ann@example.com",
        "ben@example.com",
        "cy@example.com",
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(made.values_list("email", flat=True))
    # The results are shown once.
    assert client.get(LIST).context["list_results"] == []


def test_each_listed_invitation_stays_bound_to_its_address(client, carol, bob):
    client.force_login(carol)
    client.post(BULK, {"addresses": "someone@example.com"})
    invitation = Invitation.objects.get(email="someone@example.com")
    assert not invitation.open_link
    client.force_login(bob)
    response = client.post(reverse("accounts:invitation_accept", args=[invitation.token]))
    assert response.status_code == 403
    assert not CoachLink.objects.filter(athlete=bob).exists()


def test_pasting_the_same_list_again_invites_nobody_twice(client, carol):
    client.force_login(carol)
    client.post(BULK, {"addresses": "a@example.com b@example.com"})
    again = client.post(BULK, {"addresses": "a@example.com b@example.com"}, follow=True)
    assert Invitation.objects.count() == 2
    assert len(mail.outbox) == 2
    assert set(results(again).values()) == {"pending"}


def test_it_stops_at_the_days_limit_and_says_so_per_address(client, carol):
    Invitation.objects.bulk_create(
        Invitation(coach=carol, open_link=True, expires_at=timezone.now() + timedelta(days=1))
        for _ in range(INVITATIONS_PER_DAY - 1)
    )
    client.force_login(carol)
    response = client.post(BULK, {"addresses": "a@example.com b@example.com"}, follow=True)
    assert results(response) == {"a@example.com": "sent", "b@example.com": "over_limit"}
    assert Invitation.objects.count() == INVITATIONS_PER_DAY


def test_it_reports_an_address_whose_email_could_not_be_sent(client, carol, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    client.force_login(carol)
    response = client.post(BULK, {"addresses": "a@example.com"}, follow=True)
    assert results(response) == {"a@example.com": "not_sent"}
    assert Invitation.objects.filter(email="a@example.com").exists()


@pytest.mark.parametrize(
    ("pasted", "message"),
    [
        ("", "Paste at least one email address."),
        (" ,;\n ", "Paste at least one email address."),
        (
            " ".join(f"r{n}@example.com" for n in range(MAX_LISTED_ADDRESSES + 1)),
            "paste at most 100 at a time",
        ),
    ],
)
def test_it_refuses_an_empty_or_too_long_list(client, carol, pasted, message):
    client.force_login(carol)
    response = client.post(BULK, {"addresses": pasted})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists()


def test_only_coaches_paste_lists(client, alice):
    client.force_login(alice)
    assert client.post(BULK, {"addresses": "a@example.com"}).status_code == 403
    assert client.get(BULK).status_code == 405
    assert not Invitation.objects.exists()


# --- A team link ----------------------------------------------------------------------------


@pytest.fixture
def team_link(dave):
    return TeamLink.objects.create(
        coach=dave, max_uses=2, expires_at=timezone.now() + timedelta(days=7)
    )


def join(link):
    return reverse("accounts:team_link_join", args=[link.token])


def detail(link):
    return reverse("accounts:team_link_detail", args=[link.token])


def test_it_creates_a_team_link_with_a_cap_and_an_expiry(client, dave):
    client.force_login(dave)
    before = timezone.now()
    response = client.post(TEAM, {"max_uses": "25", "days": "10"}, follow=True)
    link = TeamLink.objects.get(coach=dave)
    assert (link.max_uses, link.uses) == (25, 0)
    assert before + timedelta(days=10) <= link.expires_at <= timezone.now() + timedelta(days=10)
    page = response.content.decode()
    assert link.get_absolute_url() in page
    assert "0 of 25 places taken" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"max_uses": "0", "days": "10"}, "Choose 1 to 200 people."),
        ({"max_uses": "201", "days": "10"}, "Choose 1 to 200 people."),
        ({"max_uses": "", "days": "10"}, "Say how many people can join."),
        ({"max_uses": "5", "days": "0"}, "Choose 1 to 90 days."),
        ({"max_uses": "5", "days": "91"}, "Choose 1 to 90 days."),
        ({"max_uses": "99999999999999999999", "days": "5"}, "Choose 1 to 200 people."),
    ],
)
def test_it_refuses_a_bad_cap_or_expiry_with_a_message(client, dave, data, message):
    client.force_login(dave)
    response = client.post(TEAM, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not TeamLink.objects.exists()


def test_it_caps_the_team_links_working_at_once(client, dave):
    soon = timezone.now() + timedelta(days=1)
    TeamLink.objects.bulk_create(
        TeamLink(coach=dave, max_uses=5, expires_at=soon) for _ in range(MAX_OPEN_TEAM_LINKS)
    )
    client.force_login(dave)
    response = client.post(TEAM, {"max_uses": "5", "days": "5"})
    assert response.status_code == 400
    assert "revoke one first" in response.content.decode()


def test_people_join_through_a_team_link_until_it_is_full(
    client, team_link, alice, bob, django_user_model
):
    for athlete in (alice, bob):
        client.force_login(athlete)
        assert client.get(detail(team_link)).status_code == 200
        assert client.post(join(team_link)).status_code == 302
    team_link.refresh_from_db()
    assert team_link.uses == 2
    assert set(
        CoachLink.objects.filter(coach=team_link.coach).values_list("athlete__email", flat=True)
    ) == {
        "alice@example.com",
        "bob@example.com",
    }
    late = make_user(django_user_model, "late@example.com")
    client.force_login(late)
    assert client.get(detail(team_link)).status_code == 410
    response = client.post(join(team_link))
    assert response.status_code == 410
    assert "Everyone it was meant for has joined" in response.content.decode()
    assert not CoachLink.objects.filter(athlete=late).exists()


def test_joining_twice_takes_one_place(client, team_link, alice):
    client.force_login(alice)
    client.post(join(team_link))
    response = client.post(join(team_link), follow=True)
    team_link.refresh_from_db()
    assert team_link.uses == 1
    assert CoachLink.objects.filter(athlete=alice).count() == 1
    assert "Dave is already your coach." in response.content.decode()


def test_it_stops_a_revoked_team_link_at_once(client, team_link, dave, alice):
    client.force_login(dave)
    response = client.post(reverse("accounts:team_link_revoke", args=[team_link.pk]), follow=True)
    assert "Revoked: it no longer works." in response.content.decode()
    client.force_login(alice)
    assert client.get(detail(team_link)).status_code == 410
    assert client.post(join(team_link)).status_code == 410
    assert not CoachLink.objects.filter(athlete=alice).exists()


def test_it_stops_an_expired_team_link(client, team_link, alice):
    team_link.expires_at = timezone.now() - timedelta(seconds=1)
    team_link.save()
    client.force_login(alice)
    response = client.post(join(team_link))
    assert response.status_code == 410
    assert "It has expired." in response.content.decode()


def test_another_coach_cannot_revoke_my_team_link(client, team_link, carol):
    client.force_login(carol)
    assert client.post(reverse("accounts:team_link_revoke", args=[team_link.pk])).status_code == 404
    team_link.refresh_from_db()
    assert team_link.revoked_at is None


def test_a_coach_cannot_join_their_own_team_link(client, team_link, dave):
    client.force_login(dave)
    assert "This is your team link" in client.get(detail(team_link)).content.decode()
    assert client.post(join(team_link)).status_code == 403
    team_link.refresh_from_db()
    assert team_link.uses == 0


def test_a_visitor_is_asked_to_sign_up_and_comes_back(client, team_link):
    page = client.get(detail(team_link)).content.decode()
    assert f"?next={detail(team_link)}" in page.replace("%2F", "/")
    response = client.post(join(team_link))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_an_unknown_token_is_a_404(client, alice):
    client.force_login(alice)
    assert client.get(reverse("accounts:team_link_detail", args=["nope"])).status_code == 404
    assert client.post(reverse("accounts:team_link_join", args=["nope"])).status_code == 404


def test_the_database_refuses_more_joins_than_the_cap(team_link):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        TeamLink.objects.filter(pk=team_link.pk).update(uses=3)


def test_it_refuses_a_pasted_list_with_control_characters(client, carol):
    client.force_login(carol)
    response = client.post(BULK, {"addresses": "a@example.com\x07 b@example.com"})
    assert response.status_code == 400
    assert not Invitation.objects.exists()
