"""Every public page, for the accessibility check (test_accessibility.py).

Each entry is ``(name, path)``; ``path`` is a string or a callable that builds it from the
demo data (``registry_demo_load()`` and ``accounts_demo_load()`` have run). Append new public
pages here as they are built. Not listed: the API docs (third-party UI we do not control).
"""

from __future__ import annotations

from collections.abc import Callable


def _enterprise_page() -> str:
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    # Московский комбинат игрушек: a site, products and an accessibility note.
    return Enterprise.objects.get(inn=demo_inn(4)).get_absolute_url()


def _sez_enterprise_page() -> str:
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    # Вертикаль Эйр: an SEZ resident with its agreement.
    return Enterprise.objects.get(inn=demo_inn(11)).get_absolute_url()


def _tourism_programme():
    """A small open season on the demo enterprises: the toy factory's master class (7+, one
    session full), Микрон's excursion (14+, passport). Returns the two experiences."""
    import datetime as dt

    from mosprom.accounts.models import User
    from mosprom.core import clock
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise
    from mosprom.tourism.booking import ParticipantData, booking_create
    from mosprom.tourism.models import Experience, ExperienceKind, IdRequirement, Season, Session

    today = clock.today()
    season = Season.objects.create(
        name="Открой#Моспром — проверка доступности",
        starts_on=today + dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=21),
        registration_opens_at=clock.now() - dt.timedelta(days=1),
    )
    made = []
    for number, fields in (
        (
            4,
            {
                "kind": ExperienceKind.MASTER_CLASS,
                "title": "Мастер-класс: мягкая игрушка",
                "description": "Сошьёте игрушку вместе с мастерами фабрики.",
                "min_age": 7,
                "step_free": True,
                "what_to_bring": "Хорошее настроение",
                "meeting_point": "Проходная",
            },
        ),
        (
            3,
            {
                "kind": ExperienceKind.EXCURSION,
                "title": "Как делают микросхемы",
                "min_age": 14,
                "id_requirement": IdRequirement.PASSPORT,
                "meeting_point": "КПП №2",
            },
        ),
    ):
        enterprise = Enterprise.objects.get(inn=demo_inn(number))
        made.append(
            Experience.objects.create(
                enterprise=enterprise, site=enterprise.sites.first(), **fields
            )
        )
    for experience in made:
        for day, capacity in ((1, 15), (2, 1)):
            start = clock.start_of_day(season.starts_on + dt.timedelta(days=day))
            Session.objects.create(
                experience=experience,
                season=season,
                starts_at=start + dt.timedelta(hours=11),
                ends_at=start + dt.timedelta(hours=12, minutes=30),
                capacity=capacity,
            )
    full = Session.objects.get(experience=made[0], capacity=1)
    booking_create(
        user=User.objects.get(email="visitor@demo.mosprom.local"),
        session=full,
        participants=[ParticipantData(full_name="Демьянова Вера", birth_date=dt.date(1990, 1, 1))],
    )
    return made


def _tours_calendar() -> str:
    _tourism_programme()
    return "/tours/"


def _tours_calendar_filtered() -> str:
    _tourism_programme()
    return "/tours/?kind=master_class&age=10&step_free=on&okrug=VAO"


def _tours_calendar_nothing_found() -> str:
    _tourism_programme()
    return "/tours/?kind=tasting"


def _experience_with_sessions() -> str:
    return _tourism_programme()[0].get_absolute_url()


def _experience_secure_plant() -> str:
    return _tourism_programme()[1].get_absolute_url()


def _games_programme():
    """A games season on the demo enterprises: a quiz coming up at the toy factory (teams
    registered, a round scored) and a played one in Технополис with published results, two
    teams sharing 2nd place. Returns (the coming game, the played game, the season)."""
    import datetime as dt

    from mosprom.accounts.models import User
    from mosprom.core import clock
    from mosprom.games.models import (
        Game,
        GameFormat,
        GameSeason,
        GameStatus,
        Round,
        Score,
        Team,
        TeamMember,
    )
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    now = clock.now()
    season = GameSeason.objects.create(
        name="Квизы «Открой#Моспром» — проверка доступности",
        year=clock.today().year,
        place_points=[130, 120, 110, 100, 95, 90],
    )
    toys = Enterprise.objects.get(inn=demo_inn(4))
    coming = Game.objects.create(
        season=season,
        title="Квиз «Игрушки Москвы»",
        theme="Как делают игрушки",
        starts_at=now + dt.timedelta(days=7),
        site=toys.sites.first(),
        format=GameFormat.HYBRID,
        capacity=20,
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=5),
        status=GameStatus.PUBLISHED,
    )
    start = now - dt.timedelta(days=14)
    played = Game.objects.create(
        season=season,
        title="Квиз «Технополис»",
        starts_at=start,
        venue="Технополис «Москва»",
        capacity=20,
        registration_opens_at=start - dt.timedelta(days=10),
        registration_closes_at=start - dt.timedelta(days=1),
        status=GameStatus.PUBLISHED,
        results_published_at=start + dt.timedelta(hours=3),
    )
    captains = [
        User.objects.create_user(email=f"captain{n}@demo.mosprom.local", password=None)
        for n in range(3)
    ]
    for game, scores in ((coming, (6, 4, None)), (played, (9, 7, 7))):
        round_ = Round.objects.create(game=game, number=1, title="Разминка", questions=10)
        for captain, name, points in zip(
            captains, ("Токари", "Слесари", "Литейщики"), scores, strict=True
        ):
            team = Team.objects.create(
                game=game, captain=captain, name=name, organisation="ГБОУ Школа № 1535"
            )
            TeamMember.objects.create(team=team, position=0, full_name=f"Капитан {name}")
            if points is not None:
                Score.objects.create(team=team, round=round_, points=points)
        Game.objects.filter(pk=game.pk).update(taken=3)
    return coming, played, season


def _games_list() -> str:
    _games_programme()
    return "/games/"


def _game_page() -> str:
    return _games_programme()[0].get_absolute_url()


def _game_leaderboard() -> str:
    return f"/games/{_games_programme()[0].pk}/leaderboard/"


def _game_leaderboard_final() -> str:
    return f"/games/{_games_programme()[1].pk}/leaderboard/"


def _season_table() -> str:
    return f"/games/seasons/{_games_programme()[2].pk}/"


def _export_programme():
    """Export support on the demo enterprises: CIIF with an open call (criteria, documents),
    last year's fair with four participants, their products and a quote, and a fair vote with
    published results. Returns (the open event, the past event, the vote round)."""
    import datetime as dt

    from mosprom.core import clock
    from mosprom.export.models import (
        Application,
        ApplicationStatus,
        Call,
        Criterion,
        EventKind,
        ExportEvent,
        FairCandidate,
        FairVote,
        OutcomeReport,
        VoteRound,
    )
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise, Industry

    today, now = clock.today(), clock.now()
    coming = ExportEvent.objects.create(
        kind=EventKind.EXHIBITION,
        title="China International Industry Fair: коллективный стенд Москвы",
        title_en="China International Industry Fair: Moscow joint stand",
        country="Китай",
        city="Шанхай",
        starts_on=today + dt.timedelta(days=90),
        ends_on=today + dt.timedelta(days=94),
        places=7,
        city_covers="Аренда и застройка стенда, перевозка экспонатов",
        company_pays="Перелёт и проживание сотрудников",
        is_published=True,
    )
    coming.industries.set(Industry.objects.filter(code__in=["26", "28"]))
    call = Call.objects.create(
        event=coming,
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        required_documents="Презентация компании\nКаталог продукции",
    )
    for position, (name, weight) in enumerate(
        (("Опыт экспорта", 30), ("Готовность продукции", 40), ("Соответствие рынку", 30)), 1
    ):
        Criterion.objects.create(call=call, name=name, weight=weight, position=position)
    start = today - dt.timedelta(days=60)
    past = ExportEvent.objects.create(
        kind=EventKind.EXHIBITION,
        title="CIIF: московские экспортёры в Шанхае",
        title_en="CIIF: Moscow exporters in Shanghai",
        description="Семь московских компаний на коллективном стенде города.",
        description_en="Seven Moscow companies on the city's joint stand.",
        country="Китай",
        city="Шанхай",
        starts_on=start,
        ends_on=start + dt.timedelta(days=4),
        places=7,
        taken=4,
        is_published=True,
    )
    organiser = _demo_organiser()
    for number in (10, 11, 12, 13):
        enterprise = Enterprise.objects.get(inn=demo_inn(number))
        application = Application.objects.create(
            event=past,
            enterprise=enterprise,
            created_by=organiser,
            status=ApplicationStatus.PARTICIPATED,
        )
        application.products.set(enterprise.products.all())
        if number == 10:
            OutcomeReport.objects.create(
                application=application,
                meetings_held=14,
                quote="Благодаря правительству Москвы мы смогли продемонстрировать наши "
                "решения для очистки воздуха на промышленных объектах.",
                quote_author="Александр Бондарь, генеральный директор корпорации «Воздух»",
                submitted_at=now,
            )
    vote = VoteRound.objects.create(
        year=today.year + 1,
        votes_per_enterprise=3,
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=2),
        results_published=True,
    )
    fairs = [
        FairCandidate.objects.create(round=vote, title=title, country=country, city=city)
        for title, country, city in (
            ("China International Industry Fair", "Китай", "Шанхай"),
            ("Иннопром. Центральная Азия", "Узбекистан", "Ташкент"),
            ("Arab Health", "ОАЭ", "Дубай"),
        )
    ]
    for number, chosen in ((10, (0, 1)), (11, (0,)), (12, (0, 2)), (13, (1,))):
        enterprise = Enterprise.objects.get(inn=demo_inn(number))
        for index in chosen:
            FairVote.objects.create(candidate=fairs[index], enterprise=enterprise)
    return coming, past, vote


def _demo_organiser():
    from mosprom.accounts.models import User

    return User.objects.get(email="organiser@demo.mosprom.local")


def _export_events() -> str:
    _export_programme()
    return "/export/"


def _export_event_page() -> str:
    return _export_programme()[0].get_absolute_url()


def _export_showcase() -> str:
    return f"/export/{_export_programme()[1].pk}/showcase/"


def _export_showcase_en() -> str:
    return f"/export/{_export_programme()[1].pk}/showcase/?lang=en"


def _export_vote_results() -> str:
    return f"/export/votes/{_export_programme()[2].pk}/"


def _media_programme():
    """Online tours on the demo enterprises: the toy factory's tour on RUTUBE and VK with a
    cover, Микрон's with an uploaded file, views, reach and two awards. Returns (the embed
    tour, the file tour)."""
    import datetime as dt

    from mosprom.core.periods import Period
    from mosprom.media.models import ReachChannel
    from mosprom.media.tests.factories import (
        make_award,
        make_online_tour,
        make_platform_views,
        make_publication,
        make_reach,
    )
    from mosprom.registry.demo import demo_inn
    from mosprom.registry.models import Enterprise

    toys = Enterprise.objects.get(inn=demo_inn(4))
    chips = Enterprise.objects.get(inn=demo_inn(3))
    embed = make_online_tour(
        enterprise=toys,
        title="Как шьют мягкую игрушку: полный цикл",
        description="От выкройки до упаковки.\nВедущая покажет каждый цех.",
        published_on=dt.date(2023, 4, 12),
        cover="online-tours/covers/toys.jpg",
        cover_alt="Швеи за работой в цехе фабрики игрушек",
        host_name="Анна Петрова",
    )
    make_publication(embed, "https://rutube.ru/video/0123456789abcdef0123456789abcdef/")
    make_publication(embed, "https://vkvideo.ru/video-22822305_456241862")
    upload = make_online_tour(
        enterprise=chips,
        title="Как делают микросхемы",
        published_on=dt.date(2023, 9, 1),
        cover="online-tours/covers/chips.jpg",
        cover_alt="Пластина с микросхемами в руке инженера",
        video="online-tours/video/chips.webm",
    )
    make_platform_views(embed, Period.year(2023), 125_000)
    make_reach(ReachChannel.SOCIAL, period=Period.year(2023), value=4_200_000)
    make_award(name="Маршрут построен", category="Промышленный маршрут", place="победа")
    make_award(name="bema!", category="Лучшая промышленная экскурсия", place="3 место")
    return embed, upload


def _online_tours_gallery() -> str:
    _media_programme()
    return "/online-tours/"


def _online_tours_gallery_filtered() -> str:
    embed, _upload = _media_programme()
    return f"/online-tours/?industry={embed.experience.enterprise.industry.code}"


def _online_tour_embed() -> str:
    return _media_programme()[0].get_absolute_url()


def _online_tour_uploaded() -> str:
    return _media_programme()[1].get_absolute_url()


def _programme_page() -> str:
    _media_programme()
    return "/programme/?year=2023"


PUBLIC_PAGES: list[tuple[str, str | Callable[[], str]]] = [
    ("home", "/"),
    ("enterprise list", "/enterprises/"),
    ("enterprise list, filtered", "/enterprises/?q=насосы&okrug=ZAO&hosts_tours=on"),
    ("enterprise list, nothing found", "/enterprises/?q=ничегонет"),
    ("enterprise page", _enterprise_page),
    ("enterprise page, SEZ resident", _sez_enterprise_page),
    ("login", "/accounts/login/"),
    ("signup", "/accounts/signup/"),
    ("signup, mail sent", "/accounts/signup/sent/"),
    ("confirmation link broken", "/accounts/confirm/not-a-token/"),
    ("confirmation resend", "/accounts/confirm-resend/"),
    ("password reset", "/accounts/password-reset/"),
    ("password reset, mail sent", "/accounts/password-reset/sent/"),
    ("password reset link broken", "/accounts/password-reset/MQ/not-a-token/"),
    ("consent text", "/accounts/consent/"),
    ("tours calendar", _tours_calendar),
    ("tours calendar, filtered", _tours_calendar_filtered),
    ("tours calendar, nothing found", _tours_calendar_nothing_found),
    ("tours calendar, empty", "/tours/"),
    ("experience page", _experience_with_sessions),
    ("experience page, secure plant", _experience_secure_plant),
    ("games list", _games_list),
    ("games list, nothing found", "/games/?league=schools&format=online"),
    ("game page", _game_page),
    ("game leaderboard, live", _game_leaderboard),
    ("game leaderboard, final", _game_leaderboard_final),
    ("games season table", _season_table),
    ("export events", _export_events),
    ("export events, nothing found", "/export/?kind=b2b"),
    ("export event page", _export_event_page),
    ("export showcase", _export_showcase),
    ("export showcase in English", _export_showcase_en),
    ("export fair vote results", _export_vote_results),
    ("SEZ zone figures", "/sez/"),
    ("online tours gallery", _online_tours_gallery),
    ("online tours gallery, filtered", _online_tours_gallery_filtered),
    ("online tours gallery, empty", "/online-tours/"),
    ("online tour page, platform player", _online_tour_embed),
    ("online tour page, uploaded video", _online_tour_uploaded),
    ("programme page", _programme_page),
    ("programme page, empty", "/programme/"),
    ("programme in figures", "/programme/figures/"),
    ("programme in figures, 2023", "/programme/figures/?year=2023"),
]
