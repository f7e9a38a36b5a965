"""A coach's groups: named sets of their linked athletes, to filter and assign by."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.models import CoachLink
from coaching.dashboard import group_names
from coaching.models import MAX_GROUPS, Group
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

GROUPS = reverse("coaching:group_list")


def edit_url(group):
    return reverse("coaching:group_edit", args=[group.pk])


@pytest.fixture
def frank(django_user_model, carol):
    """A second athlete linked to Carol."""
    athlete = make_user(django_user_model, "frank@example.com", display_name="Frank")
    CoachLink.objects.create(coach=carol, athlete=athlete)
    return athlete


def test_it_creates_a_group_with_members(client, carol, alice, frank):
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "Marathon group", "athletes": [alice.pk, frank.pk]})
    assert response.status_code == 302
    group = Group.objects.get()
    assert (group.coach, group.name) == (carol, "Marathon group")
    assert set(group.members()) == {alice, frank}


def test_it_lists_groups_with_a_plural_right_count(client, carol, alice, frank):
    one = Group.objects.create(coach=carol, name="Hills")
    one.set_members([alice])
    two = Group.objects.create(coach=carol, name="Track")
    two.set_members([alice, frank])
    client.force_login(carol)
    page = client.get(GROUPS).content.decode()
    assert "1 athlete<" in page and "2 athletes<" in page


def test_an_athlete_can_be_in_several_groups(carol, alice):
    for name in ("Hills", "Track"):
        Group.objects.create(coach=carol, name=name).set_members([alice])
    assert set(alice.member_groups.values_list("name", flat=True)) == {"Hills", "Track"}


def test_it_renames_a_group_and_changes_its_members(client, carol, alice, frank):
    group = Group.objects.create(coach=carol, name="Hills")
    group.set_members([alice])
    client.force_login(carol)
    page = client.get(edit_url(group))
    assert page.context["form"].initial["athletes"] == [alice]
    response = client.post(edit_url(group), {"name": "Hill repeats", "athletes": [frank.pk]})
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Hill repeats"
    assert list(group.members()) == [frank]


def test_it_deletes_a_group_and_keeps_its_athletes(client, carol, alice):
    group = Group.objects.create(coach=carol, name="Hills")
    group.set_members([alice])
    client.force_login(carol)
    response = client.post(reverse("coaching:group_delete", args=[group.pk]))
    assert response.status_code == 302
    assert not Group.objects.exists()
    assert carol.can_coach(alice)


def test_it_refuses_an_athlete_of_another_coach(client, carol, alice, bob, dave):
    CoachLink.objects.create(coach=dave, athlete=bob)
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "Hills", "athletes": [alice.pk, bob.pk]})
    assert response.status_code == 400
    assert "You can only choose athletes linked to you." in response.content.decode()
    assert not Group.objects.exists()


def test_it_refuses_an_athlete_whose_link_ended(client, carol, erin):
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "Hills", "athletes": [erin.pk]})
    assert response.status_code == 400
    assert not Group.objects.exists()


@pytest.mark.parametrize("bad", ["junk", "99999999999999999999999", "-1"])
def test_it_answers_a_bad_athlete_id_with_a_form_error(client, carol, bad):
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "Hills", "athletes": [bad]})
    assert response.status_code == 400
    assert response.context["form"].errors["athletes"]


def test_it_hides_a_member_once_their_link_ends(client, carol, alice, frank):
    group = Group.objects.create(coach=carol, name="Hills")
    group.set_members([alice, frank])
    CoachLink.objects.get(coach=carol, athlete=alice).end(by=alice)
    assert list(group.members()) == [frank]
    client.force_login(carol)
    assert "1 athlete<" in client.get(GROUPS).content.decode()
    # Saving the group drops her for good.
    client.post(edit_url(group), {"name": "Hills", "athletes": [frank.pk]})
    assert list(group.athletes.all()) == [frank]


def test_it_refuses_a_second_group_of_the_same_name(client, carol):
    Group.objects.create(coach=carol, name="Hills")
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "hills"})
    assert response.status_code == 400
    assert "You already have a group of that name." in response.content.decode()
    assert Group.objects.count() == 1


def test_two_coaches_may_use_the_same_name(carol, dave):
    Group.objects.create(coach=carol, name="Hills")
    Group.objects.create(coach=dave, name="Hills")
    assert Group.objects.count() == 2


def test_the_database_refuses_an_empty_name(carol):
    with pytest.raises(IntegrityError), transaction.atomic():
        Group.objects.create(coach=carol, name="")


@pytest.mark.parametrize("name", ["", "x" * 61, "two\nlines"])
def test_it_refuses_a_bad_name_with_a_message(client, carol, name):
    client.force_login(carol)
    response = client.post(GROUPS, {"name": name})
    assert response.status_code == 400
    assert response.context["form"].errors["name"]


def test_it_caps_the_number_of_groups(client, carol):
    Group.objects.bulk_create(Group(coach=carol, name=f"G{n}") for n in range(MAX_GROUPS))
    client.force_login(carol)
    response = client.post(GROUPS, {"name": "One more"})
    assert response.status_code == 400
    assert Group.objects.count() == MAX_GROUPS


def test_another_coachs_group_is_a_404(client, carol, dave):
    group = Group.objects.create(coach=carol, name="Hills")
    client.force_login(dave)
    assert client.get(edit_url(group)).status_code == 404
    assert client.post(edit_url(group), {"name": "Mine"}).status_code == 404
    assert client.post(reverse("coaching:group_delete", args=[group.pk])).status_code == 404
    group.refresh_from_db()
    assert group.name == "Hills"


def test_the_list_shows_only_my_groups(client, carol, dave):
    Group.objects.create(coach=carol, name="Carol hills")
    Group.objects.create(coach=dave, name="Dave track")
    client.force_login(dave)
    page = client.get(GROUPS).content.decode()
    assert "Dave track" in page and "Carol hills" not in page


def test_the_list_runs_the_same_queries_for_many_groups(
    client, carol, alice, frank, django_assert_max_num_queries
):
    client.force_login(carol)
    client.get(GROUPS)
    for n in range(20):
        Group.objects.create(coach=carol, name=f"G{n}").set_members([alice, frank])
    with django_assert_max_num_queries(12):
        assert client.get(GROUPS).status_code == 200


def test_the_dashboard_reads_only_my_groups_by_name(carol, dave):
    """``group_names`` (plain SQL on every dashboard view) gives what the ORM gives."""
    for name in ("Track", "Base", "Marathon", "Hills"):
        Group.objects.create(coach=carol, name=name)
    Group.objects.create(coach=dave, name="Dave's group")

    names = group_names(carol)

    assert list(names.items()) == list(Group.objects.of(carol).values_list("pk", "name"))
    assert list(names.values()) == ["Base", "Hills", "Marathon", "Track"]
    assert group_names(dave) == {Group.objects.get(coach=dave).pk: "Dave's group"}
