"""The public portal (信用韶山): home, search, subject pages, red and black lists, notices, help.

Thin views over `publication.search` and `publication.selectors`, which read only the public
projection. No login, no JavaScript needed; persons appear masked everywhere.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from xinyong.core.errors import ApplicationError, NotFound
from xinyong.core.identifiers import mask_identity, normalize
from xinyong.publication import pagecache, selectors
from xinyong.publication.choices import NoticeKind
from xinyong.publication.search import COUNT_CAP, is_identity_number, search_subjects
from xinyong.publication.throttle import RateLimited, search_throttle
from xinyong.subjects.choices import SubjectKind

PAGE_SIZE = 20
MAX_PAGE = COUNT_CAP // PAGE_SIZE
LIST_TITLES = {"red": "守信激励（红名单）", "black": "严重失信主体名单"}


def _page_number(request: HttpRequest, last: int = 10**6) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), last))
    except ValueError:
        return 1


def rate_limited_response(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(request, "portal/rate_limited.html", {"error": exc}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "counts": selectors.headline_counts(),
        "notices": selectors.notices_latest(6, kinds=[NoticeKind.NOTICE, NoticeKind.CORRECTION, NoticeKind.WITHDRAWAL]),
        "stories": selectors.notices_latest(4, kinds=[NoticeKind.STORY]),
    }
    return render(request, "portal/home.html", context)


def _shown_query(query: str) -> str:
    """What the page may echo of the query: an identity number only masked."""
    return mask_identity(normalize(query)) if is_identity_number(query) else query


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    identity = bool(query) and is_identity_number(query)
    context: dict[str, object] = {"query": "" if identity else query, "shown_query": _shown_query(query)}
    if query:
        page = _page_number(request, MAX_PAGE)
        try:
            search_throttle(request.META)
            result = search_subjects(query, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
        except RateLimited as exc:
            return rate_limited_response(request, exc)
        except ApplicationError as exc:
            context["error"] = exc
        else:
            last = min(MAX_PAGE, max(1, -(-result.total_capped // PAGE_SIZE)))
            context.update(result=result, page=page, last_page=last, has_next=page < last)
    response = render(request, "portal/search.html", context, status=_status(context))
    if identity:
        patch_cache_control(response, no_store=True, private=True)
    return response


def _status(context: dict[str, object]) -> int:
    error = context.get("error")
    return error.status if isinstance(error, ApplicationError) else 200


@require_GET
def subject_detail(request: HttpRequest, slug: str) -> HttpResponse:
    cached = pagecache.lookup(slug)
    if cached is not None and cached.found is not None:
        return HttpResponse(cached.found)
    page = selectors.public_subject_page(slug)
    if page.subject.slug != slug:  # found by code: the address shows the public identifier only
        return redirect("portal:subject_detail", slug=page.subject.slug)
    html = _render_subject(request, page)
    pagecache.store(cached, html)
    return HttpResponse(html)


def _render_subject(request: HttpRequest, page: selectors.SubjectPage) -> str:
    groups = page.groups
    context = {
        "subject": page.subject,
        "kind_label": dict(SubjectKind.choices).get(page.subject.kind, page.subject.kind),
        "filled": [g for g in groups if g.records],
        "empty": [g.label for g in groups if not g.records],
        "total": sum(len(g.records) for g in groups),
        "objection_count": sum(r.under_objection for g in groups for r in g.records),
    }
    return render_to_string("portal/subject.html", context, request=request)


@require_GET
def list_page(request: HttpRequest, which: str) -> HttpResponse:
    group = selectors.LIST_GROUPS.get(which)
    if group is None:
        raise NotFound("没有这个名单。", code="list_not_found")
    list_name = request.GET.get("list", "").strip()[:100] or None
    context = {
        "which": which,
        "title": LIST_TITLES[which],
        "names": selectors.public_list_names(group),
        "list_name": list_name,
        "page_obj": selectors.public_list_entries(group, list_name, _page_number(request)),
    }
    return render(request, "portal/list.html", context)


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind") or None
    context = {
        "page_obj": selectors.notices_page(_page_number(request), kind=kind),
        "kind": kind if kind in NoticeKind.values else "",
        "kinds": NoticeKind.choices,
    }
    return render(request, "portal/notices.html", context)


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "portal/notice.html", {"notice": selectors.notice_get(pk)})


@require_GET
def objection_help(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help_objection.html")
