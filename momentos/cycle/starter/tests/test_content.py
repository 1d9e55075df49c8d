"""The two language data sets of the starter kit: same structure, same numbers, sound references."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from momentos.accounts.choices import ChannelKind
from momentos.cycle.choices import Comparison, EvidenceKind, ExpectationKind, Indicator, Period
from momentos.cycle.services import objective_target_problem, standard_problems
from momentos.cycle.starter.content import KITS, REMOTE_CHANNELS


def _skeleton(value: Any) -> Any:
    """The kit with every piece of prose blanked out: what must be identical across languages."""
    if isinstance(value, dict):
        return {key: _skeleton(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_skeleton(item) for item in value]
    if isinstance(value, str):
        return "<text>"
    return value


def _codes(kit: dict[str, Any]) -> Any:
    """The language-independent codes and numbers of the kit."""
    cycles = {
        name: [
            (
                m["key"],
                m["procedure"],
                m["expectations"],
                [s[1:] for s in m["standards"]],
                {kind: [s[1:] for s in rows] for kind, rows in m.get("channel_standards", {}).items()},
                [c[1:] for c in m["checklist"]],
            )
            for m in template["moments"]
        ]
        for name, template in kit["cycles"].items()
    }
    return {
        "objectives": [
            (o["key"], o["indicator"], o["comparison"], o["target"], o["period"]) for o in kit["objectives"]
        ],
        "segments": [
            (
                s["key"],
                [
                    (e["key"], e["kind"], e["importance"], e["evidence"]["kind"], e["evidence"]["days_ago"])
                    for e in s["expectations"]
                ],
            )
            for s in kit["segments"]
        ],
        "protocols": [
            (p["key"], p["channels"], len(p["steps"]), len(p["do"]), len(p["dont"])) for p in kit["protocols"]
        ],
        "manual": (kit["manual"]["key"], len(kit["manual"]["sections"]), kit["manual"]["references"]),
        "guide": (kit["guide"]["key"], len(kit["guide"]["recommendations"])),
        "channel_names": sorted(kit["channel_names"]),
        "cycles": cycles,
    }


def test_spanish_and_english_kits_have_the_same_structure() -> None:
    assert _skeleton(KITS["es"]) == _skeleton(KITS["en"])
    assert _codes(KITS["es"]) == _codes(KITS["en"])


def test_spanish_and_english_kits_are_actually_translated() -> None:
    es, en = KITS["es"], KITS["en"]
    assert es["language"] == "es" and en["language"] == "en"
    es_titles = {p["title"] for p in es["protocols"]}
    en_titles = {p["title"] for p in en["protocols"]}
    assert not es_titles & en_titles
    es_moments = [m["name"] for m in es["cycles"]["walk_in"]["moments"]]
    en_moments = [m["name"] for m in en["cycles"]["walk_in"]["moments"]]
    assert es_moments[0] == "Llegada" and en_moments[0] == "Arrival"


@pytest.mark.parametrize("language", ["es", "en"])
def test_cycles_have_the_typical_moments_in_order(language: str) -> None:
    cycles = KITS[language]["cycles"]
    walk_in = [m["key"] for m in cycles["walk_in"]["moments"]]
    remote = [m["key"] for m in cycles["remote"]["moments"]]
    assert walk_in == [
        "arrival",
        "waiting",
        "greeting",
        "listening",
        "diagnosis",
        "solution",
        "closing",
        "follow_up",
    ]
    assert remote == [
        "first_contact",
        "greeting",
        "listening",
        "diagnosis",
        "solution",
        "closing",
        "follow_up",
    ]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_reference_in_the_kit_points_to_something_it_defines(language: str) -> None:
    kit = KITS[language]
    protocols = {p["key"] for p in kit["protocols"]}
    expectations = {e["key"] for s in kit["segments"] for e in s["expectations"]}
    assert set(kit["manual"]["references"]) <= protocols
    for protocol in kit["protocols"]:
        assert set(protocol["channels"]) <= set(ChannelKind.values)
    for template in kit["cycles"].values():
        for moment in template["moments"]:
            assert moment["procedure"] in protocols
            assert moment["expectations"] and set(moment["expectations"]) <= expectations
            assert all(item[3] is None or item[3] in protocols for item in moment["checklist"])
    first_contact = kit["cycles"]["remote"]["moments"][0]
    # Every remote channel gets its own first response standard.
    assert set(first_contact["channel_standards"]) == set(REMOTE_CHANNELS)


@pytest.mark.parametrize("language", ["es", "en"])
def test_objectives_and_standards_pass_the_design_rules(language: str) -> None:
    kit = KITS[language]
    for objective in kit["objectives"]:
        assert objective["indicator"] in Indicator.values
        assert objective["comparison"] in Comparison.values
        assert objective["period"] in Period.values
        target = Decimal(objective["target"])
        assert objective_target_problem(indicator=objective["indicator"], target=target) is None
    for template in kit["cycles"].values():
        for moment in template["moments"]:
            rows = [*moment["standards"]]
            for channel_rows in moment.get("channel_standards", {}).values():
                rows += channel_rows
            assert rows, moment["key"]
            for _name, metric, comparison, threshold, unit, _hours in rows:
                assert comparison in Comparison.values
                assert standard_problems(metric=metric, threshold=Decimal(threshold), unit=unit) == {}


@pytest.mark.parametrize("language", ["es", "en"])
def test_checklists_have_three_to_six_weighted_items_and_some_critical(language: str) -> None:
    for template in KITS[language]["cycles"].values():
        critical = 0
        for moment in template["moments"]:
            assert 3 <= len(moment["checklist"]) <= 6, moment["key"]
            for text, weight, is_critical, _protocol in moment["checklist"]:
                assert text.strip() and len(text) <= 300
                assert isinstance(weight, int) and weight >= 1
                critical += bool(is_critical)
        assert 2 <= critical


@pytest.mark.parametrize("language", ["es", "en"])
def test_segments_have_weighted_expectations_with_evidence(language: str) -> None:
    for segment in KITS[language]["segments"]:
        assert segment["expectations"]
        for expectation in segment["expectations"]:
            assert expectation["kind"] in ExpectationKind.values
            assert 1 <= expectation["importance"] <= 5
            assert len(expectation["description"]) <= 300
            assert expectation["evidence"]["kind"] in EvidenceKind.values
            assert expectation["evidence"]["source"] and expectation["evidence"]["notes"]
