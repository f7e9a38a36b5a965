from django.urls import path

from runs import views

app_name = "runs"
urlpatterns = [
    path("", views.run_list, name="list"),
    path("new/", views.run_create, name="create"),
    path("<id:pk>/edit/", views.run_edit, name="edit"),
    path("<id:pk>/delete/", views.run_delete, name="delete"),
    path("import/", views.run_import, name="import"),
    path("import/status/", views.import_status, name="import_status"),
    path("races/", views.race_list, name="race_list"),
    path("races/new/", views.race_create, name="race_create"),
    path("races/<id:pk>/edit/", views.race_edit, name="race_edit"),
    path("races/<id:pk>/delete/", views.race_delete, name="race_delete"),
    path("athletes/<id:athlete_id>/", views.athlete_run_list, name="athlete_list"),
]
