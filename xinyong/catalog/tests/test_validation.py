import datetime as dt

import pytest

from xinyong.catalog.models import CatalogItem
from xinyong.catalog.validation import RowValidator, parse_date
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def validator():
    return RowValidator.for_item(CatalogItem.objects.get(code="CF"), today=TODAY)


def codes(result, field=None):
    return [i.code for i in result.errors if field is None or i.field == field]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026/03/02", dt.date(2026, 3, 2)),
        ("2026-3-2", dt.date(2026, 3, 2)),
        ("2026年3月2日", dt.date(2026, 3, 2)),
        ("20260302", dt.date(2026, 3, 2)),
        ("46083", dt.date(2026, 3, 2)),  # Excel serial number
        ("2026-03-02 00:00:00", dt.date(2026, 3, 2)),
        ("2099/12/31", dt.date(2099, 12, 31)),
        ("2024/02/30", None),
        ("2026/13/01", None),
        ("明天", None),
        ("3.5", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_valid_rows_pass_and_are_normalised(validator):
    result = validator.validate(penalty_fields(CF_XDR_SHXYM=" 9143 0382-71526726x5 ", CF_NR_FK="0.50"))
    assert result.ok, result.errors
    assert result.data["CF_XDR_SHXYM"] == "9143038271526726X5"
    assert result.data["CF_CFLB"] == ["警告", "罚款"]
    assert result.data["CF_NR_FK"] == "0.5"
    assert result.data["CF_JDRQ"] == "2026-03-02" and result.data["CF_YXQ"] == "2099-12-31"
    assert validator.validate(person_penalty_fields()).ok


def test_labels_work_as_keys(validator):
    row = {validator.by_code[k]["label"]: v for k, v in penalty_fields().items()}
    result = validator.validate(row)
    assert result.ok and result.data["CF_WSH"] == "韶市监罚〔2026〕12号"


def test_labels_match_with_either_kind_of_bracket(validator):
    assert validator.resolve_key("罚款金额(万元)") == "CF_NR_FK"
    assert validator.resolve_key("罚款金额（万元）") == "CF_NR_FK"
    assert validator.resolve_key("行政相对人代码_1（统一社会信用代码）") == "CF_XDR_SHXYM"
    assert validator.resolve_key("cf_wsh") == "CF_WSH"


def test_required_fields_depend_on_subject_kind(validator):
    legal = validator.validate(penalty_fields(CF_XDR_SHXYM=None))
    assert codes(legal, "CF_XDR_SHXYM") == ["required"]
    person = validator.validate(person_penalty_fields(CF_XDR_ZJHM=None))
    assert codes(person, "CF_XDR_ZJHM") == ["required"]
    assert "CF_XDR_SHXYM" not in {i.field for i in person.errors}


def test_fine_requires_amount(validator):
    result = validator.validate(penalty_fields(CF_NR_FK=None))
    assert codes(result) == ["required"] and result.errors[0].field == "CF_NR_FK"
    assert "罚款金额（万元）" in result.errors[0].message
    assert validator.validate(penalty_fields(CF_CFLB="警告", CF_NR_FK=None)).ok


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"CF_JDRQ": "2024/02/30"}, "CF_JDRQ", "date_invalid"),
        ({"CF_JDRQ": "2026/12/01"}, "CF_JDRQ", "date_in_future"),
        ({"CF_YXQ": "2026/01/01"}, "CF_YXQ", "date_before"),
        ({"CF_CFLB": "警告；打板子"}, "CF_CFLB", "enum_invalid"),
        ({"CF_XDR_LB": "公司"}, "CF_XDR_LB", "enum_invalid"),
        ({"CF_NR_FK": "-1"}, "CF_NR_FK", "money_invalid"),
        ({"CF_NR_FK": "五千"}, "CF_NR_FK", "money_invalid"),
        ({"CF_XDR_SHXYM": "9143038271526726X6"}, "CF_XDR_SHXYM", "uscc_check_mismatch"),
        ({"CF_WSH": "号" * 101}, "CF_WSH", "too_long"),
        ({"CF_WFSS": "长" * 200_000}, "CF_WFSS", "value_too_long"),
    ],
)
def test_bad_values_get_a_coded_chinese_reason(validator, overrides, field, code):
    result = validator.validate(penalty_fields(**overrides))
    assert code in codes(result, field)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in issue.message) for issue in result.errors)


def test_unknown_field_is_reported(validator):
    result = validator.validate(penalty_fields(**{"不存在的列": "x"}))
    assert codes(result) == ["unknown_field"] and "不存在的列" in result.errors[0].message


def test_bad_citizen_id_is_rejected(validator):
    result = validator.validate(person_penalty_fields(CF_XDR_ZJHM="430382199002301234"))
    assert codes(result, "CF_XDR_ZJHM")
