from urllib.parse import quote

import pytest
from django.urls import reverse

from xinyong.publication.models import Notice, PublicRecord

from .dataset import build_public_dataset

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    return build_public_dataset()


def html(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_home_shows_search_counts_notices_stories_and_the_measures(client, data):
    page = html(client, "/")
    assert 'action="/search/"' in page and 'name="q"' in page
    assert "第十二条" in page and "免费查询" in page
    assert "关于信用韶山上线的公告" in page and "诚信经营二十年的韶峰食品" in page
    assert "撤销公告" in page  # the workflow's withdrawal notice is listed among the notices
    # 6 subjects; licences: b and c (c's lapsed licence is not counted); one red, one black entry
    assert "<b>6</b>公示信用主体" in page and "<b>2</b>行政许可" in page


def test_every_new_page_is_in_the_navigation(client, data):
    page = html(client, "/help/objection/")
    for name in ("portal:search", "portal:notices", "portal:objection_help"):
        assert f'href="{reverse(name)}"' in page
    assert 'href="/lists/red/"' in page and 'href="/lists/black/"' in page


def test_search_page_lists_subjects_with_their_counts(client, data):
    page = html(client, "/search/?q=" + quote("韶峰"))
    assert "韶山市清溪镇韶峰食品有限公司" in page and "湖南韶峰建设有限责任公司" in page
    assert "共 <b>2</b> 个" in page
    assert f'href="/subjects/{data.slugs["a"]}/"' in page
    assert '行政处罚 <b class="bad">1</b>' in page


def test_too_short_query_gets_a_clear_chinese_message(client, data):
    page = html(client, "/search/?q=" + quote("韶"), status=422)
    assert 'data-code="query_too_short"' in page and "至少2个字" in page


def test_identity_number_query_is_never_echoed_in_full_and_not_cached(client, data):
    response = client.get("/search/?q=" + data.codes["person"])
    page = response.content.decode()
    assert data.codes["person"] not in page
    assert "4303**********1237" in page and "李*" in page
    assert 'value=""' in page
    assert "no-store" in response["Cache-Control"]


def test_search_form_without_a_query_just_shows_the_form(client, data):
    page = html(client, "/search/")
    assert "alert" not in page and "个公示主体" not in page


def test_bad_page_numbers_never_fail(client, data):
    for page in ("abc", "-3", "999999", "1e9"):
        html(client, f"/search/?q={quote('韶山')}&page={page}")
        html(client, f"/lists/black/?page={page}")
        html(client, f"/notices/?page={page}")


def test_subject_page_shows_groups_window_basis_provider_and_objection_badge(client, data):
    page = html(client, f"/subjects/{data.slugs['black']}/")
    assert "严重失信主体名单" in page and "食品安全严重违法失信名单" in page
    assert "异议处理中" in page and 'href="/help/objection/"' in page
    page = html(client, f"/subjects/{data.slugs['a']}/")
    for group in ("行政许可", "行政处罚", "守信激励（红名单）", "信用承诺", "其他信息"):
        assert group in page
    record = PublicRecord.objects.get(document_no="韶市监罚〔2026〕12号")
    assert f"{record.repair_from:%Y-%m-%d} 起" in page and "可申请信用修复日期" in page
    assert "行政处罚法》第四十八条" in page and "韶山市测试局SCJGJ" in page
    assert "异议处理中" not in page.split("对公示信息有异议")[0]


def test_subject_found_by_code_redirects_to_its_public_address(client, data):
    response = client.get(f"/subjects/{data.codes['person']}/")
    assert response.status_code == 302 and response["Location"] == f"/subjects/{data.slugs['person']}/"
    response = client.get(f"/subjects/{data.codes['a'].lower()}/")
    assert response["Location"] == f"/subjects/{data.slugs['a']}/"


def test_unknown_subject_is_a_chinese_404(client, data):
    page = html(client, "/subjects/nope/", status=404)
    assert "未找到该主体的公示信息" in page
    html(client, "/subjects/" + quote("<script>") + "/", status=404)


def test_black_and_red_lists_filter_by_list_name(client, data):
    page = html(client, "/lists/black/")
    assert "韶山市滴水洞旅游服务有限公司" in page and "食品安全严重违法失信名单（1）" in page
    assert "异议处理中" in page
    page = html(client, "/lists/red/?list=" + quote("纳税信用A级纳税人"))
    assert "韶山银田诚信商贸有限公司" in page and "韶税红〔2026〕8号" in page
    page = html(client, "/lists/red/?list=" + quote("别的名单"))
    assert "韶山银田诚信商贸有限公司" not in page and "暂无公示中的名单信息" in page
    html(client, "/lists/grey/", status=404)


def test_notices_list_filters_and_details(client, data):
    page = html(client, "/notices/?kind=story")
    assert "诚信经营二十年的韶峰食品" in page and "关于信用韶山上线的公告" not in page
    notice = Notice.objects.get(kind="withdrawal")
    page = html(client, f"/notices/{notice.pk}/")
    assert "撤销" in page and "行政复议撤销原处罚决定" in page
    html(client, "/notices/999999/", status=404)


def test_objection_help_is_factual(client):
    page = html(client, "/help/objection/")
    assert "第十五条" in page and "5个工作日" in page
    assert "2026年4月1日" in page and "国办发〔2025〕22号" in page
    assert "提出异议" in page and "无需注册账号" in page and "不收取任何费用" in page
    assert "即将开通" not in page


def test_public_pages_need_no_login_and_nothing_external(client, data):
    for url in ("/", "/search/?q=" + quote("韶山"), f"/subjects/{data.slugs['a']}/", "/lists/black/", "/notices/"):
        page = html(client, url)
        assert "<script" not in page
        assert 'src="http' not in page and 'href="http' not in page and "//cdn" not in page


def test_query_counts_do_not_grow_with_the_results(
    client, data, django_assert_max_num_queries, django_assert_num_queries
):
    with django_assert_max_num_queries(5):  # exact names, matches, count, subjects, their counts
        html(client, "/search/?q=" + quote("有限"))
    with django_assert_num_queries(2):  # by code: the subject, its counts
        html(client, f"/search/?q={data.codes['a']}")
    with django_assert_num_queries(2):  # first view: change stamp, then the current records with their subject
        html(client, f"/subjects/{data.slugs['a']}/")
    with django_assert_num_queries(1):  # again: the change stamp, then the cached rendering
        html(client, f"/subjects/{data.slugs['a']}/")
    with django_assert_max_num_queries(4):  # list names, count, page of entries with their subjects
        html(client, "/lists/black/")
