"""The words layer: plurals, numbers, nights, short lists, and another language through it."""

from __future__ import annotations

import datetime as dt

import pytest

import roomalloc
from roomalloc import Preference, Problem, Resident, Result, Room, RoomallocError
from roomalloc.explanation import ENGLISH, Phrase, Phrasebook, explain
from roomalloc.explanation.words import Count, Nights

d = dt.date


@pytest.mark.parametrize(("n", "noun", "words"), [
    (0, "room", "0 rooms"), (1, "room", "1 room"), (2, "room", "2 rooms"),
    (1, "wish", "1 wish"), (3, "wish", "3 wishes"), (1500, "bed", "1,500 beds"),
])
def test_counts_agree_in_number(n: int, noun: str, words: str) -> None:
    assert ENGLISH.count(n, noun) == words


def test_forms_by_count_are_chosen_by_n() -> None:
    assert ENGLISH.say("clash", n=1) == "this requirement cannot hold:"
    assert ENGLISH.say("clash", n=3).startswith("these 3 requirements cannot all hold")
    assert ENGLISH.say("no_room_budget", n=1, budget=500) == (
        "1 room costs more than the budget of 500")
    assert ENGLISH.say("no_room_budget", n=2, budget=500) == (
        "2 rooms cost more than the budget of 500")


@pytest.mark.parametrize(("start", "end", "words"), [
    (d(2026, 9, 10), d(2026, 9, 14),
     "the nights of 10–13 September 2026 (check-out 14 September)"),
    (d(2026, 9, 10), d(2026, 9, 11), "the night of 10 September 2026 (check-out 11 September)"),
    (d(2026, 9, 28), d(2026, 10, 3),
     "the nights of 28 September – 2 October 2026 (check-out 3 October)"),
    (d(2026, 12, 30), d(2027, 1, 2),
     "the nights of 30 December 2026 – 1 January 2027 (check-out 2 January)"),
    (d(2026, 12, 31), d(2027, 1, 1),
     "the night of 31 December 2026 (check-out 1 January 2027)"),
])
def test_nights_say_the_check_out_day(start: dt.date, end: dt.date, words: str) -> None:
    assert ENGLISH.nights(start, end) == words
    assert ENGLISH.render(Nights(start, end)) == words


def test_numbers_and_short_lists() -> None:
    assert [ENGLISH.number(x) for x in (1503.0, 2.5, 0.25, 1234.5)] == [
        "1,503", "2.5", "0.25", "1,234.5"]
    assert ENGLISH.join(["a"]) == "a"
    assert ENGLISH.join(["a", "b"]) == "a and b"
    assert ENGLISH.join([f"r{i}" for i in range(6)]) == "r0, r1, r2, r3, r4 and r5"
    assert ENGLISH.join([f"r{i}" for i in range(8)]) == "r0, r1, r2, r3, r4 and 3 others"
    assert ENGLISH.render(Count(1, "other")) == "1 other"


def _one_resident() -> tuple[Problem, Result]:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, floor=1)],
        residents=[Resident(id="r1", preferences=(Preference(floor=(2, 2), weight=1),))],
    )
    return problem, Result(status="optimal", assignments={"r1": "A"})


def test_another_language_through_a_phrasebook() -> None:
    german = Phrasebook(
        "de",
        {
            "line_housed": "{who}: Zimmer {room}",
            "wish_floor": "ein Zimmer im {low}. Stock",
            "line_unmet": "Wunsch nicht erfüllt: {wish}",
            "line_why": "weil: {why}",
            "no_such_room": "kein Zimmer hier passt zu {wish}",
        },
        fallback=ENGLISH,
        and_word="und",
    )
    problem, result = _one_resident()
    ex = explain(problem, result, with_stability=False)
    text = ex.to_text("r1", language=german)
    assert text.splitlines()[0] == "r1: Zimmer A"
    assert "Wunsch nicht erfüllt: ein Zimmer im 2. Stock" in text
    assert "weil: kein Zimmer hier passt zu ein Zimmer im 2. Stock" in text
    # Keys the book lacks fall back to English; the English text is unchanged.
    assert "their wishes score 0 here" in text
    assert ex.to_text("r1").splitlines()[0] == "r1: room A"
    assert german.join(["a", "b", "c"]) == "a, b und c"


def test_a_phrase_is_kept_with_its_reason_for_other_languages() -> None:
    problem, result = _one_resident()
    ex = explain(problem, result, with_stability=False)
    (reason,) = ex.residents["r1"].wishes[0].reasons
    assert reason.phrase == Phrase("no_such_room", {"wish": Phrase("wish_floor", {"low": "2"})})
    assert reason.in_words() == reason.text
    assert reason.to_dict()["phrase"] == {
        "key": "no_such_room", "params": {"wish": {"key": "wish_floor", "params": {"low": "2"}}}}


def test_an_unknown_phrase_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match="no phrase 'nonsense'"):
        ENGLISH.say("nonsense")


def test_the_error_for_a_result_without_allocation_names_a_reachable_function() -> None:
    problem, _ = _one_resident()
    with pytest.raises(RoomallocError, match=r"roomalloc\.diagnose\(problem\)") as err:
        explain(problem, Result(status="infeasible", assignments={}))
    assert callable(roomalloc.diagnose) and callable(roomalloc.explain)
    assert "roomalloc.explanation.diagnose" not in str(err.value)


def test_the_readme_shows_a_real_explanation() -> None:
    import re
    from pathlib import Path

    from roomalloc.examples import load_example

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- explain-example -->\n```text\n(.*?)```", readme, flags=re.S)
    assert shown is not None
    problem = load_example("campus_small")
    result = roomalloc.solve(problem, time_limit=10, workers=1, seed=0)
    ex = explain(problem, result)
    assert shown.group(1) == ex.to_text().splitlines()[0] + "\n" + ex.to_text("noor") + "\n"
