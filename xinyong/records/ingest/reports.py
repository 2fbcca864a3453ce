"""The rejected-rows report a department downloads, corrects and uploads again (CSV or XLSX).

Every text cell goes through `safe_cell`, so a value such as `=HYPERLINK(...)` taken from an upload
is shown as text and never run as a formula when the report is opened in Excel or WPS.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, BinaryIO, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

REPORT_HEADERS = ("行号", "字段", "字段代码", "原值", "错误代码", "错误说明")
REPORT_WIDTHS = (8, 24, 16, 40, 22, 60)
MAX_VALUE_CHARS = 200
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XLSX, confusing in CSV


class ErrorRow(NamedTuple):
    line: int
    field_code: str
    field_label: str
    value: str
    code: str
    message: str


def safe_cell(text: str) -> str:
    """Text that a spreadsheet will not evaluate: a leading = + - @ tab or CR gets a `'` in front."""
    text = _CONTROL_RE.sub("\ufffd", text)
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def shorten(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cells(row: Sequence[Any]) -> tuple[int, str, str, str, str, str]:
    """Any 6-tuple in ErrorRow order (the pipeline's own tuples work too)."""
    line, field_code, field_label, value, code, message = (("" if v is None else v) for v in row)
    return (
        int(line),
        safe_cell(str(field_label)),
        safe_cell(str(field_code)),
        safe_cell(shorten(str(value))),
        safe_cell(str(code)),
        safe_cell(str(message)),
    )


def write_errors_csv(rows: Iterable[Sequence[Any]], out: BinaryIO) -> None:
    """UTF-8 with BOM so Excel opens the Chinese correctly; `out` stays open."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(REPORT_HEADERS)
        writer.writerows(_cells(row) for row in rows)
        text.flush()
    finally:
        text.detach()


def write_errors_xlsx(rows: Iterable[Sequence[Any]], out: BinaryIO) -> None:
    """A write-only workbook (rows streamed to disk, not kept in memory); every text an explicit string."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", REPORT_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)
    header = []
    for title in REPORT_HEADERS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        line, *texts = _cells(row)
        sheet.append([line, *(_string_cell(sheet, text) for text in texts)])
    workbook.save(out)


def _string_cell(sheet: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would otherwise treat any text starting with "=" as a formula
    return cell
