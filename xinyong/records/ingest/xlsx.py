"""XLSX rows for `reader.open_tabular`: python-calamine reads them, openpyxl is its slow twin.

- Zip bombs are refused from the archive's directory before either library parses anything; the
  declared sizes are trustworthy because `zipfile` never inflates a member beyond its declared size.
- calamine (Rust) reads a sheet about ten times faster than openpyxl and keeps no Python objects per
  cell, but it gives a formula cell's cached value and an error cell as "". So a workbook whose
  worksheets hold a formula (`<f>`) or an error cell (`t="e"`) is read by openpyxl, which reports them
  as today (formula text and `formula_columns`, error text); finding them is one scan of the sheets'
  XML. A package calamine cannot open is also given to openpyxl before it is refused.
- Both paths give the same rows: the first visible worksheet with a non-empty row among its first
  `XLSX_PEEK_ROWS`, cells as text the way Excel shows them (`cell_text`), sheet row numbers, columns
  counted from A. `tests/test_reader_xlsx.py` compares them on generated workbooks.
- calamine holds the whole sheet in memory while it is read (bounded by the bomb check).
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from .reader import FileRejected, RawRow, TabularFile, _check_headers, _fit, _Limits, _megabytes

MAX_COMPRESSION_RATIO = 200
RATIO_FLOOR = 1024 * 1024  # members smaller than this cannot be bombs, whatever their ratio
XLSX_PEEK_ROWS = 1000  # rows looked at to decide whether a sheet is empty
SCAN_CHUNK = 1024 * 1024
_SLOW_CELLS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]|\st=[\"']e[\"']")  # a formula, an error cell

Rows = Iterator[tuple[int, list[Any]]]


def open_xlsx(path: Path, limits: _Limits, max_uncompressed: int) -> TabularFile:
    members = _check_archive(path, max_uncompressed)
    if _needs_openpyxl(path, members):
        return open_with_openpyxl(path, limits)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError):
        return open_with_openpyxl(path, limits)
    try:
        end_row, rows = _calamine_sheet(workbook)
        header_line, header_cells = next(rows)
        headers = _check_headers(map(cell_text, header_cells), limits)
    except (CalamineError, OSError, ValueError):
        workbook.close()
        return open_with_openpyxl(path, limits)
    except BaseException:
        workbook.close()
        raise
    stream = _calamine_rows(rows, len(headers), limits.max_cell_chars + 1)
    tabular = TabularFile("xlsx", None, headers, stream, _closers=[workbook.close])
    tabular.expected_rows = max(end_row - header_line, 0)
    return tabular


def _check_archive(path: Path, max_uncompressed: int) -> list[zipfile.ZipInfo]:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(
            "file_not_tabular", "Excel 文件已损坏（压缩包结构无效），无法打开。请在 Excel 中重新保存后上传。"
        ) from exc
    too_big = sum(member.file_size for member in members) > max_uncompressed or any(
        member.file_size > RATIO_FLOOR and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if too_big:
        raise FileRejected(
            "xlsx_too_large",
            f"Excel 文件解压后过大（超过 {_megabytes(max_uncompressed)}，或压缩比异常），为安全起见拒收。"
            "请删除多余的工作表、格式和空白行列，或另存为 CSV 后上传。",
        )
    return members


def _needs_openpyxl(path: Path, members: list[zipfile.ZipInfo]) -> bool:
    """Whether a worksheet holds a formula or an error cell (calamine would read them as values or "")."""
    sheets = [m for m in members if m.filename.lower().startswith("xl/worksheets/") and m.filename.endswith(".xml")]
    try:
        with zipfile.ZipFile(path) as archive:
            for member in sheets:
                with archive.open(member) as part:
                    tail = b""
                    while chunk := part.read(SCAN_CHUNK):
                        if _SLOW_CELLS.search(tail + chunk):
                            return True
                        tail = chunk[-32:]
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return True  # openpyxl gives the refusal
    return False


def _calamine_sheet(workbook: CalamineWorkbook) -> tuple[int, Rows]:
    """The first visible worksheet with a non-empty row near the top: its last row number and its rows."""
    worksheets = [
        (index, meta) for index, meta in enumerate(workbook.sheets_metadata) if meta.typ == SheetTypeEnum.WorkSheet
    ]
    visible = [index for index, meta in worksheets if meta.visible == SheetVisibleEnum.Visible]
    indexes = visible or [index for index, _ in worksheets]
    if not indexes:
        raise FileRejected("file_not_tabular", "Excel 文件中没有工作表，请确认选择了正确的文件。")
    for index in indexes:
        sheet = workbook.get_sheet_by_index(index)
        start = sheet.start
        if start is None:
            continue
        numbered: Rows = enumerate(_from_column_a(sheet.iter_rows(), start[1]), start=1)
        first = next(_calamine_nonblank(islice(numbered, XLSX_PEEK_ROWS)), None)
        if first is not None:
            end = sheet.end or start
            return end[0] + 1, chain([first], _calamine_nonblank(numbered))
    raise FileRejected("headers_missing", "Excel 文件的工作表都是空的，没有表头行，请使用平台模板填写。")


def _from_column_a(rows: Iterator[list[Any]], first_column: int) -> Iterator[list[Any]]:
    """calamine's rows start at the sheet's first used column; openpyxl's (and Excel's) at column A."""
    if not first_column:
        return rows
    padding = [""] * first_column
    return (padding + row for row in rows)


def _calamine_nonblank(rows: Rows) -> Rows:
    for line, cells in rows:
        for value in cells:
            if value != "" and (type(value) is not str or value.strip()):
                yield line, cells
                break


def _calamine_rows(rows: Rows, width: int, cap: int) -> Iterator[RawRow]:
    for line, cells in rows:
        values = [value.strip() if type(value) is str else cell_text(value) for value in cells]
        if len("".join(values)) > cap:
            values = [value[:cap] for value in values]
        if len(values) == width:
            yield RawRow(line, values)
            continue
        values, extra = _fit(values, width)
        yield RawRow(line, values, extra)


# --- openpyxl, the slow twin -----------------------------------------------------------------------


def open_with_openpyxl(path: Path, limits: _Limits) -> TabularFile:
    handle = path.open("rb")
    try:
        workbook = _load_workbook(handle)
    except BaseException:
        handle.close()
        raise
    closers: list[Callable[[], object]] = [handle.close, workbook.close]
    try:
        declared_rows, rows = _first_data_sheet(workbook)
        header_line, header_cells = next(rows, (0, ()))
        headers = _check_headers((cell_text(cell.value) for cell in header_cells), limits)
    except BaseException:
        workbook.close()
        handle.close()
        raise
    stream = _xlsx_rows(rows, len(headers), limits.max_cell_chars + 1)
    tabular = TabularFile("xlsx", None, headers, stream, _closers=closers)
    tabular.expected_rows = max(declared_rows - header_line, 0) if isinstance(declared_rows, int) else None
    return tabular


def _load_workbook(handle: BinaryIO) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it ignores
            return load_workbook(handle, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds of errors on a foreign or broken package
        raise FileRejected(
            "file_not_tabular",
            "文件是压缩包，但不是可以读取的 Excel 工作簿（.xlsx）。如果是压缩的 CSV，请解压后上传；"
            "否则请在 Excel 中打开并另存为 .xlsx。",
        ) from exc


def _first_data_sheet(workbook: Any) -> tuple[int | None, Iterator[tuple[int, tuple[Any, ...]]]]:
    """The first visible sheet with a non-empty row near the top: its declared height and its rows."""
    sheets = [sheet for sheet in workbook.worksheets if sheet.sheet_state == "visible"] or workbook.worksheets
    if not sheets:
        raise FileRejected("file_not_tabular", "Excel 文件中没有工作表，请确认选择了正确的文件。")
    for sheet in sheets:
        declared_rows = sheet.max_row
        sheet.reset_dimensions()  # some writers declare a wrong size: read the cells that are there
        numbered = enumerate(sheet.iter_rows(), start=1)
        first = next(_nonblank(islice(numbered, XLSX_PEEK_ROWS)), None)
        if first is not None:
            return declared_rows, chain([first], _nonblank(numbered))
    raise FileRejected("headers_missing", "Excel 文件的工作表都是空的，没有表头行，请使用平台模板填写。")


def _nonblank(rows: Iterator[tuple[int, tuple[Any, ...]]]) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for line, cells in rows:
        for cell in cells:
            value = cell.value
            if value is not None and (not isinstance(value, str) or value.strip()):
                yield line, cells
                break


def _xlsx_rows(rows: Iterator[tuple[int, tuple[Any, ...]]], width: int, cap: int) -> Iterator[RawRow]:
    for line, cells in rows:
        values: list[str] = []
        formulas: list[int] = []
        for index, cell in enumerate(cells):
            value = cell.value
            if value is None:
                values.append("")
                continue
            if cell.data_type == "f" and index < width:
                formulas.append(index)
            values.append(cell_text(value))
        if len("".join(values)) > cap:
            values = [value[:cap] for value in values]
        values, extra = _fit(values, width)
        yield RawRow(line, values, extra, tuple(formulas))


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _float_text(value: float) -> str:
    """As Excel shows it: integral floats without ".0", at most 15 significant digits, no exponent."""
    if value != value or value in (float("inf"), float("-inf")):
        return repr(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(format(value, ".15g")), "f")
