from django.urls import path

from onboarding import views

app_name = "onboarding"
urlpatterns = [
    path("", views.equipment_step, name="equipment"),
    path("running/", views.running_step, name="running"),
]
