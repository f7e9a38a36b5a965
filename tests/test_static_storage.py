"""The static files storage answers each name with the hashed address of its manifest."""

import json

import pytest
from django.test import override_settings

from core.storage import StaticFilesStorage


def write_manifest(folder, paths):
    (folder / "staticfiles.json").write_text(
        json.dumps({"paths": paths, "version": "1.1", "hash": "x"})
    )


@override_settings(DEBUG=False)
def test_it_answers_the_manifest_address_every_time_and_follows_a_new_manifest(tmp_path):
    write_manifest(tmp_path, {"css/site.css": "css/site.1a2b3c.css"})
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.1a2b3c.css"
    assert storage.url("css/site.css") == "/static/css/site.1a2b3c.css"
    # A name the manifest lacks is an error each time, never remembered as an address.
    for _ in range(2):
        with pytest.raises(ValueError, match="js/none.js"):
            storage.url("js/none.js")
    write_manifest(tmp_path, {"css/site.css": "css/site.4d5e6f.css"})
    storage.hashed_files, storage.manifest_hash = storage.load_manifest()
    assert storage.url("css/site.css") == "/static/css/site.4d5e6f.css"


@override_settings(DEBUG=True)
def test_with_debug_it_answers_the_plain_name_as_django_does(tmp_path):
    write_manifest(tmp_path, {"css/site.css": "css/site.1a2b3c.css"})
    storage = StaticFilesStorage(location=tmp_path, base_url="/static/")
    assert storage.url("css/site.css") == "/static/css/site.css"
    assert storage.url("css/site.css", force=True) == "/static/css/site.1a2b3c.css"
