from django.urls import path

from sessions import views

app_name = "workout_sessions"
urlpatterns = [
    path("", views.workout_list, name="list"),
    path("<int:pk>/", views.workout_detail, name="detail"),
    path("<int:pk>/log/", views.workout_log, name="log"),
    path("<int:pk>/sets/", views.set_create, name="log_set"),
    path("<int:pk>/items/<int:position>/skip/", views.item_skip, name="skip_item"),
    path("<int:pk>/finish/", views.workout_finish, name="finish"),
    path("<int:pk>/close/", views.workout_abandon, name="close"),
]
