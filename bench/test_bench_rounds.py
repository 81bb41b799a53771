"""How the repeats of the rush round become one result (bench/rush.py: combine_rounds)."""

from bench.rush import combine_rounds


def _report(rate, *, p99=(200.0, 100.0), overbooked=0, server_errors=0, consistent=True):
    return {
        "scenario": f"rush-{rate}",
        "db_consistent_with_201s": consistent,
        "codes": {"201": 1000},
        "confirmed_per_s": rate,
        "attempts_per_s": (rate or 0) * 2,
        "latency_ms": {
            "confirmed": {"p50": 1.0, "p99": p99[0]},
            "refused": {"p50": 1.0, "p99": p99[1]},
            "all": {"p50": 1.0, "p99": max(p99)},
        },
        "overbooked": overbooked,
        "server_errors": server_errors,
        "marker": rate,
    }


def test_the_result_is_the_median_repeat_with_every_repeat_beside_it():
    result = combine_rounds([_report(r) for r in (480.0, 410.0, 530.0, 455.0, 500.0)])
    assert result["confirmed_per_s"] == 480.0
    assert result["marker"] == 480.0  # the median repeat's own figures, not a mix
    assert result["scenario"] == "rush" and result["median_repeat"] == "rush-480.0"
    assert result["confirmed_per_s_range"] == [410.0, 530.0]
    assert [r["confirmed_per_s"] for r in result["repeats"]] == [480.0, 410.0, 530.0, 455.0, 500.0]


def test_an_even_count_takes_the_lower_middle():
    assert combine_rounds([_report(r) for r in (400.0, 500.0)])["confirmed_per_s"] == 400.0


def test_a_failure_in_any_repeat_is_not_hidden_by_the_median():
    result = combine_rounds(
        [
            _report(480.0),
            _report(410.0, overbooked=1, consistent=False),
            _report(530.0, server_errors=2, p99=(900.0, 50.0)),
        ]
    )
    assert result["confirmed_per_s"] == 480.0
    assert result["overbooked"] == 1
    assert result["server_errors"] == 2
    assert result["db_consistent_with_201s"] is False
    assert [r["db_consistent_with_201s"] for r in result["repeats"]] == [True, False, True]
    assert result["latency_p99_max_ms"] == {"confirmed": 900.0, "refused": 100.0, "all": 900.0}


def test_a_repeat_without_a_single_booking_counts_as_zero():
    result = combine_rounds([_report(None), _report(300.0), _report(350.0)])
    assert result["confirmed_per_s"] == 300.0
    assert result["confirmed_per_s_range"] == [0, 350.0]
