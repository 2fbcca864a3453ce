"""The import's shortcuts agree with the full checks they stand in for.

`FastValidator` may only accept a row that `RowValidator.validate_codes` accepts without any issue, and
must then give exactly the same data (same values, same key order); the identifier shortcuts may only
say "clean" when the full check finds nothing and the input is already normalised.
"""

import datetime as dt
import hmac
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xinyong.catalog.models import CatalogItem
from xinyong.catalog.validation import RowValidator
from xinyong.core import identifiers
from xinyong.records.ingest.fastcheck import FastValidator
from xinyong.records.ingest.rows import compact_json, keyed_hash
from xinyong.records.tests.factories import penalty_fields, person_penalty_fields

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)

ODD_VALUES = [
    "",
    " ",
    "x" * 201,
    "a" * 4001,
    "2024/02/30",
    "2027/01/01",
    "1948/12/31",
    "2100/01/01",
    "2099/12/31",
    "20260302",
    "45000",
    "2026年3月2日",
    "2026-03-02T10:00",
    "-1",
    "1e9",
    "1,234.50",
    "abc",
    "0.00",
    "警告",
    "罚款",
    "警告；罚款",
    "警告;没收违法所得；罚款",
    "警告；其他东西",
    "；",
    "自然人",
    "个体工商户",
    "法人及非法人组织",
    "身份证",
    "护照号",
    "E12345678",
    "91430300MAFWTCE971",
    "91430300mafwtce971",
    "91430300MAFWTCE97X",
    "51430300MA4L0F3C8B",
    "Z1430300MAFWTCE971",
    "430302198001011234",
    "43030219800101123X",
    "430302800101123",
    "430302190001011231",
    "430302202701011239",
    "91430300-MAFWTCE971",
    "轻微",
    "社会公开",
]


@pytest.fixture(scope="module")
def schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        item = CatalogItem.objects.get(code="CF")
        return item.fields, item.field_roles


def compare(fields, roles, row: dict[str, str]) -> None:
    validator = RowValidator(fields, roles, today=TODAY)
    codes = [f["code"] for f in fields]
    fast = FastValidator(validator, {code: index for index, code in enumerate(codes)})
    values = [row.get(code, "").strip() for code in codes]
    slow = validator.validate_codes({code: value for code, value in zip(codes, values, strict=True) if value})
    got = fast(values)
    if got is not None:
        assert not slow.errors and not slow.warnings
        assert list(got.items()) == list(slow.data.items())
    elif not slow.errors and not slow.warnings:
        pytest.fail(f"the fast path refused a clean row: {row}")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    person=st.booleans(),
    changes=st.lists(st.tuples(st.integers(0, 32), st.sampled_from(ODD_VALUES)), max_size=4),
)
def test_fast_path_agrees_with_validate_codes(schema, person, changes):
    fields, roles = schema
    row = person_penalty_fields() if person else penalty_fields()
    for index, value in changes:
        row[fields[index]["code"]] = value
    compare(fields, roles, row)


def test_fast_path_accepts_the_usual_rows(schema):
    fields, roles = schema
    validator = RowValidator(fields, roles, today=TODAY)
    codes = [f["code"] for f in fields]
    fast = FastValidator(validator, {code: index for index, code in enumerate(codes)})
    for row in (penalty_fields(), person_penalty_fields()):
        assert fast([row.get(code, "") for code in codes]) is not None


def test_fast_path_with_columns_missing(schema):
    fields, roles = schema
    validator = RowValidator(fields, roles, today=TODAY)
    row = penalty_fields(CF_NR_FK=None, CF_CFLB="警告")
    codes = [code for code in row if code != "CF_SJLY"]
    fast = FastValidator(validator, {code: index for index, code in enumerate(codes)})
    assert fast([row[code] for code in codes]) is None  # a required column is missing: the full check says so
    fast = FastValidator(validator, {code: index for index, code in enumerate(row)})
    assert fast(list(row.values())) == validator.validate_codes(row).data


CODE_CHARS = st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXYabIOZ -")


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(CODE_CHARS, min_size=16, max_size=20), st.sampled_from(ODD_VALUES)))
def test_uscc_shortcut(code):
    if identifiers.uscc_is_clean(code):
        check = identifiers.check_uscc(code)
        assert check.valid and not check.warnings and check.normalized == code


@settings(max_examples=400, deadline=None)
@given(st.text(st.sampled_from("0123456789ABCDEFGHJKLMNPQRTUWXY"), min_size=17, max_size=17))
def test_uscc_shortcut_on_codes_with_a_right_check_character(first17):
    code = first17 + identifiers.uscc_check_char(first17)
    check = identifiers.check_uscc(code)
    assert identifiers.uscc_is_clean(code) == (check.valid and not check.warnings)


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(st.sampled_from("0123456789Xx "), min_size=14, max_size=19),
        st.builds(
            lambda head, born: head + born.strftime("%Y%m%d") + "123",
            st.text(st.sampled_from("0123456789"), min_size=6, max_size=6),
            st.dates(dt.date(1890, 1, 1), dt.date(2030, 12, 31)),
        ),
    )
)
def test_citizen_id_shortcut(code):
    if len(code) == 17 and code.isdigit():
        code += identifiers.citizen_id_check_char(code)
    check = identifiers.check_citizen_id(code, today=TODAY)
    clean = check.valid and check.normalized == code and len(code) == 18
    assert identifiers.citizen_id_is_clean(code, TODAY) == clean


def test_a_batch_that_believed_its_item_empty_falls_back_to_looking_keys_up(monkeypatch):
    """Another batch stores records of the item while this one runs: the collision is caught, nothing lost."""
    from xinyong.accounts.choices import Role
    from xinyong.accounts.tests.factories import DepartmentFactory, UserFactory
    from xinyong.records.ingest import pipeline
    from xinyong.records.models import CreditRecord, RecordVersion
    from xinyong.records.tests.test_ingest import csv_bytes, rows_for, submit

    clerk = UserFactory(roles=[Role.PROVIDER_CLERK], department=DepartmentFactory(code="SCJGJ", name="市场监管局"))
    penalty = CatalogItem.objects.get(code="CF")
    rows = rows_for(3)
    submit(clerk, penalty, csv_bytes(penalty, rows))
    original = pipeline.BatchImporter.__init__

    def believing_empty(self, *args):
        original(self, *args)
        self.fresh = True

    monkeypatch.setattr(pipeline.BatchImporter, "__init__", believing_empty)
    rows[1] = rows[1] | {"CF_NR_FK": "0.8", "CF_NR": "警告，并处罚款人民币8000元。"}
    batch = submit(clerk, penalty, csv_bytes(penalty, [*rows, *rows_for(4)[3:]]), name="again.csv")
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (1, 1, 2)
    assert CreditRecord.objects.count() == 4 and RecordVersion.objects.count() == 1


@given(key=st.binary(max_size=200), text=st.text(max_size=300))
def test_keyed_hash_and_compact_json_are_the_standard_ones(key, text):
    assert keyed_hash(key, text) == hmac.digest(key, text.encode("utf-8"), "sha256").hex()
    value = {"a": text, "b": [text, "罚款"]}
    assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
