"""HomeStrength settings, read from environment variables.

Parsing is strict: a malformed value stops the process with a message naming the variable,
because a typo such as ``DEBUG=yes`` silently turning into ``False`` (or worse, ``True``)
is how production incidents start. Every variable is listed in the README.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw in ("True", "true", "1"):
        return True
    if raw in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_list(name: str, default: str) -> list[str]:
    raw = os.environ.get(name, default)
    items = [item.strip() for item in raw.split(",") if item.strip()]
    for item in items:
        if " " in item:
            raise ImproperlyConfigured(f"{name} is a comma-separated list, got {raw!r}")
    return items


DEBUG = env_bool("DEBUG", False)
# The default key is flagged by `check --deploy`, so it cannot reach production unnoticed.
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-homestrength-development-key-change-me-9f3b2c7d"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(f"CSRF_TRUSTED_ORIGINS entries need a scheme: {origin!r}")

INSTALLED_APPS = [
    "accounts.apps.AdminConfig",  # django.contrib.admin behind the app's login
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
    "accounts",
    "exercises",
    "sessions.apps.WorkoutSessionsConfig",
    "coaching",
    "runs",
    "onboarding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here (static files already are, by whitenoise); Django's gzip
    # middleware pads its output against BREACH.
    "core.middleware.GZipMiddleware",  # not for byte-range files (core/byteranges.py)
    "csp.middleware.CSPMiddleware",
    "core.middleware.SessionMiddleware",  # Django's, without deleting a newer login's cookie
    "django.middleware.common.CommonMiddleware",
    "core.middleware.RequestCharsetMiddleware",  # a 400 before the CSRF check reads the body
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",  # Django's, with the user cached
    "core.middleware.QueueOwnerMiddleware",  # an offline entry only for its own person
    "accounts.middleware.PrivatePagesMiddleware",  # Cache-Control: private, no-store
    "accounts.middleware.ClearSiteDataMiddleware",  # a logout wipes the offline copies
    "accounts.middleware.TimeZoneMiddleware",  # times in the user's zone
    "accounts.middleware.LanguageMiddleware",  # the profile's language, else Django's choice
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "homestrength.urls"
WSGI_APPLICATION = "homestrength.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "core.context_processors.navigation",
                "core.context_processors.languages",
                "core.context_processors.offline_queue",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# The host's own folder: the SQLite database by default, the file caches, collected static
# files and uploads. Each host of several has its own (README, "Deployment").
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var").resolve()
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'homestrength.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from None

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers write at once: WAL lets readers run beside a writer, the busy
    # timeout waits for the lock instead of failing, and IMMEDIATE takes the write lock at
    # the start of a transaction so two writers never deadlock upgrading a read lock.
    # Keep each worker's connection open: reconnecting cost about 1 ms a request (bench/).
    # core.sqlite queues write transactions on a file lock rather than SQLite's sleeping
    # busy handler (see its docstring).
    DATABASES["default"]["ENGINE"] = "core.sqlite"
    # Tests use an in-memory database, as Django does for its own SQLite backend; named here
    # so that pytest-xdist gives each worker its own (it cannot tell core.sqlite is SQLite).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["CONN_MAX_AGE"] = 600
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Cache ------------------------------------------------------------------------------
# Four caches, so that one kind of entry can never push out another (README, "Caching"):
# - "default" (files under CACHE_DIR, shared by the workers of a host): allauth's login
#   rate-limit counters and used authenticator codes (allauth only uses "default"), and the
#   running-log import lock. A per-process cache would multiply every limit by the number
#   of workers.
# - "sessions" (files in CACHE_DIR/sessions): the sessions (cached_db: read here, written
#   through to the database) and the logged-in user of each (accounts.middleware).
# - "pages" (memory, per process): rendered pages and fragments for logged-in people, keyed
#   by versions read from the database, so a stale entry is never asked for again.
# - "library" (memory, per process): the anonymous library pages, searches included, kept
#   apart so that any number of searches can never push a logged-in page out of "pages".
# The file caches (core.cache.FileCache) delete expired files before they cull live ones,
# and are sized so that live entries never reach MAX_ENTRIES: a rate-limit entry lives at
# most 5 minutes, and 50,000 of them take thousands of attacking addresses within that
# window (each is capped at 30 login tries a minute); a session lives 2 weeks
# (SESSION_COOKIE_AGE), and 50,000 is far more browsers than one host serves. Past those
# figures, or with several hosts, point "default" and "sessions" at Redis instead
# (django.core.cache.backends.redis.RedisCache, which evicts by memory, not by count).
# "pages" keeps the 1,000 most recently used entries (LRU) per worker (a plan page body is
# about 7 KB: 7 MB at most), and "library" 300 (40 KB at
# most each, 12 MB): a culled page is only rendered again. "triage" keeps the coach's
# triage-table rows, one entry per coach and athlete (about 1.5 KB each), apart from
# "pages" so that a coach of 100 athletes cannot push plan pages out: 10,000 rows, 15 MB.
SHARED_CACHE_ENTRIES = 50_000
CACHE_DIR = Path(os.environ.get("CACHE_DIR", str(VAR_DIR / "cache")))
CACHES = {
    "default": {
        "BACKEND": "core.cache.FileCache",
        "LOCATION": str(CACHE_DIR),
        "OPTIONS": {"MAX_ENTRIES": SHARED_CACHE_ENTRIES},
    },
    "sessions": {
        "BACKEND": "core.cache.FileCache",
        "LOCATION": str(CACHE_DIR / "sessions"),
        "IN_DEFAULT_FOLDER": True,  # follows "default" when a test run moves it
        "OPTIONS": {"MAX_ENTRIES": SHARED_CACHE_ENTRIES},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "homestrength-pages",
        "OPTIONS": {"MAX_ENTRIES": 1_000},
    },
    "library": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "homestrength-library",
        "OPTIONS": {"MAX_ENTRIES": 300},
    },
    "triage": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "homestrength-triage",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}
# Several hosts (README, "Deployment"): "default" and "sessions" move to one Redis, which
# every host and worker shares, so a login, a rate-limit counter, a used authenticator code
# or an import lock counts on every host. Each has a key prefix of its own, and clearing
# one (core.cache.RedisCache) deletes only its own keys, never the whole Redis database.
# "pages" and "library" stay per process: their keys are versions read from the database,
# so two hosts can never serve different content under one key.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {REDIS_URL!r}"
        )
    CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "homestrength")
    if not CACHE_KEY_PREFIX or not CACHE_KEY_PREFIX.replace("-", "").replace("_", "").isalnum():
        raise ImproperlyConfigured(
            f"CACHE_KEY_PREFIX must be letters, digits, - and _, not {CACHE_KEY_PREFIX!r}"
        )
    for alias in ("default", "sessions"):
        CACHES[alias] = {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"{CACHE_KEY_PREFIX}:{alias}",
        }

# --- Auth -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # emails in the recipient's language
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# An address counts only once its owner typed the 6-digit code we mailed to it: until
# then it cannot log in, receive password resets or be taken from another account. With
# mandatory verification allauth can answer sign-up the same way whether or not the address
# already has an account (the owner gets an email instead), so sign-up reveals nothing.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
if os.environ.get("ACCOUNT_EMAIL_VERIFICATION"):
    # It used to allow "optional" and "none", which let unconfirmed addresses log in.
    raise ImproperlyConfigured(
        "ACCOUNT_EMAIL_VERIFICATION is no longer read: every address is confirmed with an "
        "emailed code. Remove the variable."
    )
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
# Six digits: a phone opens its number pad, and 3 tries per code make guessing hopeless.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_FORMAT = {"length": 6, "numeric": True, "dashed": False}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
# One address per account; a new one replaces it once its code is confirmed.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Wrong passwords lock the account they were tried on for 5 minutes after 5 tries; a whole
# client is only stopped after 20 (on any accounts), so one attacked account never locks
# out the others. allauth also caps login attempts at 30 a minute per client.
ACCOUNT_RATE_LIMITS = {"login_failed": "20/5m/ip,5/5m/key"}
# The number of proxies in front of the app that append to X-Forwarded-For (1 behind the
# documented TLS proxy). With 0 every request counts as coming from its socket address,
# which behind a proxy is the proxy's, so rate limits would apply to everyone at once.
# Never set it higher than the real count: the client could then choose its own address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be 0 or more, not {ALLAUTH_TRUSTED_PROXY_COUNT}"
    )
# Second login step (allauth.mfa): an authenticator app, passkeys or security keys, with
# recovery codes for a lost phone. Staff and coaches must have one (accounts.decorators).
# Passkeys count as that second step; logging in with a passkey alone is not offered.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "HomeStrength"
# Passkeys are refused over plain HTTP, except under DEBUG for `make dev` on 127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# The codes we ask for are digits: these forms open the phone's number pad.
ACCOUNT_FORMS = {"confirm_email_verification_code": "accounts.forms.EmailCodeForm"}
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateCodeForm",
    "reauthenticate": "accounts.forms.ReauthenticateCodeForm",
    "activate_totp": "accounts.forms.ActivateAuthenticatorAppForm",
}
# First run (issue 17): a new account goes through three short steps (equipment, running
# week, today's check-in; the onboarding app), and sign-up carries the browser's time zone.
ACCOUNT_SIGNUP_REDIRECT_URL = "onboarding:equipment"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.timezones.SignupExtrasForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[HomeStrength] "

# --- Background jobs --------------------------------------------------------------------
# Django's Tasks API (the django-tasks backport of Django 6's django.tasks) on the database
# backend of django-tasks-db: jobs are rows of the site's own database, enqueued in the same
# transaction as the rows they work on, and run by `manage.py db_worker` (`make worker`;
# `make run` starts one beside gunicorn). README, "Background jobs".
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- Email ------------------------------------------------------------------------------
# Every email (address codes, password resets, invitations) is handed to a background job
# (core.mail.QueuedEmailBackend), which sends it through EMAIL_DELIVERY_BACKEND, retrying
# with back-off while the mail server fails. EMAIL_BACKEND in the environment names the
# delivery backend.
EMAIL_BACKEND = "core.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "HomeStrength <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---------------------------------------------------------------
# Each language is named in its own words: that is how its speakers find it in the switch.
# A request's language: the logged-in person's profile, else Django's usual cookie and
# Accept-Language, else English (accounts.middleware.LanguageMiddleware; README, "Languages").
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # the switch's choice, kept for a year
LANGUAGE_COOKIE_HTTPONLY = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # also holds the SQLite file's folder
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
}
SERVE_MEDIA = env_bool("SERVE_MEDIA", not os.environ.get("AWS_STORAGE_BUCKET_NAME"))
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    # Uploaded videos on S3-compatible storage (needs `pip install django-storages[s3]`).
    # Objects stay private (a coach's videos are for their athletes only): pages link them
    # by signed addresses that expire after an hour, made only for people who may open the
    # exercise. These options win over any AWS_DEFAULT_ACL / AWS_QUERYSTRING_AUTH setting.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"default_acl": "private", "querystring_auth": True, "querystring_expire": 3600},
    }
# Far-future caching is safe: every file name carries its content hash.
WHITENOISE_MAX_AGE = 31536000
MAX_VIDEO_UPLOAD_MB = env_int("MAX_VIDEO_UPLOAD_MB", 50)
# Running log imports (GPX, TCX, FIT): the largest file, and how many files in one upload.
MAX_RUN_FILE_MB = env_int("MAX_RUN_FILE_MB", 10)
MAX_RUN_FILES = env_int("MAX_RUN_FILES", 20)
# Data export: up to this many logged sets it downloads at once, above it a background job
# prepares it (accounts/export_jobs.py; README, "Background jobs").
EXPORT_STREAM_MAX_SETS = env_int("EXPORT_STREAM_MAX_SETS", 5000)

# --- Security ---------------------------------------------------------------------------
# Set when the site is served over HTTPS (behind a TLS-terminating proxy in production).
SECURE_HTTPS = env_bool("SECURE_HTTPS", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared "sessions" cache and written through to the database: a
# logged-in page skips a query, and logging out still ends the session in every worker.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "sessions"
CSRF_COOKIE_HTTPONLY = False
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE_HTTPS else "http"
# /healthz answers load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
        "media-src": [SELF],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the service worker, /sw.js
        "manifest-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Forms ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
