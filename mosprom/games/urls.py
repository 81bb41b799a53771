"""Games pages under /games/: public (list, game, registration, leaderboard, season table),
the captain's (/games/my/…) and running games (/games/manage/…)."""

from django.urls import path

from mosprom.games import views_manage, views_play, views_public, views_run

app_name = "games"

urlpatterns = [
    # Public.
    path("", views_public.game_list, name="game_list"),
    path("<int:pk>/", views_public.game_detail, name="game_detail"),
    path("<int:pk>/register/", views_public.team_register, name="team_register"),
    path("<int:pk>/solo/", views_public.solo_signup, name="solo_signup"),
    path("<int:pk>/leaderboard/", views_public.leaderboard, name="leaderboard"),
    path("<int:pk>/leaderboard/table/", views_public.leaderboard_table, name="leaderboard_table"),
    path("seasons/<int:pk>/", views_public.season_table, name="season_table"),
    # The captain.
    path("my/", views_play.my_teams, name="my_teams"),
    path("my/teams/<int:pk>/", views_play.team_edit, name="team_edit"),
    path("my/teams/<int:pk>/withdraw/", views_play.team_withdraw, name="team_withdraw"),
    path("my/teams/<int:pk>/play/", views_play.play, name="play"),
    path("my/answers/<int:pk>/appeal/", views_play.answer_appeal, name="answer_appeal"),
    path("my/solo/<int:pk>/withdraw/", views_play.solo_withdraw, name="solo_withdraw"),
    # Organisers and the hosts of the game's site.
    path("manage/", views_manage.manage_games, name="manage_games"),
    path("manage/new/", views_manage.game_new, name="manage_game_new"),
    path("manage/<int:pk>/", views_manage.manage_game, name="manage_game"),
    path("manage/<int:pk>/edit/", views_manage.game_edit, name="manage_game_edit"),
    path("manage/<int:pk>/rounds/", views_manage.rounds, name="manage_rounds"),
    path("manage/rounds/<int:pk>/", views_manage.round_edit, name="manage_round"),
    path("manage/questions/<int:pk>/", views_manage.question_edit, name="manage_question"),
    path("manage/<int:pk>/rosters/", views_manage.rosters, name="manage_rosters"),
    path("manage/solos/<int:pk>/place/", views_manage.solo_place, name="manage_solo_place"),
    path("manage/<int:pk>/prizes/", views_manage.prize_draw, name="manage_prize_draw"),
    path("manage/<int:pk>/scores/", views_run.score_grid, name="manage_scores"),
    path(
        "manage/teams/<int:pk>/rounds/<int:round_pk>/score/",
        views_run.score_cell,
        name="manage_score_cell",
    ),
    path("manage/<int:pk>/scores/history/", views_run.score_history, name="manage_score_history"),
    path("manage/<int:pk>/penalties/", views_run.penalties, name="manage_penalties"),
    path("manage/<int:pk>/review/", views_run.review_queue, name="manage_review"),
    path("manage/answers/<int:pk>/review/", views_run.answer_review, name="manage_answer_review"),
    path("manage/<int:pk>/publish/", views_run.results_publish, name="manage_publish"),
    path("manage/seasons/", views_manage.season_list, name="manage_seasons"),
    path("manage/seasons/new/", views_manage.season_new, name="manage_season_new"),
    path("manage/seasons/<int:pk>/", views_manage.season_edit, name="manage_season_edit"),
]
