"""The shared caches on Redis (``REDIS_URL``): what settings make of it, and a clear()
that deletes one cache's keys only."""

import json
import subprocess
import sys
import uuid

import pytest

from core.cache import RedisCache
from tests.services import ROOT, child_env, delete_keys, redis_url

PROBE = (
    "import json; from django.conf import settings; "
    "print(json.dumps({a: [c['BACKEND'], c.get('KEY_PREFIX', '')] "
    "for a, c in settings.CACHES.items()}))"
)


def settings_caches(**env):
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PROBE],
        cwd=ROOT,
        env=child_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result


def test_redis_url_puts_the_shared_caches_on_redis_and_keeps_pages_per_process():
    result = settings_caches(REDIS_URL="redis://127.0.0.1:6379/3", CACHE_KEY_PREFIX="club")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == {
        "default": ["core.cache.RedisCache", "club:default"],
        "sessions": ["core.cache.RedisCache", "club:sessions"],
        "pages": ["django.core.cache.backends.locmem.LocMemCache", ""],
        "library": ["django.core.cache.backends.locmem.LocMemCache", ""],
    }


def test_without_redis_url_the_shared_caches_are_files_on_the_host():
    result = settings_caches(REDIS_URL="")
    assert result.returncode == 0, result.stderr
    caches = json.loads(result.stdout.splitlines()[-1])
    assert caches["default"][0] == caches["sessions"][0] == "core.cache.FileCache"


@pytest.mark.parametrize(
    ("name", "value"),
    [("REDIS_URL", "127.0.0.1:6379"), ("CACHE_KEY_PREFIX", "two words")],
)
def test_it_refuses_a_malformed_redis_setting(name, value):
    result = settings_caches(**{"REDIS_URL": "redis://127.0.0.1:6379/0", name: value})
    assert result.returncode != 0
    assert name in result.stderr


@pytest.fixture
def two_caches():
    url = redis_url()
    prefix = f"clear-{uuid.uuid4().hex}"
    caches = [RedisCache(url, {"KEY_PREFIX": f"{prefix}:{name}"}) for name in ("one", "two")]
    yield caches
    delete_keys(url, prefix)


def test_clearing_one_redis_cache_leaves_the_other_and_the_rest_of_the_database(two_caches):
    one, two = two_caches
    client = one._cache.get_client(write=True)
    stranger = f"stranger-{uuid.uuid4().hex}"
    client.set(stranger, b"kept", ex=60)
    try:
        for n in range(2500):  # more than one batch of deletes
            one.set(f"k{n}", n, 60)
        two.set("k1", "kept", 60)
        one.clear()
        assert one.get("k1") is None and one.get("k2499") is None
        assert two.get("k1") == "kept"
        assert client.get(stranger) == b"kept"
    finally:
        client.delete(stranger)


def test_a_redis_cache_needs_a_prefix_of_its_own():
    with pytest.raises(ValueError, match="KEY_PREFIX"):
        RedisCache("redis://127.0.0.1:6379/0", {})
