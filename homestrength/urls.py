from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.debug import sensitive_post_parameters

from core import views as core_views
from exercises import views as exercise_views
from sessions import views as sessions_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("manifest.webmanifest", core_views.manifest, name="manifest"),
    path("sw.js", core_views.service_worker, name="service_worker"),
    path(
        "jsi18n/<str:language>/<str:version>.js",
        core_views.javascript_catalog,
        name="javascript_catalog",
    ),
    path("exercises/", include("exercises.urls")),
    path("today/", sessions_views.today, name="today"),
    path("sessions/", include("sessions.urls")),
    path("runs/", include("runs.urls")),
    # Coaching (issue 5): /coach/, /routines/, /calendar/ and comments on /sessions/<pk>/.
    path("", include("coaching.urls")),
    path("accounts/", include("accounts.urls")),
    path("welcome/", include("onboarding.urls")),  # first-run steps after sign-up
    # allauth marks its login, sign-up and password-change views sensitive_post_parameters,
    # but not these two, which also take a password: error reports must not show it.
    path(
        "accounts/reauthenticate/",
        sensitive_post_parameters("password")(allauth_views.reauthenticate),
        name="account_reauthenticate",
    ),
    re_path(
        r"^accounts/password/reset/key/(?P<uidb36>[0-9A-Za-z]+)-(?P<key>.+)/$",
        sensitive_post_parameters("password1", "password2")(allauth_views.password_reset_from_key),
        name="account_reset_password_from_key",
    ),
    path("accounts/", include("allauth.urls")),  # with two-step login under accounts/2fa/
    path("admin/", admin.site.urls),
]

# Error pages that never read the request body (core/views.py says why).
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

if settings.SERVE_MEDIA:
    # Uploaded demonstration videos on the local filesystem. With S3-compatible storage the
    # files are served from the bucket instead and SERVE_MEDIA is off.
    urlpatterns += [
        re_path(r"^media/(?P<path>videos/.+\.mp4)$", exercise_views.media_file, name="media"),
    ]
