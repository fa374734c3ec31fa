"""Tables in and out: read_tables places every mistake by file, row and column; frames and files."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import roomalloc
from roomalloc import Preference, Problem, ProblemError, Resident, Result, Room, RoomallocError
from roomalloc.tables import (
    check_frame,
    explanation_frame,
    read_tables,
    result_frame,
    write_table,
)

DATA = Path(__file__).resolve().parent.parent / "docs" / "notebooks" / "data"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(err: ProblemError) -> list[str]:
    return [str(issue) for issue in err.issues]


# -- reading good tables ------------------------------------------------------------------------


def test_the_bundled_quickstart_tables_read_into_a_problem() -> None:
    p = read_tables(DATA / "rooms.csv", DATA / "residents.csv")
    assert (len(p.rooms), len(p.residents)) == (10, 18)
    r01 = p.resident("r01")
    assert r01.required and r01.needs == ("accessible",) and r01.budget == 500
    assert r01.stay is not None and r01.stay.start == dt.date(2026, 9, 1)
    assert r01.roommates.want == ("r02",)
    assert r01.attributes == {"department": "logistics"}
    assert p.room("N-301").unavailable[0].end == dt.date(2026, 9, 20)
    assert p.room("N-101").features == ("accessible", "ensuite")
    assert p.room("N-202").gender == "female" and p.room("N-101").gender is None


def test_cells_are_text_lists_split_on_semicolons_and_empty_cells_are_absent(
    tmp_path: Path,
) -> None:
    rooms = write(tmp_path, "rooms.csv", "id,capacity,features,cost\n007,2,quiet;  ensuite ;,\n")
    residents = write(tmp_path, "residents.csv",
                      "id,name,budget,needs,want,avoid,_note,wing\n"
                      "001,,,quiet,002,,call first,east\n002,Bo,300,,,001,,\n")
    p = read_tables(rooms, residents)
    assert p.rooms[0].id == "007" and p.rooms[0].features == ("quiet", "ensuite")
    assert p.rooms[0].cost == 0.0
    first, second = p.residents
    assert first.id == "001" and first.name is None and first.budget is None
    assert first.annotations == {"_note": "call first"}
    assert first.attributes == {"wing": "east"} and second.attributes == {}
    assert second.roommates.avoid == ("001",) and second.budget == 300


def test_ranked_choices_weigh_n_down_to_1_and_compact_preferences_keep_their_weights(
    tmp_path: Path,
) -> None:
    rooms = write(tmp_path, "rooms.csv", "id,building,floor,capacity,features\n"
                                         "A-1,North,1,1,quiet\nA-2,South,2,1,\n")
    residents = write(tmp_path, "residents.csv",
                      "id,First choice,second_choice,choice_3,preferences\n"
                      'r1,A-2,building:North,floor:1-2,"feature:quiet=1.5; room:A-1=-2"\n')
    prefs = read_tables(rooms, residents).residents[0].preferences
    assert prefs == (
        Preference(room="A-2", weight=3), Preference(building="North", weight=2),
        Preference(floor=(1, 2), weight=1), Preference(feature="quiet", weight=1.5),
        Preference(room="A-1", weight=-2),
    )
    weighted = read_tables(rooms, residents, choice_weights=[10, 5, 1]).residents[0]
    assert [p.weight for p in weighted.preferences[:3]] == [10, 5, 1]


def test_other_header_names_map_through_columns(tmp_path: Path) -> None:
    rooms = write(tmp_path, "rooms.csv", "Room,Beds\nA,2\n")
    residents = write(tmp_path, "residents.csv", "Student ID,Room\ns1,A\n")
    p = read_tables(rooms, residents, columns={"rooms": {"Room": "id", "Beds": "capacity"},
                                               "residents": {"Student ID": "id",
                                                             "Room": "current_room"}})
    assert p.rooms[0].capacity == 2 and p.residents[0].current_room == "A"
    flat = read_tables(write(tmp_path, "r2.csv", "id,Beds\nA,2\n"), residents,
                       columns={"Beds": "capacity", "Student ID": "id", "Room": "first_choice"})
    assert flat.residents[0].preferences == (Preference(room="A", weight=1),)


def test_dataframes_with_missing_values_and_numbers_read_like_files() -> None:
    rooms = pd.DataFrame({"id": ["A", "B"], "capacity": [2, 1.0], "cost": [None, 300.0]})
    residents = pd.DataFrame({
        "id": [1, 2], "budget": [float("nan"), 250],
        "check_in": [pd.Timestamp("2026-09-01"), pd.NaT],
        "check_out": [dt.date(2026, 12, 1), None],
    })
    p = read_tables(rooms, residents)
    assert p.rooms[0].cost == 0 and p.rooms[1].capacity == 1
    assert p.residents[0].id == "1" and p.residents[0].budget is None
    assert p.residents[0].stay is not None and p.residents[0].stay.end == dt.date(2026, 12, 1)
    assert p.residents[1].stay is None and p.residents[1].budget == 250


def test_an_excel_workbook_with_both_sheets_reads_with_real_dates_and_numbers(
    tmp_path: Path,
) -> None:
    book = tmp_path / "housing.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"id": ["A-1"], "capacity": [2], "cost": [410.5]}).to_excel(
            writer, sheet_name="Rooms", index=False)
        pd.DataFrame({"id": ["007", "r2"], "check_in": [dt.datetime(2026, 9, 1)] * 2,
                      "check_out": [dt.datetime(2026, 12, 1)] * 2,
                      "want": ["r2", "007"]}).to_excel(writer, sheet_name="Residents",
                                                       index=False)
    p = read_tables(book, book, objective={"housed": 100, "roommates": 5})
    assert p.rooms[0].capacity == 2 and p.rooms[0].cost == 410.5
    assert p.residents[0].id == "007" and p.residents[0].roommates.want == ("r2",)
    assert p.residents[1].stay is not None and p.residents[1].stay.start == dt.date(2026, 9, 1)
    assert [(t.term, t.weight) for t in p.objective] == [("housed", 100), ("roommates", 5)]


# -- every mistake, placed ---------------------------------------------------------------------


def test_a_bad_csv_pair_reports_every_mistake_with_file_row_and_column(tmp_path: Path) -> None:
    rooms = write(tmp_path, "rooms.csv", "id,building,floor,capacity,features,cost\n"
                                         "A-1,North,1,2,quiet,400\n"
                                         "A-2,North,x,0,,cheap\n"
                                         "A-1,South,2,1,,300\n"
                                         "\n"
                                         "B-1,South,1,,,\n")
    residents = write(tmp_path, "residents.csv",
                      "id,gender,check_in,check_out,budget,needs,first_choice,preferences,want,"
                      "avoid,locked,dept\n"
                      "007,female,2026-09-01,2026-08-01,abc,accessible,Z-9,building:North,r2,"
                      "007,maybe,x\n"
                      "r2,,2026-09-01,,300,,building:South,feature:quiet=1; floor:1-x=2,007,,,\n"
                      "r3,male,,,,,,,,,yes,\n")
    with pytest.raises(ProblemError) as caught:
        read_tables(rooms, residents)
    found = messages(caught.value)
    assert found[:5] == [
        "rooms.csv row 3, column floor: must be a whole number, got 'x'",
        "rooms.csv row 3, column capacity: must be at least 1, got 0",
        "rooms.csv row 3, column cost: must be a number, got 'cheap'",
        "rooms.csv row 4, column id: duplicate room id 'A-1' (first at row 2)",
        # the blank row 5 is skipped, yet the rows after it keep their spreadsheet numbers
        "rooms.csv row 6, column capacity: missing; every room needs a capacity",
    ]
    assert found[5].startswith("residents.csv row 2, column check_out: must be after start")
    assert found[6:] == [
        "residents.csv row 2, column budget: must be a number, got 'abc'",
        "residents.csv row 2, column first_choice: no room 'Z-9'",
        "residents.csv row 2, column preferences: 'building:North': needs a weight, "
        "as in building:North=2",
        "residents.csv row 2, column avoid: '007' is this resident; nobody can want or avoid "
        "themself",
        "residents.csv row 2, column locked: must be yes or no (true/false, 1/0), got 'maybe'",
        "residents.csv row 3, column check_out: is empty but check_in is given; a stay needs "
        "both dates",
        "residents.csv row 3, column preferences: 'floor:1-x': a floor is a whole number or a "
        "range LOW-HIGH",
        "residents.csv row 4, column locked: a locked resident needs a current_room to stay in",
    ]
    assert "NaN" not in str(caught.value)


def test_header_mistakes_are_reported_once_not_on_every_row(tmp_path: Path) -> None:
    rooms = write(tmp_path, "rooms.csv", "id,cost,Cost,\nA,1,2,oops\nB,1,2,\n")
    residents = write(tmp_path, "residents.csv", "name\nBo\n")
    with pytest.raises(ProblemError) as caught:
        read_tables(rooms, residents, columns={"name": "nickname"})
    found = messages(caught.value)
    assert "rooms.csv column capacity: missing; every room needs a capacity" in found
    assert ("rooms.csv row 1, column Cost: repeats column 'cost'; each column may appear once"
            in found)
    assert "rooms.csv row 1, column 4: has data but no header; name the column in row 1" in found
    assert "residents.csv column id: missing; every resident needs an id" in found
    assert any(m.startswith("residents.csv row 1, column name: columns= maps it to 'nickname'")
               for m in found)
    assert len(found) == 5, found


def test_mistakes_in_an_excel_sheet_and_in_the_keyword_arguments_are_placed(
    tmp_path: Path,
) -> None:
    book = tmp_path / "housing.xlsx"
    with pd.ExcelWriter(book) as writer:
        pd.DataFrame({"id": ["A"], "capacity": ["two"]}).to_excel(writer, sheet_name="rooms",
                                                                    index=False)
        pd.DataFrame({"id": ["r1"]}).to_excel(writer, sheet_name="residents", index=False)
    with pytest.raises(ProblemError) as caught:
        read_tables(book, book, objective={"hapiness": 1}, rules={"gender_mixing": "never"})
    found = messages(caught.value)
    assert found[0] == "housing.xlsx sheet rooms row 2, column capacity: must be a whole number, " \
                       "got 'two'"
    assert any(m.startswith("objective argument: ") and "hapiness" in m for m in found)
    assert any(m.startswith("rules argument: ") and "never" in m for m in found)


def test_dataframe_rows_are_numbered_as_a_spreadsheet_would() -> None:
    residents = pd.DataFrame({"id": ["r1", "r2"], "priority": ["1", "-3"]})
    with pytest.raises(ProblemError) as caught:
        read_tables(pd.DataFrame({"id": ["A"], "capacity": [1]}), residents)
    assert messages(caught.value) == [
        "residents row 3, column priority: must be greater than 0, got -3"
    ]


def test_unreadable_files_say_why(tmp_path: Path) -> None:
    rooms = write(tmp_path, "rooms.csv", "id,capacity\nA,1\n")
    with pytest.raises(RoomallocError, match=r"cannot read .*nope\.csv: no such file"):
        read_tables(rooms, tmp_path / "nope.csv")
    with pytest.raises(RoomallocError, match=r"must be \.csv, \.tsv or \.xlsx"):
        read_tables(rooms, write(tmp_path, "residents.json", "{}"))
    with pytest.raises(ProblemError, match=r"residents\.csv: is empty"):
        read_tables(rooms, write(tmp_path, "residents.csv", ""))
    latin = tmp_path / "latin.csv"
    latin.write_bytes("id\nJosé\n".encode("latin-1"))
    with pytest.raises(ProblemError, match=r"latin\.csv: is not UTF-8 text"):
        read_tables(rooms, latin)


# -- tables out --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def solved() -> tuple[Problem, Result]:
    p = read_tables(DATA / "rooms.csv", DATA / "residents.csv")
    return p, roomalloc.solve(p, time_limit=20, workers=1)


def test_result_frame_has_one_row_per_resident_with_scores_and_wishes(
    solved: tuple[Problem, Result],
) -> None:
    p, result = solved
    frame = result_frame(p, result)
    assert frame["resident"].tolist() == [r.id for r in p.residents]
    rooms = [k if isinstance(k, str) else None for k in frame["room"]]
    assert rooms == [result.assignments[r.id] for r in p.residents]
    ev = roomalloc.evaluate(p, result)
    assert frame["score"].sum(skipna=True) == pytest.approx(ev.terms["preferences"])
    assert frame["roommates_met"].sum() == ev.terms["roommates"]
    housed = frame[frame["housed"]]
    assert (housed["building"] == [p.room(k).building for k in housed["room"]]).all()
    assert (housed["score"] <= housed["best_score"] + 1e-9).all()
    assert frame["department"].iloc[0] == "logistics"
    assert result.to_frame(p).equals(frame)


def test_explanation_frame_has_structured_columns(solved: tuple[Problem, Result]) -> None:
    p, result = solved
    ex = roomalloc.explain(p, result)
    frame = ex.to_frame()
    assert frame["resident"].tolist() == [r.id for r in p.residents]
    row = frame.set_index("resident").loc["r01"]
    assert row["room"] == result.assignments["r01"]
    assert row["preferences_met"] == len(ex.residents["r01"].preferences_met)
    unhoused = [rid for rid, k in result.assignments.items() if k is None]
    for rid in unhoused:
        assert frame.set_index("resident").loc[rid, "unhoused_by"]
    terms = ex.to_frame("terms")
    assert terms["contribution"].sum() == pytest.approx(result.objective)
    wishes = ex.to_frame("wishes")
    assert len(wishes) == sum(len(e.wishes) for e in ex.residents.values())
    r15 = wishes[wishes["resident"] == "r15"]
    assert not r15["met"].any() and r15["reason_kind"].notna().all()
    met = wishes[wishes["met"]]
    assert met["reason_kind"].isna().all()
    reasons = ex.to_frame("reasons")
    assert set(reasons.columns) >= {"resident", "room", "kind", "text"}
    assert reasons["kind"].map(type).eq(str).all()


def test_check_frame_lists_every_violation() -> None:
    p = Problem(rooms=[Room(id="A", capacity=1, features=())],
                residents=[Resident(id="r1", needs=("quiet",)), Resident(id="r2")])
    report = roomalloc.check(p, {"r1": "A", "r2": "A"})
    frame = report.to_frame()
    assert sorted(frame["rule"]) == sorted(v.rule for v in report.violations)
    assert len(frame) == len(report.violations) >= 2
    assert check_frame(roomalloc.check(p, {"r1": None, "r2": "A"})).empty


def test_write_table_writes_csv_and_xlsx_that_read_back(tmp_path: Path,
                                                        solved: tuple[Problem, Result]) -> None:
    p, result = solved
    frame = result_frame(p, result)
    for name in ("out.csv", "out.xlsx"):
        write_table(frame, tmp_path / name)
    back = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert back["resident"].tolist() == frame["resident"].tolist()
    assert pd.read_excel(tmp_path / "out.xlsx")["room"].fillna("").tolist() == \
        frame["room"].fillna("").tolist()
    assert sorted(f.name for f in tmp_path.iterdir()) == ["out.csv", "out.xlsx"]
    with pytest.raises(RoomallocError, match=r"must be \.csv or \.xlsx"):
        write_table(frame, tmp_path / "out.json")
    assert explanation_frame(roomalloc.explain(p, result), "terms")["term"].tolist() == [
        t.term for t in p.objective]


# -- pandas and matplotlib stay optional --------------------------------------------------------


def run_without(modules: list[str], code: str) -> subprocess.CompletedProcess[str]:
    blocked = "".join(f"sys.modules[{m!r}] = None; " for m in modules)
    return subprocess.run([sys.executable, "-c", f"import sys; {blocked}\n{code}"],
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_core_imports_and_solves_without_the_optional_extras() -> None:
    # pandas cannot be blocked here only because this solves: OR-Tools requires and imports
    # it. Everything short of solving (build, validate, check, evaluate, explain) works without
    # pandas too: tests/test_imports.py. The extras' own libraries can be blocked even for
    # solving: matplotlib (plot), openpyxl (tables) and tqdm (progress bars).
    done = run_without(["matplotlib", "openpyxl", "tqdm"], (
        "import roomalloc\n"
        "p = roomalloc.Problem(rooms=[roomalloc.Room(id='A', capacity=1)],\n"
        "                      residents=[roomalloc.Resident(id='r1')])\n"
        "r = roomalloc.solve(p, time_limit=5, workers=1)\n"
        "assert roomalloc.check(p, r).ok\n"
        "ex = roomalloc.explain(p, r)\n"
        "html = r._repr_html_() + p._repr_html_() + ex._repr_html_()\n"
        "print(r.status, repr(r))\n"
    ))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "optimal Result(status='optimal', objective=1000, " \
                                  "bound=1000, gap 0%, 1 of 1 housed)"


def test_no_module_outside_tables_and_plots_imports_an_extra_at_load_time() -> None:
    import ast

    src = Path(roomalloc.__file__).parent
    extras = ("pandas", "matplotlib", "openpyxl", "tqdm")
    for path in src.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only: imports inside functions are lazy
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            bad = [n for n in names if n.split(".")[0] in extras]
            assert not bad, f"{path.relative_to(src)} imports {bad} when loaded"


def test_tables_without_pandas_say_how_to_install_them() -> None:
    done = run_without([], (
        "import roomalloc\n"
        "sys.modules['pandas'] = None  # as if it were not installed\n"
        "try:\n"
        "    roomalloc.read_tables('rooms.csv', 'residents.csv')\n"
        "except roomalloc.RoomallocError as err:\n"
        "    print(err)\n"
    ))
    assert done.returncode == 0, done.stderr
    assert "pip install 'roomalloc[tables]'" in done.stdout


def test_excel_without_openpyxl_says_how_to_install_it(tmp_path: Path) -> None:
    book = tmp_path / "housing.xlsx"
    pd.DataFrame({"id": ["A"], "capacity": [1]}).to_excel(book, index=False)
    done = run_without(["openpyxl"], (
        "import roomalloc\n"
        "try:\n"
        f"    roomalloc.read_tables({str(book)!r}, {str(book)!r})\n"
        "except roomalloc.RoomallocError as err:\n"
        "    print(err)\n"
    ))
    assert done.returncode == 0, done.stderr
    assert "needs openpyxl: pip install 'roomalloc[tables]'" in done.stdout


@pytest.mark.parametrize("seed", [1, 2])
def test_a_synthetic_cohort_written_as_tables_reads_back_the_same(seed: int,
                                                                   tmp_path: Path) -> None:
    from roomalloc.tables import problem_frames

    p = roomalloc.cohort(residents=150, seed=seed)
    rooms, residents = problem_frames(p)
    write_table(rooms, tmp_path / "rooms.csv")
    write_table(residents, tmp_path / "residents.xlsx")
    q = read_tables(tmp_path / "rooms.csv", tmp_path / "residents.xlsx")

    def plain(items: object) -> list[dict[str, object]]:
        out = []
        for item in items:  # type: ignore[attr-defined]
            data = item.model_dump()
            data["attributes"] = {k: str(v) for k, v in data["attributes"].items()}
            out.append(data)
        return out

    assert plain(q.rooms) == plain(p.rooms)
    assert plain(q.residents) == plain(p.residents)
