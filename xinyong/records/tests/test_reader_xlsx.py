"""The XLSX fast path (python-calamine) against its slow twin (openpyxl): the same rows, always."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from python_calamine import CalamineError

from xinyong.records.ingest import xlsx
from xinyong.records.ingest.reader import FileRejected, open_tabular
from xinyong.records.ingest.xlsx import open_with_openpyxl

LIMITS = xlsx._Limits(max_columns=200, max_cell_chars=50)

_cells = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(" a1.-0甲乙公司\t"), max_size=8),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)).map(
        lambda value: value.replace(microsecond=0)
    ),
    st.times().map(lambda value: value.replace(microsecond=0)),
    st.text(alphabet="长", min_size=49, max_size=60),  # around max_cell_chars
)
_sheet = st.lists(st.lists(_cells, max_size=7), max_size=12)


def _write(path: Path, sheets: list[tuple[str, int, int, list[list]]]) -> Path:
    """Each sheet: its state, the row and column its first cell goes to (1-based), its rows."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, (state, top, left, rows) in enumerate(sheets):
        sheet = workbook.create_sheet(f"表{number}")
        sheet.sheet_state = state
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(row=top + r, column=left + c, value=value)
    workbook.save(path)
    return path


def _both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    def outcome(opener):
        try:
            with opener() as tabular:
                rows = [(row.line, row.values, row.extra_cells, row.formula_columns) for row in tabular.rows]
                return tabular.headers, rows, tabular.expected_rows
        except FileRejected as exc:
            return exc.code

    with monkeypatch.context() as patched:
        patched.setattr(xlsx, "load_workbook", lambda *a, **k: pytest.fail("the fast path used openpyxl"))
        fast = outcome(lambda: xlsx.open_xlsx(path, LIMITS, 1024**3))
    slow = outcome(lambda: open_with_openpyxl(path, LIMITS))
    return fast, slow


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    sheets=st.lists(
        st.tuples(st.sampled_from(["visible", "visible", "hidden"]), st.integers(1, 4), st.integers(1, 3), _sheet),
        min_size=1,
        max_size=3,
    )
)
def test_calamine_rows_are_openpyxl_rows(sheets, monkeypatch):
    if all(state == "hidden" for state, *_ in sheets):
        sheets[0] = ("visible", *sheets[0][1:])  # a workbook needs a visible sheet
    with tempfile.TemporaryDirectory() as folder:
        fast, slow = _both(_write(Path(folder) / "book.xlsx", sheets), monkeypatch)
    if isinstance(fast, str) or isinstance(slow, str):
        assert fast == slow
        return
    assert fast[:2] == slow[:2]
    # expected_rows: openpyxl's is the declared dimension, calamine's the last row holding a value (the
    # dimension also counts cells holding "", which no writer but a test leaves at the end of a sheet)
    before_first = min(line for line, *_ in fast[1]) - 1 if fast[1] else 0
    last = max((line for line, *_ in fast[1]), default=before_first)
    assert last - before_first <= fast[2] <= slow[2]


@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        ([12, 5.0, 0.1 + 0.2, 1e20, -2.5, 0.00001], ["12", "5", "0.3", "100000000000000000000", "-2.5", "0.00001"]),
        ([True, False, "  某公司 ", "00123"], ["是", "否", "某公司", "00123"]),
        (
            [dt.date(2026, 3, 2), dt.datetime(2026, 3, 2, 14, 30), dt.time(8, 5)],
            ["2026-03-02", "2026-03-02", "08:05:00"],
        ),
        ([dt.timedelta(hours=30)], ["1 day, 6:00:00"]),
    ],
)
def test_calamine_cells_read_as_typed(tmp_path, monkeypatch, cells, shown):
    path = _write(tmp_path / "t.xlsx", [("visible", 1, 1, [[f"列{i}" for i in range(len(cells))], cells])])
    fast, slow = _both(path, monkeypatch)
    assert fast == slow
    assert fast[1][0][1] == shown


def test_formula_and_error_cells_are_read_by_openpyxl_as_before(tmp_path):
    path = _write(tmp_path / "f.xlsx", [("visible", 1, 1, [["名称", "金额"], ["a", "#N/A"], ["b", "=B2*2"]])])
    with open_tabular(path, original_name="f.xlsx") as tabular:
        rows = list(tabular.rows)
    assert [(row.values, row.formula_columns) for row in rows] == [(["a", "#N/A"], ()), (["b", "=B2*2"], (1,))]


def test_formula_in_another_sheet_also_takes_the_slow_path(tmp_path, monkeypatch):
    path = _write(tmp_path / "g.xlsx", [("visible", 1, 1, [["名称"], ["a"]]), ("visible", 1, 1, [["=1+1"]])])
    monkeypatch.setattr(xlsx, "CalamineWorkbook", None)  # the fast path would fail on it
    with xlsx.open_xlsx(path, LIMITS, 1024**3) as tabular:
        assert tabular.headers == ["名称"] and [row.values for row in tabular.rows] == [["a"]]


def test_workbook_calamine_cannot_open_is_read_by_openpyxl(tmp_path, monkeypatch):
    path = _write(tmp_path / "c.xlsx", [("visible", 2, 2, [["名称", "文号"], ["甲", "1"]])])

    def broken(_path: str) -> None:
        raise CalamineError("unsupported")

    monkeypatch.setattr(xlsx.CalamineWorkbook, "from_path", broken)
    with open_tabular(path, original_name="c.xlsx") as tabular:
        assert tabular.headers == ["", "名称", "文号"] and next(tabular.rows).values == ["", "甲", "1"]


def test_calamine_path_closes_the_workbook(tmp_path):
    path = _write(tmp_path / "d.xlsx", [("visible", 1, 1, [["名称"], ["a"], ["b"]])])
    tabular = open_tabular(path, original_name="d.xlsx")
    with tabular:
        assert next(tabular.rows).values == ["a"]
    assert tabular._closers == []
