"""The registry's demo data: the enterprises of the seeds, and the synthetic registry."""

from __future__ import annotations

import pytest

from mosprom.core.validators import inn_is_valid, ogrn_is_valid
from mosprom.registry.demo import (
    SEED_ENTERPRISES,
    SEZ_NAME,
    demo_inn,
    demo_ogrn,
    registry_demo_generate,
    registry_demo_load,
)
from mosprom.registry.models import (
    Enterprise,
    Product,
    ProductionSite,
    SEZMembership,
    SEZStatus,
)
from mosprom.registry.okved import division_of
from mosprom.registry.tests.factories import make_enterprise

pytestmark = pytest.mark.django_db

NAMED_IN_SEEDS = [
    "Элтеза",
    "Трансмаш",
    "Микрон",
    "Московский комбинат игрушек",
    "Останкинский мясоперерабатывающий завод",
    "Галвент",
    "Смарт Системз",
    "Макс Экстрим",
    "ЛГМ",
    "Корпорация «Воздух»",
]


def _counts() -> tuple[int, ...]:
    return (
        Enterprise.objects.count(),
        ProductionSite.objects.count(),
        Product.objects.count(),
        SEZMembership.objects.count(),
    )


def test_demo_numbers_are_valid_and_cannot_be_real():
    for number in (1, 13, 1000, 9_999_999):
        inn, ogrn = demo_inn(number), demo_ogrn(number)
        assert inn_is_valid(inn) and ogrn_is_valid(ogrn)
        # Region «00» does not exist: no real INN or OGRN looks like this.
        assert inn.startswith("00") and ogrn[3:5] == "00"


def test_every_enterprise_named_in_the_seeds_is_loaded():
    registry_demo_load()
    names = set(Enterprise.objects.values_list("short_name", flat=True))
    assert set(NAMED_IN_SEEDS) <= names
    # …plus the three SEZ companies the second release describes without naming them.
    assert Enterprise.objects.count() == len(SEED_ENTERPRISES) == len(NAMED_IN_SEEDS) + 3


def test_loaded_enterprises_are_complete_and_marked_as_demo():
    registry_demo_load()
    for enterprise in Enterprise.objects.prefetch_related("sites", "products"):
        assert enterprise.is_demo
        assert "Демонстрационная запись" in enterprise.description
        assert inn_is_valid(enterprise.inn) and ogrn_is_valid(enterprise.ogrn)
        assert enterprise.industry is not None
        assert division_of(enterprise.okved) == enterprise.industry.code
        assert enterprise.okrug
        assert ".demo.mosprom.local" in enterprise.website
        sites = list(enterprise.sites.all())
        assert 1 <= len(sites) <= 2
        for site in sites:
            assert site.address.startswith("Москва")
            assert 55.1 < float(site.latitude) < 56.1 and 36.8 < float(site.longitude) < 38.0
            assert "Демо-данные" in site.accessibility_notes
        products = list(enterprise.products.all())
        assert 2 <= len(products) <= 3
        assert all(p.hs_code.isdigit() and 4 <= len(p.hs_code) <= 10 for p in products)


def test_what_the_seeds_say_they_make_is_in_the_description():
    registry_demo_load()
    by_name = {e.short_name: e for e in Enterprise.objects.all()}
    assert "безопасностью движения поездов" in by_name["Элтеза"].description
    assert "чип-модулей" in by_name["Микрон"].description
    assert "насосное оборудование" in by_name["ЛГМ"].description
    assert by_name["Московский комбинат игрушек"].hosts_tours
    assert not by_name["Корпорация «Воздух»"].hosts_tours


def test_technopolis_has_residents_with_agreements_and_a_located_company():
    registry_demo_load()
    members = SEZMembership.objects.filter(zone__name=SEZ_NAME)
    residents = members.filter(status=SEZStatus.RESIDENT)
    assert residents.count() == 2
    assert all(m.agreement_number.startswith("ДЕМО") and m.agreement_date for m in residents)
    assert members.filter(status=SEZStatus.LOCATED).count() == 1


def test_loading_twice_changes_nothing_and_repairs_edits():
    registry_demo_load()
    before = _counts()
    Enterprise.objects.filter(short_name="Микрон").update(description="испорчено")
    registry_demo_load()
    assert _counts() == before
    assert "чип-модулей" in Enterprise.objects.get(short_name="Микрон").description


def test_load_leaves_real_enterprises_alone():
    real = make_enterprise(short_name="Настоящее предприятие")
    registry_demo_load()
    real.refresh_from_db()
    assert not real.is_demo
    assert Enterprise.objects.count() == len(SEED_ENTERPRISES) + 1


def test_generate_creates_valid_unique_demo_enterprises():
    registry_demo_load()
    added = registry_demo_generate(500)
    assert added == 500
    synthetic = Enterprise.objects.exclude(inn__in=[demo_inn(s.number) for s in SEED_ENTERPRISES])
    assert synthetic.count() == 500
    rows = list(synthetic.values_list("inn", "ogrn", "is_demo", "okrug", "industry__code"))
    assert all(inn_is_valid(inn) and ogrn_is_valid(ogrn) for inn, ogrn, *_ in rows)
    assert all(is_demo for _, _, is_demo, _, _ in rows)
    assert len({okrug for *_, okrug, _ in rows}) >= 8
    assert len({code for *_, code in rows}) >= 10
    assert ProductionSite.objects.filter(enterprise__in=synthetic).exists()
    assert Product.objects.filter(enterprise__in=synthetic).exists()


def test_generate_again_adds_more_without_collisions():
    registry_demo_generate(200)
    registry_demo_generate(200)
    assert Enterprise.objects.count() == 400
    assert Enterprise.objects.values("inn").distinct().count() == 400
    assert Enterprise.objects.values("ogrn").distinct().count() == 400


def test_generate_is_deterministic():
    registry_demo_generate(50)
    first = list(Enterprise.objects.order_by("inn").values_list("inn", "short_name", "okrug"))
    Enterprise.objects.all().delete()
    registry_demo_generate(50)
    second = list(Enterprise.objects.order_by("inn").values_list("inn", "short_name", "okrug"))
    assert first == second


def test_generate_at_real_scale_reaches_the_seed_figures_for_the_sez(django_assert_max_num_queries):
    registry_demo_load()
    with django_assert_max_num_queries(60):
        registry_demo_generate(4600)
    assert Enterprise.objects.count() == 4600 + len(SEED_ENTERPRISES)
    members = SEZMembership.objects.filter(zone__name=SEZ_NAME)
    assert members.count() > 230
    assert members.filter(status=SEZStatus.RESIDENT).count() == 124
    hosting_sites = ProductionSite.objects.filter(enterprise__hosts_tours=True)
    assert hosting_sites.count() > 120


def test_generate_small_n_gets_a_proportional_share_of_the_sez():
    registry_demo_generate(300)
    members = SEZMembership.objects.all()
    assert 10 <= members.count() <= 20
    assert 0 < members.filter(status=SEZStatus.RESIDENT).count() < members.count()


def test_generate_nothing():
    assert registry_demo_generate(0) == 0
    assert not Enterprise.objects.exists()
