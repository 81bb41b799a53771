"""The leaderboard: the pure ranking (property-based over random score tables), the three
tie-break rules on constructed games, shared places, and a bounded number of queries."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from mosprom.accounts.models import Role
from mosprom.accounts.tests.factories import make_user
from mosprom.games.models import (
    Answer,
    AnswerStatus,
    GameFormat,
    Penalty,
    Score,
    TeamStatus,
    TieBreak,
)
from mosprom.games.scoring import (
    RankRow,
    leaderboard,
    leaderboards,
    rank,
    score_set,
    tie_break_key,
)
from mosprom.games.tests.factories import make_game, make_question, make_round, make_team

# --- The ranking as a pure function ----------------------------------------------------------


@st.composite
def score_tables(draw):
    """Rank rows built the way the leaderboard builds them, from a random table of round points
    (None: not entered), penalties and question ratings, under a random tie-break rule; small
    ranges so that ties are frequent."""
    rule = draw(st.sampled_from(list(TieBreak)))
    rounds = draw(st.integers(min_value=0, max_value=4))
    teams = draw(st.integers(min_value=0, max_value=14))
    ids = draw(
        st.lists(
            st.integers(min_value=1, max_value=10_000),
            min_size=teams,
            max_size=teams,
            unique=True,
        )
    )
    rows = []
    for team_id in ids:
        points = draw(
            st.lists(
                st.one_of(st.none(), st.integers(min_value=-2, max_value=3)),
                min_size=rounds,
                max_size=rounds,
            )
        )
        penalty = draw(st.sampled_from([0, 0, 0, 1, 2]))
        rating = draw(st.integers(min_value=0, max_value=3))
        total = sum(p or 0 for p in points) - penalty
        rows.append(RankRow(team_id=team_id, total=total, key=tie_break_key(rule, points, rating)))
    return rows


def result(row: RankRow) -> tuple:
    return (row.total, row.key)


@given(score_tables())
@settings(max_examples=300, deadline=None)
def test_places_start_at_one_and_never_go_down(rows):
    ranked = rank(rows)

    assert sorted(r.row.team_id for r in ranked) == sorted(r.team_id for r in rows)
    if ranked:
        assert ranked[0].place_from == 1
    places = [r.place_from for r in ranked]
    assert places == sorted(places)
    results = [result(r.row) for r in ranked]
    assert results == sorted(results, reverse=True)  # best first
    assert all(1 <= r.place_from <= r.place_to <= len(rows) for r in ranked)


@given(score_tables())
@settings(max_examples=300, deadline=None)
def test_places_are_shared_exactly_when_total_and_tie_break_are_equal(rows):
    ranked = rank(rows)

    for a in ranked:
        better = sum(1 for b in rows if result(b) > result(a.row))
        equal = sum(1 for b in rows if result(b) == result(a.row))
        assert a.place_from == better + 1
        assert a.place_to - a.place_from + 1 == equal  # the group's size
        for b in ranked:
            shared = (a.place_from, a.place_to) == (b.place_from, b.place_to)
            assert shared == (result(a.row) == result(b.row))


@given(score_tables())
@settings(max_examples=300, deadline=None)
def test_the_place_after_a_shared_group_skips_its_size(rows):
    ranked = rank(rows)

    for before, after in itertools.pairwise(ranked):
        if before.place_from != after.place_from:
            assert after.place_from == before.place_to + 1  # 1, 2–3, 4
        else:
            assert after.place_to == before.place_to


@given(score_tables(), st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_the_ranking_does_not_depend_on_the_input_order(rows, random):
    shuffled = list(rows)
    random.shuffle(shuffled)

    assert rank(shuffled) == rank(rows)
    assert rank(reversed(rows)) == rank(rows)


def test_rank_on_a_known_table():
    rows = [
        RankRow(team_id=1, total=5),
        RankRow(team_id=2, total=8, key=(3,)),
        RankRow(team_id=3, total=8, key=(3,)),
        RankRow(team_id=4, total=10),
        RankRow(team_id=5, total=8, key=(1,)),
    ]

    placed = [(r.row.team_id, r.place_from, r.place_to) for r in rank(rows)]

    assert placed == [(4, 1, 1), (2, 2, 3), (3, 2, 3), (5, 4, 4), (1, 5, 5)]


def test_tie_break_keys():
    points = [6, None, 2, 4]
    assert tie_break_key(TieBreak.LAST_ROUND, points, 9) == (4, 2, 0, 6)
    assert tie_break_key(TieBreak.BEST_ROUND, points, 9) == (6, 4, 2, 0)
    assert tie_break_key(TieBreak.QUESTION_RATING, points, 9) == (9,)
    with pytest.raises(ValueError, match="unknown tie-break"):
        tie_break_key("coin_toss", points)


# --- Tie-break rules on constructed games ----------------------------------------------------


def offline_game(tie_break: str, table: dict[str, list[int | None]]):
    """A game with the given round points per team (entered by an organiser)."""
    game = make_game(tie_break=tie_break)
    organiser = make_user(role=Role.ORGANISER)
    rounds_count = len(next(iter(table.values())))
    rounds = [make_round(game=game) for _ in range(rounds_count)]
    for name, points in table.items():
        team = make_team(game=game, name=name)
        for round_, value in zip(rounds, points, strict=True):
            if value is not None:
                score_set(team=team, round=round_, points=value, actor=organiser)
    return game


def places(game) -> list[tuple[str, str]]:
    return [(row.team_name, row.place) for row in leaderboard(game)]


TIED_ON_TOTAL = {"Альфа": [6, 2], "Бета": [4, 4], "Гамма": [2, 6], "Дельта": [1, 1]}


@pytest.mark.django_db
def test_last_round_tie_break():
    game = offline_game(TieBreak.LAST_ROUND, TIED_ON_TOTAL)

    assert places(game) == [("Гамма", "1"), ("Бета", "2"), ("Альфа", "3"), ("Дельта", "4")]


@pytest.mark.django_db
def test_last_round_tie_break_looks_further_back():
    game = offline_game(
        TieBreak.LAST_ROUND, {"Альфа": [5, 1, 3], "Бета": [3, 3, 3], "Гамма": [1, 5, 3]}
    )

    assert places(game) == [("Гамма", "1"), ("Бета", "2"), ("Альфа", "3")]


@pytest.mark.django_db
def test_best_round_tie_break_shares_equal_best_rounds():
    game = offline_game(TieBreak.BEST_ROUND, TIED_ON_TOTAL)

    assert places(game) == [
        ("Альфа", "1–2"),
        ("Гамма", "1–2"),
        ("Бета", "3"),
        ("Дельта", "4"),
    ]


@pytest.mark.django_db
def test_best_round_tie_break_then_second_best():
    game = offline_game(
        TieBreak.BEST_ROUND, {"Альфа": [5, 1, 3], "Бета": [5, 2, 2], "Гамма": [4, 4, 1]}
    )

    assert places(game) == [("Альфа", "1"), ("Бета", "2"), ("Гамма", "3")]


@pytest.mark.django_db
def test_question_rating_tie_break():
    """Four teams, three questions: Q1 taken by «Альфа» only (rating 4 − 1 + 1 = 4), Q2 by
    «Бета» and «Гамма» (4 − 2 + 1 = 3 each), Q3 by «Альфа», «Бета», «Гамма» (2). Each of the
    three has 2 points; ratings: Альфа 6, Бета 5, Гамма 5; «Дельта» took nothing."""
    game = make_game(tie_break=TieBreak.QUESTION_RATING, format=GameFormat.ONLINE)
    round_ = make_round(game=game, questions=3)
    q1, q2, q3 = (make_question(round=round_) for _ in range(3))
    teams = {name: make_team(game=game, name=name) for name in ("Альфа", "Бета", "Гамма")}
    delta = make_team(game=game, name="Дельта")
    taken = {q1: {"Альфа"}, q2: {"Бета", "Гамма"}, q3: {"Альфа", "Бета", "Гамма"}}
    for question, names in taken.items():
        for name, team in teams.items():
            status = AnswerStatus.CORRECT if name in names else AnswerStatus.WRONG
            Answer.objects.create(team=team, question=question, text="x", status=status)
    Answer.objects.create(team=delta, question=q1, text="x", status=AnswerStatus.REVIEW)
    # A withdrawn team's correct answer neither plays nor changes the ratings.
    gone = make_team(game=game, name="Снялись", status=TeamStatus.WITHDRAWN)
    Answer.objects.create(team=gone, question=q1, text="x", status=AnswerStatus.CORRECT)

    board = leaderboard(game)

    assert [(r.team_name, r.total, r.rating, r.place) for r in board] == [
        ("Альфа", 2, 6, "1"),
        ("Бета", 2, 5, "2–3"),
        ("Гамма", 2, 5, "2–3"),
        ("Дельта", 0, 0, "4"),
    ]


@pytest.mark.django_db
def test_question_rating_of_an_offline_game_leaves_ties_shared():
    game = offline_game(
        TieBreak.QUESTION_RATING, {"Альфа": [6, 2], "Бета": [4, 4], "Гамма": [1, 1]}
    )

    assert places(game) == [("Альфа", "1–2"), ("Бета", "1–2"), ("Гамма", "3")]


@pytest.mark.django_db
def test_shared_place_and_the_next_one():
    game = offline_game(
        TieBreak.LAST_ROUND,
        {"Альфа": [5, 5], "Бета": [4, 4], "Гамма": [4, 4], "Дельта": [1, 2], "Эпсилон": [0, 3]},
    )

    board = leaderboard(game)

    assert [(r.team_name, r.total, r.place) for r in board] == [
        ("Альфа", 10, "1"),
        ("Бета", 8, "2–3"),
        ("Гамма", 8, "2–3"),
        ("Эпсилон", 3, "4"),  # better last round than «Дельта»
        ("Дельта", 3, "5"),
    ]
    assert (board[1].place_from, board[1].place_to) == (2, 3)


@pytest.mark.django_db
def test_only_registered_teams_are_on_the_board():
    game = offline_game(TieBreak.LAST_ROUND, {"Альфа": [3]})
    make_team(game=game, name="Ждут", status=TeamStatus.WAITLISTED)
    make_team(game=game, name="Снялись", status=TeamStatus.WITHDRAWN)
    make_team(game=make_game(), name="Чужие")

    assert places(game) == [("Альфа", "1")]


@pytest.mark.django_db
def test_rounds_not_entered_are_none_and_count_zero():
    game = make_game()
    organiser = make_user(role=Role.ORGANISER)
    first, second = make_round(game=game), make_round(game=game)
    alpha = make_team(game=game, name="Альфа")
    make_team(game=game, name="Бета")
    score_set(team=alpha, round=second, points=4, actor=organiser)
    Penalty.objects.create(team=alpha, points=1, reason="Телефон")

    board = {row.team_name: row for row in leaderboard(game)}

    assert board["Альфа"].rounds == (None, 4)
    assert (board["Альфа"].penalty, board["Альфа"].total) == (1, 3)
    assert board["Бета"].rounds == (None, None)
    assert (board["Бета"].total, board["Бета"].place) == (0, "2")
    assert first.pk != second.pk


@pytest.mark.django_db
def test_a_team_silent_in_an_answered_round_gets_zero_not_none():
    game = make_game(format=GameFormat.ONLINE)
    round_ = make_round(game=game)
    question = make_question(round=round_)
    talker = make_team(game=game, name="Альфа")
    make_team(game=game, name="Бета")
    Answer.objects.create(team=talker, question=question, text="x", status=AnswerStatus.WRONG)

    assert [row.rounds for row in leaderboard(game)] == [(0,), (0,)]


@pytest.mark.django_db
def test_an_empty_game_has_an_empty_board():
    assert leaderboard(make_game()) == []


# --- Queries ---------------------------------------------------------------------------------


def big_game(teams: int, rounds: int):
    """``teams`` × ``rounds`` with every score entered, an online round with answers, and
    penalties: everything the board reads."""
    game = make_game(capacity=teams, tie_break=TieBreak.QUESTION_RATING)
    round_rows = [make_round(game=game) for _ in range(rounds)]
    online = make_round(game=game, confidence=True)
    questions = [make_question(round=online) for _ in range(3)]
    team_rows = [make_team(game=game) for _ in range(teams)]
    Score.objects.bulk_create(
        Score(team=team, round=round_, points=(t + r) % 10)
        for t, team in enumerate(team_rows)
        for r, round_ in enumerate(round_rows)
    )
    Answer.objects.bulk_create(
        Answer(
            team=team,
            question=question,
            text="x",
            confident=bool(t % 2),
            status=AnswerStatus.CORRECT if (t + q) % 3 else AnswerStatus.WRONG,
        )
        for t, team in enumerate(team_rows)
        for q, question in enumerate(questions)
    )
    Penalty.objects.bulk_create(
        Penalty(team=team, points=1, reason="Телефон") for team in team_rows[::5]
    )
    return game


@pytest.mark.django_db
def test_leaderboard_queries_are_bounded(django_assert_max_num_queries):
    small = big_game(teams=3, rounds=2)
    large = big_game(teams=30, rounds=6)

    with CaptureQueriesContext(connection) as few:
        leaderboard(small)
    with django_assert_max_num_queries(6):
        board = leaderboard(large)
    with CaptureQueriesContext(connection) as many:
        leaderboard(large)

    assert len(board) == 30
    assert all(len(row.rounds) == 7 for row in board)
    assert len(many) == len(few)


@pytest.mark.django_db
def test_several_boards_at_once_take_as_many_queries_as_one(django_assert_max_num_queries):
    games = [big_game(teams=5, rounds=3) for _ in range(4)]

    with django_assert_max_num_queries(6):
        boards = leaderboards(games)

    assert [len(boards[g.pk]) for g in games] == [5, 5, 5, 5]
    assert boards[games[2].pk] == leaderboard(games[2])
