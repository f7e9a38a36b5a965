"""The whole phone flow in Spanish (issue 17): a runner whose phone speaks Spanish signs up,
goes through the first-run steps, checks in, logs a set and reads the history, every page in
Spanish and clean for axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from sessions.models import WorkoutSet
from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.conftest import PASSWORD, emailed_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_spanish(page, context):
    assert page.locator("html").get_attribute("lang") == "es", context
    assert_no_horizontal_scroll(page)
    assert_accessible(page, context)


def test_a_spanish_speaking_runner_goes_from_sign_up_to_the_history(browser, live_server, library):
    context = browser.new_context(
        base_url=live_server.url,
        locale="es-ES",  # the phone's language: Accept-Language and navigator.language
        timezone_id="America/Mexico_City",
        viewport={"width": 360, "height": 780},
        device_scale_factor=2.625,
        is_mobile=True,
        has_touch=True,
    )
    phone = context.new_page()
    phone.goto("/accounts/signup/")
    expect(phone.get_by_role("heading", name="Crea tu cuenta")).to_be_visible()
    expect(phone.get_by_text("Tu contraseña debe tener al menos 8 caracteres.")).to_be_visible()
    in_spanish(phone, "sign-up")
    phone.locator("#id_email").fill("lucia@example.com")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.get_by_role("button", name="Crear cuenta").click()
    phone.wait_for_url("**/accounts/confirm-email/")
    in_spanish(phone, "the emailed code")
    message = mail.outbox[-1]
    assert "Hola" in message.body  # the code's email is in Spanish too
    phone.get_by_label("Código").fill(emailed_code(message))
    phone.get_by_role("button", name="Confirmar").click()

    # First run, step 1: the kit at home, weights written the Spanish way ("8,5").
    phone.wait_for_url("**/welcome/")
    expect(phone.get_by_text("Paso 1 de 3")).to_be_visible()
    expect(phone.get_by_role("heading", name="¿Qué tienes en casa?")).to_be_visible()
    in_spanish(phone, "step 1")
    user = User.objects.get(email="lucia@example.com")
    assert user.language == "es" and user.timezone == "America/Mexico_City"
    phone.locator("label.equipment-tile", has_text="Escalón o primer peldaño").click()
    phone.locator("label.equipment-tile", has_text="Mancuernas").click()
    phone.get_by_label("Los pesos de tus mancuernas").fill("4; 6; 8,5")
    phone.get_by_role("button", name="Guardar y seguir").click()

    # Step 2: the running week.
    phone.wait_for_url("**/welcome/running/")
    expect(phone.get_by_text("Paso 2 de 3")).to_be_visible()
    in_spanish(phone, "step 2")
    phone.get_by_label("¿Cuánto corres en una semana normal? (km)").fill("30")
    phone.get_by_text("Miércoles", exact=True).click()
    phone.get_by_role("button", name="Guardar y seguir").click()

    # Step 3: today's check-in, then the first set.
    phone.wait_for_url("**/today/?welcome=1")
    expect(phone.get_by_text("Paso 3 de 3")).to_be_visible()
    in_spanish(phone, "step 3, the check-in")
    user.refresh_from_db()
    assert user.dumbbells_kg == [4.0, 6.0, 8.5] and user.weekly_km == 30
    for question, answer in [("Piernas", "4 Bien"), ("Energía", "4 Bien")]:
        phone.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    phone.get_by_role("button", name="Ver el plan de hoy").click()
    phone.wait_for_url("**/sessions/*/")
    expect(phone.get_by_role("heading", name="Plan de hoy")).to_be_visible()
    expect(
        phone.get_by_text(re.compile(r"\d+ series de \d+–\d+ repeticiones")).first
    ).to_be_visible()
    in_spanish(phone, "today's plan")
    phone.get_by_role("link", name="Empezar").click()
    phone.wait_for_url("**/log/")
    in_spanish(phone, "the logger")
    phone.get_by_role("button", name="Apuntar serie").click()
    expect(phone.get_by_label("Series apuntadas")).to_have_attribute("value", "1")
    assert WorkoutSet.objects.filter(item__workout__athlete=user).count() == 1

    # The history.
    phone.goto("/sessions/")
    expect(phone.get_by_role("heading", name="Tus sesiones")).to_be_visible()
    expect(phone.get_by_text("En curso").first).to_be_visible()
    in_spanish(phone, "the history")
    context.close()
