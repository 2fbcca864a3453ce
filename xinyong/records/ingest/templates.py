"""The import templates a department downloads for a catalogue item: XLSX with guidance, or CSV.

Both hold the standard's Chinese labels in catalogue order and one example row that passes
`RowValidator`. The example subject's name ends with `EXAMPLE_MARK`, so a template uploaded without
deleting the example row is easy to spot (and to refuse) instead of publishing a made-up penalty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xinyong.catalog.choices import FieldType, Required
from xinyong.core.identifiers import org_code_check_char, uscc_check_char

EXAMPLE_MARK = "（示例）"
EXAMPLE_DATE = dt.date(2026, 3, 2)
LONG_TERM = "2099/12/31"
VALIDATION_LAST_ROW = 5000
INLINE_LIST_LIMIT = 255  # Excel's limit on a list validation written inline
OPTIONS_SHEET = "选项"
GUIDE_SHEET = "填写说明"
AUTHOR = "信用信息平台"
REQUIRED_COLOR, CONDITIONAL_COLOR = "FFC00000", "FFC65911"
HEADER_FILL = PatternFill("solid", fgColor="FFDDEBF7")
TEXT_FORMAT = "@"  # cells typed as text, so Excel keeps long digit strings such as ID numbers intact
DATE_FORMAT = "yyyy/mm/dd"

_TYPE_NOTES = {
    FieldType.TEXT: "文本",
    FieldType.LONG_TEXT: "长文本",
    FieldType.DATE: "日期，写作 YYYY/MM/DD；长期填 2099/12/31",
    FieldType.ENUM: "单选，从下拉列表选择",
    FieldType.MULTI_ENUM: "可多选，多个以“；”分隔",
    FieldType.MONEY: "金额，单位万元（5000 元填 0.5）",
    FieldType.USCC: "18 位统一社会信用代码",
    FieldType.ID_NUMBER: "证件号码",
}
_WIDTHS = {FieldType.LONG_TEXT: 40, FieldType.USCC: 22, FieldType.ID_NUMBER: 22, FieldType.DATE: 14}

# Realistic content for the standard's 行政许可 and 行政处罚 fields; other items fall back to the type.
_SAMPLES = {
    "XK_FRDB": "张三",
    "XK_XKWS": "食品经营许可决定书",
    "XK_WSH": "韶市监许〔2026〕35号",
    "XK_XKLB": "普通",
    "XK_XKZS": "食品经营许可证",
    "XK_XKBH": "JY14303820012345",
    "XK_NR": "准予从事预包装食品（含冷藏冷冻食品）销售。",
    "XK_XKJG": "韶山市市场监督管理局",
    "XK_ZT": "有效",
    "XK_LYDW": "韶山市市场监督管理局",
    "CF_FRDB": "张三",
    "CF_WSH": "韶市监罚〔2026〕12号",
    "CF_WFXW": "经营超过保质期的食品",
    "CF_WFSS": "当事人在其经营场所销售超过保质期的预包装食品共计12袋。",
    "CF_YJ": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
    "CF_CFLB": "警告；罚款",
    "CF_NR": "警告，并处罚款人民币5000元。",
    "CF_NR_FK": "0.5",
    "CF_CFJG": "韶山市市场监督管理局",
    "CF_SJLY": "韶山市市场监督管理局",
    "CF_SXYZCD": "一般",
    "CF_CXLX": "普通",
    "CF_XXSYFW": "社会公开",
}


def example_uscc(prefix: str, body: str) -> str:
    """A valid USCC (both check characters right) from an 8-character prefix and an 8-digit body."""
    first17 = prefix + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


SUBJECT_USCC = example_uscc("91430382", "MA4L0001")  # 企业，韶山市
AGENCY_USCC = example_uscc("11430382", "00604151")  # 机关，韶山市


def template_example(item: Any, *, today: dt.date | None = None) -> dict[str, str]:
    """One legal-person example row, by field code ("" where a legal person leaves the field empty)."""
    decided = min(EXAMPLE_DATE, today or dt.date.today()).strftime("%Y/%m/%d")
    id_types = {spec.get("type_field") for spec in item.fields if spec["type"] == FieldType.ID_NUMBER}
    roles = {code: role for role, code in item.field_roles.items() if code}
    return {
        spec["code"]: _example_value(spec, roles.get(spec["code"], ""), decided, spec["code"] in id_types)
        for spec in item.fields
    }


def _example_value(spec: dict[str, Any], role: str, decided: str, is_id_type: bool) -> str:
    kind, required = spec["type"], spec.get("required", Required.OPTIONAL)
    if kind == FieldType.ID_NUMBER or required == Required.NATURAL or is_id_type:
        return ""  # a legal person gives no identity document
    if role == "subject_name":
        return "韶山市某某食品有限公司" + EXAMPLE_MARK
    if spec["code"] in _SAMPLES:
        return _SAMPLES[spec["code"]]
    if required == Required.OPTIONAL and not spec.get("required_if"):
        return ""
    if role == "legal_representative":
        return "张三"
    if role == "document_no":
        return f"韶示〔{decided[:4]}〕1号"
    return _typed_example(spec, role, decided)


def _typed_example(spec: dict[str, Any], role: str, decided: str) -> str:
    kind = spec["type"]
    if kind == FieldType.DATE:
        return LONG_TERM if spec.get("not_before") else decided
    if kind in (FieldType.ENUM, FieldType.MULTI_ENUM):
        return str(spec["enum"][0])
    if kind == FieldType.MONEY:
        return "0.5"
    if kind == FieldType.USCC:
        return SUBJECT_USCC if role == "uscc" else AGENCY_USCC
    return "示例"


# --- XLSX ------------------------------------------------------------------------------------------


def build_xlsx_template(item: Any, *, today: dt.date | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(item.name)
    example = template_example(item, today=today)
    labels = {spec["code"]: spec["label"] for spec in item.fields}
    for column, spec in enumerate(item.fields, start=1):
        _write_header(sheet, column, spec, labels)
        _write_example(sheet, column, spec, example[spec["code"]])
    sheet.cell(row=2, column=1).comment = _comment("本行是示例，仅供参考。上传前请删除本行或用真实数据覆盖。")
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32
    _write_guide(workbook.create_sheet(GUIDE_SHEET), item, labels)
    _add_validations(workbook, sheet, item.fields)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_example(sheet: Worksheet, column: int, spec: dict[str, Any], text: str) -> None:
    """Dates as Excel dates, money as a number, everything else as text (Excel keeps 18-digit codes)."""
    number_format = {FieldType.DATE: DATE_FORMAT, FieldType.MONEY: "General"}.get(spec["type"], TEXT_FORMAT)
    value: Any = text or None
    if text and spec["type"] == FieldType.DATE:
        value = dt.datetime.strptime(text, "%Y/%m/%d").date()
    elif text and spec["type"] == FieldType.MONEY:
        value = float(text)
    sheet.cell(row=2, column=column, value=value).number_format = number_format
    sheet.column_dimensions[get_column_letter(column)].number_format = number_format


def _sheet_title(name: str) -> str:
    cleaned = "".join("_" if char in "[]:*?/\\" else char for char in name).strip("'")
    return cleaned[:31] or "数据"


def _comment(text: str) -> Comment:
    comment = Comment(text, AUTHOR)
    comment.width, comment.height = 320, 160
    return comment


def _write_header(sheet: Worksheet, column: int, spec: dict[str, Any], labels: dict[str, str]) -> None:
    cell = sheet.cell(row=1, column=column, value=spec["label"])
    required = spec.get("required", Required.OPTIONAL)
    color = REQUIRED_COLOR if required == Required.ALWAYS else None
    if color is None and (required != Required.OPTIONAL or spec.get("required_if")):
        color = CONDITIONAL_COLOR
    cell.font = Font(bold=True, color=color)
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    cell.comment = _comment(field_note(spec, labels))
    width = _WIDTHS.get(spec["type"], 16)
    sheet.column_dimensions[get_column_letter(column)].width = max(width, min(len(spec["label"]) * 2 + 2, 40))


def required_rule(spec: dict[str, Any], labels: dict[str, str]) -> str:
    rule = spec.get("required_if")
    if rule and spec.get("required", Required.OPTIONAL) == Required.OPTIONAL:
        return f"当“{labels.get(rule['field'], rule['field'])}”含“{rule['contains']}”时必填"
    return str(Required(spec.get("required", Required.OPTIONAL)).label)


def field_note(spec: dict[str, Any], labels: dict[str, str]) -> str:
    """What the header comment and the guide say about one field."""
    kind = FieldType(spec["type"])
    note = _TYPE_NOTES[kind]
    if kind in (FieldType.TEXT, FieldType.LONG_TEXT) and spec.get("max_length"):
        note += f"，最多 {spec['max_length']} 字"
    lines = [f"字段代码：{spec['code']}", f"类型：{note}", f"填写要求：{required_rule(spec, labels)}"]
    if spec.get("enum"):
        lines.append(f"可选值：{'、'.join(spec['enum'])}")
    if spec.get("help"):
        lines.append(f"说明：{spec['help']}")
    return "\n".join(lines)


def _add_validations(workbook: Workbook, sheet: Worksheet, fields: list[dict[str, Any]]) -> None:
    options: Worksheet | None = None
    for column, spec in enumerate(fields, start=1):
        if spec["type"] not in (FieldType.ENUM, FieldType.MULTI_ENUM):
            continue
        formula = '"' + ",".join(spec["enum"]) + '"'
        if len(formula) > INLINE_LIST_LIMIT or any("," in o or '"' in o for o in spec["enum"]):
            if options is None:
                options = workbook.create_sheet(OPTIONS_SHEET)
                options.sheet_state = "hidden"
            formula = _options_range(options, column, spec["enum"])
        sheet.add_data_validation(_validation(spec, formula, get_column_letter(column)))


def _options_range(options: Worksheet, column: int, values: list[str]) -> str:
    letter = get_column_letter(column)
    for row, value in enumerate(values, start=1):
        options.cell(row=row, column=column, value=value).number_format = TEXT_FORMAT
    return f"{quote_sheetname(options.title)}!${letter}$1:${letter}${len(values)}"


def _validation(spec: dict[str, Any], formula: str, letter: str) -> DataValidation:
    single = spec["type"] == FieldType.ENUM
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=single,  # a multi-choice cell holds "警告；罚款": Excel must not refuse it
        showInputMessage=True,
        promptTitle=spec["label"][:32],
        prompt="请从下拉列表选择。" if single else "可多选：下拉只能选一项，多项请手工输入，以“；”分隔。",
        errorTitle="取值无效",
        error=f"“{spec['label']}”只能从下拉列表中选择。"[:225],
    )
    validation.add(f"{letter}2:{letter}{VALIDATION_LAST_ROW}")
    return validation


def guide_lines(item: Any) -> list[str]:
    return [
        f"{item.name}（目录代码 {item.code}）数据填写说明",
        "1. 第一行是表头，请勿修改或删除；列的顺序可以调整，也可以用字段代码代替中文表头。"
        "红色表头为必填，橙色为按条件必填。",
        f"2. 第二行是示例（主体名称带“{EXAMPLE_MARK}”），上传前请删除或覆盖。"
        "平台只读取第一个工作表，请勿合并单元格，勿使用公式。",
        "3. 日期写作 YYYY/MM/DD（如 2026/03/02），也接受 2026-03-02、2026年3月2日 和 Excel 日期；"
        "长期有效填 2099/12/31。",
        "4. 金额单位为万元：罚款 5000 元填 0.5。",
        "5. 多选项（如处罚类别）从可选值中选择，多个以“；”分隔，如“警告；罚款”。",
        "6. 行政相对人类别为“法人及非法人组织”或“个体工商户”时，统一社会信用代码、法定代表人必填；"
        "为“自然人”时，证件类型、证件号码必填，统一社会信用代码留空。",
        "7. 文件不超过 100 MB、200 列；也可另存为 CSV（UTF-8 或 GBK 编码）上传。",
    ]


def _write_guide(guide: Worksheet, item: Any, labels: dict[str, str]) -> None:
    lines = guide_lines(item)
    guide.append([lines[0]])
    guide["A1"].font = Font(bold=True, size=14)
    for line in lines[1:]:
        guide.append([line])
    guide.append([])
    guide.append(["字段名称", "字段代码", "类型及格式", "填写要求", "可选值", "说明"])
    for cell in guide[guide.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for spec in item.fields:
        kind = FieldType(spec["type"])
        guide.append(
            [
                spec["label"],
                spec["code"],
                _TYPE_NOTES[kind],
                required_rule(spec, labels),
                "、".join(spec.get("enum", [])),
                spec.get("help", ""),
            ]
        )
    for letter, width in zip("ABCDEF", (36, 16, 34, 30, 40, 36), strict=True):
        guide.column_dimensions[letter].width = width


# --- CSV -------------------------------------------------------------------------------------------


def build_csv_template(item: Any, *, today: dt.date | None = None) -> bytes:
    """UTF-8 with BOM (so Excel shows the Chinese headers): the labels and the example row."""
    example = template_example(item, today=today)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([spec["label"] for spec in item.fields])
    writer.writerow([example[spec["code"]] for spec in item.fields])
    return buffer.getvalue().encode("utf-8-sig")
