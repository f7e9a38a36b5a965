"""The services a scaled-out site runs on, for the tests that need them: Redis, and
app servers started as real processes.

Redis is the one the machine runs (``REDIS_URL``, or 127.0.0.1:6379). Without it a test
that needs it is skipped on a developer machine and **fails** in CI (``CI=true``), where
``.ci/run`` starts it.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
SITE_HOST = "homestrength.test"  # the name the proxy serves the app hosts under


def redis_url() -> str:
    """The Redis to test against, once it answered a PING."""
    import redis

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        message = f"Redis at {url} does not answer ({exc}); .ci/run starts it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def delete_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
    if keys:
        client.delete(*keys)


def database_url(settings_dict) -> str:
    """The URL of the database the tests use (the test database), for another process."""
    quote = urllib.parse.quote
    user = quote(settings_dict["USER"] or "")
    password = f":{quote(settings_dict['PASSWORD'])}" if settings_dict.get("PASSWORD") else ""
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings_dict['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(**values) -> dict:
    """The environment of a process of the app: this one's, less what pytest set."""
    skip = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}
    env = {k: v for k, v in os.environ.items() if k not in skip}
    env.update({k: str(v) for k, v in values.items()})
    return env


def collect_static(var_dir: Path, env: dict) -> None:
    """What ``make run`` and the image do before serving: the hashed static files."""
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "VAR_DIR": str(var_dir)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr


class AppServer:
    """gunicorn serving the app on a port of its own, as ``make run`` and the image do."""

    def __init__(self, name: str, var_dir: Path, env: dict):
        self.name = name
        self.var_dir = var_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = var_dir / "server.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "homestrength.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                ],
                cwd=ROOT,
                env={**env, "VAR_DIR": str(var_dir), "DEBUG": "False"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_ready(self, seconds=60.0):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as answer:  # noqa: S310 (http)
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer in {seconds} s:\n{self.log.read_text()}")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start_hosts(tmp_path: Path, env: dict, names=("host-a", "host-b")) -> list[AppServer]:
    """Hosts with folders of their own (caches, static files), started side by side."""
    first = tmp_path / names[0]
    first.mkdir()
    collect_static(first, env)
    for name in names[1:]:
        shutil.copytree(first / "static", tmp_path / name / "static")
    servers = [AppServer(name, tmp_path / name, env) for name in names]
    try:
        for server in servers:
            server.wait_ready()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


class Browser:
    """One person's browser behind the site's proxy: every request names the site's host
    (``SITE_HOST``), as a proxy passes it on to whichever app host it picks; one cookie
    jar for every app host (cookies do not depend on the port); redirects followed."""

    def __init__(self):
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def copy(self):
        """Another browser holding the same cookies, as a copied session cookie would."""
        other = Browser()
        for cookie in self.cookies:
            other.cookies.set_cookie(cookie)
        return other

    def cookie(self, name):
        return next((c.value for c in self.cookies if c.name == name), None)

    def get(self, url):
        return self._open(urllib.request.Request(url, headers={"Host": SITE_HOST}))  # noqa: S310

    def post(self, url, fields):
        """A form post, with the CSRF token the site gave this browser."""
        if self.cookie("csrftoken") is None:
            self.get(url)
        data = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": self.cookie("csrftoken")}, doseq=True
        ).encode()
        request = urllib.request.Request(url, data=data, headers={"Host": SITE_HOST})  # noqa: S310
        return self._open(request)

    def _open(self, request):
        try:
            with self.opener.open(request, timeout=30) as answer:
                return answer.status, answer.geturl(), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.geturl(), error.read().decode()
