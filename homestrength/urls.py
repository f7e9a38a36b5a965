from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from core import views as core_views
from sessions import views as sessions_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("exercises/", include("exercises.urls")),
    path("today/", sessions_views.today, name="today"),
    path("sessions/", include("sessions.urls")),
    path("runs/", include("runs.urls")),
    # Coaching (issue 5): /coach/, /routines/, /calendar/ and comments on /sessions/<pk>/.
    path("", include("coaching.urls")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    # Uploaded demonstration videos on the local filesystem. With S3-compatible storage the
    # files are served from the bucket instead and SERVE_MEDIA is off.
    urlpatterns += [
        re_path(r"^media/(?P<path>videos/.+\.mp4)$", core_views.media_file, name="media"),
    ]
