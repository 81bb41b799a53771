"""Lottery pages (tourism.views_lottery); included into the tourism URLs (namespace tourism)."""

from django.urls import path

from mosprom.tourism import views_lottery

urlpatterns = [
    path("tours/sessions/<int:pk>/lottery/", views_lottery.lottery_apply, name="lottery_apply"),
    path(
        "tours/sessions/<int:pk>/lottery/result/",
        views_lottery.lottery_result,
        name="lottery_result",
    ),
    path("my/lottery/", views_lottery.my_applications, name="my_lottery_applications"),
    path("my/lottery/<int:pk>/withdraw/", views_lottery.lottery_withdraw, name="lottery_withdraw"),
]
