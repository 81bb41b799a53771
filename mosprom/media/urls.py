"""Online tours and the programme page (public), the media back office (organisers)."""

from django.urls import path

from mosprom.media import views_manage, views_public

app_name = "media"

urlpatterns = [
    # Public.
    path("online-tours/", views_public.gallery, name="gallery"),
    path("online-tours/<int:pk>/", views_public.tour_detail, name="tour_detail"),
    path("online-tours/<int:pk>/play", views_public.tour_play, name="tour_play"),
    path("programme/", views_public.programme, name="programme"),
    # Organisers.
    path("manage/media/", views_manage.manage, name="manage"),
    path("manage/media/tours/", views_manage.tour_list, name="tours"),
    path("manage/media/tours/new/", views_manage.tour_new, name="tour_new"),
    path("manage/media/tours/<int:pk>/", views_manage.tour_edit, name="tour_edit"),
    path("manage/media/tours/<int:pk>/delete/", views_manage.tour_delete, name="tour_delete"),
    path(
        "manage/media/tours/<int:pk>/publications/<slug:platform>/remove/",
        views_manage.publication_remove,
        name="publication_remove",
    ),
    path("manage/media/views/", views_manage.views_list, name="views"),
    path("manage/media/views/import/", views_manage.views_import, name="views_import"),
    path("manage/media/views/<int:pk>/delete/", views_manage.views_delete, name="views_delete"),
    path("manage/media/reach/", views_manage.reach_list, name="reach"),
    path("manage/media/reach/<int:pk>/", views_manage.reach_edit, name="reach_edit"),
    path("manage/media/reach/<int:pk>/delete/", views_manage.reach_delete, name="reach_delete"),
    path("manage/media/awards/", views_manage.award_list, name="awards"),
    path("manage/media/awards/new/", views_manage.award_new, name="award_new"),
    path("manage/media/awards/<int:pk>/", views_manage.award_edit, name="award_edit"),
    path("manage/media/awards/<int:pk>/delete/", views_manage.award_delete, name="award_delete"),
    path("manage/media/audience/", views_manage.audience_page, name="audience"),
]
