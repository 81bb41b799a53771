"""The figures benchmark's harness works end to end at a tiny scale: the generator writes what
the pages count (deterministically), and the timing code measures every page once.

Two years at 2 % of Moscow's volume, not a measurement (CI does not run `make bench`). On
PostgreSQL (`make test`) the rows go through COPY and the slowest query gets its plan.
"""

from pathlib import Path

import pytest
from django.db import connection, transaction

from bench.figures import PAGES, Plan, add_to_doc, generate, measure, table_row
from mosprom.analytics.catalogue import computing, get_kpi
from mosprom.core.periods import Period
from mosprom.tourism.models import Booking, Session

pytestmark = pytest.mark.django_db

PLAN = Plan(first_year=2024, last_year=2025, scale=0.02)


def _fingerprint() -> tuple:
    sessions = list(
        Session.objects.order_by("pk").values_list("pk", "starts_at", "capacity", "taken")
    )
    bookings = list(Booking.objects.order_by("pk").values_list("code", "places", "status"))
    return sessions, bookings


def test_generator_writes_the_same_records_that_the_pages_count():
    with transaction.atomic():
        first = generate(PLAN)
        fingerprint = _fingerprint()
        transaction.set_rollback(True)
    data = generate(PLAN)
    assert _fingerprint() == fingerprint
    assert data["counts"] == first["counts"]

    counts = data["counts"]
    assert counts["enterprises"] == PLAN.n(PLAN.enterprises) == 92
    assert counts["sites"] == PLAN.n(PLAN.sites) == 18
    assert counts["online_tours"] == 2
    assert counts["site_plays"] == PLAN.n(PLAN.site_plays) == 20_000
    assert counts["games"] == 2 and counts["teams"] >= 4
    assert counts["export_events"] == 6 and counts["applications"] == 6 * 15
    assert counts["sez_residents_at_end"] == 2
    assert Session.objects.count() == counts["sessions"] > 0
    assert Booking.objects.count() == counts["bookings"] > counts["sessions"] * 5
    assert data["rows_total"] == sum(data["rows"].values()) > 20_000

    # The pages' KPIs see the records: tours held in 2025 are the scheduled excursions of 2025.
    year = Period.year(2025)
    start, end = year.bounds()
    excursions = Session.objects.filter(
        experience__kind="excursion", status="scheduled", starts_at__gte=start, starts_at__lt=end
    ).count()
    with computing():
        assert get_kpi("tours_held").compute(year) == excursions > 0
        assert get_kpi("participants").compute(year) > excursions
        assert get_kpi("players").compute(year) > 0
        assert get_kpi("views").compute(year) > 0
        assert get_kpi("export_contract_value").compute(year) > 0
        assert get_kpi("sez_residents").compute(year) == 2
        assert get_kpi("sez_investment").compute(year) > 0
        assert get_kpi("enterprises").compute(year) == 92


def test_timing_measures_every_page_and_the_doc_gets_its_line(tmp_path: Path):
    data = generate(PLAN)
    result = measure(rounds=2)

    assert list(result["pages"]) == [page[0] for page in PAGES]
    for name, page in result["pages"].items():
        assert page["status"] == 200, name
        assert page["bytes"] > 5_000, name
        assert page["cold_ms"]["ms"] > 0 and page["cold_ms"]["status"] == 200, name
        assert page["warm_ms"]["n"] == 2 and page["warm_ms"]["p50"] > 0, name
        assert page["warm_ms"]["p50"] <= page["warm_ms"]["max"], name
        assert page["queries"] > 10, name
        assert 0 < page["sql_ms"] <= page["instrumented_ms"], name
        slowest = page["slowest_query"]
        assert slowest["ms"] > 0 and slowest["sql"], name
        assert page["top_query_shapes"][0]["ms"] >= slowest["ms"] - 0.1, name
        if connection.vendor == "postgresql":
            assert any("actual time" in line for line in slowest["explain"]), name
        else:
            assert slowest["explain"] is None

    meta = {"date": "2026-01-01 00:00 UTC", "commit": "abc1234", "machine": "2 vCPU test"}
    row = table_row({"meta": meta, "data": data, "measure": result})
    assert row.startswith("| 2026-01-01 00:00 UTC | abc1234 | 2 vCPU test |")
    assert row.count("|") == (4 + len(PAGES) + 1) + 1  # cells + 1
    doc = tmp_path / "PERFORMANCE.md"
    doc.write_text(
        "# Performance\n\n## Dashboards\n\n"
        "| date | commit | machine | data | pages… |\n|---|---|---|---|---|\n| old |\n\n"
        "## Registration rush\n\n| rush table |\n"
    )
    assert add_to_doc(row, doc)
    lines = doc.read_text().splitlines()
    assert lines[lines.index("| old |") + 1] == row
    assert lines[-1] == "| rush table |"
    other = tmp_path / "other.md"
    other.write_text("# Nothing to add to\n")
    assert not add_to_doc(row, other)
    assert other.read_text() == "# Nothing to add to\n"


def test_plan_scales_counts_but_not_shapes():
    tiny = Plan(scale=0.001)
    assert tiny.n(tiny.enterprises) == 5
    assert tiny.n(tiny.games_per_year) == 1  # never zero
    assert tiny.bookings_per_session == Plan().bookings_per_session
    assert Plan().years == list(range(2016, 2026))
