"""Identifier normalisation and validation (STANDARDS.md §1).

统一社会信用代码 (GB 32100-2015), 组织机构代码 (GB 11714) and 公民身份号码 (GB 11643-1999, with the
legacy 15-digit form). Pure Python and fast: the importer calls `check*` about a million times per run,
so every table is built once at import and messages are only formatted when something is wrong.

Every problem is an `Issue` with a stable snake_case code and a Chinese message naming the position.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from operator import mul
from typing import Any

from xinyong.core.errors import Issue

MAX_INPUT_LENGTH = 100

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_CODE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
CITIZEN_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CITIZEN_ID_CHECK_CHARS = "10X98765432"

# Registration authority (position 1) → (name, known organisation types at position 2).
# The type table is [P] in STANDARDS.md, so an unknown type is only a warning; an authority whose
# types are not listed there is not judged on its type at all.
USCC_AUTHORITIES: dict[str, tuple[str, dict[str, str]]] = {
    "1": ("机构编制", {"1": "机关", "2": "事业单位", "3": "群众团体", "9": "其他"}),
    "2": ("外交", {}),
    "3": (
        "司法行政",
        {
            "1": "律师执业机构",
            "2": "公证处",
            "3": "基层法律服务所",
            "4": "司法鉴定机构",
            "5": "仲裁委员会",
            "9": "其他",
        },
    ),
    "4": ("文化", {}),
    "5": ("民政", {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}),
    "6": ("旅游", {}),
    "7": ("宗教", {}),
    "8": ("工会", {}),
    "9": ("工商/市场监管", {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}),
    "A": ("中央军委改革和编制办公室", {}),
    "N": ("农业", {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"}),
    "Y": ("其他", {}),
}

_USCC_VALUE = {char: value for value, char in enumerate(USCC_ALPHABET)}
_USCC_CHARS = frozenset(USCC_ALPHABET)
_ORG_VALUE = {char: value for value, char in enumerate(ORG_CODE_ALPHABET)}
_ORG_CHARS = frozenset(ORG_CODE_ALPHABET)
_ORG_CHECK_CHARS = frozenset("0123456789X")
_DIGITS = frozenset("0123456789")
_DIGIT_VALUE = {str(digit): digit for digit in range(10)}
_EARLIEST_BIRTH_DATE = date(1900, 1, 1)

_DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_WHITESPACE = "".join(chr(cp) for cp in range(0x3001) if chr(cp).isspace())  # U+3000 is the last one
_NORMALIZE_TABLE: dict[int, int | None] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_NORMALIZE_TABLE.update(dict.fromkeys(map(ord, _DASHES + _INVISIBLE + _WHITESPACE)))


class Kind(StrEnum):
    USCC = "uscc"
    ORG_CODE = "org_code"
    CITIZEN_ID = "citizen_id"
    CITIZEN_ID_15 = "citizen_id_15"
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.USCC: "统一社会信用代码",
    Kind.ORG_CODE: "组织机构代码",
    Kind.CITIZEN_ID: "公民身份号码（18位）",
    Kind.CITIZEN_ID_15: "公民身份号码（15位旧号码）",
    Kind.UNKNOWN: "无法识别",
}


@dataclass
class CheckResult:
    input: str
    normalized: str
    kind: Kind
    valid: bool
    errors: list[Issue]
    warnings: list[Issue]

    def as_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "normalized": self.normalized,
            "kind": self.kind.value,
            "valid": self.valid,
            "errors": [{"code": issue.code, "message": issue.message} for issue in self.errors],
            "warnings": [{"code": issue.code, "message": issue.message} for issue in self.warnings],
        }


# --- normalisation and check characters --------------------------------------------------------


def normalize(raw: str) -> str:
    """Drop whitespace (incl. U+3000), hyphens and dashes; full-width ASCII to half-width; upper-case."""
    if raw.isascii() and raw.isalnum():
        return raw.upper()
    return raw.translate(_NORMALIZE_TABLE).upper()


def _weighted_sum(chars: str, values: dict[str, int], weights: tuple[int, ...]) -> int:
    if len(chars) != len(weights):
        raise ValueError(f"expected {len(weights)} characters, got {len(chars)}: {chars!r}")
    try:
        return sum(map(mul, map(values.__getitem__, chars), weights))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not allowed here: {chars!r}") from None


def uscc_check_char(first17: str) -> str:
    """The 18th character of a USCC whose first 17 characters are `first17` (GB 32100)."""
    return USCC_ALPHABET[-_weighted_sum(first17, _USCC_VALUE, USCC_WEIGHTS) % 31]


def org_code_check_char(first8: str) -> str:
    """The 9th character of an organisation code whose first 8 characters are `first8` (GB 11714)."""
    check = 11 - _weighted_sum(first8, _ORG_VALUE, ORG_CODE_WEIGHTS) % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def citizen_id_check_char(first17: str) -> str:
    """The 18th character of a citizen ID number whose first 17 digits are `first17` (GB 11643)."""
    if not _is_digits(first17):
        raise ValueError(f"expected 17 ASCII digits: {first17!r}")
    return CITIZEN_ID_CHECK_CHARS[_weighted_sum(first17, _DIGIT_VALUE, CITIZEN_ID_WEIGHTS) % 11]


def mask_citizen_id(normalized: str) -> str:
    """Keep the first 4 and last 4 characters (`4303**********1237`); mask short input entirely."""
    if len(normalized) <= 8:
        return "*" * len(normalized)
    return normalized[:4] + "*" * (len(normalized) - 8) + normalized[-4:]


def mask_identity(number: str, *, citizen_id: bool | None = None) -> str:
    """The public form of any identity number: a citizen ID keeps 4 + 4 characters, other numbers 2 + 2.

    `citizen_id=None` decides by shape (15 or 18 characters, digits but for the last).
    """
    if citizen_id is None:
        citizen_id = len(number) in (15, 18) and number[:-1].isdigit()
    if citizen_id:
        return mask_citizen_id(number)
    return number[:2] + "*" * max(len(number) - 4, 1) + number[-2:]


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _looks_like_citizen_id(code: str) -> bool:
    return "1" <= code[0] <= "8" and _is_digits(code[:17]) and code[17] in CITIZEN_ID_CHECK_CHARS


# --- public checks ---------------------------------------------------------------------------------


def check(raw: str) -> CheckResult:
    """Guess the kind of identifier from the normalised shape, then validate it."""
    code, early = _prepare(raw, Kind.UNKNOWN)
    if early is not None:
        return early
    length = len(code)
    if length == 18:
        if not _looks_like_citizen_id(code):
            return _result(raw, code, Kind.USCC, *_uscc_issues(code))
        # 18 digits starting 1–8 fit both shapes: an ID number unless only the USCC reading is valid.
        citizen = _result(raw, code, Kind.CITIZEN_ID, *_citizen_id_18_issues(code, date.today()))
        if citizen.valid:
            return citizen
        uscc = _result(raw, code, Kind.USCC, *_uscc_issues(code))
        return uscc if uscc.valid else citizen
    if length == 9:
        return _result(raw, code, Kind.ORG_CODE, *_org_code_issues(code))
    if length == 15 and _is_digits(code):
        return _result(raw, code, Kind.CITIZEN_ID_15, *_citizen_id_15_issues(code, date.today()))
    message = (
        "无法识别的代码：统一社会信用代码和身份证号码为18位，旧身份证号码为15位数字，"
        f"组织机构代码为9位，输入为{length}位。"
    )
    return _result(raw, code, Kind.UNKNOWN, [Issue("unknown_format", message)], [])


def check_uscc(raw: str) -> CheckResult:
    """Validate input that must be a 统一社会信用代码."""
    code, early = _prepare(raw, Kind.USCC)
    if early is not None:
        return early
    errors, warnings = _uscc_issues(code)
    looks_like_id = errors and len(code) == 18 and _looks_like_citizen_id(code)
    if looks_like_id and not _citizen_id_18_issues(code, date.today())[0]:
        errors.insert(0, Issue("uscc_is_citizen_id", "这是身份证号码，不是统一社会信用代码。"))
    return _result(raw, code, Kind.USCC, errors, warnings)


def check_org_code(raw: str) -> CheckResult:
    """Validate input that must be a 9-character organisation code (a hyphen before the check is fine)."""
    code, early = _prepare(raw, Kind.ORG_CODE)
    if early is not None:
        return early
    return _result(raw, code, Kind.ORG_CODE, *_org_code_issues(code))


def check_citizen_id(raw: str, *, today: date | None = None) -> CheckResult:
    """Validate input that must be a citizen ID number, 18 digits or the legacy 15-digit form."""
    code, early = _prepare(raw, Kind.CITIZEN_ID)
    if early is not None:
        return early
    today = today or date.today()
    if len(code) == 15:
        return _result(raw, code, Kind.CITIZEN_ID_15, *_citizen_id_15_issues(code, today))
    if len(code) != 18:
        message = f"身份证号码应为18位（旧号码为15位），实际为{len(code)}位。"
        return _result(raw, code, Kind.CITIZEN_ID, [Issue("citizen_id_length", message)], [])
    errors, warnings = _citizen_id_18_issues(code, today)
    if errors and not _uscc_issues(code)[0]:
        errors.insert(0, Issue("citizen_id_is_uscc", "这是统一社会信用代码，不是身份证号码。"))
    return _result(raw, code, Kind.CITIZEN_ID, errors, warnings)


def uscc_is_clean(code: str) -> bool:
    """True only when `check_uscc(code)` is valid without warnings and `code` is its own normalised form
    (the importer's shortcut for the common case; anything else goes through `check_uscc`)."""
    if len(code) != 18 or not _USCC_CHARS.issuperset(code):
        return False
    authority = USCC_AUTHORITIES.get(code[0])
    if authority is None or (authority[1] and code[1] not in authority[1]):
        return False
    return (
        _is_digits(code[2:8]) and org_code_check_char(code[8:16]) == code[16] and uscc_check_char(code[:17]) == code[17]
    )


def citizen_id_is_clean(code: str, today: date) -> bool:
    """True only when `check_citizen_id(code, today=today)` is valid and `code` is its own normalised form
    (18 characters; the importer's shortcut for the common case)."""
    if len(code) != 18 or not _is_digits(code[:17]) or not "1" <= code[0] <= "8":
        return False
    try:
        born = date(int(code[6:10]), int(code[10:12]), int(code[12:14]))
    except ValueError:
        return False
    return _EARLIEST_BIRTH_DATE <= born <= today and citizen_id_check_char(code[:17]) == code[17]


def _prepare(raw: str, kind: Kind) -> tuple[str, CheckResult | None]:
    """Normalise, or answer straight away for input that is too long or empty."""
    if len(raw) > MAX_INPUT_LENGTH:
        message = f"输入过长：最多{MAX_INPUT_LENGTH}个字符，实际为{len(raw)}个字符。"
        return "", _result(raw[:MAX_INPUT_LENGTH], "", kind, [Issue("too_long", message)], [])
    code = normalize(raw)
    if not code:
        return code, _result(raw, code, kind, [Issue("empty", "请输入代码。")], [])
    return code, None


def _result(raw: str, code: str, kind: Kind, errors: list[Issue], warnings: list[Issue]) -> CheckResult:
    return CheckResult(raw, code, kind, not errors, errors, warnings)


# --- 统一社会信用代码 ------------------------------------------------------------------------------


def _uscc_issues(code: str) -> tuple[list[Issue], list[Issue]]:
    errors: list[Issue] = []
    warnings: list[Issue] = []
    if len(code) != 18:
        errors.append(Issue("uscc_length", f"统一社会信用代码应为18位，实际为{len(code)}位。"))
    bad = set() if _USCC_CHARS.issuperset(code) else _uscc_bad_chars(code, errors)
    if len(code) != 18:
        return errors, warnings
    _uscc_authority_and_type(code, bad, errors, warnings)
    division = code[2:8]
    if not _is_digits(division) and not bad.intersection(range(2, 8)):
        message = f"第3–8位登记管理机关行政区划码应为6位数字，实际为“{division}”。"
        errors.append(Issue("uscc_division_invalid", message))
    if not bad.intersection(range(8, 17)):
        expected = org_code_check_char(code[8:16])
        if code[16] != expected:
            message = (
                f"第9–17位组织机构代码的校验码应为“{expected}”，实际为“{code[16]}”"
                "（部分早期发放的代码存在此情况，请人工核对）。"
            )
            warnings.append(Issue("org_code_check_mismatch", message))
    if not bad.intersection(range(17)):
        expected = uscc_check_char(code[:17])
        if code[17] != expected:
            message = f"校验码错误：第18位应为“{expected}”，实际为“{code[17]}”。"
            errors.append(Issue("uscc_check_mismatch", message))
    return errors, warnings


def _uscc_bad_chars(code: str, errors: list[Issue]) -> set[int]:
    bad = {index for index, char in enumerate(code) if char not in _USCC_CHARS}
    for index in sorted(bad):
        message = f"第{index + 1}位字符“{code[index]}”不在统一社会信用代码字符集中（不使用I、O、Z、S、V）。"
        errors.append(Issue("uscc_bad_char", message))
    return bad


def _uscc_authority_and_type(code: str, bad: set[int], errors: list[Issue], warnings: list[Issue]) -> None:
    if 0 in bad:
        return
    authority = USCC_AUTHORITIES.get(code[0])
    if authority is None:
        message = f"第1位登记管理部门代码“{code[0]}”无效，应为1–9、A、N或Y。"
        errors.append(Issue("uscc_authority_invalid", message))
        return
    name, types = authority
    if types and 1 not in bad and code[1] not in types:
        message = f"第2位机构类别代码“{code[1]}”不在登记管理部门“{name}”的已知类别（{'、'.join(types)}）中，请核对。"
        warnings.append(Issue("uscc_type_unknown", message))


# --- 组织机构代码 ----------------------------------------------------------------------------------


def _org_code_issues(code: str) -> tuple[list[Issue], list[Issue]]:
    if len(code) != 9:
        message = f"组织机构代码应为9位（可写作“12345678-9”），实际为{len(code)}位。"
        return [Issue("org_code_length", message)], []
    errors: list[Issue] = []
    for index, char in enumerate(code[:8]):
        if char not in _ORG_CHARS:
            message = f"第{index + 1}位字符“{char}”无效：组织机构代码本体只能使用数字和大写英文字母。"
            errors.append(Issue("org_code_bad_char", message))
    if code[8] not in _ORG_CHECK_CHARS:
        errors.append(Issue("org_code_bad_char", f"第9位校验码“{code[8]}”无效：只能是数字或X。"))
    if not errors:
        expected = org_code_check_char(code[:8])
        if code[8] != expected:
            message = f"校验码错误：第9位应为“{expected}”，实际为“{code[8]}”。"
            errors.append(Issue("org_code_check_mismatch", message))
    return errors, []


# --- 公民身份号码 ----------------------------------------------------------------------------------


def _citizen_id_18_issues(code: str, today: date) -> tuple[list[Issue], list[Issue]]:
    errors: list[Issue] = []
    if not _is_digits(code[:17]):
        for index, char in enumerate(code[:17]):
            if char not in _DIGITS:
                message = f"第{index + 1}位字符“{char}”无效：身份证号码第1–17位只能是数字。"
                errors.append(Issue("citizen_id_bad_char", message))
    if code[17] not in CITIZEN_ID_CHECK_CHARS:
        message = f"第18位字符“{code[17]}”无效：身份证号码第18位只能是数字或X。"
        errors.append(Issue("citizen_id_bad_char", message))
    _citizen_id_division(code, errors)
    if _is_digits(code[6:14]):
        _citizen_id_birth_date(code[6:14], "第7–14位", today, errors)
    if _is_digits(code[:17]):
        expected = citizen_id_check_char(code[:17])
        if code[17] != expected:
            message = f"校验码错误：第18位应为“{expected}”，实际为“{code[17]}”。"
            errors.append(Issue("citizen_id_check_mismatch", message))
    return errors, []


def _citizen_id_15_issues(code: str, today: date) -> tuple[list[Issue], list[Issue]]:
    errors: list[Issue] = []
    if not _is_digits(code):
        for index, char in enumerate(code):
            if char not in _DIGITS:
                message = f"第{index + 1}位字符“{char}”无效：15位身份证号码只能是数字。"
                errors.append(Issue("citizen_id_bad_char", message))
    _citizen_id_division(code, errors)
    if _is_digits(code[6:12]):
        _citizen_id_birth_date(code[6:12], "第7–12位", today, errors)
    message = "这是15位旧版身份证号码（无世纪位和校验码），建议核实并换用18位号码。"
    return errors, [Issue("legacy_id_15", message)]


def _citizen_id_division(code: str, errors: list[Issue]) -> None:
    if code[0] in _DIGITS and not "1" <= code[0] <= "8":
        message = f"第1–6位行政区划码“{code[:6]}”无效：身份证号码应以数字1–8开头。"
        errors.append(Issue("citizen_id_division_invalid", message))


def _citizen_id_birth_date(digits: str, where: str, today: date, errors: list[Issue]) -> None:
    """Check the birth date written as YYYYMMDD, or YYMMDD (19YY) in the legacy 15-digit form."""
    yyyymmdd = digits if len(digits) == 8 else "19" + digits
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        message = f"{where}出生日期“{digits}”不是有效日期。"
        errors.append(Issue("citizen_id_birth_date_invalid", message))
        return
    if born < _EARLIEST_BIRTH_DATE:
        message = f"{where}出生日期{born:%Y-%m-%d}早于1900年，不可能是有效的出生日期。"
        errors.append(Issue("citizen_id_birth_date_too_early", message))
    elif born > today:
        message = f"{where}出生日期{born:%Y-%m-%d}晚于今天（{today:%Y-%m-%d}）。"
        errors.append(Issue("citizen_id_birth_date_future", message))
