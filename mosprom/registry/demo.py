"""Demo data for the registry: the enterprises named in the press releases, plus synthetic ones.

Everything written here is flagged ``is_demo=True``. The companies' names and what they make
come from the seeds (the two press releases); every other detail — registration numbers,
addresses, coordinates, products, SEZ agreements — is invented and says so.

Registration numbers are generated from a demo prefix whose region code «00» does not exist,
so they pass the checksum rules but can never be a real company's INN or OGRN:

- INN  = ``00`` + 7-digit number + check digit (10 digits, an organisation's INN);
- OGRN = ``1`` + ``00`` (year) + ``00`` (region) + 7-digit number + check digit.

Numbers 1–999 belong to the named enterprises, numbers from 1000 to the synthetic ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Max

from mosprom.core.validators import inn_complete, ogrn_complete
from mosprom.registry.models import (
    Enterprise,
    Industry,
    Membership,
    Product,
    ProductionSite,
    SEZMembership,
    SEZStatus,
    SpecialEconomicZone,
)
from mosprom.registry.okrugs import Okrug
from mosprom.registry.okved import DIVISIONS

DEMO_INN_PREFIX = "00"
DEMO_OGRN_PREFIX = "10000"
SYNTHETIC_START = 1000
SEZ_NAME = "Технополис Москва"
# Real-scale figures from the seeds: ≈4,600 enterprises; «свыше 230» SEZ companies, 124 residents.
REAL_ENTERPRISES = 4600
SEZ_COMPANIES = 232
SEZ_RESIDENTS = 124

DEMO_NOTE = (
    "Демонстрационная запись: реквизиты, адреса и продукция условные, "
    "к реальной компании не относятся."
)
SITE_DEMO_NOTE = "Демо-данные: адрес, координаты и условия доступности условные."


def demo_inn(number: int) -> str:
    """The demo INN with the given sequence number (region «00», which no real INN has)."""
    return inn_complete(f"{DEMO_INN_PREFIX}{number:07d}")


def demo_ogrn(number: int) -> str:
    """The demo OGRN with the given sequence number (region «00»)."""
    return ogrn_complete(f"{DEMO_OGRN_PREFIX}{number:07d}")


@dataclass(frozen=True)
class DemoSite:
    name: str
    address: str
    okrug: str
    latitude: str
    longitude: str
    accessibility: str


@dataclass(frozen=True)
class DemoEnterprise:
    number: int
    short_name: str
    legal_name: str
    okved: str
    okrug: str
    slug: str
    makes: str
    hosts_tours: bool
    sites: tuple[DemoSite, ...]
    products: tuple[tuple[str, str, str], ...]  # (name, description, HS code)
    sez: tuple[str, str, str] | None = field(default=None)  # (status, agreement no., ISO date)


_STEP_FREE = "Вход без ступеней, есть лифт и доступный туалет; маршрут экскурсии без лестниц."
_PARTLY = (
    "Вход с пандусом; часть цехов на втором этаже без лифта — для посетителей на колясках "
    "маршрут сокращён."
)
_SHOP_FLOOR = (
    "Производственный цех: закрытая обувь обязательна, выдаются халаты и защитные очки; "
    "вход по пандусу."
)

SEED_ENTERPRISES: tuple[DemoEnterprise, ...] = (
    DemoEnterprise(
        number=1,
        short_name="Элтеза",
        legal_name="АО «Элтеза»",
        okved="27.90",
        okrug=Okrug.UVAO,
        slug="eltesa",
        makes=(
            "Разработка и производство современных систем управления безопасностью "
            "движения поездов: централизация стрелок и сигналов, автоблокировка, "
            "контроль рельсовых цепей."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Производственный комплекс",
                "Москва, Рязанский проспект, д. 8А, стр. 14",
                Okrug.UVAO,
                "55.722100",
                "37.756400",
                _PARTLY,
            ),
        ),
        products=(
            (
                "Микропроцессорная централизация стрелок и сигналов",
                "Управление стрелками и светофорами станции с резервированием.",
                "8530100000",
            ),
            (
                "Аппаратура контроля рельсовых цепей",
                "Контроль свободности пути и целостности рельсов.",
                "8530100000",
            ),
            (
                "Релейный шкаф автоблокировки",
                "Шкаф с аппаратурой автоблокировки для перегонов.",
                "8537109100",
            ),
        ),
    ),
    DemoEnterprise(
        number=2,
        short_name="Трансмаш",
        legal_name="ПАО «Московский тормозной завод «Трансмаш»",
        okved="30.20",
        okrug=Okrug.SAO,
        slug="transmash",
        makes=(
            "Московский тормозной завод: тормозные системы для вагонов метро "
            "и междугородних поездов."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Тормозной завод",
                "Москва, Петровско-Разумовский проезд, д. 29",
                Okrug.SAO,
                "55.790300",
                "37.572800",
                _SHOP_FLOOR,
            ),
        ),
        products=(
            (
                "Тормозное оборудование вагонов метро",
                "Комплект пневматического тормоза для вагонов метрополитена.",
                "8607210000",
            ),
            (
                "Кран машиниста для пассажирских поездов",
                "Управление тормозами состава из кабины машиниста.",
                "8481809900",
            ),
        ),
    ),
    DemoEnterprise(
        number=3,
        short_name="Микрон",
        legal_name="ПАО «Микрон»",
        okved="26.11",
        okrug=Okrug.ZELAO,
        slug="mikron",
        makes=(
            "Производство микросхем и чип-модулей для банковских карт, транспортных "
            "билетов и даже космических аппаратов."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Фабрика микросхем",
                "Москва, Зеленоград, 1-й Западный проезд, д. 12, стр. 1",
                Okrug.ZELAO,
                "55.983300",
                "37.171500",
                _STEP_FREE + " В чистые помещения не заходят: цеха видно через смотровые окна.",
            ),
            DemoSite(
                "Участок сборки чип-модулей",
                "Москва, Зеленоград, Панфиловский проспект, д. 10",
                Okrug.ZELAO,
                "55.982000",
                "37.177100",
                _STEP_FREE,
            ),
        ),
        products=(
            (
                "Чип-модуль для банковских карт",
                "Контактный и бесконтактный модуль для платёжных карт.",
                "8542319000",
            ),
            (
                "Радиационно стойкие микросхемы",
                "Микросхемы для космических аппаратов.",
                "8542399000",
            ),
        ),
    ),
    DemoEnterprise(
        number=4,
        short_name="Московский комбинат игрушек",
        legal_name="АО «Московский комбинат игрушек»",
        okved="32.40",
        okrug=Okrug.VAO,
        slug="toys",
        makes=(
            "Производство игрушек: мягкие игрушки, куклы, развивающие наборы. "
            "На экскурсии гости шьют свою игрушку на мастер-классе."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Фабрика игрушек",
                "Москва, Вольная улица, д. 28, стр. 4",
                Okrug.VAO,
                "55.786600",
                "37.722300",
                _STEP_FREE + " Мастер-класс проходит за столами, подходящими для колясок.",
            ),
        ),
        products=(
            (
                "Мягкая игрушка «Медвежонок»",
                "Плюшевый медведь ручной работы, 30 см.",
                "9503004100",
            ),
            (
                "Развивающий набор «Собери зверят»",
                "Набор для шитья игрушки для детей от 7 лет.",
                "9503009909",
            ),
            ("Кукла «Москвичка»", "Кукла в костюме по мотивам московской моды.", "9503002100"),
        ),
    ),
    DemoEnterprise(
        number=5,
        short_name="Останкинский мясоперерабатывающий завод",
        legal_name="АО «Останкинский мясоперерабатывающий завод»",
        okved="10.13",
        okrug=Okrug.SVAO,
        slug="ostankino",
        makes=(
            "Мясоперерабатывающее производство: варёные колбасы, сосиски, ветчина и "
            "деликатесы. На экскурсии — дегустация."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Колбасный цех",
                "Москва, Пищевая улица, д. 5",
                Okrug.SVAO,
                "55.819300",
                "37.626100",
                _SHOP_FLOOR + " Медицинская книжка не нужна; по санитарным правилам "
                "выдаются одноразовые халаты и шапочки.",
            ),
        ),
        products=(
            ("Колбаса варёная «Докторская»", "Варёная колбаса по ГОСТ.", "1601009900"),
            ("Сосиски молочные", "Сосиски в натуральной оболочке.", "1601009900"),
            ("Ветчина варёная", "Ветчина из охлаждённой свинины.", "1602419000"),
        ),
    ),
    DemoEnterprise(
        number=6,
        short_name="Галвент",
        legal_name="ООО «Вентиляционная фабрика «Галвент»",
        okved="28.25",
        okrug=Okrug.UZAO,
        slug="galvent",
        makes="Вентиляционная фабрика: вентиляторы, воздуховоды и воздухораспределители.",
        hosts_tours=True,
        sites=(
            DemoSite(
                "Вентиляционная фабрика",
                "Москва, Научный проезд, д. 19",
                Okrug.UZAO,
                "55.651600",
                "37.554900",
                _PARTLY,
            ),
        ),
        products=(
            (
                "Канальный вентилятор",
                "Вентилятор для круглых и прямоугольных каналов.",
                "8414590000",
            ),
            ("Воздуховоды из оцинкованной стали", "Спирально-навивные воздуховоды.", "7326909807"),
        ),
    ),
    DemoEnterprise(
        number=7,
        short_name="Смарт Системз",
        legal_name="ООО «Смарт Системз»",
        okved="26.11",
        okrug=Okrug.SZAO,
        slug="smart-systems",
        makes=(
            "Производитель RFID-продукции: радиочастотные метки, браслеты и карты; "
            "онлайн-экскурсия по цехам вышла на сайте проекта."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Производство RFID-меток",
                "Москва, улица Берзарина, д. 36, стр. 3",
                Okrug.SZAO,
                "55.787900",
                "37.475300",
                _STEP_FREE,
            ),
        ),
        products=(
            ("UHF RFID-метка для маркировки товаров", "Метка диапазона 860–960 МГц.", "8523520000"),
            ("RFID-браслет", "Браслет для систем доступа и бесконтактной оплаты.", "8523520000"),
        ),
    ),
    DemoEnterprise(
        number=8,
        short_name="Макс Экстрим",
        legal_name="ООО «Швейная фабрика «Макс Экстрим»",
        okved="14.13",
        okrug=Okrug.UAO,
        slug="max-extreme",
        makes=(
            "Швейная фабрика полного цикла — от разработки моделей до пошива и печати "
            "изображений на ткани."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Швейная фабрика",
                "Москва, Варшавское шоссе, д. 125, стр. 16",
                Okrug.UAO,
                "55.631500",
                "37.617200",
                _PARTLY,
            ),
        ),
        products=(
            ("Мембранная куртка", "Куртка для активного отдыха.", "6201400000"),
            ("Футболка с сублимационной печатью", "Печать изображений на ткани.", "6109100000"),
        ),
    ),
    DemoEnterprise(
        number=9,
        short_name="ЛГМ",
        legal_name="АО «ЛГМ»",
        okved="28.13",
        okrug=Okrug.ZAO,
        slug="lgm",
        makes=(
            "Более 60 лет производит насосное оборудование для кораблей, космодромов "
            "и атомных станций."
        ),
        hosts_tours=True,
        sites=(
            DemoSite(
                "Насосный завод",
                "Москва, Очаковское шоссе, д. 34",
                Okrug.ZAO,
                "55.686400",
                "37.448200",
                _SHOP_FLOOR,
            ),
        ),
        products=(
            ("Судовой центробежный насос", "Насос для корабельных систем.", "8413702100"),
            ("Насосный агрегат для атомных станций", "Агрегат для контуров АЭС.", "8413702900"),
        ),
    ),
    DemoEnterprise(
        number=10,
        short_name="Корпорация «Воздух»",
        legal_name="ООО «Корпорация «Воздух»",
        okved="28.29",
        okrug=Okrug.UVAO,
        slug="vozdukh",
        makes=(
            "Газоочистное оборудование для объектов водоканалов и различных отраслей "
            "промышленности; участник China International Industry Fair в Шанхае."
        ),
        hosts_tours=False,
        sites=(
            DemoSite(
                "Производство газоочистного оборудования",
                "Москва, Волгоградский проспект, д. 42, корп. 5",
                Okrug.UVAO,
                "55.715400",
                "37.739300",
                _PARTLY,
            ),
        ),
        products=(
            (
                "Газоочистная установка для водоканалов",
                "Очистка газовоздушных выбросов очистных сооружений.",
                "8421392000",
            ),
            ("Скруббер промышленный", "Мокрая очистка газов.", "8421392000"),
        ),
    ),
    # The SEZ companies the second release describes without naming them: invented names.
    DemoEnterprise(
        number=11,
        short_name="Вертикаль Эйр",
        legal_name="ООО «Вертикаль Эйр»",
        okved="28.25",
        okrug=Okrug.UVAO,
        slug="vertical-air",
        makes=(
            "Вымышленная компания ОЭЗ «Технополис Москва» (в пресс-релизе не названа): "
            "вертикальные установки и фильтрующие комплексы для очистки воздуха "
            "на промышленных объектах."
        ),
        hosts_tours=False,
        sites=(
            DemoSite(
                "Площадка «Печатники»",
                "Москва, Технополис «Печатники», корп. 2",
                Okrug.UVAO,
                "55.690200",
                "37.738400",
                _STEP_FREE,
            ),
        ),
        products=(
            ("Вертикальная установка очистки воздуха", "Для цехов и складов.", "8421392000"),
            ("Фильтрующий комплекс", "Многоступенчатая фильтрация выбросов.", "8421392000"),
        ),
        sez=(SEZStatus.RESIDENT, "ДЕМО-ТП-0011", "2021-03-15"),
    ),
    DemoEnterprise(
        number=12,
        short_name="Автоном Пожзащита",
        legal_name="ООО «Автоном Пожзащита»",
        okved="28.29",
        okrug=Okrug.ZELAO,
        slug="autonom-fire",
        makes=(
            "Вымышленная компания ОЭЗ «Технополис Москва» (в пресс-релизе не названа): "
            "автономное устройство пожаротушения для электротранспорта, объектов "
            "энергетики, жилых и коммерческих зданий."
        ),
        hosts_tours=False,
        sites=(
            DemoSite(
                "Площадка «Алабушево»",
                "Москва, Зеленоград, Технополис «Алабушево», корп. 7",
                Okrug.ZELAO,
                "56.009300",
                "37.149900",
                _STEP_FREE,
            ),
        ),
        products=(
            (
                "Автономное устройство пожаротушения для электробусов",
                "Срабатывает без электропитания.",
                "8424100000",
            ),
            ("Модуль пожаротушения для энергообъектов", "Для трансформаторных.", "8424100000"),
        ),
        sez=(SEZStatus.RESIDENT, "ДЕМО-ТП-0012", "2022-09-01"),
    ),
    DemoEnterprise(
        number=13,
        short_name="Монокристалл Сенсор",
        legal_name="ООО «Монокристалл Сенсор»",
        okved="26.51",
        okrug=Okrug.UVAO,
        slug="monocrystal",
        makes=(
            "Вымышленная компания ОЭЗ «Технополис Москва» (в пресс-релизе не названа): "
            "элементы из промышленных монокристаллов для систем мониторинга вибрации и "
            "давления на объектах, работающих при экстремально высоких температурах."
        ),
        hosts_tours=False,
        sites=(
            DemoSite(
                "Лаборатория роста кристаллов",
                "Москва, Технополис «Печатники», корп. 5",
                Okrug.UVAO,
                "55.691100",
                "37.741700",
                _PARTLY,
            ),
        ),
        products=(
            ("Пьезоэлемент из монокристалла", "Работает при температуре до 900 °C.", "8541600000"),
            (
                "Датчик вибрации для газовых турбин",
                "Мониторинг вибрации горячей части турбины.",
                "9031809800",
            ),
        ),
        sez=(SEZStatus.LOCATED, "", ""),
    ),
)


def _industries() -> dict[str, Industry]:
    """The ОКВЭД divisions by code; migration 0002 loads them, a flushed test database may not."""
    industries = Industry.objects.in_bulk(field_name="code")
    missing = [
        Industry(code=code, section=section, name=name)
        for code, (section, name) in DIVISIONS.items()
        if code not in industries
    ]
    if missing:
        Industry.objects.bulk_create(missing, ignore_conflicts=True)
        industries = Industry.objects.in_bulk(field_name="code")
    return industries


@transaction.atomic
def registry_demo_load() -> list[Enterprise]:
    """Upsert the enterprises named in the seeds (by INN); a second run changes nothing."""
    industries = _industries()
    zone, _ = SpecialEconomicZone.objects.get_or_create(name=SEZ_NAME)
    loaded = []
    for seed in SEED_ENTERPRISES:
        enterprise, _ = Enterprise.objects.update_or_create(
            inn=demo_inn(seed.number),
            defaults={
                "short_name": seed.short_name,
                "legal_name": seed.legal_name,
                "ogrn": demo_ogrn(seed.number),
                "okved": seed.okved,
                "industry": industries.get(seed.okved[:2]),
                "okrug": seed.okrug,
                "website": f"https://{seed.slug}.demo.mosprom.local/",
                "description": f"{seed.makes}\n\n{DEMO_NOTE}",
                "hosts_tours": seed.hosts_tours,
                "is_demo": True,
            },
        )
        for site in seed.sites:
            ProductionSite.objects.update_or_create(
                enterprise=enterprise,
                name=site.name,
                defaults={
                    "address": site.address,
                    "okrug": site.okrug,
                    "latitude": Decimal(site.latitude),
                    "longitude": Decimal(site.longitude),
                    "accessibility_notes": f"{site.accessibility}\n{SITE_DEMO_NOTE}",
                },
            )
        for name, description, hs_code in seed.products:
            Product.objects.update_or_create(
                enterprise=enterprise,
                name=name,
                defaults={"description": description, "hs_code": hs_code},
            )
        if seed.sez is not None:
            status, number, date = seed.sez
            SEZMembership.objects.update_or_create(
                enterprise=enterprise,
                defaults={
                    "zone": zone,
                    "status": status,
                    "agreement_number": number,
                    "agreement_date": dt.date.fromisoformat(date) if date else None,
                },
            )
        loaded.append(enterprise)
    return loaded


# --- Synthetic enterprises at the real scale ------------------------------------------------

_ROOTS = (
    "Альфа", "Вектор", "Гранит", "Дельта", "Импульс", "Квант", "Меридиан", "Орбита",
    "Прогресс", "Ресурс", "Сигма", "Спектр", "Старт", "Эталон", "Заря", "Восход", "Радуга",
    "Искра", "Кристалл", "Магистраль", "Новатор", "Полюс", "Рубин", "Сапфир", "Темп",
    "Унисон", "Формат", "Циркон", "Энергия", "Яуза", "Сетунь", "Неглинка", "Лефортово",
    "Измайлово", "Коломна", "Таганка", "Сокол", "Бауман", "Арбат", "Пресня",
)  # fmt: skip

# Industry division → (name suffix, ОКВЭД classes, product names with their HS codes).
_INDUSTRY_PROFILES: dict[str, tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]] = {
    "10": (
        "Пищепром",
        ("10.11", "10.13", "10.51", "10.71", "10.82", "10.89"),
        (("Хлебобулочные изделия", "1905909000"), ("Молочная продукция", "0403")),
    ),
    "11": ("Напитки", ("11.07",), (("Минеральная вода", "2201101100"), ("Квас", "2206009300"))),
    "13": (
        "Текстиль",
        ("13.20", "13.92", "13.99"),
        (("Трикотажное полотно", "6006"), ("Технические ткани", "5911")),
    ),
    "14": (
        "Швейпром",
        ("14.12", "14.13", "14.19"),
        (("Спецодежда", "6211"), ("Школьная форма", "6203")),
    ),
    "17": ("Упаковка", ("17.21", "17.23"), (("Гофрокартон", "4808"), ("Бумажные пакеты", "4819"))),
    "18": ("Полиграфия", ("18.11", "18.12"), (("Книги", "4901"), ("Этикетки", "4821"))),
    "20": (
        "Химпром",
        ("20.30", "20.41", "20.59"),
        (("Лакокрасочные материалы", "3208"), ("Бытовая химия", "3402")),
    ),
    "21": (
        "Фарм",
        ("21.10", "21.20"),
        (("Лекарственные препараты", "3004"), ("Субстанции", "2941")),
    ),
    "22": (
        "Полимер",
        ("22.21", "22.22", "22.29"),
        (("Пластиковые трубы", "3917"), ("Резинотехнические изделия", "4016")),
    ),
    "23": (
        "Стройматериалы",
        ("23.12", "23.61", "23.99"),
        (("Бетонные изделия", "6810"), ("Стекло", "7007")),
    ),
    "25": (
        "Металлоизделия",
        ("25.11", "25.62", "25.99"),
        (("Металлоконструкции", "7308"), ("Крепёж", "7318")),
    ),
    "26": (
        "Электроника",
        ("26.11", "26.20", "26.30", "26.51", "26.60"),
        (("Печатные платы", "8534"), ("Датчики", "9026")),
    ),
    "27": (
        "Электротехника",
        ("27.11", "27.32", "27.40", "27.90"),
        (("Кабель", "8544"), ("Светильники", "9405")),
    ),
    "28": (
        "Машзавод",
        ("28.13", "28.22", "28.25", "28.29", "28.41", "28.99"),
        (("Станки", "8458"), ("Насосы", "8413")),
    ),
    "29": (
        "Автокомпоненты",
        ("29.10", "29.32"),
        (("Электробусы", "8702"), ("Автозапчасти", "8708")),
    ),
    "30": (
        "Вагонмаш",
        ("30.20", "30.30", "30.99"),
        (("Вагонные узлы", "8607"), ("Беспилотники", "8806")),
    ),
    "31": ("Мебель", ("31.01", "31.09"), (("Офисная мебель", "9403"), ("Школьная мебель", "9401"))),
    "32": (
        "Изделия",
        ("32.30", "32.50", "32.99"),
        (("Медицинские изделия", "9018"), ("Спортивный инвентарь", "9506")),
    ),
    "33": (
        "Сервис",
        ("33.12", "33.14"),
        (("Ремонт оборудования", "8479"), ("Монтаж линий", "8479")),
    ),
    "62": ("Софт", ("62.01",), (("Промышленное ПО", "8523"), ("Системы управления", "8537"))),
    "72": ("НИИ", ("72.19",), (("Опытные образцы", "9027"), ("Измерительные приборы", "9031"))),
}
# Manufacturing dominates the real registry; the weights say roughly how much.
_INDUSTRY_WEIGHTS = {
    "10": 12, "11": 3, "13": 3, "14": 6, "17": 3, "18": 6, "20": 5, "21": 4, "22": 6,
    "23": 5, "25": 9, "26": 9, "27": 6, "28": 8, "29": 3, "30": 3, "31": 4, "32": 5,
    "33": 4, "62": 2, "72": 3,
}  # fmt: skip
_FORMS = ("ООО", "ООО", "ООО", "АО", "АО", "ПАО")
# Rough centre of each okrug, and how many of the city's enterprises are there (weights).
_OKRUG_CENTRES: dict[str, tuple[float, float, int]] = {
    Okrug.CAO: (55.7558, 37.6173, 8),
    Okrug.SAO: (55.8400, 37.5200, 10),
    Okrug.SVAO: (55.8600, 37.6300, 9),
    Okrug.VAO: (55.7900, 37.7800, 12),
    Okrug.UVAO: (55.7000, 37.7600, 14),
    Okrug.UAO: (55.6400, 37.6500, 11),
    Okrug.UZAO: (55.6300, 37.5300, 6),
    Okrug.ZAO: (55.7100, 37.4400, 8),
    Okrug.SZAO: (55.8200, 37.4300, 6),
    Okrug.ZELAO: (55.9900, 37.2100, 7),
    Okrug.NAO: (55.5700, 37.3800, 5),
    Okrug.TAO: (55.4700, 37.3000, 4),
}
_STREETS = (
    "Промышленная улица", "Заводская улица", "проезд Энтузиастов", "Научный проезд",
    "Электродная улица", "Кабельная улица", "Складочная улица", "Станционная улица",
    "Рабочая улица", "Фабричный проезд", "улица Ткацкая", "Машиностроительная улица",
)  # fmt: skip
_SYNTHETIC_NOTE = (
    "Синтетическое демо-предприятие для нагрузочных тестов: название и все сведения придуманы."
)


# The demo host account acts for these seed enterprises.
DEMO_HOSTS: dict[str, tuple[str, ...]] = {
    "host@demo.mosprom.local": ("Московский комбинат игрушек", "Микрон"),
}


def registry_demo_memberships_load() -> int:
    """Make the demo host a member of its enterprises (after both demos are loaded)."""
    from django.contrib.auth import get_user_model

    inn_by_name = {seed.short_name: demo_inn(seed.number) for seed in SEED_ENTERPRISES}
    made = 0
    for user in get_user_model().objects.filter(email__in=DEMO_HOSTS):
        inns = [inn_by_name[name] for name in DEMO_HOSTS[user.email]]
        for enterprise in Enterprise.objects.filter(inn__in=inns):
            made += Membership.objects.get_or_create(user=user, enterprise=enterprise)[1]
    return made


def _next_synthetic_number() -> int:
    """The first synthetic number not yet used (so repeated runs add, never collide)."""
    top = Enterprise.objects.filter(
        inn__startswith=DEMO_INN_PREFIX, is_demo=True, ogrn__startswith=DEMO_OGRN_PREFIX
    ).aggregate(top=Max("ogrn"))["top"]
    used = int(top[len(DEMO_OGRN_PREFIX) : -1]) if top else 0
    return max(SYNTHETIC_START, used + 1)


def _sez_quota(n: int) -> tuple[int, int]:
    """How many new SEZ companies and residents n synthetic enterprises get (seed proportions)."""
    zone = SpecialEconomicZone.objects.filter(name=SEZ_NAME).first()
    if zone is None:
        return 0, 0
    members = SEZMembership.objects.filter(zone=zone)
    have_all = members.count()
    have_res = members.filter(status=SEZStatus.RESIDENT).count()
    companies = min(max(SEZ_COMPANIES - have_all, 0), round(n * SEZ_COMPANIES / REAL_ENTERPRISES))
    residents = min(
        max(SEZ_RESIDENTS - have_res, 0), round(companies * SEZ_RESIDENTS / SEZ_COMPANIES)
    )
    return companies, residents


@transaction.atomic
def registry_demo_generate(n: int, *, seed: int = 2024) -> int:
    """Add n synthetic demo enterprises (valid, unique INN/OGRN) in bulk; returns how many."""
    if n <= 0:
        return 0
    start = _next_synthetic_number()
    if start + n > 10_000_000:
        raise ValueError("the demo number range is exhausted")
    rng = random.Random(seed + start)  # noqa: S311 — demo data, not security
    industries = _industries()
    codes = [c for c in _INDUSTRY_WEIGHTS if c in industries and c in DIVISIONS]
    weights = [_INDUSTRY_WEIGHTS[c] for c in codes]
    okrugs = list(_OKRUG_CENTRES)
    okrug_weights = [_OKRUG_CENTRES[o][2] for o in okrugs]

    enterprises = []
    plans = []  # (has_site, product count) per enterprise
    for i in range(n):
        number = start + i
        code = rng.choices(codes, weights)[0]
        okrug = rng.choices(okrugs, okrug_weights)[0]
        suffix, classes, _products = _INDUSTRY_PROFILES[code]
        short = f"{rng.choice(_ROOTS)}-{suffix}"
        has_site = rng.random() < 0.35
        hosts = has_site and rng.random() < 0.08
        enterprises.append(
            Enterprise(
                short_name=short,
                legal_name=f"{rng.choice(_FORMS)} «{short}»",
                inn=demo_inn(number),
                ogrn=demo_ogrn(number),
                okved=rng.choice(classes),
                industry=industries[code],
                okrug=okrug,
                description=f"{industries[code].name}.\n\n{_SYNTHETIC_NOTE}",
                hosts_tours=hosts,
                is_demo=True,
            )
        )
        plans.append((has_site, rng.choices((0, 1, 2), (55, 30, 15))[0]))
    Enterprise.objects.bulk_create(enterprises, batch_size=500)

    sites, products = [], []
    for enterprise, (has_site, product_count) in zip(enterprises, plans, strict=True):
        if has_site:
            lat, lon, _w = _OKRUG_CENTRES[enterprise.okrug]
            sites.append(
                ProductionSite(
                    enterprise=enterprise,
                    name="Основная площадка",
                    address=(
                        f"Москва, {rng.choice(_STREETS)}, д. {rng.randint(1, 120)}, "
                        f"стр. {rng.randint(1, 12)}"
                    ),
                    okrug=enterprise.okrug,
                    latitude=Decimal(f"{lat + rng.uniform(-0.03, 0.03):.6f}"),
                    longitude=Decimal(f"{lon + rng.uniform(-0.05, 0.05):.6f}"),
                    accessibility_notes=SITE_DEMO_NOTE,
                )
            )
        profile = _INDUSTRY_PROFILES[enterprise.industry.code][2]
        for name, hs_code in profile[:product_count]:
            products.append(Product(enterprise=enterprise, name=name, hs_code=hs_code))
    ProductionSite.objects.bulk_create(sites, batch_size=500)
    Product.objects.bulk_create(products, batch_size=500)

    companies, residents = _sez_quota(n)
    if companies:
        zone = SpecialEconomicZone.objects.get(name=SEZ_NAME)
        chosen = rng.sample(enterprises, companies)
        memberships = []
        for k, enterprise in enumerate(chosen):
            resident = k < residents
            memberships.append(
                SEZMembership(
                    enterprise=enterprise,
                    zone=zone,
                    status=SEZStatus.RESIDENT if resident else SEZStatus.LOCATED,
                    agreement_number=f"ДЕМО-ТП-{enterprise.inn[2:9]}" if resident else "",
                    agreement_date=(
                        dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3400))
                        if resident
                        else None
                    ),
                )
            )
        SEZMembership.objects.bulk_create(memberships, batch_size=500)
    return n
