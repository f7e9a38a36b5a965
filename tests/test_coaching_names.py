"""One page per name in the coach's part of the site, and counts worded with their plural."""

import re

import pytest
from django.urls import reverse

from accounts.models import CoachLink
from coaching.models import Group
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

COACH_PAGES = [
    "coaching:dashboard",
    "accounts:invitation_list",
    "coaching:group_list",
    "coaching:ladder_list",
    "coaching:routine_list",
    "coaching:calendar",
    "accounts:profile",
]


def heading_and_title(html: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?) · HomeStrength</title>", html, re.S).group(1).strip()
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    return heading, title


def test_no_two_coach_pages_share_a_name(client, carol):
    client.force_login(carol)
    names = {}
    for name in COACH_PAGES:
        heading, title = heading_and_title(client.get(reverse(name)).content.decode())
        names[name] = heading
        assert title in (heading, "Coach"), name  # the dashboard's tab says "Coach"
    assert len(set(names.values())) == len(names), names


@pytest.mark.parametrize(("count", "words"), [(1, "1 athlete<"), (2, "2 athletes<")])
def test_group_counts_use_the_plural_when_needed(client, carol, alice, count, words):
    group = Group.objects.create(coach=carol, name="Hills")
    members = [alice]
    if count == 2:
        from django.contrib.auth import get_user_model

        frank = make_user(get_user_model(), "frank@example.com", display_name="Frank")
        CoachLink.objects.create(coach=carol, athlete=frank)
        members.append(frank)
    group.set_members(members)
    client.force_login(carol)
    assert words in client.get(reverse("coaching:group_list")).content.decode()
