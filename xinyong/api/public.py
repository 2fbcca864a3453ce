"""Public query API (no authentication): GET /api/v1/public/subjects?q=… and /public/subjects/{code}.

The same rules as the portal: only the public projection is read, persons are masked, only records
whose publicity has not ended are returned, and searches share the portal's per-address limit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Query, Router, Schema
from pydantic import Field

from xinyong.publication import pagecache, selectors
from xinyong.publication.choices import PublicGroup
from xinyong.publication.models import PublicRecord
from xinyong.publication.search import COUNT_CAP, SubjectSummary, search_subjects, summary_of
from xinyong.publication.throttle import RateLimited, search_throttle

from .schemas import ErrorOut

router = Router(tags=["public"])
# two letters, digits or Chinese characters (str.isalnum, as the search counts them), anywhere in the query
QUERY_PATTERN = r"[^\W_][\s\S]*[^\W_]"

RATE_LIMIT_NOTE = "按访问地址限制查询频率（默认每60秒30次），超过时返回429，响应头 Retry-After 为需等待的秒数。"


class CountsOut(Schema):
    licence: int = Field(description="公示中的行政许可条数")
    penalty: int = Field(description="公示中的行政处罚条数")
    red: int = Field(description="红名单（守信激励）条数")
    black: int = Field(description="严重失信主体名单条数")
    commitment: int = Field(description="信用承诺条数")
    other: int = Field(description="其他公示信息条数")


class SubjectOut(Schema):
    slug: str = Field(description="公开标识：法人为统一社会信用代码，自然人为随机标识；用于 /public/subjects/{code}")
    kind: str = Field(description="主体类别代码：legal_person / individual_business / natural_person")
    kind_label: str = Field(description="主体类别（法人及非法人组织、个体工商户、自然人）")
    name: str = Field(description="名称；自然人仅保留姓氏，如“张**”")
    code: str = Field(description="统一社会信用代码；自然人为脱敏证件号码，如“4303**********1237”")
    counts: CountsOut


class SearchOut(Schema):
    total: int = Field(description=f"匹配的主体数，最多计到{COUNT_CAP}")
    total_capped: bool = Field(description=f"为 true 表示匹配超过{COUNT_CAP}个，total 仅为下限")
    limit: int
    offset: int
    by: str = Field(description="查询方式：name（名称）、uscc（统一社会信用代码）、identity（证件号码）")
    results: list[SubjectOut]


class SearchQuery(Schema):
    q: str = Field(
        description="名称（至少2个字）、完整的统一社会信用代码或身份证号码；只计字母、数字和汉字，标点和空格不计",
        max_length=100,
        json_schema_extra={"minLength": 2, "pattern": QUERY_PATTERN},  # checked by the search (query_too_short)
    )
    limit: int = Field(20, ge=1, le=50, description="每页条数，1–50")
    offset: int = Field(0, ge=0, le=COUNT_CAP, description=f"跳过的条数，0–{COUNT_CAP}")


class PublicFieldOut(Schema):
    label: str = Field(description="字段名称（按归集目录）")
    value: str = Field(description="公开的字段值")


class RecordOut(Schema):
    group: str = Field(description="类别代码：licence / penalty / red / black / commitment / other")
    group_label: str = Field(
        description="类别（行政许可、行政处罚、守信激励（红名单）、严重失信主体名单、信用承诺、其他信息）"
    )
    item_name: str = Field(description="信息类别（目录项名称）")
    list_name: str = Field(description="名单名称（仅红黑名单）")
    document_no: str = Field(description="决定文书号")
    decision_date: dt.date = Field(description="决定日期")
    provider_name: str = Field(description="信息提供单位")
    fields: list[PublicFieldOut] = Field(description="该信息的全部公开字段")
    basis: str = Field(description="公开依据（《办法》第十一条）")
    publicity_starts_on: dt.date = Field(description="公示起始日期")
    repair_from: dt.date | None = Field(description="可申请信用修复日期")
    publicity_ends_on: dt.date | None = Field(description="公示截止日期；为空表示长期")
    under_objection: bool = Field(description="为 true 表示异议处理中")
    version: int = Field(description="信息版本号（更正后递增）")


class SubjectDetailOut(SubjectOut):
    records: list[RecordOut] = Field(description="公示中的信息，按类别排列，同类按决定日期从新到旧")


def _rate_limited(exc: RateLimited) -> HttpResponse:
    response = JsonResponse(exc.as_dict(), status=exc.status, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(exc.retry_after)
    return response


def _subject_out(summary: SubjectSummary) -> dict[str, Any]:
    counts = {group: summary.counts.get(group, 0) for group in PublicGroup.values}
    return {
        "slug": summary.slug,
        "kind": summary.kind,
        "kind_label": summary.kind_label,
        "name": summary.name,
        "code": summary.code,
        "counts": counts,
    }


def _record_out(record: PublicRecord) -> dict[str, Any]:
    return {
        "group": record.group,
        "group_label": PublicGroup(record.group).label if record.group in PublicGroup.values else record.group,
        "item_name": record.item_name,
        "list_name": record.list_name,
        "document_no": record.document_no,
        "decision_date": record.decision_date,
        "provider_name": record.provider_name,
        "fields": [{"label": str(label), "value": str(value)} for label, value in record.fields],
        "basis": record.basis,
        "publicity_starts_on": record.starts_on,
        "repair_from": record.repair_from,
        "publicity_ends_on": record.ends_on,
        "under_objection": record.under_objection,
        "version": record.version,
    }


@router.get(
    "/subjects",
    response={200: SearchOut, 422: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="查询公示主体（名称、统一社会信用代码或身份证号码）",
    description=(
        "按名称查询时输入至少2个字（不区分全角半角和括号，“有限责任公司”与“有限公司”视为相同），名称完全相同的排在前面；"
        "自然人不能按姓名查询，只能按完整证件号码查询。只返回有公示中信息的主体。" + RATE_LIMIT_NOTE
    ),
)
def search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    try:
        search_throttle(request.META)
        result = search_subjects(query.q, limit=query.limit, offset=query.offset)
    except RateLimited as exc:
        return _rate_limited(exc)
    return {
        "total": result.total_capped,
        "total_capped": result.capped,
        "limit": result.limit,
        "offset": result.offset,
        "by": result.by,
        "results": [_subject_out(s) for s in result.subjects],
    }


@router.get(
    "/subjects/{code}",
    response={200: SubjectDetailOut, 404: ErrorOut, 429: ErrorOut},
    auth=None,
    summary="公示主体及其公示信息",
    description=(
        "code 可以是公开标识（slug）、统一社会信用代码或身份证号码。"
        "返回主体的基本信息（自然人脱敏）和全部公示中的信息。" + RATE_LIMIT_NOTE
    ),
)
def subject_detail(request: HttpRequest, code: str) -> Any:
    try:
        search_throttle(request.META)
    except RateLimited as exc:
        return _rate_limited(exc)
    cached = pagecache.lookup(code, "api")  # organisations' public identifier is their USCC
    if cached is None or cached.found is None:
        page = selectors.public_subject_page(code)
        # validated against the documented schema once, then served as the same JSON bytes
        body = SubjectDetailOut.model_validate(_subject_detail(page)).model_dump_json().encode()
        pagecache.store(cached if page.subject.slug == code else None, body)
    else:
        body = cached.found
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def _subject_detail(page: selectors.SubjectPage) -> dict[str, Any]:
    summary = _subject_out(summary_of(page.subject, page.counts))
    return summary | {"records": [_record_out(r) for g in page.groups for r in g.records]}
