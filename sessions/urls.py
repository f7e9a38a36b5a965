from django.urls import path

from sessions import views

app_name = "workout_sessions"
urlpatterns = [
    path("", views.workout_list, name="list"),
    path("<id:pk>/", views.workout_detail, name="detail"),
    path("<id:pk>/log/", views.workout_log, name="log"),
    path("<id:pk>/sets/", views.set_create, name="log_set"),
    path("<id:pk>/items/<id:position>/skip/", views.item_skip, name="skip_item"),
    path("<id:pk>/finish/", views.workout_finish, name="finish"),
    path("<id:pk>/close/", views.workout_abandon, name="close"),
]
