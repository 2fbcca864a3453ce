"""Import templates (XLSX and CSV) and the rejected-rows reports a department downloads."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from xinyong.catalog.models import CatalogItem
from xinyong.catalog.validation import RowValidator
from xinyong.records.ingest.reader import open_tabular
from xinyong.records.ingest.reports import ErrorRow, safe_cell, write_errors_csv, write_errors_xlsx
from xinyong.records.ingest.templates import (
    EXAMPLE_MARK,
    GUIDE_SHEET,
    OPTIONS_SHEET,
    REQUIRED_COLOR,
    build_csv_template,
    build_xlsx_template,
    template_example,
)

ENUM_TYPES = ("enum", "multi_enum")


def _items() -> list[CatalogItem]:
    items = list(CatalogItem.objects.order_by("code"))
    assert {"XK", "CF"} <= {item.code for item in items}
    return items


def _assert_valid(item, row: dict[str, str]) -> None:
    result = RowValidator.for_item(item).validate(row)
    assert result.errors == [], (item.code, result.errors)
    assert result.warnings == [], (item.code, result.warnings)


@pytest.mark.django_db
def test_xlsx_template_headers_validations_and_valid_example_for_every_item():
    for item in _items():
        workbook = load_workbook(io.BytesIO(build_xlsx_template(item)))
        sheet = workbook.worksheets[0]
        labels = [spec["label"] for spec in item.fields]
        assert [cell.value for cell in sheet[1]] == labels
        assert sheet.freeze_panes == "A2"
        example = {spec["code"]: sheet.cell(row=2, column=i).value or "" for i, spec in enumerate(item.fields, 1)}
        _assert_valid(item, example)
        validated = {str(rng) for dv in sheet.data_validations.dataValidation for rng in dv.sqref.ranges}
        for column, spec in enumerate(item.fields, start=1):
            letter = get_column_letter(column)
            assert (f"{letter}2:{letter}5000" in validated) == (spec["type"] in ENUM_TYPES), spec["code"]
            header = sheet.cell(row=1, column=column)
            assert spec["code"] in header.comment.text
            assert (header.font.color is not None and header.font.color.rgb == REQUIRED_COLOR) == (
                spec["required"] == "always"
            )
        assert GUIDE_SHEET in workbook.sheetnames


@pytest.mark.django_db
def test_penalty_template_content_and_guide():
    item = CatalogItem.objects.get(code="CF")
    workbook = load_workbook(io.BytesIO(build_xlsx_template(item)))
    assert workbook.worksheets[0].title == "行政处罚"
    example = template_example(item)
    assert example["CF_XDR_MC"].endswith(EXAMPLE_MARK) and example["CF_XDR_LB"] == "法人及非法人组织"
    assert example["CF_CFLB"] == "警告；罚款" and example["CF_NR_FK"] == "0.5"
    assert example["CF_XDR_ZJHM"] == example["CF_FR_ZJHM"] == ""
    guide = "\n".join(str(cell.value) for row in workbook[GUIDE_SHEET].iter_rows() for cell in row if cell.value)
    for rule in ("YYYY/MM/DD", "2099/12/31", "万元", "；", "自然人", "CF_NR_FK"):
        assert rule in guide


@pytest.mark.django_db
def test_example_date_is_never_in_the_future():
    item = CatalogItem.objects.get(code="CF")
    example = template_example(item, today=dt.date(2026, 1, 15))
    assert example["CF_JDRQ"] == "2026/01/15" and example["CF_YXQ"] == "2099/12/31"
    result = RowValidator.for_item(item, today=dt.date(2026, 1, 15)).validate(example)
    assert result.errors == []


@pytest.mark.django_db
def test_templates_read_back_through_the_importer(tmp_path):
    for item in _items():
        for name, data in (("t.xlsx", build_xlsx_template(item)), ("t.csv", build_csv_template(item))):
            path = tmp_path / name
            path.write_bytes(data)
            with open_tabular(path, original_name=name) as tabular:
                rows = list(tabular.rows)
                assert tabular.headers == [spec["label"] for spec in item.fields]
            assert len(rows) == 1 and rows[0].line == 2 and rows[0].formula_columns == ()
            _assert_valid(item, dict(zip(tabular.headers, rows[0].values, strict=True)))


@pytest.mark.django_db
def test_csv_template_has_bom_labels_and_a_valid_example():
    for item in _items():
        data = build_csv_template(item)
        assert data.startswith(b"\xef\xbb\xbf")
        header, example, *rest = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        assert rest == [] and header == [spec["label"] for spec in item.fields]
        _assert_valid(item, dict(zip(header, example, strict=True)))


def test_long_option_lists_go_to_a_hidden_sheet():
    options = [f"很长的选项名称第{i}项" for i in range(40)]
    item = SimpleNamespace(
        code="T",
        name="测试:目录/项",
        field_roles={},
        fields=[
            {"code": "T_A", "label": "类别", "type": "enum", "required": "always", "enum": options},
            {"code": "T_B", "label": "状态", "type": "enum", "required": "optional", "enum": ["有效", "无效"]},
        ],
    )
    workbook = load_workbook(io.BytesIO(build_xlsx_template(item)))
    sheet = workbook.worksheets[0]
    assert sheet.title == "测试_目录_项"
    assert workbook[OPTIONS_SHEET].sheet_state == "hidden"
    assert [workbook[OPTIONS_SHEET].cell(row=i + 1, column=1).value for i in range(40)] == options
    formulas = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert formulas["A2:A5000"] == "'选项'!$A$1:$A$40"
    assert formulas["B2:B5000"] == '"有效,无效"'
    assert sheet["A2"].value == options[0]


# --- reports ---------------------------------------------------------------------------------------

DANGEROUS = ["=1+1", "+86", "-5", "@SUM(A1)", "\tx", "\r=2"]


def _error_rows() -> list[ErrorRow]:
    rows = [
        ErrorRow(line, "CF_NR_FK", "罚款金额（万元）", value, "money_invalid", "“罚款金额（万元）”的金额无效。")
        for line, value in enumerate(DANGEROUS, start=2)
    ]
    rows.append(ErrorRow(9, "CF_XDR_MC", "行政相对人名称", "韶山市清溪镇韶峰食品有限公司", "required", "中文说明"))
    rows.append(ErrorRow(10, "CF_WFSS", "违法事实", "长" * 500, "too_long", '=HYPERLINK("http://x")'))
    return rows


def test_safe_cell():
    assert [safe_cell(text) for text in DANGEROUS] == ["'" + text for text in DANGEROUS]
    assert safe_cell("韶山 =1") == "韶山 =1" and safe_cell("") == "" and safe_cell("0.5") == "0.5"
    assert safe_cell("a\x00b\x1fc\nd") == "a\ufffdb\ufffdc\nd"


def test_errors_csv_escapes_formulas_and_round_trips_chinese():
    out = io.BytesIO()
    write_errors_csv(_error_rows(), out)
    data = out.getvalue()
    assert data.startswith(b"\xef\xbb\xbf") and not out.closed
    header, *rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    assert header == ["行号", "字段", "字段代码", "原值", "错误代码", "错误说明"]
    assert [row[3] for row in rows[:6]] == ["'" + text for text in DANGEROUS]
    assert rows[6] == ["9", "行政相对人名称", "CF_XDR_MC", "韶山市清溪镇韶峰食品有限公司", "required", "中文说明"]
    assert rows[7][3] == "长" * 199 + "…" and rows[7][5].startswith("'=HYPERLINK")


def test_errors_xlsx_escapes_formulas_as_strings_and_round_trips_chinese():
    out = io.BytesIO()
    write_errors_xlsx([*_error_rows(), (11, "BZ", "备注", "bad\x01char", "x", "y")], out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).active
    assert [cell.value for cell in sheet[1]] == ["行号", "字段", "字段代码", "原值", "错误代码", "错误说明"]
    values = [sheet.cell(row=row, column=4) for row in range(2, 8)]
    # XML turns a CR into a LF when the file is read; the leading quote is what matters
    assert [cell.value for cell in values] == ["'" + text.replace("\r", "\n") for text in DANGEROUS]
    assert all(cell.data_type == "s" for row in sheet.iter_rows(min_row=2, min_col=2) for cell in row)
    assert sheet["A8"].value == 9 and sheet["D8"].value == "韶山市清溪镇韶峰食品有限公司"
    assert sheet["D9"].value == "长" * 199 + "…" and sheet["F9"].value.startswith("'=HYPERLINK")
    assert sheet["D10"].value == "bad\ufffdchar"
