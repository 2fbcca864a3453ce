"""Write generated rows as the files departments upload: 行政许可 and 行政处罚 in the national format.

Headers are the catalogue's Chinese labels in catalogue order (from `catalog.seed`, so no database is
needed); dates YYYY/MM/DD, amounts in 万元, ID numbers in full. CSV is UTF-8 with a BOM; XLSX is
written in openpyxl's write-only mode, so neither holds the rows in memory.

With a bad ratio, about that share of rows is corrupted in one realistic way each, and
`<item>.bad-rows.csv` names the line (header = line 1, in the CSV and the XLSX alike) and the reason,
so a test of the importer can check it rejects exactly those rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook

from xinyong.catalog.seed import LICENCE_FIELDS, PENALTY_FIELDS
from xinyong.core.identifiers import USCC_ALPHABET

from .rows import PERSON, DemoRow

ITEM_FIELDS: dict[str, list[dict[str, Any]]] = {"XK": LICENCE_FIELDS, "CF": PENALTY_FIELDS}
ITEM_NAMES = {"XK": "行政许可", "CF": "行政处罚"}
SIDECAR_HEADER = ("line", "reason", "field", "detail")
FORMATS = ("csv", "xlsx")


def headers(item_code: str) -> list[str]:
    return [spec["label"] for spec in ITEM_FIELDS[item_code]]


# --- corruptions -----------------------------------------------------------------------------------

Corruption = Callable[[dict[str, str], DemoRow, random.Random, dt.date], tuple[str, str]]


def _bad_check_char(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    p = row.item_code
    code = f"{p}_XKJGDM" if p == "XK" else f"{p}_CFJGDM"
    if row.subject.kind != PERSON:
        code = f"{p}_XDR_SHXYM"
    value = values[code]
    wrong = rng.choice([c for c in USCC_ALPHABET if c != value[-1]])
    values[code] = value[:-1] + wrong
    return code, f"{value} → {values[code]}（第18位校验码错误）"


def _impossible_date(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    code = f"{row.item_code}_JDRQ"
    year = row.decision_date.year
    values[code] = rng.choice(
        (f"{year}/02/30", f"{year}/04/31", f"{year}/06/31", f"{year}/09/31", f"{year}/11/31", f"{year}/13/01")
    )
    return code, f"不存在的日期 {values[code]}"


REQUIRED = {
    "XK": ("XK_XDR_MC", "XK_XKWS", "XK_WSH", "XK_NR", "XK_XKJG", "XK_LYDW", "XK_XKLB"),
    "CF": ("CF_XDR_MC", "CF_WSH", "CF_WFXW", "CF_WFSS", "CF_YJ", "CF_NR", "CF_CFJG", "CF_SJLY"),
}


def _missing_required(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    choices = REQUIRED[row.item_code]
    if row.subject.kind == PERSON:
        choices = (*choices, f"{row.item_code}_XDR_ZJHM")
    code = rng.choice(choices)
    values[code] = ""
    return code, "必填项为空"


def _unknown_enum(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    if row.item_code == "XK":
        values["XK_XKLB"] = rng.choice(("审批", "备案", "特殊"))
        return "XK_XKLB", f"未知许可类别“{values['XK_XKLB']}”"
    unknown = rng.choice(("训诫", "责令改正", "通报表扬", "罚金"))
    values["CF_CFLB"] = f"{values['CF_CFLB']};{unknown}"
    return "CF_CFLB", f"未知处罚类别“{unknown}”"


def _fine_without_amount(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    if "罚款" not in values["CF_CFLB"].split(";"):
        values["CF_CFLB"] = f"{values['CF_CFLB']};罚款"
    values["CF_NR_FK"] = ""
    return "CF_NR_FK", "处罚类别含罚款但未填罚款金额"


def _future_decision(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    p = row.item_code
    decided = today + dt.timedelta(days=rng.randint(10, 200))
    values[f"{p}_JDRQ"] = f"{decided:%Y/%m/%d}"
    if p == "CF":
        values["CF_YXQ"] = f"{decided + dt.timedelta(days=365):%Y/%m/%d}"
    return f"{p}_JDRQ", f"决定日期 {decided:%Y/%m/%d} 晚于今天"


def _validity_before_start(values: dict[str, str], row: DemoRow, rng: random.Random, today: dt.date) -> tuple[str, str]:
    days = dt.timedelta(days=rng.randint(1, 60))
    if row.item_code == "CF":
        values["CF_YXQ"] = f"{row.decision_date - days:%Y/%m/%d}"
        return "CF_YXQ", f"处罚有效期 {values['CF_YXQ']} 早于处罚决定日期"
    start = dt.date.fromisoformat(values["XK_YXQZ"].replace("/", "-"))
    values["XK_YXQZI"] = f"{start - days:%Y/%m/%d}"
    return "XK_YXQZI", f"有效期至 {values['XK_YXQZI']} 早于有效期自"


CORRUPTIONS: dict[str, dict[str, Corruption]] = {
    "XK": {
        "bad_check_char": _bad_check_char,
        "impossible_date": _impossible_date,
        "missing_required": _missing_required,
        "unknown_licence_type": _unknown_enum,
        "decision_in_future": _future_decision,
        "validity_before_start": _validity_before_start,
    },
    "CF": {
        "bad_check_char": _bad_check_char,
        "impossible_date": _impossible_date,
        "missing_required": _missing_required,
        "unknown_penalty_type": _unknown_enum,
        "fine_without_amount": _fine_without_amount,
        "decision_in_future": _future_decision,
        "validity_before_start": _validity_before_start,
    },
}


# --- writers ---------------------------------------------------------------------------------------


class _ItemFiles:
    """The files of one catalogue item: CSV and/or XLSX plus the bad-rows sidecar."""

    def __init__(self, directory: Path, item_code: str, formats: tuple[str, ...]) -> None:
        self.item_code = item_code
        self.codes = [spec["code"] for spec in ITEM_FIELDS[item_code]]
        self.money = {spec["code"] for spec in ITEM_FIELDS[item_code] if spec["type"] == "money"}
        self.paths: list[Path] = []
        self.rows = self.bad = 0
        self._handles: list[IO[str]] = []
        self._csv = self._xlsx_path = self._book = self._sheet = None
        if "csv" in formats:
            self._csv = csv.writer(self._open(directory / f"{item_code}.csv"))
            self._csv.writerow(headers(item_code))
        if "xlsx" in formats:
            self._xlsx_path = directory / f"{item_code}.xlsx"
            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(title=ITEM_NAMES[item_code])
            self._sheet.append(headers(item_code))
            self.paths.append(self._xlsx_path)
        self.sidecar_path = directory / f"{item_code}.bad-rows.csv"
        self._sidecar = csv.writer(self._open(self.sidecar_path))
        self._sidecar.writerow(SIDECAR_HEADER)

    def _open(self, path: Path) -> IO[str]:
        handle = path.open("w", encoding="utf-8-sig", newline="")
        self._handles.append(handle)
        self.paths.append(path)
        return handle

    def write(self, values: dict[str, str], bad: tuple[str, str, str] | None) -> None:
        self.rows += 1
        cells = [values.get(code, "") for code in self.codes]
        if self._csv is not None:
            self._csv.writerow(cells)
        if self._sheet is not None:
            self._sheet.append([self._cell(code, cell) for code, cell in zip(self.codes, cells, strict=True)])
        if bad is not None:
            self.bad += 1
            self._sidecar.writerow((self.rows + 1, *bad))

    def _cell(self, code: str, text: str) -> Any:
        if not text:
            return None
        if code in self.money:
            try:
                return Decimal(text)
            except ArithmeticError:
                return text
        return text

    def close(self) -> None:
        for handle in self._handles:
            handle.close()
        if self._book is not None and self._xlsx_path is not None:
            self._book.save(self._xlsx_path)


@dataclass
class ExportSummary:
    rows: dict[str, int] = field(default_factory=dict)
    bad: dict[str, int] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)


class Exporter:
    """Streams rows into one set of files per catalogue item; `close()` finishes them."""

    def __init__(
        self,
        directory: Path,
        *,
        formats: tuple[str, ...] = FORMATS,
        bad_ratio: float = 0.0,
        seed: int = 0,
        today: dt.date | None = None,
    ) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.files = {code: _ItemFiles(directory, code, formats) for code in ITEM_FIELDS}
        self.bad_ratio = bad_ratio
        self.rng = random.Random(f"xinyong-demo-bad-rows:{seed}")
        self.today = today or dt.date.today()

    def write(self, row: DemoRow) -> None:
        values = row.export_fields()
        bad = None
        if self.bad_ratio and self.rng.random() < self.bad_ratio:
            reason, corrupt = self.rng.choice(list(CORRUPTIONS[row.item_code].items()))
            code, detail = corrupt(values, row, self.rng, self.today)
            bad = (reason, code, detail)
        self.files[row.item_code].write(values, bad)

    def close(self) -> ExportSummary:
        summary = ExportSummary()
        for code, files in self.files.items():
            files.close()
            summary.rows[code], summary.bad[code] = files.rows, files.bad
            summary.paths.extend(files.paths)
        return summary
