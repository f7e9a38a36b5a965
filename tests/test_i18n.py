"""Spanish beside English (issue 17): the catalogues, how a request's language is chosen,
the switch, caches kept per language, emails in the recipient's language, and every page
checked for English words left over when Spanish is active.

The cast, as elsewhere: Alice is an athlete, Bob another one, Carol coaches Alice. Every
page in Spanish is checked in tests/test_i18n_pages.py.
"""

import ast
import gettext
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from core.languages import catalog_url, supported_language
from tests.test_sessions import open_workout

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


# --- The catalogues -----------------------------------------------------------------------


def gettext_tool(name: str) -> str:
    """The path of a GNU gettext program; CI installs gettext (.ci/run), so there its
    absence is a failure, and elsewhere a skip."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is missing: install GNU gettext (apt-get install gettext)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def makefile_ignores() -> list[str]:
    """The --ignore options of `make messages`, read from the Makefile itself."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    line = re.search(r"^MESSAGES_IGNORE := (.*)$", text, re.MULTILINE)[1]
    return line.split()


def test_it_has_a_spanish_catalogue_for_the_templates_and_one_for_the_scripts():
    assert [path.relative_to(LOCALE).as_posix() for path in CATALOGUES] == [
        "es/LC_MESSAGES/django.po",
        "es/LC_MESSAGES/djangojs.po",
    ]
    assert {"--ignore=.venv", "--ignore=static/vendor", "--ignore=var"} <= set(makefile_ignores())


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_it_has_every_marked_string_in_the_committed_catalogue(domain, tmp_path):
    """`make messages` in a copy of the code: nothing it finds is missing from the .po."""
    gettext_tool("xgettext")
    msgcmp = gettext_tool("msgcmp")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "node_modules", "bench", "test-results", "__pycache__"
        ),
    )
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var"), "DJANGO_SETTINGS_MODULE": ""}
    env.pop("DJANGO_SETTINGS_MODULE")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "-d", domain]
        + makefile_ignores(),
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = copy / "locale/es/LC_MESSAGES" / f"{domain}.po"
    committed = LOCALE / "es/LC_MESSAGES" / f"{domain}.po"
    # msgcmp: every msgid of the fresh file must be in the committed one (translated or not).
    result = subprocess.run(
        [msgcmp, "--use-untranslated", "--use-fuzzy", str(committed), str(fresh)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, (
        f"run `make messages`; missing from {committed.name}:\n" + (result.stderr[:3000])
    )


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.name)
def test_it_has_every_string_translated_and_none_fuzzy(po):
    msgfmt = gettext_tool("msgfmt")
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", os.devnull, str(po)],
        capture_output=True,
        text=True,
    )
    statistics = result.stderr.strip()
    assert result.returncode == 0, statistics
    assert "untranslated" not in statistics, f"{po.name}: {statistics}"
    assert "fuzzy" not in statistics, f"{po.name}: {statistics}"


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda path: path.name)
def test_it_commits_each_compiled_catalogue_as_its_po_reads(po, tmp_path):
    """The .mo beside each .po says the same (compared as catalogues, not as bytes)."""
    msgfmt = gettext_tool("msgfmt")
    fresh = tmp_path / "fresh.mo"
    subprocess.run([msgfmt, "--check", "-o", str(fresh), str(po)], check=True)
    committed = po.with_suffix(".mo")
    assert committed.exists(), f"{committed} is missing: run `make messages`"
    with fresh.open("rb") as a, committed.open("rb") as b:
        assert gettext.GNUTranslations(b)._catalog == gettext.GNUTranslations(a)._catalog, (
            f"{committed.name} is out of date: run `make messages`"
        )


# --- Which language a request gets ---------------------------------------------------------


def page_language(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode())[1]


@pytest.mark.django_db
def test_it_speaks_english_to_a_visitor_who_asks_for_nothing(client):
    response = client.get("/")
    assert page_language(response) == "en"
    assert response["Content-Language"] == "en"


@pytest.mark.django_db
def test_it_follows_accept_language_for_a_visitor(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert page_language(response) == "es"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.django_db
def test_it_answers_an_unknown_language_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-klingon"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="de, fr;q=0.8")) == "en"


@pytest.mark.django_db
def test_it_prefers_the_profile_over_accept_language_and_the_cookie(client, alice):
    alice.language = "es"
    alice.save()
    client.force_login(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


@pytest.mark.django_db
def test_it_takes_accept_language_when_the_profile_holds_an_unknown_code(client, alice):
    User.objects.filter(pk=alice.pk).update(language="tlh")  # not through the form
    alice.refresh_from_db()
    client.force_login(alice)
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_it_follows_the_browser_for_a_person_who_never_chose_a_language(client, alice):
    assert alice.language == ""  # nobody has a language before they sign up or choose one
    client.force_login(alice)
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="es")) == "es"
    assert page_language(client.get("/", HTTP_ACCEPT_LANGUAGE="en")) == "en"


@pytest.mark.django_db
def test_it_keeps_the_language_a_person_signed_up_in(client, library):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "lucia@example.com",
            "password1": "correr-en-casa-2026",
            "password2": "correr-en-casa-2026",
        },
        HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9",
    )
    assert response.status_code == 302
    assert User.objects.get(email="lucia@example.com").language == "es"


@pytest.mark.django_db
def test_it_offers_the_page_language_on_the_profile_of_someone_who_never_chose(client, alice):
    client.force_login(alice)
    html = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '<option value="es" selected>Español</option>' in html


def test_it_turns_codes_into_supported_languages_or_nothing():
    assert supported_language("es-AR") == "es"
    assert supported_language("en") == "en"
    assert supported_language("de") is None
    assert supported_language(None) is None
    assert supported_language("x" * 600) is None


@pytest.mark.django_db
def test_it_loads_a_logged_in_person_without_a_query_for_the_language(client, alice):
    client.force_login(alice)
    client.get("/")  # the user is now in the shared cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert page_language(response) == "en"
    assert not [q for q in queries.captured_queries if "accounts_user" in q["sql"]]


# --- The switch --------------------------------------------------------------------------


def switch(client, language, next_page="/exercises/", **extra):
    return client.post(
        reverse("accounts:language"), {"language": language, "next": next_page}, **extra
    )


@pytest.mark.django_db
def test_it_shows_the_switch_on_every_page_with_each_language_in_its_own_name(client):
    html = client.get("/exercises/").content.decode()
    assert 'action="/accounts/language/"' in html
    assert 'lang="en" class="btn language-choice btn-primary" aria-current="true">English<' in html
    assert 'value="es" lang="es"' in html and ">Español</button>" in html
    assert '<input type="hidden" name="next" value="/exercises/">' in html


@pytest.mark.django_db
def test_it_switches_a_visitor_by_cookie_and_returns_to_the_page(client):
    response = switch(client, "es", "/exercises/?area=calves")
    assert response.status_code == 302
    assert response["Location"] == "/exercises/?area=calves"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert page_language(client.get("/exercises/")) == "es"


@pytest.mark.django_db
def test_it_lets_a_visitor_switch_without_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    html = client.get("/").content.decode()
    switch_form = re.search(r'<form[^>]*class="language-switch".*?</form>', html, re.S)[0]
    assert "csrfmiddlewaretoken" not in switch_form  # it may sit in pages kept for everyone
    response = switch(client, "es", "/")
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


@pytest.mark.django_db
def test_it_saves_the_switch_on_the_profile(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    token = client.get("/exercises/").context["csrf_token"]
    response = switch(client, "es", "/today/", HTTP_X_CSRFTOKEN=str(token))
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    alice.refresh_from_db()
    assert alice.language == "es"
    # The cookie too: logged out on this phone, the pages stay Spanish.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert page_language(client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="en")) == "es"


@pytest.mark.django_db
def test_it_refuses_a_logged_in_switch_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert switch(client, "es").status_code == 403
    alice.refresh_from_db()
    assert alice.language == ""


@pytest.mark.django_db
def test_it_saves_an_unknown_language_as_english(client, alice):
    alice.language = "es"
    alice.save()
    client.force_login(alice)
    response = switch(client, "<script>")
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "hostile",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/today/\r\nSet-Cookie: x=1",
        "\x00/today/",
        "",
        "accounts:profile",  # a view's name: never looked up
        "9223372036854775808",
        "today/",
    ],
)
def test_it_sends_a_hostile_next_home(client, hostile):
    response = switch(client, "es", hostile)
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_it_survives_a_switch_with_no_fields(client):
    response = client.post(reverse("accounts:language"))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_it_refuses_get_on_the_switch(client):
    assert client.get(reverse("accounts:language")).status_code == 405


@pytest.mark.django_db
def test_it_offers_the_language_on_the_profile_form(client, alice):
    client.force_login(alice)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert '<option value="es">Español</option>' in html
    data = {
        "display_name": "Alice",
        "units": "kg",
        "timezone": "UTC",
        "language": "es",
        "dumbbells_kg": "",
        "weekly_km": "",
    }
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.language == "es"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    bad = client.post(reverse("accounts:profile"), {**data, "language": "klingon"})
    assert bad.status_code == 200
    assert list(bad.context["form"].errors) == ["language"]
    alice.refresh_from_db()
    assert alice.language == "es"


# --- Caches are per language --------------------------------------------------------------
# The committed Spanish catalogue is filled in by the translators; these tests bring a few
# Spanish strings of their own, so they show a difference whatever the catalogue holds.

SPANISH = {
    "Exercises": "Ejercicios",
    "Exercise library": "Biblioteca de ejercicios",
    "Today's plan": "Plan de hoy",
    "You are offline": "Estás sin conexión",
    "Running compares the last 7 days with the weekly mean of the 4 weeks before.": (
        "La carrera compara los últimos 7 días con la media semanal de las 4 semanas previas."
    ),
}


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format Python's gettext reads), without needing msgfmt."""
    header = "Content-Type: text/plain; charset=UTF-8\nLanguage: es\n"
    entries = sorted({"": header, **messages}.items())
    ids = [key.encode() for key, _ in entries]
    strs = [value.encode() for _, value in entries]
    start = 7 * 4 + 16 * len(entries)
    offsets, data = [], b""
    for text in ids + strs:
        offsets.append((len(text), start + len(data)))
        data += text + b"\0"
    table = b"".join(struct.pack("<2I", *pair) for pair in offsets)
    head = struct.pack("<7I", 0x950412DE, 0, len(entries), 28, 28 + 8 * len(entries), 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(head + table + data)


@pytest.fixture
def spanish(tmp_path):
    write_mo(tmp_path / "es/LC_MESSAGES/django.mo", SPANISH)
    # Django drops its loaded catalogues when LOCALE_PATHS changes.
    with override_settings(LOCALE_PATHS=[tmp_path, *settings.LOCALE_PATHS]):
        yield


@pytest.fixture
def bob_in_spanish(bob):
    bob.language = "es"
    bob.save()
    return bob


def menu(response) -> str:
    html = response.content.decode()
    return html[html.index('<ul class="navbar-nav') : html.index("</ul>")]


@pytest.mark.django_db
def test_it_keeps_the_menu_per_language(spanish, alice, bob_in_spanish):
    english, spanish_client = Client(), Client()
    english.force_login(alice)
    spanish_client.force_login(bob_in_spanish)
    for _ in range(2):  # the second round is served from the cached fragments
        assert ">Exercises<" in menu(english.get("/runs/"))
        assert ">Ejercicios<" in menu(spanish_client.get("/runs/"))
    assert ">Ejercicios<" not in menu(english.get("/runs/"))


@pytest.mark.django_db
def test_it_keeps_the_library_pages_per_language(spanish, library, client):
    english = client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish_page = client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    again = client.get("/exercises/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Biblioteca de ejercicios" in spanish_page
    assert "Biblioteca de ejercicios" not in english
    assert again == english


@pytest.mark.django_db
def test_it_shows_a_switch_on_the_cached_session_page_at_once(spanish, library, alice):
    client = Client()
    client.force_login(alice)
    workout = open_workout(client)
    url = reverse("workout_sessions:detail", args=[workout.pk])
    english, spanish_heading = '<h1 class="h3">Today', '<h1 class="h3">Plan de hoy</h1>'
    assert english in client.get(url).content.decode()
    assert english in client.get(url).content.decode()  # from the cache
    switch(client, "es", url)
    page = client.get(url).content.decode()
    assert spanish_heading in page
    assert english not in page
    switch(client, "en", url)
    assert english in client.get(url).content.decode()


@pytest.mark.django_db
def test_it_keeps_the_coachs_triage_table_per_language(spanish, carol):
    client = Client()
    client.force_login(carol)
    footnote = "Running compares the last 7 days"
    assert footnote in client.get(reverse("coaching:dashboard")).content.decode()
    carol.language = "es"
    carol.save()
    page = client.get(reverse("coaching:dashboard")).content.decode()
    assert "La carrera compara los últimos 7 días" in page
    assert footnote not in page


@pytest.mark.django_db
def test_it_makes_a_service_worker_per_language(spanish, client):
    english = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    spanish_worker = client.get("/sw.js", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert '"pagesCache": "hs-pages-v1-en"' in english
    assert '"pagesCache": "hs-pages-v1-es"' in spanish_worker
    assert "You are offline" in english and "Estás sin conexión" in spanish_worker
    assert catalog_url("es") in spanish_worker and catalog_url("en") in english


@pytest.mark.django_db
def test_it_serves_the_script_strings_per_language_from_an_address_of_their_own(client):
    spanish_url, english_url = catalog_url("es"), catalog_url("en")
    assert spanish_url != english_url
    spanish_js = client.get(spanish_url)
    assert "Sincronizando" in spanish_js.content.decode()
    assert "Sincronizando" not in client.get(english_url).content.decode()
    assert spanish_js["Content-Type"].startswith("text/javascript")
    assert "immutable" in spanish_js["Cache-Control"]
    # An address from another deploy still gets the strings, kept only briefly.
    old = client.get(reverse("javascript_catalog", args=["es", "0ld"]))
    assert old.content == spanish_js.content
    assert old["Cache-Control"] == "public, max-age=300"


@pytest.mark.django_db
def test_it_loads_the_script_strings_before_the_site_scripts(client, alice):
    alice.language = "en"
    alice.save()
    client.force_login(alice)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts[0] == catalog_url("en")  # Alice's profile says English
    assert scripts[1:] == ["/static/js/site.js", "/static/js/queue.js", "/static/js/offline.js"]


# --- Emails ------------------------------------------------------------------------------


SPANISH_DATE = re.compile(
    r"\d+ de (enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|"
    r"noviembre|diciembre) de \d{4}"
)  # the link's last day, "9 de diciembre de 2026", month names from Django's own Spanish


@pytest.mark.django_db
def test_it_writes_an_invitation_in_the_recipients_language(client, carol, bob):
    bob.language = "es"
    bob.save()
    client.force_login(carol)  # Carol reads English
    client.post(reverse("accounts:invitation_create"), {"email": bob.email})
    (message,) = mail.outbox
    assert message.to == [bob.email]
    assert SPANISH_DATE.search(message.body), message.body


@pytest.mark.django_db
def test_it_writes_an_invitation_to_a_new_address_in_the_senders_language(client, carol, bob):
    client.force_login(carol)
    client.post(reverse("accounts:invitation_create"), {"email": "new@example.com"})
    carol.language = "es"
    carol.save()
    client.post(reverse("accounts:invitation_create"), {"email": "nueva@example.com"})
    english, spanish_message = mail.outbox
    assert not SPANISH_DATE.search(english.body), english.body
    assert SPANISH_DATE.search(spanish_message.body), spanish_message.body


@pytest.mark.django_db
def test_it_writes_an_email_in_the_recipients_language_whoever_asked(client, alice):
    """A password reset asked from an English page reaches a Spanish account in Spanish
    (Django's own Spanish subject words come from allauth's catalogue)."""
    alice.language = "es"
    alice.save()
    client.post(
        reverse("account_reset_password"), {"email": alice.email}, HTTP_ACCEPT_LANGUAGE="en"
    )
    (message,) = mail.outbox
    with translation.override("es"):
        expected = translation.gettext("Password Reset Email")
    assert expected != "Password Reset Email"
    assert expected in message.subject


# --- Numbers and dates -------------------------------------------------------------------


@pytest.mark.django_db
def test_it_writes_loads_and_distances_with_the_languages_decimal_mark():
    from accounts.units import format_load
    from runs.models import format_km

    with translation.override("es"):
        assert format_load(12.5, "kg") == "12,5 kg"
        assert format_km("8.40") == "8,4"
    assert format_load(12.5, "kg") == "12.5 kg"
    assert format_km("8.40") == "8.4"


@pytest.mark.django_db
def test_it_accepts_a_load_typed_with_a_decimal_comma():
    from sessions.forms import SetForm

    with translation.override("es"):
        form = SetForm({"load": "12,5"}, units="kg")
        form.is_valid()
    assert "load" not in form.errors
    assert str(form.cleaned_data["load"]) == "12.50"


@pytest.mark.django_db
def test_it_writes_an_import_result_in_the_athletes_language(client, alice):
    """The worker has no request: the message it stores follows the athlete's profile."""
    from runs.models import ActivityImport
    from runs.tasks import import_activity_file
    from tests.activity_files import gpx_file
    from tests.test_runs_import import upload

    alice.language = "es"
    alice.save()
    client.force_login(alice)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):  # left for the worker
        client.post(reverse("runs:import"), {"files": [upload("hills.gpx", gpx_file())]})
    (item,) = ActivityImport.objects.filter(athlete=alice)
    with translation.override("en"):  # whatever the worker's own language
        import_activity_file.call(item.pk)
    item.refresh_from_db()
    assert item.status == "stored"
    assert re.search(r"\d+,\d+ km", item.message), item.message  # "6,68 km": Spanish decimals


@pytest.mark.django_db
def test_it_writes_an_import_result_in_the_language_the_files_were_sent_in(client, alice):
    """Alice's profile leaves the language to her browser, which asks for Spanish: the
    worker, which has no browser, writes in the language she sent the files in."""
    from runs.models import ActivityImport
    from runs.tasks import import_activity_file
    from tests.activity_files import gpx_file
    from tests.test_runs_import import upload

    assert alice.language == ""
    client.force_login(alice)
    dummy = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):  # left for the worker
        client.post(
            reverse("runs:import"),
            {"files": [upload("hills.gpx", gpx_file())]},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    (item,) = ActivityImport.objects.filter(athlete=alice)
    with translation.override("en"):  # whatever the worker's own language
        import_activity_file.call(item.pk)
    item.refresh_from_db()
    assert item.status == "stored"
    assert re.search(r"\d+,\d+ km", item.message), item.message  # Spanish decimals


@pytest.mark.parametrize("typed", ["4; 6; 8,5", "4, 6, 8,5", "8,5 4 6", "4;6;8.5"])
def test_it_reads_a_spanish_list_of_dumbbells(typed):
    from accounts.forms import WeightListField

    with translation.override("es"):
        field = WeightListField(units="kg", required=False)
        assert field.clean(typed) == [4, 6, 8.5]
        assert field.prepare_value([4, 6, 8.5]) == "4; 6; 8,5"
    assert WeightListField(units="kg").clean("4,6,8.5") == [4, 6, 8.5]  # English: commas


# --- Django's and allauth's own messages, in our Spanish (core/vendor_strings.py) -----------


def vendor_msgids() -> list[str]:
    tree = ast.parse((settings.BASE_DIR / "core" / "vendor_strings.py").read_text())
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") in ("gettext_noop", "ngettext_lazy")
    ]


def test_it_lists_only_messages_that_django_or_allauth_still_have():
    import allauth
    import django

    theirs = set()
    for package in (django, allauth):
        root = Path(package.__file__).parent
        for mo in root.rglob("locale/es/LC_MESSAGES/django.mo"):
            with mo.open("rb") as catalogue:
                for key in gettext.GNUTranslations(catalogue)._catalog:
                    theirs.add(key[0] if isinstance(key, tuple) else key)
    listed = vendor_msgids()
    assert len(listed) > 50
    assert [msgid for msgid in listed if msgid not in theirs] == []


@pytest.mark.django_db
def test_it_speaks_to_a_spanish_reader_as_tu_in_djangos_own_messages(client):
    html = client.get(reverse("account_signup"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Tu contraseña" in html
    assert "Su contraseña" not in html
    response = client.post(
        reverse("account_login"),
        {"login": "nadie@example.com", "password": "no-es-esta"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert "El correo o la contraseña no son correctos." in response.content.decode()
    assert "usted" not in response.content.decode().lower()
    assert "especificaron" not in response.content.decode()
