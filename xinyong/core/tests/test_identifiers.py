from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong.core.identifiers import (
    CITIZEN_ID_WEIGHTS,
    MAX_INPUT_LENGTH,
    ORG_CODE_ALPHABET,
    USCC_ALPHABET,
    USCC_AUTHORITIES,
    USCC_WEIGHTS,
    CheckResult,
    Kind,
    check,
    check_citizen_id,
    check_org_code,
    check_uscc,
    citizen_id_check_char,
    mask_citizen_id,
    normalize,
    org_code_check_char,
    uscc_check_char,
)

TODAY = date(2025, 6, 1)


def codes(result: CheckResult) -> list[str]:
    return [issue.code for issue in result.errors]


def warning_codes(result: CheckResult) -> list[str]:
    return [issue.code for issue in result.warnings]


# --- normalisation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  91110000600037341l ", "91110000600037341L"),
        ("９１１１ 0000-600037341l", "91110000600037341L"),
        ("９１１１０００\u3000０６０００３７３４１Ｌ", "91110000600037341L"),
        ("1101-0519－4912—3100‐2x", "11010519491231002X"),
        ("\ufeff6000\t3734-1\n", "600037341"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


# --- 统一社会信用代码 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["91110000600037341L", "9144030071526726XG", "914403001922038216", "91440101MA5CJQ4N59"]
)
def test_standard_uscc_examples_validate(code: str) -> None:
    for result in (check(code), check_uscc(code)):
        assert result.valid
        assert result.kind == Kind.USCC
        assert result.errors == []
        assert result.warnings == []
        assert result.normalized == code


@pytest.mark.parametrize("authority", ["A", "N", "Y"])
def test_uscc_with_letter_authority_validates(authority: str) -> None:
    org = "MA4L16XK"
    first17 = f"{authority}1430382{org}{org_code_check_char(org)}"
    assert len(first17) == 17
    code = first17 + uscc_check_char(first17)
    result = check(code)
    assert result.valid, result.errors
    assert result.kind == Kind.USCC
    assert result.warnings == []


def test_messy_input_normalises_and_validates() -> None:
    result = check("９１１１ 0000-600037341l")
    assert result.valid
    assert result.input == "９１１１ 0000-600037341l"
    assert result.normalized == "91110000600037341L"
    assert result.as_dict() == {
        "input": "９１１１ 0000-600037341l",
        "normalized": "91110000600037341L",
        "kind": "uscc",
        "valid": True,
        "errors": [],
        "warnings": [],
    }


def test_uscc_check_mismatch_names_position_and_expected_char() -> None:
    result = check("91110000600037341K")
    assert not result.valid
    assert result.as_dict()["errors"] == [
        {"code": "uscc_check_mismatch", "message": "校验码错误：第18位应为“L”，实际为“K”。"}
    ]


def test_uscc_length() -> None:
    result = check_uscc("91110000600037341")
    assert codes(result) == ["uscc_length"]
    assert result.errors[0].message == "统一社会信用代码应为18位，实际为17位。"


def test_uscc_bad_char_reports_every_bad_position() -> None:
    result = check_uscc("9111I000600037341O")
    assert codes(result) == ["uscc_bad_char", "uscc_bad_char"]
    assert result.errors[0].message == "第5位字符“I”不在统一社会信用代码字符集中（不使用I、O、Z、S、V）。"
    assert "第18位字符“O”" in result.errors[1].message


def test_uscc_bad_char_and_check_mismatch_are_both_reported() -> None:
    result = check_uscc("91110000600037341I")
    assert codes(result) == ["uscc_bad_char", "uscc_check_mismatch"]
    assert "应为“L”" in result.errors[1].message


def test_uscc_unknown_authority_is_an_error() -> None:
    first17 = "B1110000600037341"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert codes(result) == ["uscc_authority_invalid"]
    assert "第1位" in result.errors[0].message


def test_uscc_unknown_type_is_only_a_warning() -> None:
    first17 = "95110000600037341"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert warning_codes(result) == ["uscc_type_unknown"]
    assert "第2位" in result.warnings[0].message


def test_uscc_division_must_be_digits() -> None:
    first17 = "9111A000600037341"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert codes(result) == ["uscc_division_invalid"]
    assert "第3–8位" in result.errors[0].message


def test_uscc_inner_org_code_mismatch_is_a_warning() -> None:
    first17 = "9111000060003734" + "5"  # org code 60003734-5; the correct check is 1
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.valid
    assert warning_codes(result) == ["org_code_check_mismatch"]
    assert "应为“1”，实际为“5”" in result.warnings[0].message


def test_check_uscc_on_citizen_id_explains_the_mix_up() -> None:
    result = check_uscc("430382199003071237")
    assert not result.valid
    assert result.kind == Kind.USCC
    assert codes(result)[0] == "uscc_is_citizen_id"
    assert "uscc_check_mismatch" in codes(result)


def test_check_uscc_rejects_id_number_ending_in_x() -> None:
    result = check_uscc("11010519491231002X")  # X is in the USCC alphabet: only the check fails
    assert codes(result) == ["uscc_is_citizen_id", "uscc_check_mismatch"]
    assert result.errors[0].message == "这是身份证号码，不是统一社会信用代码。"


# --- 组织机构代码 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["600037341", "60003734-1", "60003734－1", " 60003734 - 1 "])
def test_org_code_with_and_without_hyphen(raw: str) -> None:
    for result in (check(raw), check_org_code(raw)):
        assert result.valid
        assert result.kind == Kind.ORG_CODE
        assert result.normalized == "600037341"


def test_org_code_check_char_maps_10_to_x_and_11_to_0() -> None:
    assert org_code_check_char("71526726") == "X"  # inner code of 9144030071526726XG
    assert org_code_check_char("00000000") == "0"


def test_org_code_errors() -> None:
    assert codes(check_org_code("60003734-2")) == ["org_code_check_mismatch"]
    assert check_org_code("60003734-2").errors[0].message == "校验码错误：第9位应为“1”，实际为“2”。"
    assert codes(check_org_code("6000373")) == ["org_code_length"]
    assert codes(check_org_code("6000*734-A")) == ["org_code_bad_char", "org_code_bad_char"]


# --- 公民身份号码 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["11010519491231002X", "430382199003071237"])
def test_standard_citizen_id_examples_validate(code: str) -> None:
    for result in (check(code), check_citizen_id(code, today=TODAY)):
        assert result.valid, result.errors
        assert result.kind == Kind.CITIZEN_ID


def test_lower_case_x_is_accepted() -> None:
    assert check("110105 19491231 002x").valid


def test_citizen_id_check_mismatch() -> None:
    result = check_citizen_id("430382199003071238", today=TODAY)
    assert codes(result) == ["citizen_id_check_mismatch"]
    assert result.errors[0].message == "校验码错误：第18位应为“7”，实际为“8”。"


def test_citizen_id_feb_30_is_invalid() -> None:
    first17 = "43038219900230123"
    result = check(first17 + citizen_id_check_char(first17))
    assert result.kind == Kind.CITIZEN_ID
    assert codes(result) == ["citizen_id_birth_date_invalid"]
    assert "第7–14位" in result.errors[0].message
    assert "19900230" in result.errors[0].message


def test_citizen_id_birth_date_in_the_future() -> None:
    first17 = "43038220250602123"
    result = check_citizen_id(first17 + citizen_id_check_char(first17), today=TODAY)
    assert codes(result) == ["citizen_id_birth_date_future"]
    first17 = "43038220250601123"
    assert check_citizen_id(first17 + citizen_id_check_char(first17), today=TODAY).valid


def test_citizen_id_birth_date_before_1900() -> None:
    first17 = "43038218991231123"
    result = check_citizen_id(first17 + citizen_id_check_char(first17), today=TODAY)
    assert codes(result) == ["citizen_id_birth_date_too_early"]


def test_citizen_id_division_must_start_1_to_8() -> None:
    first17 = "03038219900307123"
    result = check_citizen_id(first17 + citizen_id_check_char(first17), today=TODAY)
    assert codes(result) == ["citizen_id_division_invalid"]


def test_citizen_id_collects_several_errors() -> None:
    result = check_citizen_id("4303821990A3071237", today=TODAY)
    assert codes(result) == ["citizen_id_bad_char"]
    assert result.errors[0].message == "第11位字符“A”无效：身份证号码第1–17位只能是数字。"
    result = check_citizen_id("43038219900307123A", today=TODAY)
    assert codes(result) == ["citizen_id_bad_char", "citizen_id_check_mismatch"]
    assert result.errors[0].message == "第18位字符“A”无效：身份证号码第18位只能是数字或X。"
    result = check_citizen_id("4303829003071A3", today=TODAY)
    assert result.kind == Kind.CITIZEN_ID_15
    assert codes(result) == ["citizen_id_bad_char"]
    assert "第14位" in result.errors[0].message
    result = check_citizen_id("030382199002301238", today=TODAY)
    assert codes(result) == [
        "citizen_id_division_invalid",
        "citizen_id_birth_date_invalid",
        "citizen_id_check_mismatch",
    ]


def test_citizen_id_length() -> None:
    result = check_citizen_id("4303821990030712", today=TODAY)
    assert codes(result) == ["citizen_id_length"]
    assert "实际为16位" in result.errors[0].message


def test_check_citizen_id_on_uscc_explains_the_mix_up() -> None:
    result = check_citizen_id("91110000600037341L", today=TODAY)
    assert not result.valid
    assert codes(result)[0] == "citizen_id_is_uscc"


def test_legacy_15_digit_citizen_id() -> None:
    for result in (check("430382900307123"), check_citizen_id("430382900307123", today=TODAY)):
        assert result.valid
        assert result.kind == Kind.CITIZEN_ID_15
        assert warning_codes(result) == ["legacy_id_15"]
    result = check("430382900230123")
    assert codes(result) == ["citizen_id_birth_date_invalid"]
    assert "第7–12位" in result.errors[0].message


def test_all_digit_uscc_starting_1_to_8_is_not_mistaken_for_an_id_number() -> None:
    code = "124303004448800379"  # 事业单位; also has the shape of an ID number, but is not a valid one
    assert code[:17] + uscc_check_char(code[:17]) == code
    assert not check_citizen_id(code, today=TODAY).valid
    result = check(code)
    assert result.kind == Kind.USCC
    assert result.valid


def test_invalid_18_digit_code_starting_1_to_8_is_reported_as_an_id_number() -> None:
    result = check("124303004448800378")
    assert result.kind == Kind.CITIZEN_ID
    assert not result.valid


def test_mask_citizen_id() -> None:
    assert mask_citizen_id("430382199003071237") == "4303**********1237"
    assert mask_citizen_id("430382900307123") == "4303*******7123"
    assert mask_citizen_id("1234") == "****"


# --- general ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("checker", [check, check_uscc, check_org_code, check_citizen_id])
def test_empty_and_too_long(checker: Callable[[str], CheckResult]) -> None:
    assert codes(checker(" \u3000- ")) == ["empty"]
    assert checker("").errors[0].message == "请输入代码。"
    result = checker("9" * (MAX_INPUT_LENGTH + 1))
    assert codes(result) == ["too_long"]
    assert len(result.input) == MAX_INPUT_LENGTH


def test_unknown_format() -> None:
    result = check("1234567")
    assert result.kind == Kind.UNKNOWN
    assert codes(result) == ["unknown_format"]
    assert "7位" in result.errors[0].message
    assert check("43038290030712A").kind == Kind.UNKNOWN


def test_check_chars_reject_malformed_input() -> None:
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734")
    with pytest.raises(ValueError):
        uscc_check_char("9111000060003734I")
    with pytest.raises(ValueError):
        citizen_id_check_char("4303821990030712X")


# --- properties -------------------------------------------------------------------------------------


def test_uscc_weights_detect_every_single_substitution_and_adjacent_swap() -> None:
    # Σ value·weight + check ≡ 0 (mod 31). 31 is prime and every weight is a power of 3, so a change of
    # one value by d (1 ≤ d ≤ 30) moves the sum by weight·d ≢ 0; an adjacent swap by (w_i − w_{i+1})·d.
    weights = (*USCC_WEIGHTS, 1)
    assert list(USCC_WEIGHTS) == [pow(3, i, 31) for i in range(17)]
    for i, weight in enumerate(weights):
        assert all(weight * d % 31 for d in range(1, 31))
        if i + 1 < len(weights):
            assert all((weight - weights[i + 1]) * d % 31 for d in range(1, 31))


def test_citizen_id_weights_detect_every_single_substitution_and_adjacent_swap() -> None:
    weights = (*CITIZEN_ID_WEIGHTS, 1)  # ISO 7064 MOD 11-2: Σ value·weight + check ≡ 1 (mod 11)
    for i, weight in enumerate(weights):
        assert all(weight * d % 11 for d in range(1, 11))
        if i + 1 < len(weights):
            assert all((weight - weights[i + 1]) * d % 11 for d in range(1, 11))


@st.composite
def valid_usccs(draw: st.DrawFn) -> str:
    authority = draw(st.sampled_from(sorted(USCC_AUTHORITIES)))
    types = sorted(USCC_AUTHORITIES[authority][1]) or ["1", "9"]
    # The organisation code inside a USCC can only use the USCC alphabet.
    org = "".join(draw(st.lists(st.sampled_from(USCC_ALPHABET), min_size=8, max_size=8)))
    first17 = (
        authority
        + draw(st.sampled_from(types))
        + draw(st.text("0123456789", min_size=6, max_size=6))
        + org
        + org_code_check_char(org)
    )
    return first17 + uscc_check_char(first17)


@st.composite
def valid_citizen_ids(draw: st.DrawFn) -> str:
    division = draw(st.sampled_from("12345678")) + draw(st.text("0123456789", min_size=5, max_size=5))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    first17 = division + born.strftime("%Y%m%d") + draw(st.text("0123456789", min_size=3, max_size=3))
    return first17 + citizen_id_check_char(first17)


def substitutions(code: str, alphabet: str) -> list[str]:
    return [code[:i] + c + code[i + 1 :] for i in range(len(code)) for c in alphabet if c != code[i]]


def adjacent_swaps(code: str) -> list[str]:
    return [code[:i] + code[i + 1] + code[i] + code[i + 2 :] for i in range(len(code) - 1) if code[i] != code[i + 1]]


@given(valid_usccs())
def test_generated_usccs_validate(code: str) -> None:
    result = check_uscc(code)
    assert result.valid, result.errors
    assert result.warnings == []
    assert check(code).valid


@given(valid_usccs())
def test_every_single_substitution_in_a_uscc_is_rejected(code: str) -> None:
    for changed in substitutions(code, ORG_CODE_ALPHABET) + adjacent_swaps(code):
        assert not check_uscc(changed).valid, changed


@given(valid_citizen_ids())
def test_generated_citizen_ids_validate(code: str) -> None:
    result = check_citizen_id(code, today=TODAY)
    assert result.valid, result.errors
    assert result.kind == Kind.CITIZEN_ID
    assert check(code).kind == Kind.CITIZEN_ID
    assert check(code).valid


@given(valid_citizen_ids())
def test_every_single_substitution_in_a_citizen_id_is_rejected(code: str) -> None:
    for changed in substitutions(code, "0123456789X") + adjacent_swaps(code):
        assert not check_citizen_id(changed, today=TODAY).valid, changed


@given(st.text(max_size=40))
def test_check_never_raises_and_is_consistent(raw: str) -> None:
    result = check(raw)
    assert result.valid == (not result.errors)
    assert result.normalized == normalize(raw)
    assert set(result.as_dict()) == {"input", "normalized", "kind", "valid", "errors", "warnings"}
