"""Validation: every mistake comes out at once, each with its exact JSON path and plain words."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given

from roomalloc import Problem, ProblemError, Result, Room
from roomalloc.domain.errors import Issue
from roomalloc.domain.validation import (
    validate_data,
    validate_json,
    validate_result_data,
    validate_result_json,
)
from roomalloc.examples import example_path, load_example
from roomalloc.terms import Term, register_term, unregister_term
from strategies import problems


def base() -> dict[str, Any]:
    """A small valid problem that each test breaks in one place."""
    return {
        "format": "roomalloc/1",
        "rules": {"gender_mixing": "forbid"},
        "rooms": [
            {"id": "A-101", "building": "A", "floor": 1, "capacity": 2,
             "features": ["accessible"], "cost": 450.0,
             "unavailable": [{"start": "2026-09-01", "end": "2026-09-15"}]},
            {"id": "B-001", "building": "B", "capacity": 1, "gender": "male",
             "attributes": {"wing": "east"}},
            {"id": "C-1", "capacity": 3},
        ],
        "residents": [
            {"id": "r1", "gender": "female", "stay": {"start": "2026-09-16", "end": "2027-01-31"},
             "priority": 2.0, "required": True, "needs": ["accessible"], "budget": 500.0,
             "preferences": [{"building": "A", "weight": 3}, {"room": "A-101", "weight": 5},
                             {"floor": [1, 2], "weight": 1}, {"feature": "quiet", "weight": -2}],
             "roommates": {"want": ["r2"], "avoid": ["r3"]}},
            {"id": "r2", "gender": "female", "roommates": {"want": ["r1"]}},
            {"id": "r3", "gender": "male", "current_room": "B-001", "locked": True},
            {"id": "r4"},
        ],
        "objective": [{"term": "housed", "weight": 1000}, {"term": "preferences", "weight": 1}],
    }


def issues(data: Any) -> list[Issue]:
    """The issues validation reports for ``data`` (fails the test when it reports none)."""
    with pytest.raises(ProblemError) as caught:
        validate_data(data)
    assert caught.value.what == "problem"
    return list(caught.value.issues)


def only_issue(data: Any) -> Issue:
    found = issues(data)
    assert len(found) == 1, found
    return found[0]


def changed(edit: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    data = base()
    edit(data)
    return data


def test_base_problem_is_valid() -> None:
    problem = validate_data(base())
    assert [r.id for r in problem.residents] == ["r1", "r2", "r3", "r4"]
    assert problem.residents[0].preferences[2].floor == (1, 2)


def test_ten_mistakes_all_reported_at_once_with_their_paths() -> None:
    data = base()
    data["format"] = "roomalloc/2"
    data["rooms"][0]["capactiy"] = data["rooms"][0].pop("capacity")
    data["rooms"][1]["cost"] = -5
    data["rooms"][1]["id"] = "A-101"
    data["residents"][0]["preferences"][1]["room"] = "B-999"
    data["residents"][0]["stay"]["end"] = "2026-09-01"
    data["residents"][1]["priority"] = 0
    data["residents"][1]["roommates"]["want"] = ["r2"]
    data["residents"][2]["locked"] = "yes"
    data["residents"][2]["current_room"] = "Z-9"
    data["objective"][0]["term"] = "housd"
    data["objective"][1]["weight"] = float("nan")
    found = {issue.path: issue.message for issue in issues(data)}
    assert found == {
        "format": "must be 'roomalloc/1' (the format roomalloc reads), "
        'got the text "roomalloc/2"',
        "rooms[0].capactiy": "unknown field; did you mean 'capacity'?",
        "rooms[0].capacity": "missing; every room needs a capacity",
        "rooms[1].cost": "must not be negative, got -5",
        "rooms[1].id": "duplicate room id 'A-101' (first at rooms[0])",
        "residents[0].preferences[1].room": "no room 'B-999'",
        "residents[0].stay.end": "must be after start (2026-09-16), got 2026-09-01; "
        "an interval is the nights from start up to but not including end",
        "residents[1].priority": "must be greater than 0, got 0",
        "residents[1].roommates.want[0]": "'r2' is this resident; nobody can want or avoid "
        "themself",
        "residents[2].locked": 'must be true or false, got the text "yes"',
        "residents[2].current_room": "no room 'Z-9'",
        "objective[0].term": "unknown term 'housd'; did you mean 'housed'?",
        "objective[1].weight": "must be a finite number, got NaN",
    }


def test_issues_come_in_document_order() -> None:
    data = base()
    data["residents"][3]["id"] = 4
    data["rooms"][0]["floor"] = "one"
    paths = [issue.path for issue in issues(data)]
    assert paths == ["rooms[0].floor", "residents[3].id"]


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        # wrong types
        (lambda d: d["rooms"][0].update(capacity="2"), "rooms[0].capacity",
         'must be a whole number, got the text "2"'),
        (lambda d: d["rooms"][0].update(floor=1.5), "rooms[0].floor",
         "must be a whole number, got the number 1.5"),
        (lambda d: d["rooms"][0].update(cost=True), "rooms[0].cost",
         "must be a number, got true"),
        (lambda d: d["residents"][0].update(priority=None), "residents[0].priority",
         "must be a number, got null"),
        (lambda d: d["residents"][0].update(required=1), "residents[0].required",
         "must be true or false, got the number 1"),
        (lambda d: d["residents"][0].update(needs="accessible"), "residents[0].needs",
         'must be a list, got the text "accessible"'),
        (lambda d: d["residents"][0]["needs"].append(7), "residents[0].needs[1]",
         "must be text, got the number 7"),
        (lambda d: d["residents"][0].update(name=["Li"]), "residents[0].name",
         "must be text, got a list"),
        (lambda d: d["residents"][0].update(stay="2026"), "residents[0].stay",
         'must be an object (an interval with start and end), got the text "2026"'),
        (lambda d: d["residents"][0]["stay"].update(start="16/09/2026"),
         "residents[0].stay.start",
         'must be a date written YYYY-MM-DD, got the text "16/09/2026"'),
        (lambda d: d["residents"][0]["stay"].update(start="2026-02-30"),
         "residents[0].stay.start", 'is not a real date: "2026-02-30"'),
        (lambda d: d["rooms"][1]["attributes"].update(wing={"side": "east"}),
         "rooms[1].attributes.wing", "must be text, a number or true/false, got an object"),
        (lambda d: d["rooms"][1]["attributes"].update({"main wing": None}),
         'rooms[1].attributes["main wing"]',
         "must be text, a number or true/false, got null"),
        (lambda d: d.update(rooms={"A-101": {}}), "rooms", "must be a list, got an object"),
        (lambda d: d["residents"].append("r5"), "residents[4]",
         'must be an object (a resident), got the text "r5"'),
        (lambda d: d["rules"].update(gender_mixing="mixed"), "rules.gender_mixing",
         "must be 'forbid' or 'allow', got the text \"mixed\""),
        # missing required fields
        (lambda d: d["rooms"][2].pop("id"), "rooms[2].id", "missing; every room needs an id"),
        (lambda d: d["residents"][3].pop("id"), "residents[3].id",
         "missing; every resident needs an id"),
        (lambda d: d["residents"][0]["stay"].pop("end"), "residents[0].stay.end",
         "missing; every interval needs an end"),
        (lambda d: d["residents"][0]["preferences"][0].pop("weight"),
         "residents[0].preferences[0].weight", "missing; every preference needs a weight"),
        (lambda d: d["objective"][0].pop("weight"), "objective[0].weight",
         "missing; every objective term needs a weight"),
        # unknown fields, with and without a close match
        (lambda d: d["residents"][0].update(prefrences=[]), "residents[0].prefrences",
         "unknown field; did you mean 'preferences'?"),
        (lambda d: d["residents"][0]["roommates"].update(avoids=[]),
         "residents[0].roommates.avoids", "unknown field; did you mean 'avoid'?"),
        (lambda d: d["rules"].update(zzz=1), "rules.zzz",
         "unknown field (a rules object has: gender_mixing; start your own notes' names "
         "with '_')"),
        # ids
        (lambda d: d["residents"][3].update(id="r1"), "residents[3].id",
         "duplicate resident id 'r1' (first at residents[0])"),
        (lambda d: d["rooms"][2].update(id="B-001"), "rooms[2].id",
         "duplicate room id 'B-001' (first at rooms[1])"),
        (lambda d: d["rooms"][2].update(id=""), "rooms[2].id", "must not be empty"),
        # references
        (lambda d: d["residents"][0]["roommates"]["want"].append("r9"),
         "residents[0].roommates.want[1]", "no resident 'r9'"),
        (lambda d: d["residents"][0]["roommates"]["avoid"].append("r9"),
         "residents[0].roommates.avoid[1]", "no resident 'r9'"),
        (lambda d: d["residents"][1].update(excluded_rooms=["A-101", "C-2"]),
         "residents[1].excluded_rooms[1]", "no room 'C-2'"),
        (lambda d: d["residents"][2].update(current_room="B-002"),
         "residents[2].current_room", "no room 'B-002'"),
        (lambda d: d["residents"][0]["preferences"][1].update(room="a-101"),
         "residents[0].preferences[1].room", "no room 'a-101'"),
        # roommates with themselves, or wanted and avoided
        (lambda d: d["residents"][0]["roommates"]["avoid"].append("r1"),
         "residents[0].roommates.avoid[1]",
         "'r1' is this resident; nobody can want or avoid themself"),
        (lambda d: d["residents"][0]["roommates"]["avoid"].append("r2"),
         "residents[0].roommates.avoid[1]",
         "'r2' is also in want; nobody can want and avoid the same person"),
        (lambda d: d["residents"][0]["roommates"]["want"].append("r2"),
         "residents[0].roommates.want[1]", "'r2' is listed twice"),
        (lambda d: d["residents"][1].update(excluded_rooms=["A-101", "A-101"]),
         "residents[1].excluded_rooms[1]", "'A-101' is listed twice"),
        # intervals
        (lambda d: d["rooms"][0]["unavailable"][0].update(end="2026-09-01"),
         "rooms[0].unavailable[0].end",
         "must be after start (2026-09-01), got 2026-09-01; "
         "an interval is the nights from start up to but not including end"),
        # ranges
        (lambda d: d["rooms"][0].update(capacity=0), "rooms[0].capacity",
         "must be at least 1, got 0"),
        (lambda d: d["rooms"][0].update(cost=-0.5), "rooms[0].cost",
         "must not be negative, got -0.5"),
        (lambda d: d["residents"][0].update(budget=-1), "residents[0].budget",
         "must not be negative, got -1"),
        (lambda d: d["residents"][0].update(priority=-2), "residents[0].priority",
         "must be greater than 0, got -2"),
        (lambda d: d["objective"][0].update(weight=-1), "objective[0].weight",
         "must not be negative, got -1"),
        (lambda d: d["residents"][0].update(budget=float("inf")), "residents[0].budget",
         "must be a finite number, got Infinity"),
        (lambda d: d["rooms"][1]["attributes"].update(size=float("-inf")),
         "rooms[1].attributes.size", "must be a finite number, got -Infinity"),
        # preferences
        (lambda d: d["residents"][0]["preferences"][0].pop("building"),
         "residents[0].preferences[0]",
         "needs exactly one selector (room, building, feature or floor); it has none"),
        (lambda d: d["residents"][0]["preferences"][0].update(feature="quiet"),
         "residents[0].preferences[0]",
         "has 2 selectors (building, feature); a preference needs exactly one, "
         "so write one preference per selector"),
        (lambda d: d["residents"][0]["preferences"][2].update(floor=[2, 1]),
         "residents[0].preferences[2].floor", "low floor 2 is above high floor 1"),
        (lambda d: d["residents"][0]["preferences"][2].update(floor=3),
         "residents[0].preferences[2].floor",
         "must be a floor range [LOW, HIGH], got the number 3"),
        (lambda d: d["residents"][0]["preferences"][2].update(floor=[1, "2"]),
         "residents[0].preferences[2].floor[1]", 'must be a whole number, got the text "2"'),
        # locked, group
        (lambda d: d["residents"][2].pop("current_room"), "residents[2].locked",
         "a locked resident needs a current_room to stay in"),
        (lambda d: d["residents"][2].update(current_room=None), "residents[2].locked",
         "a locked resident needs a current_room to stay in"),
        (lambda d: d["residents"][1].update(group=""), "residents[1].group",
         "must not be empty; use null for no group"),
        # objective
        (lambda d: d["objective"].append({"term": "housed", "weight": 5}), "objective[2].term",
         "term 'housed' is listed twice (first at objective[0]); give it once"),
        (lambda d: d["objective"].append({"term": "happiness", "weight": 1}),
         "objective[2].term",
         "unknown term 'happiness'; known terms: housed, preferences, roommates, cost, "
         "rooms_used, moves, fairness"),
        # format
        (lambda d: d.update(format=1), "format",
         "must be 'roomalloc/1' (the format roomalloc reads), got the number 1"),
    ],
)
def test_each_kind_of_mistake(
    edit: Callable[[dict[str, Any]], object], path: str, message: str
) -> None:
    assert only_issue(changed(edit)) == Issue(path, message)


def test_not_an_object_at_the_top() -> None:
    assert only_issue([1, 2]) == Issue("", "must be an object (the problem), got a list")


def test_references_are_checked_where_other_parts_have_type_errors() -> None:
    data = base()
    data["rooms"][0]["capacity"] = "two"  # room A-101 is unreadable as a whole ...
    data["residents"][0]["priority"] = "high"  # ... and so is resident r1
    data["residents"][0]["preferences"][1]["room"] = "A-999"
    data["residents"][1]["roommates"]["want"] = ["r1", "r7"]
    found = [issue.path for issue in issues(data)]
    assert found == [
        "rooms[0].capacity",
        "residents[0].priority",
        "residents[0].preferences[1].room",
        "residents[1].roommates.want[1]",
    ]


def test_references_to_a_room_with_a_bad_field_still_resolve() -> None:
    data = base()
    data["rooms"][0]["cost"] = "cheap"  # its id is still readable: references to it are fine
    assert only_issue(data).path == "rooms[0].cost"


def test_every_item_of_a_long_list_is_checked() -> None:
    data = base()
    data["residents"] += [{"id": f"x{i}", "priority": -1} for i in range(200)]
    found = issues(data)
    assert [issue.path for issue in found] == [f"residents[{i}].priority" for i in range(4, 204)]


def test_annotations_are_kept_at_every_level() -> None:
    data = base()
    data["_source"] = {"system": "housing-office", "exported": "2026-08-01"}
    data["rules"]["_why"] = "policy 12"
    data["rooms"][0]["_note"] = ["renovated", 2024]
    data["rooms"][0]["unavailable"][0]["_reason"] = "painting"
    data["residents"][0]["_contact"] = None
    data["residents"][0]["preferences"][0]["_from"] = "survey"
    data["residents"][0]["roommates"]["_checked"] = True
    data["objective"][0]["_tuned"] = 3.5
    problem = validate_data(data)
    assert problem.annotations == {"_source": data["_source"]}
    assert problem.rules.annotations == {"_why": "policy 12"}
    assert problem.rooms[0].annotations == {"_note": ["renovated", 2024]}
    assert problem.rooms[0].unavailable[0].annotations == {"_reason": "painting"}
    assert problem.residents[0].annotations == {"_contact": None}
    assert problem.residents[0].preferences[0].annotations == {"_from": "survey"}
    assert problem.residents[0].roommates.annotations == {"_checked": True}
    assert problem.objective[0].annotations == {"_tuned": 3.5}
    assert validate_json(problem.model_dump_json()) == problem


def test_annotations_must_be_plain_finite_json() -> None:
    data = base()
    data["rooms"][0]["_note"] = {"score": float("nan"), "list": [1, float("inf")]}
    data["residents"][0]["_when"] = dt.date(2026, 1, 1)
    assert [str(issue) for issue in issues(data)] == [
        "rooms[0]._note.score: must be a finite number, got NaN",
        "rooms[0]._note.list[1]: must be a finite number, got Infinity",
        "residents[0]._when: must be JSON data, got a Python date",
    ]


def test_custom_terms_are_known_once_registered() -> None:
    class Quiet(Term):
        name = "quiet_hours"
        sense = "maximize"

        def value(self, problem: Problem, assignments: Any) -> float:
            return 0.0

        def add_to_model(self, ctx: Any) -> Any:
            return ctx.constant(0)

    data = base()
    data["objective"].append({"term": "quiet_hours", "weight": 2})
    assert only_issue(data) == Issue(
        "objective[2].term",
        "unknown term 'quiet_hours'; known terms: housed, preferences, roommates, cost, "
        "rooms_used, moves, fairness",
    )
    register_term(Quiet())
    try:
        assert validate_data(data).objective[2].term == "quiet_hours"
    finally:
        unregister_term("quiet_hours")


def test_lenient_where_a_user_would_expect_it() -> None:
    data = base()
    data["rooms"][0]["capacity"] = 2.0  # a whole number written with a decimal point
    data["residents"][0]["stay"] = {"start": dt.date(2026, 9, 16), "end": dt.date(2027, 1, 31)}
    data["residents"][1]["stay"] = None
    data["rooms"].append(Room(id="D-1", capacity=1))  # a model instance inside plain data
    data["residents"][1]["preferences"] = [{"room": None, "building": "A", "weight": 1}]
    del data["format"], data["objective"], data["rules"]
    problem = validate_data(data)
    assert problem.rooms[0].capacity == 2 and isinstance(problem.rooms[0].capacity, int)
    assert problem.residents[0].stay is not None
    assert problem.residents[0].stay.start == dt.date(2026, 9, 16)
    assert problem.rooms[3] == Room(id="D-1", capacity=1)
    assert problem.residents[1].preferences[0].building == "A"
    assert [t.term for t in problem.objective] == ["housed", "preferences", "roommates"]


def test_empty_problem_is_valid() -> None:
    assert validate_json("{}") == Problem()


def test_model_validate_runs_the_validation() -> None:
    data = changed(lambda d: d["rooms"][0].update(capactiy=3))
    with pytest.raises(ProblemError) as caught:
        Problem.model_validate(data)
    assert [i.path for i in caught.value.issues] == ["rooms[0].capactiy"]
    with pytest.raises(ProblemError):
        Problem.model_validate_json(json.dumps(data))
    assert Problem.model_validate(base()) == validate_data(base())


# -- JSON text ---------------------------------------------------------------------------------


def test_malformed_json_gives_line_and_column() -> None:
    text = '{\n  "rooms": [\n    {"id": "A", "capacity": 2,}\n  ]\n}'
    assert only_json_issue(text) == Issue(
        "", "malformed JSON at line 3, column 31: expecting property name enclosed in double quotes"
    )


def test_truncated_json() -> None:
    assert only_json_issue('{"rooms": [') == Issue(
        "", "malformed JSON at line 1, column 12: expecting value"
    )


def test_empty_text() -> None:
    assert only_json_issue("  \n") == Issue("", "empty; expected a JSON object (the problem)")


def test_nan_and_infinity_literals_are_rejected_with_their_path() -> None:
    text = json.dumps(base()).replace('"cost": 450.0', '"cost": NaN')
    text = text.replace('"budget": 500.0', '"budget": -Infinity')
    assert json_issues(text) == [
        Issue("rooms[0].cost", "must be a finite number, got NaN"),
        Issue("residents[0].budget", "must be a finite number, got -Infinity"),
    ]


def test_numbers_too_large_for_a_float_are_rejected() -> None:
    text = json.dumps(base()).replace('"cost": 450.0', '"cost": 1e999')
    assert only_json_issue(text) == Issue("rooms[0].cost", "must be a finite number, got Infinity")


def test_repeated_keys_are_reported_not_silently_dropped() -> None:
    text = json.dumps(base()).replace('"capacity": 2,', '"capacity": 2, "capacity": 3,')
    assert only_json_issue(text) == Issue(
        "rooms[0].capacity", "given more than once in the same object"
    )


def test_bytes_utf8_with_bom_and_utf16_are_read() -> None:
    data = base()
    data["residents"][0]["name"] = "Zoë Ångström"
    text = json.dumps(data, ensure_ascii=False)
    for raw in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"),
                text.encode("utf-16"), bytearray(text.encode("utf-8"))):
        assert validate_json(raw).residents[0].name == "Zoë Ångström"


def test_invalid_utf8() -> None:
    assert only_json_issue(b'{"rooms": ["\xff"]}') == Issue(
        "", "not UTF-8 text: byte 12 cannot be decoded"
    )


def test_absurd_inputs_are_mistakes_not_tracebacks() -> None:
    too_long = '{"rooms": [{"id": "A", "capacity": ' + "1" * 5000 + "}]}"
    assert only_json_issue(too_long).message.startswith("unreadable JSON: Exceeds the limit")
    assert only_json_issue("[" * 100_000) == Issue("", "nested too deeply to read")
    deep: list[Any] = []
    data = {"_note": deep}
    for _ in range(5000):
        deep.append([])
        deep = deep[0]
    assert only_issue(data) == Issue("", "nested too deeply to read")


def test_contract_example_loads() -> None:
    problem = load_example("contract_example")
    assert [r.id for r in problem.rooms] == ["A-101", "A-201", "B-001"]
    assert [r.id for r in problem.residents] == ["r1", "r2", "r3"]
    r1 = problem.residents[0]
    assert r1.roommates.want == ("r2",) and r1.roommates.avoid == ("r3",)
    assert r1.preferences[3].floor == (1, 2) and r1.preferences[4].weight == -2
    assert problem.residents[2].locked and problem.residents[2].current_room == "B-001"
    assert problem.rooms[2].attributes == {"wing": "east"}
    assert validate_json(example_path("contract_example").read_bytes()) == problem


def test_campus_example_loads() -> None:
    problem = load_example("campus_small")
    assert len(problem.residents) == 15 and len(problem.rooms) == 8
    assert {r.building for r in problem.rooms} == {"North", "South"}
    kinds = {s for r in problem.residents for p in r.preferences for s in p.selectors()}
    assert kinds == {"room", "building", "feature", "floor"}
    assert any(p.weight < 0 for r in problem.residents for p in r.preferences)


@given(problems(max_rooms=4, max_residents=6))
def test_valid_problems_validate_and_round_trip(problem: Problem) -> None:
    assert validate_json(problem.model_dump_json()) == problem
    assert validate_data(json.loads(problem.model_dump_json())) == problem


@given(problems(max_rooms=3, max_residents=4, min_rooms=1))
def test_removing_a_referenced_room_is_reported_at_each_reference(problem: Problem) -> None:
    data = json.loads(problem.model_dump_json())
    gone = data["rooms"].pop(0)["id"]
    expected = set()
    for i, r in enumerate(data["residents"]):
        expected |= {f"residents[{i}].excluded_rooms[{j}]"
                     for j, room in enumerate(r["excluded_rooms"]) if room == gone}
        expected |= {f"residents[{i}].preferences[{j}].room"
                     for j, p in enumerate(r["preferences"]) if p.get("room") == gone}
        if r["current_room"] == gone:
            expected.add(f"residents[{i}].current_room")
    if not expected:
        validate_data(data)
        return
    found = issues(data)
    assert {i.path for i in found} == expected
    assert {i.message for i in found} == {f"no room {gone!r}"}


# -- results -----------------------------------------------------------------------------------


def test_result_round_trip() -> None:
    result = Result(status="optimal", assignments={"r1": "A-101", "r2": None}, objective=1234.0,
                    bound=1240.0, terms={"housed": 120.0}, solve_seconds=1.2)
    assert validate_result_json(result.model_dump_json()) == result
    assert validate_result_data(json.loads(result.model_dump_json())) == result


def test_result_mistakes_all_reported() -> None:
    data = {"status": "infeasible", "assignments": {"r1": 5}, "objective": float("inf"),
            "terms": {"housed": "lots"}, "solve_seconds": -1, "diagnosis": [3], "sttus": 1}
    with pytest.raises(ProblemError) as caught:
        validate_result_data(data)
    assert caught.value.what == "result"
    assert [str(i) for i in caught.value.issues] == [  # in document order
        "assignments: must be empty when the status is 'infeasible' (no allocation was found)",
        "assignments.r1: must be a room id or null, got the number 5",
        "objective: must be a finite number, got Infinity",
        "terms.housed: must be a number, got the text \"lots\"",
        "solve_seconds: must not be negative, got -1",
        "diagnosis[0]: must be text, got the number 3",
        "sttus: unknown field; did you mean 'status'?",
    ]


def test_result_needs_a_known_status() -> None:
    with pytest.raises(ProblemError) as caught:
        validate_result_json('{"assignments": {}}')
    assert [str(i) for i in caught.value.issues] == ["status: missing; every result needs a status"]


# -- helpers for JSON text ---------------------------------------------------------------------


def json_issues(text: str | bytes) -> list[Issue]:
    with pytest.raises(ProblemError) as caught:
        validate_json(text)
    return list(caught.value.issues)


def only_json_issue(text: str | bytes) -> Issue:
    found = json_issues(text)
    assert len(found) == 1, found
    return found[0]


def test_inputs_are_not_modified() -> None:
    data = base()
    before = copy.deepcopy(data)
    validate_data(data)
    assert data == before
