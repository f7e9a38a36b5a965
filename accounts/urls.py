from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("language/", views.language_switch, name="language"),
    path("export/data.json", views.data_export, name="data_export"),
    path("export/sets.csv", views.sets_export, name="sets_export"),
    path("export/", views.export_page, name="export"),
    path("export/<id:pk>/download/", views.export_download, name="export_download"),
    path("delete/", views.account_delete, name="delete"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/new/", views.invitation_create, name="invitation_create"),
    path("invitations/list/", views.invitation_bulk_create, name="invitation_bulk_create"),
    path("invitations/<str:token>/", views.invitation_detail, name="invitation_detail"),
    path("invitations/<str:token>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/decline/", views.invitation_decline, name="invitation_decline"),
    path("invitations/<str:token>/cancel/", views.invitation_cancel, name="invitation_cancel"),
    path("links/<id:pk>/end/", views.link_end, name="link_end"),
    path("team-links/", views.team_link_create, name="team_link_create"),
    path("team-links/<id:pk>/revoke/", views.team_link_revoke, name="team_link_revoke"),
    path("join/<str:token>/", views.team_link_detail, name="team_link_detail"),
    path("join/<str:token>/accept/", views.team_link_join, name="team_link_join"),
]
