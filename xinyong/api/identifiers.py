"""Public identifier check: GET /api/v1/identifiers/check?code=… (no authentication)."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.core import identifiers
from xinyong.core.identifiers import Kind

from .schemas import errors

router = Router(tags=["identifiers"])


class CodeIssueOut(Schema):
    code: str
    message: str


class CheckResultOut(Schema):
    input: str = Field(description="收到的原始输入（超过100个字符时截断）")
    normalized: str = Field(description="去除空格和连字符、全角转半角、转大写后的代码")
    kind: Kind
    valid: bool
    errors: list[CodeIssueOut]
    warnings: list[CodeIssueOut]


class CheckQuery(Schema):
    code: str = Field(description="统一社会信用代码、组织机构代码或公民身份号码（18位或15位）")


@router.get(
    "/check",
    response={200: CheckResultOut, **errors(422)},
    auth=None,
    summary="校验统一社会信用代码、组织机构代码或身份证号码",
    description=(
        "按代码形态判断类型并校验。代码本身无效时仍返回200，结论见 valid 和 errors；缺少 code 参数时返回422。"
    ),
)
def check_code(request: HttpRequest, query: Query[CheckQuery]) -> dict:
    return identifiers.check(query.code).as_dict()
