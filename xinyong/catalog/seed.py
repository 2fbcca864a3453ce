"""The catalogue items the platform ships with (STANDARDS.md §2, §6). Data, editable afterwards.

`catalog_seed()` only creates items that are missing: it never overwrites the platform's edits.
"""

from __future__ import annotations

from typing import Any

from .choices import Disclosure, Domain, FieldType, Required, Sensitivity

T, LT, D, E, ME, M, U, ID = (
    FieldType.TEXT,
    FieldType.LONG_TEXT,
    FieldType.DATE,
    FieldType.ENUM,
    FieldType.MULTI_ENUM,
    FieldType.MONEY,
    FieldType.USCC,
    FieldType.ID_NUMBER,
)
A, OPT, LG, NT = Required.ALWAYS, Required.OPTIONAL, Required.LEGAL, Required.NATURAL
PUB, SH, SEC = Sensitivity.PUBLIC, Sensitivity.SHARED, Sensitivity.SECRET

SUBJECT_KINDS = ["法人及非法人组织", "自然人", "个体工商户"]
ID_TYPES = ["身份证", "护照号", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国人永久居留身份证"]
PENALTY_TYPES = [
    "警告",
    "通报批评",
    "罚款",
    "没收违法所得",
    "没收非法财物",
    "暂扣许可证件",
    "降低资质等级",
    "吊销许可证件",
    "限制开展生产经营活动",
    "责令停产停业",
    "责令关闭",
    "限制从业",
    "行政拘留",
    "其他",
]
LICENCE_TYPES = ["普通", "特许", "认可", "核准", "登记", "其他"]


def f(
    code: str,
    label: str,
    type_: str = T,
    required: str = OPT,
    *,
    enum: list[str] | None = None,
    sensitivity: str = PUB,
    max_length: int | None = None,
    help: str = "",
    required_if: dict[str, str] | None = None,
    not_before: str = "",
    type_field: str = "",
) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "code": code,
        "label": label,
        "type": str(type_),
        "required": str(required),
        "sensitivity": str(sensitivity),
    }
    if enum:
        spec["enum"] = enum
    if max_length:
        spec["max_length"] = max_length
    if help:
        spec["help"] = help
    if required_if:
        spec["required_if"] = required_if
    if not_before:
        spec["not_before"] = not_before
    if type_field:
        spec["type_field"] = type_field
    return spec


def subject_fields(p: str) -> list[dict[str, Any]]:
    """The 行政相对人 block shared by 行政许可 and 行政处罚 (prefix XK or CF)."""
    return [
        f(f"{p}_XDR_MC", "行政相对人名称", T, A, max_length=200),
        f(f"{p}_XDR_LB", "行政相对人类别", E, A, enum=SUBJECT_KINDS),
        f(f"{p}_XDR_SHXYM", "行政相对人代码_1(统一社会信用代码)", U, LG),
        f(f"{p}_XDR_GSZC", "行政相对人代码_2(工商注册号)", T, max_length=50),
        f(f"{p}_XDR_ZZJG", "行政相对人代码_3(组织机构代码)", T, max_length=50),
        f(f"{p}_XDR_SWDJ", "行政相对人代码_4(税务登记号)", T, max_length=50),
        f(f"{p}_XDR_SYDW", "行政相对人代码_5(事业单位证书号)", T, max_length=50),
        f(f"{p}_XDR_SHZZ", "行政相对人代码_6(社会组织登记证号)", T, max_length=50),
        f(f"{p}_FRDB", "法定代表人", T, LG, max_length=50),
        f(f"{p}_FR_ZJLX", "法定代表人证件类型", E, enum=ID_TYPES, sensitivity=SEC),
        f(f"{p}_FR_ZJHM", "法定代表人证件号码", ID, sensitivity=SEC, type_field=f"{p}_FR_ZJLX"),
        f(f"{p}_XDR_ZJLX", "证件类型", E, NT, enum=ID_TYPES, sensitivity=SH),
        f(
            f"{p}_XDR_ZJHM",
            "证件号码",
            ID,
            NT,
            sensitivity=SH,
            help="自然人填写；公开时按脱敏规则显示",
            type_field=f"{p}_XDR_ZJLX",
        ),
    ]


def source_fields(p: str, org_label: str) -> list[dict[str, Any]]:
    return [
        f(f"{p}_{'XKJG' if p == 'XK' else 'CFJG'}", org_label, T, A, max_length=100),
        f(f"{p}_{'XKJGDM' if p == 'XK' else 'CFJGDM'}", f"{org_label}统一社会信用代码", U, A),
    ]


LICENCE_FIELDS = [
    *subject_fields("XK"),
    f("XK_XKWS", "行政许可决定文书名称", T, A, max_length=100),
    f("XK_WSH", "行政许可决定文书号", T, A, max_length=100),
    f("XK_XKLB", "许可类别", E, A, enum=LICENCE_TYPES),
    f("XK_XKZS", "许可证书名称", T, max_length=100),
    f("XK_XKBH", "许可编号", T, max_length=100),
    f("XK_NR", "许可内容", LT, A, max_length=4000),
    f("XK_JDRQ", "许可决定日期", D, A),
    f("XK_YXQZ", "有效期自", D, A),
    f("XK_YXQZI", "有效期至", D, A, help="长期有效填 2099/12/31", not_before="XK_YXQZ"),
    *source_fields("XK", "许可机关"),
    f("XK_ZT", "当前状态", E, A, enum=["有效", "无效"]),
    f("XK_LYDW", "数据来源单位", T, A, max_length=100),
    f("XK_LYDWDM", "数据来源单位统一社会信用代码", U, A),
    f("BZ", "备注", LT, max_length=1000),
]

PENALTY_FIELDS = [
    *subject_fields("CF"),
    f("CF_WSH", "行政处罚决定书文号", T, A, max_length=100),
    f("CF_WFXW", "违法行为类型", T, A, max_length=200),
    f("CF_WFSS", "违法事实", LT, A, max_length=4000),
    f("CF_YJ", "处罚依据", LT, A, max_length=2000),
    f("CF_CFLB", "处罚类别", ME, A, enum=PENALTY_TYPES, help="可多选，以分号分隔"),
    f("CF_NR", "处罚内容", LT, A, max_length=4000),
    f("CF_NR_FK", "罚款金额（万元）", M, required_if={"field": "CF_CFLB", "contains": "罚款"}),
    f("CF_NR_WFFF", "没收违法所得、没收非法财物的金额（万元）", M),
    f("CF_NR_ZKDX", "暂扣或吊销证照名称及编号", T, max_length=200),
    f("CF_JDRQ", "处罚决定日期", D, A),
    f("CF_YXQ", "处罚有效期", D, A, help="长期填 2099/12/31", not_before="CF_JDRQ"),
    f("CF_GSJZQ", "公示截止期", D, help="由平台按公示期规则计算，可不填"),
    *source_fields("CF", "处罚机关"),
    f("CF_SJLY", "数据来源单位", T, A, max_length=100),
    f("CF_SJLYDM", "数据来源单位统一社会信用代码", U, A),
    f("CF_SXYZCD", "失信严重程度", E, enum=["轻微", "一般", "严重"]),
    f("CF_CXLX", "程序类型", E, enum=["简易", "普通"]),
    f("CF_XXSYFW", "信息使用范围", E, enum=["社会公开", "政务共享", "授权查询"]),
    f("BZ", "备注", LT, max_length=1000),
]


def list_fields(p: str, list_label: str) -> list[dict[str, Any]]:
    return [
        f(f"{p}_ZTMC", "主体名称", T, A, max_length=200),
        f(f"{p}_ZTLB", "主体类别", E, A, enum=SUBJECT_KINDS),
        f(f"{p}_TYSHXYDM", "统一社会信用代码", U, LG),
        f(f"{p}_FDDBR", "法定代表人", T, max_length=50),
        f(f"{p}_ZJLX", "证件类型", E, NT, enum=ID_TYPES, sensitivity=SH),
        f(f"{p}_ZJHM", "证件号码", ID, NT, sensitivity=SH, type_field=f"{p}_ZJLX"),
        f(f"{p}_MDMC", list_label, T, A, max_length=100),
        f(f"{p}_RDWSH", "认定文书号", T, A, max_length=100),
        f(f"{p}_RDYJ", "认定依据", LT, A, max_length=2000),
        f(f"{p}_RDYY", "列入事由", LT, A, max_length=2000),
        f(f"{p}_RDRQ", "认定日期", D, A),
        f(f"{p}_YXQZ", "有效期至", D, A, help="长期填 2099/12/31", not_before=f"{p}_RDRQ"),
        f(f"{p}_RDBM", "认定部门", T, A, max_length=100),
        f(f"{p}_RDBMDM", "认定部门统一社会信用代码", U, A),
        f("BZ", "备注", LT, max_length=1000),
    ]


COMMITMENT_FIELDS = [
    f("CN_ZTMC", "承诺主体名称", T, A, max_length=200),
    f("CN_ZTLB", "主体类别", E, A, enum=SUBJECT_KINDS),
    f("CN_TYSHXYDM", "统一社会信用代码", U, LG),
    f("CN_ZJLX", "证件类型", E, NT, enum=ID_TYPES, sensitivity=SH),
    f("CN_ZJHM", "证件号码", ID, NT, sensitivity=SH, type_field="CN_ZJLX"),
    f("CN_CNLX", "承诺类型", E, A, enum=["审批替代型", "容缺受理型", "行业自律型", "主动型", "信用修复型"]),
    f("CN_CNSX", "承诺事项", T, A, max_length=200),
    f("CN_WSH", "承诺书编号", T, A, max_length=100),
    f("CN_CNNR", "承诺内容", LT, A, max_length=4000),
    f("CN_CNRQ", "承诺日期", D, A),
    f("CN_SLBM", "受理部门", T, A, max_length=100),
    f("CN_SLBMDM", "受理部门统一社会信用代码", U, A),
    f("CN_LXZT", "履约状态", E, enum=["履约中", "已履约", "未履约"]),
    f("BZ", "备注", LT, max_length=1000),
]


def roles(
    name: str, kind: str, uscc: str, id_type: str, id_number: str, doc: str, date: str, legal_rep: str = ""
) -> dict[str, str]:
    """Which fields carry the subject, the document number and the decision date."""
    return {
        "subject_name": name,
        "subject_kind": kind,
        "uscc": uscc,
        "id_type": id_type,
        "id_number": id_number,
        "document_no": doc,
        "decision_date": date,
        "legal_representative": legal_rep,
    }


SEED_ITEMS: list[dict[str, Any]] = [
    {
        "code": "XK",
        "name": "行政许可",
        "domain": Domain.ADMINISTRATION,
        "disclosure": Disclosure.PUBLIC,
        "fields": LICENCE_FIELDS,
        "requires_leadership_approval": False,
        "reporting_deadline_days": 7,
        "severity_tiers": [],
        "field_roles": roles(
            "XK_XDR_MC", "XK_XDR_LB", "XK_XDR_SHXYM", "XK_XDR_ZJLX", "XK_XDR_ZJHM", "XK_WSH", "XK_JDRQ", "XK_FRDB"
        ),
        "public_basis": "《中华人民共和国行政许可法》第四十条：行政机关作出的准予行政许可决定，应当予以公开，公众有权查阅。",
    },
    {
        "code": "CF",
        "name": "行政处罚",
        "domain": Domain.ADMINISTRATION,
        "disclosure": Disclosure.PUBLIC,
        "fields": PENALTY_FIELDS,
        "requires_leadership_approval": False,
        "reporting_deadline_days": 7,
        "severity_tiers": ["轻微", "一般", "严重"],
        "field_roles": roles(
            "CF_XDR_MC", "CF_XDR_LB", "CF_XDR_SHXYM", "CF_XDR_ZJLX", "CF_XDR_ZJHM", "CF_WSH", "CF_JDRQ", "CF_FRDB"
        ),
        "public_basis": "《中华人民共和国行政处罚法》第四十八条：具有一定社会影响的行政处罚决定应当依法公开。",
    },
    {
        "code": "HONG",
        "name": "红名单",
        "domain": Domain.HONOUR,
        "disclosure": Disclosure.PUBLIC,
        "fields": list_fields("HONG", "红名单名称"),
        "requires_leadership_approval": True,
        "reporting_deadline_days": 7,
        "severity_tiers": [],
        "field_roles": roles(
            "HONG_ZTMC", "HONG_ZTLB", "HONG_TYSHXYDM", "HONG_ZJLX", "HONG_ZJHM", "HONG_RDWSH", "HONG_RDRQ", "HONG_FDDBR"
        ),
        "public_basis": "",
    },
    {
        "code": "HEI",
        "name": "黑名单（严重失信主体名单）",
        "domain": Domain.SERIOUS,
        "disclosure": Disclosure.PUBLIC,
        "fields": list_fields("HEI", "名单名称"),
        "requires_leadership_approval": True,
        "reporting_deadline_days": 7,
        "severity_tiers": ["严重"],
        "field_roles": roles(
            "HEI_ZTMC", "HEI_ZTLB", "HEI_TYSHXYDM", "HEI_ZJLX", "HEI_ZJHM", "HEI_RDWSH", "HEI_RDRQ", "HEI_FDDBR"
        ),
        "public_basis": "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》"
        "（国办发〔2020〕49号）：严重失信主体名单依法依规向社会公开。",
    },
    {
        "code": "CN",
        "name": "信用承诺",
        "domain": Domain.COMMITMENT,
        "disclosure": Disclosure.PUBLIC,
        "fields": COMMITMENT_FIELDS,
        "requires_leadership_approval": False,
        "reporting_deadline_days": 7,
        "severity_tiers": [],
        "field_roles": roles("CN_ZTMC", "CN_ZTLB", "CN_TYSHXYDM", "CN_ZJLX", "CN_ZJHM", "CN_WSH", "CN_CNRQ"),
        "public_basis": "",
    },
]
