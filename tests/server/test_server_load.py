"""The load benchmark's own check: a few seconds with a handful of users, no errors."""

from __future__ import annotations

from benchmarks.server_load import Results, parse, run, summarise


def test_summary_figures() -> None:
    results = Results()
    for number in range(1, 101):
        results.add("browse", 0.0, number != 100, "browse: HTTP 500")
    summary = summarise(results, 10.0)
    browse = summary["browse"]
    assert isinstance(browse, dict)
    assert browse["requests"] == 100 and browse["per_second"] == 10.0 and browse["errors"] == 1
    assert summary["errors"] == {"browse: HTTP 500": 1}


def test_a_short_bounded_run_has_no_errors() -> None:
    args = parse(
        ["--duration", "3", "--browsers", "4", "--importers", "1", "--packages-per-importer", "1",
         "--workers", "1", "--seed-cases", "1"]
    )  # fmt: skip
    summary = run(args)
    total = summary["all"]
    assert isinstance(total, dict)
    assert total["requests"] > 4 and total["errors"] == 0, summary["errors"]
    imported = summary["import"]
    assert isinstance(imported, dict) and imported["requests"] == 1
