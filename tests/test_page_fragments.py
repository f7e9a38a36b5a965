"""The parts of every page kept in the "pages" cache (templates/base.html): the head's
links, the header with the menu, the footer and its language buttons. They are kept per
language, login state, role and current menu entry; everything per person or per request
(the CSRF tokens, the switch's way back, the offline queue's owner) stays outside them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import Invitation


def footer(html: str) -> str:
    return html[html.index("<footer") :]


def head(html: str) -> str:
    return html[: html.index("</head>")]


@pytest.fixture
def alice_client(alice):
    client = Client()
    client.force_login(alice)
    return client


@pytest.mark.django_db
def test_the_head_has_the_offline_scripts_only_for_a_logged_in_page(alice_client):
    anonymous = Client()
    assert "js/queue.js" not in head(anonymous.get("/exercises/").content.decode())
    assert "js/queue.js" in head(alice_client.get("/exercises/").content.decode())
    assert "js/queue.js" not in head(anonymous.get("/exercises/").content.decode())


@pytest.mark.django_db
def test_the_footer_follows_a_language_switch_at_once(alice_client):
    english = footer(alice_client.get("/runs/").content.decode())
    assert ">Exercise library<" in english
    assert re.search(r'value="en"[^>]*aria-current="true"', english)

    alice_client.post(reverse("accounts:language"), {"language": "es", "next": "/runs/"})
    spanish = footer(alice_client.get("/runs/").content.decode())
    assert ">Biblioteca de ejercicios<" in spanish
    assert ">Idioma<" in spanish
    assert re.search(r'value="es"[^>]*aria-current="true"', spanish)
    assert not re.search(r'value="en"[^>]*aria-current="true"', spanish)


@pytest.mark.django_db
def test_the_switch_returns_to_each_visitors_own_page(alice_client):
    alice_client.get("/runs/")
    html = footer(alice_client.get("/exercises/?q=squat").content.decode())
    assert 'name="next" value="/exercises/?q=squat"' in html


@pytest.mark.django_db
def test_each_person_logs_out_with_their_own_token_after_another_filled_the_cache(
    alice_client, bob
):
    alice_client.get("/runs/")  # Alice's page fills the kept header and footer
    bobs = Client()
    bobs.force_login(bob)
    html = bobs.get("/runs/").content.decode()
    token = re.search(
        r'data-logout><input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"', html
    ).group(1)
    checked = Client(enforce_csrf_checks=True)
    checked.cookies = bobs.cookies
    response = checked.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert checked.get("/runs/").status_code == 302  # to the login page: logged out


@pytest.mark.django_db
def test_the_coachs_buttons_count_a_new_invitation_at_once(client, carol):
    client.force_login(carol)
    assert "Invite athletes</a>" in client.get("/coach/").content.decode()
    Invitation.objects.create(coach=carol, email="new@example.com")
    assert "Invite athletes (1)</a>" in client.get("/coach/").content.decode()
