"""One validation path: Problem(...), model_validate, JSON and model_copy give the same mistakes.

Regression tests for the observations of issue 13 about input data: residents that vanished,
numbers that crashed the solver later, ids that differ only by invisible characters or Unicode
normalisation, entry points given plain dicts; and the published JSON Schema against what
validation accepts.
"""

from __future__ import annotations

import copy
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

import roomalloc
from roomalloc import Problem, ProblemError, Resident, Result, Room, Roommates, TermSpec
from roomalloc.domain.errors import Issue
from roomalloc.domain.ids import FORMAT_CHARACTERS
from roomalloc.domain.validation import (
    as_allocation,
    as_problem,
    as_result,
    problem_json_schema,
    result_json_schema,
    validate_data,
)
from strategies import problems
from test_validation import base

DOCS = Path(__file__).resolve().parent.parent / "docs"
NFC_JOSE = unicodedata.normalize("NFC", "José")
NFD_JOSE = unicodedata.normalize("NFD", "José")


def mistakes(make: Callable[[], object]) -> list[Issue]:
    with pytest.raises(ProblemError) as caught:
        make()
    return list(caught.value.issues)


# -- Problem(...) built in Python gets the checks a file gets ---------------------------------


def test_python_built_duplicate_residents_are_rejected_not_dropped() -> None:
    found = mistakes(lambda: Problem(rooms=[Room(id="A", capacity=2)],
                                     residents=[Resident(id="r1"), Resident(id="r1")]))
    assert found == [Issue("residents[1].id", "duplicate resident id 'r1' (first at residents[0])")]


def test_python_built_duplicate_rooms_dangling_roommate_locked_and_unknown_term() -> None:
    found = mistakes(lambda: Problem(
        rooms=[Room(id="A", capacity=1), Room(id="A", capacity=2)],
        residents=[Resident(id="r1", roommates=Roommates(want=("ghost",))),
                   Resident(id="r2", locked=True)],
        objective=[TermSpec(term="happiness", weight=1)],
    ))
    assert [str(issue) for issue in found] == [
        "rooms[1].id: duplicate room id 'A' (first at rooms[0])",
        "residents[0].roommates.want[0]: no resident 'ghost'",
        "residents[1].locked: a locked resident needs a current_room to stay in",
        "objective[0].term: unknown term 'happiness'; known terms: housed, preferences, "
        "roommates, cost, rooms_used, moves, fairness",
    ]


def test_same_bad_data_same_issues_from_every_entry_point(tmp_path: Path) -> None:
    data = base()
    data["rooms"][0]["capactiy"] = data["rooms"][0].pop("capacity")
    data["rooms"][2]["id"] = "A-101"
    data["residents"][0]["roommates"]["want"] = ["r9"]
    data["residents"][1]["priority"] = "high"
    data["residents"][3]["id"] = "r1"
    data["objective"][0]["term"] = "housd"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    ways: list[Callable[[], object]] = [
        lambda: Problem(**copy.deepcopy(data)),
        lambda: Problem.model_validate(copy.deepcopy(data)),
        lambda: Problem.model_validate_json(json.dumps(data)),
        lambda: roomalloc.load_problem(path),
        lambda: validate_data(copy.deepcopy(data)),
        lambda: Problem().model_copy(update=copy.deepcopy(data)),
    ]
    results = [mistakes(way) for way in ways]
    assert all(found == results[0] for found in results)
    assert [issue.path for issue in results[0]] == [
        "rooms[0].capactiy",
        "rooms[0].capacity",
        "rooms[2].id",
        "residents[0].roommates.want[0]",
        "residents[1].priority",
        "residents[3].id",
        "objective[0].term",
    ]


def test_a_room_built_alone_reports_in_house_style() -> None:
    found = mistakes(lambda: Room(id=7, capacity=0, colour="red"))
    assert [str(i) for i in found] == [
        "id: must be text, got the number 7",
        "capacity: must be at least 1, got 0",
        "colour: unknown field (a room has: id, building, floor, capacity, features, gender, "
        "cost, unavailable, attributes; start your own notes' names with '_')",
    ]


# -- model_copy validates ---------------------------------------------------------------------


def test_model_copy_with_plain_dicts_makes_models() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)])
    copied = problem.model_copy(update={"residents": [{"id": "r1", "preferences": [
        {"room": "A", "weight": 2}]}]})
    assert isinstance(copied.residents[0], Resident)
    assert copied.residents[0].preferences[0].room == "A"
    assert roomalloc.solve(copied, time_limit=5).assignments == {"r1": "A"}


def test_model_copy_with_bad_update_is_a_problem_error() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    found = mistakes(lambda: problem.model_copy(update={"residents": [
        {"id": "r1"}, {"id": "r2", "current_room": "Z"}, {"id": "r1"}]}))
    assert [str(i) for i in found] == [
        "residents[1].current_room: no room 'Z'",
        "residents[2].id: duplicate resident id 'r1' (first at residents[0])",
    ]
    with pytest.raises(ProblemError):
        problem.rooms[0].model_copy(update={"capacity": -1})


def test_model_copy_keeps_annotations_and_rebuilds_lookups() -> None:
    problem = Problem.model_validate({"_note": "x", "rooms": [{"id": "A", "capacity": 1}]})
    copied = problem.model_copy(update={"rooms": [{"id": "B", "capacity": 2}]})
    assert copied.annotations == {"_note": "x"}
    assert list(copied.rooms_by_id) == ["B"]


# -- numbers that cannot be used ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (lambda d: d["rooms"][0].update(cost=1e308), "rooms[0].cost",
         "must be at most 1e+12, got 1e+308"),
        (lambda d: d["rooms"][0].update(floor=2**70), "rooms[0].floor",
         "must be at most 1000000, got 1.18e+21"),
        (lambda d: d["rooms"][0].update(capacity=10**30), "rooms[0].capacity",
         "must be at most 1000000, got 1e+30"),
        (lambda d: d["residents"][0].update(budget=1e13), "residents[0].budget",
         "must be at most 1e+12, got 1e+13"),
        (lambda d: d["residents"][0].update(priority=1e300), "residents[0].priority",
         "must be at most 1e+12, got 1e+300"),
        (lambda d: d["residents"][0]["preferences"][0].update(weight=-1e20),
         "residents[0].preferences[0].weight", "must be at least -1e+12, got -1e+20"),
        (lambda d: d["residents"][0]["preferences"][2].update(floor=[0, 2**70]),
         "residents[0].preferences[2].floor[1]", "must be at most 1000000, got 1.18e+21"),
        (lambda d: d["objective"][0].update(weight=1e200), "objective[0].weight",
         "must be at most 1e+12, got 1e+200"),
    ],
)
def test_numbers_beyond_the_limits_are_mistakes_with_their_place(
    edit: Callable[[dict[str, Any]], object], path: str, message: str
) -> None:
    data = base()
    edit(data)
    expected = [Issue(path, message)]
    assert mistakes(lambda: validate_data(data)) == expected
    assert mistakes(lambda: Problem.model_validate_json(json.dumps(data))) == expected


def test_numbers_at_the_limits_solve_and_check() -> None:
    problem = Problem(
        rooms=[Room(id="A", capacity=1, floor=-1_000_000, cost=1e12),
               Room(id="B", capacity=1_000_000, floor=1_000_000)],
        residents=[Resident(id="r1", budget=1e12, priority=1e12)],
        objective=[TermSpec(term="housed", weight=1)],
    )
    result = roomalloc.solve(problem, time_limit=5)
    assert result.status == "optimal"
    assert roomalloc.check(problem, result).ok


# -- ids ---------------------------------------------------------------------------------------


def test_ids_equal_after_nfc_are_duplicates() -> None:
    found = mistakes(lambda: Problem(residents=[Resident(id=NFC_JOSE), Resident(id=NFD_JOSE)]))
    assert [i.path for i in found] == ["residents[1].id"]
    found = mistakes(lambda: validate_data({"residents": [{"id": NFC_JOSE}, {"id": NFD_JOSE}]}))
    assert found == [Issue(
        "residents[1].id",
        f"duplicate resident id {NFC_JOSE!r} (first at residents[0]; the two are the same "
        "text in Unicode NFC form)",
    )]


def test_ids_and_references_are_read_in_nfc() -> None:
    data = {"rooms": [{"id": NFD_JOSE, "capacity": 2}],
            "residents": [{"id": NFD_JOSE, "current_room": NFC_JOSE},
                          {"id": "b", "roommates": {"want": [NFC_JOSE]},
                           "preferences": [{"room": NFD_JOSE, "weight": 1}],
                           "excluded_rooms": [NFD_JOSE]}]}
    problem = validate_data(data)
    assert problem.rooms[0].id == NFC_JOSE == problem.residents[0].id
    assert problem.residents[1].preferences[0].room == NFC_JOSE
    assert problem.residents[1].excluded_rooms == (NFC_JOSE,)
    assert problem.resident(NFC_JOSE).current_room == NFC_JOSE
    assert Result(status="feasible", assignments={NFD_JOSE: NFD_JOSE}).assignments == {
        NFC_JOSE: NFC_JOSE}


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("r\u200b1", "must not contain the invisible character U+200B (ZERO WIDTH SPACE)"),
        ("r\u202e1", "must not contain the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("r\t1", "must not contain the control character U+0009 (a control character)"),
        ("r1\n", "must not contain the control character U+000A (a control character)"),
        (" r1", "must not start or end with white space"),
        ("r1\u00a0", "must not start or end with white space"),
        ("", "must not be empty"),
    ],
)
def test_ids_with_invisible_characters_are_rejected_with_their_place(
    bad: str, message: str
) -> None:
    data = base()
    data["residents"][3]["id"] = bad
    data["rooms"][2]["id"] = bad
    data["residents"][1]["roommates"]["avoid"] = [bad]
    found = mistakes(lambda: validate_data(data))
    assert Issue("rooms[2].id", message) in found
    assert Issue("residents[3].id", message) in found
    assert Issue("residents[1].roommates.avoid[0]", message) in found
    assert mistakes(lambda: Room(id=bad, capacity=1)) == [Issue("id", message)]


def test_the_schema_knows_every_format_character_of_this_python() -> None:
    listed = {c for low, high in FORMAT_CHARACTERS for c in range(low, high + 1)}
    here = {c for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    if unicodedata.unidata_version == "14.0.0":
        assert listed == here
    else:  # a newer Unicode adds format characters; the list is Unicode 14's
        assert listed <= here


# -- entry points given plain data ---------------------------------------------------------------


def test_solve_accepts_a_problem_mapping() -> None:
    data = {"rooms": [{"id": "A", "capacity": 1}], "residents": [{"id": "r1"}]}
    assert roomalloc.solve(data, time_limit=5).assignments == {"r1": "A"}  # type: ignore[arg-type]


def test_solve_rejects_a_bad_mapping_or_a_wrong_type_clearly() -> None:
    data = {"rooms": [{"id": "A", "capacity": 1}], "residents": [{"id": "r1"}, {"id": "r1"}]}
    found = mistakes(lambda: roomalloc.solve(data))  # type: ignore[arg-type]
    assert [i.path for i in found] == ["residents[1].id"]
    with pytest.raises(TypeError, match=r"roomalloc\.load_problem"):
        roomalloc.solve("problem.json")  # type: ignore[arg-type]


def test_explain_and_check_with_a_malformed_allocation_say_so_in_house_style() -> None:
    problem = Problem(rooms=[Room(id="A", capacity=1)], residents=[Resident(id="r1")])
    for call in (lambda: roomalloc.explain(problem, {"r1": 5}),  # type: ignore[dict-item]
                 lambda: roomalloc.check(problem, {"r1": ["A"]})):  # type: ignore[dict-item]
        with pytest.raises(ProblemError) as caught:
            call()
        assert caught.value.what == "result"
        assert caught.value.issues[0].path == "assignments.r1"
        assert caught.value.issues[0].message.startswith("must be a room id or null, got ")


def test_explain_and_check_accept_plain_data() -> None:
    data = {"rooms": [{"id": "A", "capacity": 1}], "residents": [{"id": "r1"}]}
    result = {"status": "feasible", "assignments": {"r1": "A"}, "objective": 1000.0,
              "terms": {"housed": 1.0, "preferences": 0.0, "roommates": 0.0}}
    assert roomalloc.check(data, result).ok  # type: ignore[arg-type]
    assert roomalloc.explain(data, {"r1": "A"}).residents["r1"].room == "A"  # type: ignore[arg-type]


def test_allocation_helpers() -> None:
    assert as_allocation({"r1": None}) == {"r1": None}
    assert isinstance(as_allocation({"status": "unknown"}), Result)
    assert as_result({"r1": "A"}).status == "feasible"
    assert as_problem(Problem()) == Problem()
    with pytest.raises(TypeError):
        as_result(["r1"])


# -- the published JSON Schema agrees with validation on the structure -------------------------


def schema_accepts(schema: dict[str, Any], document: Any) -> bool:
    checker = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    return checker.is_valid(document)


def validation_accepts(document: Any) -> bool:
    try:
        validate_data(document)
    except ProblemError:
        return False
    return True


def test_published_schemas_are_the_generated_ones() -> None:
    assert json.loads((DOCS / "problem.schema.json").read_text()) == problem_json_schema()
    assert json.loads((DOCS / "result.schema.json").read_text()) == result_json_schema()
    jsonschema.Draft202012Validator.check_schema(problem_json_schema())
    jsonschema.Draft202012Validator.check_schema(result_json_schema())


@settings(max_examples=60, deadline=None)
@given(problems(max_rooms=4, max_residents=6))
def test_schema_accepts_every_valid_problem(problem: Problem) -> None:
    assert schema_accepts(problem_json_schema(), json.loads(problem.model_dump_json()))


STRUCTURAL_MISTAKES: list[Callable[[dict[str, Any]], object]] = [
    lambda d: d.update(format="roomalloc/2"),
    lambda d: d.update(rooms={}),
    lambda d: d["rooms"][0].pop("capacity"),
    lambda d: d["rooms"][0].update(capactiy=2),
    lambda d: d["rooms"][0].update(capacity=0),
    lambda d: d["rooms"][0].update(capacity=1.5),
    lambda d: d["rooms"][0].update(capacity="2"),
    lambda d: d["rooms"][0].update(cost=-1),
    lambda d: d["rooms"][0].update(cost=1e308),
    lambda d: d["rooms"][0].update(floor=2**70),
    lambda d: d["rooms"][0].update(id=7),
    lambda d: d["rooms"][0].update(id="A\u200b"),
    lambda d: d["rooms"][0].update(id=" A"),
    lambda d: d["rooms"][0].update(id=""),
    lambda d: d["rooms"][0].update(features="quiet"),
    lambda d: d["rooms"][1]["attributes"].update(wing=["east"]),
    lambda d: d["rooms"][0]["unavailable"][0].update(start="16/09/2026"),
    lambda d: d["rooms"][0]["unavailable"][0].update(start="2026-02-30"),
    lambda d: d["residents"][0].update(priority=0),
    lambda d: d["residents"][0].update(required=1),
    lambda d: d["residents"][0].update(budget=-1),
    lambda d: d["residents"][0].update(stay="2026"),
    lambda d: d["residents"][0].update(group=""),
    lambda d: d["residents"][0].update(name=3),
    lambda d: d["residents"][0]["roommates"].update(avoids=[]),
    lambda d: d["residents"][0]["roommates"].update(want=[1]),
    lambda d: d["residents"][0]["preferences"][0].update(feature="quiet"),
    lambda d: d["residents"][0]["preferences"][0].pop("building"),
    lambda d: d["residents"][0]["preferences"][2].update(floor=[1, 2, 3]),
    lambda d: d["residents"][0]["preferences"][0].update(weight="3"),
    lambda d: d["rules"].update(gender_mixing="mixed"),
    lambda d: d["objective"][0].update(weight=-1),
    lambda d: d["objective"][0].pop("term"),
]

# Mistakes only the cross-reference and order checks see: a schema cannot express them.
CROSS_REFERENCE_MISTAKES: list[Callable[[dict[str, Any]], object]] = [
    lambda d: d["rooms"][2].update(id="A-101"),
    lambda d: d["residents"][0]["roommates"]["want"].append("r9"),
    lambda d: d["residents"][2].pop("current_room"),
    lambda d: d["objective"][0].update(term="housd"),
    lambda d: d["residents"][0]["stay"].update(end="2026-09-01"),
    lambda d: d["residents"][0]["preferences"][2].update(floor=[2, 1]),
]


@pytest.mark.parametrize("edit", STRUCTURAL_MISTAKES)
def test_schema_and_validation_reject_the_same_structural_mistakes(
    edit: Callable[[dict[str, Any]], object],
) -> None:
    document = base()
    assert schema_accepts(problem_json_schema(), document) and validation_accepts(document)
    edit(document)
    assert not validation_accepts(document)
    assert not schema_accepts(problem_json_schema(), document)


@pytest.mark.parametrize("edit", CROSS_REFERENCE_MISTAKES)
def test_cross_reference_mistakes_are_validation_only(
    edit: Callable[[dict[str, Any]], object],
) -> None:
    document = base()
    edit(document)
    assert not validation_accepts(document)
    assert schema_accepts(problem_json_schema(), document)


def test_result_schema_agrees_on_results() -> None:
    good = {"status": "optimal", "assignments": {"r1": "A", "r2": None}, "objective": 1.0,
            "bound": 1.0, "terms": {"housed": 1.0}, "solve_seconds": 0.5, "_note": "x"}
    assert schema_accepts(result_json_schema(), good)
    for bad in ({**good, "status": "solved"}, {**good, "assignments": {"r1": 5}},
                {**good, "solve_seconds": -1}, {**good, "sttus": 1}):
        assert not schema_accepts(result_json_schema(), bad)
        with pytest.raises(ProblemError):
            as_result(bad)
