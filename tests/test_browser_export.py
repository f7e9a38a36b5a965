"""The data export page on a phone (issue 15): prepare, wait, download the zip."""

import zipfile

import pytest
from playwright.sync_api import expect

from tests.a11y import assert_accessible, assert_no_horizontal_scroll
from tests.browser import log_in
from tests.test_accounts import log_a_set

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_prepares_the_export_and_downloads_the_zip_on_a_phone(
    phone, alice, library, live_server, tmp_path
):
    log_a_set(alice, reps=9)
    log_in(phone, alice, live_server)
    phone.goto("/accounts/profile/")
    phone.get_by_role("link", name="Or prepare both as one zip file").click()
    expect(phone.get_by_role("heading", name="No export prepared yet")).to_be_visible()
    assert_accessible(phone, "export page, nothing prepared")

    phone.get_by_role("button", name="Prepare my export").click()

    expect(phone.get_by_role("heading", name="Your export is ready")).to_be_visible()
    assert_accessible(phone, "export page, ready")
    assert_no_horizontal_scroll(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="Download the zip file").click()
    assert download.value.suggested_filename.startswith("homestrength-export-")
    path = tmp_path / "export.zip"
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["data.json", "sets.csv"]
        assert b'"reps": 9' in archive.read("data.json")
