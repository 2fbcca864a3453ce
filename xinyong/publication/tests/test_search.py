import pytest

from xinyong.accounts.tests.factories import make_uscc
from xinyong.core.errors import ApplicationError
from xinyong.records.tests.factories import citizen_id, person_penalty_fields

from .. import search
from ..search import QueryTooShort, search_subjects
from .factories import make_staff
from .public_factories import day, licence_fields, publish

pytestmark = pytest.mark.django_db

NAMES = [
    "韶峰食品有限公司",
    "韶山市清溪镇韶峰食品有限公司",
    "湖南韶峰建设有限责任公司",
    "韶山（湘潭）ABC科技有限公司",
    "长沙银田商贸有限公司",
]


def uscc(i: int) -> str:
    return make_uscc(6_000_000 + i, prefix="91430382")


@pytest.fixture
def published():
    staff = make_staff()
    for i, name in enumerate(NAMES):
        publish(staff, "XK", licence_fields(name, uscc(i), f"韶许〔2026〕{i}号", decided=day(-3), valid_to=day(200)))
    publish(staff, "CF", person_penalty_fields(CF_CFLB="罚款", CF_JDRQ=day(-3).strftime("%Y/%m/%d")))
    return staff


def names(result) -> list[str]:
    return [s.name for s in result.subjects]


def test_two_characters_find_every_name_containing_them_but_no_person(published):
    result = search_subjects("韶峰")
    assert sorted(names(result)) == sorted(NAMES[:3])
    assert (result.total_capped, result.capped, result.by) == (3, False, "name")
    assert search_subjects("李明").subjects == []


def test_exact_name_comes_first_and_long_queries_match_as_a_phrase(published):
    result = search_subjects("韶峰食品有限公司")
    assert names(result)[0] == "韶峰食品有限公司"
    assert set(names(result)) == {"韶峰食品有限公司", "韶山市清溪镇韶峰食品有限公司"}
    assert names(search_subjects("清溪镇韶峰食品")) == ["韶山市清溪镇韶峰食品有限公司"]
    assert search_subjects("韶峰清溪").subjects == []  # the pairs exist, but not in this order


def test_full_width_half_width_and_brackets_are_the_same(published):
    expected = ["韶山（湘潭）ABC科技有限公司"]
    for query in ("韶山(湘潭)abc", "韶山（湘潭）ＡＢＣ", "湘潭ＡＢＣ科技", "山 湘潭 abc"):
        assert names(search_subjects(query)) == expected, query


def test_limited_liability_company_and_limited_company_are_the_same(published):
    assert names(search_subjects("湖南韶峰建设有限公司")) == ["湖南韶峰建设有限责任公司"]
    assert names(search_subjects("韶峰建设有限责任公司")) == ["湖南韶峰建设有限责任公司"]


def test_uscc_is_an_exact_lookup_in_any_spelling(published):
    code = uscc(4)
    spaced = " ".join(code[i : i + 4] for i in range(0, 18, 4)).lower()
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for query in (code, spaced, fullwidth):
        result = search_subjects(query)
        assert (names(result), result.by) == (["长沙银田商贸有限公司"], "uscc"), query
    assert search_subjects(make_uscc(9_999_999, prefix="91430382")).subjects == []


def test_identity_number_finds_the_person_masked(published):
    result = search_subjects(citizen_id())
    assert result.by == "identity"
    [person] = result.subjects
    assert (person.name, person.code, person.kind) == ("李*", "4303**********1237", "natural_person")
    assert person.penalty_count == 1
    assert search_subjects(citizen_id("43038219900307124")).subjects == []


@pytest.mark.parametrize("query", ["韶", "", "  ", "（）", "!!", "a"])
def test_too_short_queries_raise_a_clear_error(query):
    with pytest.raises(QueryTooShort) as raised:
        search_subjects(query)
    assert raised.value.code == "query_too_short"
    assert raised.value.status == 422
    assert "至少2个字" in raised.value.message


def test_overlong_query_is_refused():
    with pytest.raises(ApplicationError) as raised:
        search_subjects("韶" * 101)
    assert raised.value.code == "query_too_long"


def test_counting_stops_at_the_cap_and_pages_follow_index_order(published, monkeypatch):
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    result = search_subjects("有限")
    assert (result.total_capped, result.capped, result.total_display) == (2, True, "2+")
    first, second = search_subjects("有限", limit=2), search_subjects("有限", limit=2, offset=2)
    assert len(first.subjects) == 2 and len(second.subjects) == 2
    assert not set(names(first)) & set(names(second))


def test_exact_matches_are_not_repeated_on_later_pages(published):
    all_names = names(search_subjects("韶峰", limit=10))
    paged = [n for offset in range(3) for n in names(search_subjects("韶峰", limit=1, offset=offset))]
    assert paged == all_names
    assert names(search_subjects("韶峰食品有限公司", limit=1, offset=1)) == ["韶山市清溪镇韶峰食品有限公司"]


def test_a_subject_whose_publicity_ended_is_not_found_before_the_sweep():
    staff = make_staff()
    fields = licence_fields("韶山过期许可有限公司", uscc(9), "韶许〔2026〕99号", decided=day(-30), valid_to=day(-1))
    publish(staff, "XK", fields, today=day(-10))
    assert search_subjects("过期许可").subjects == []
    assert search_subjects(uscc(9)).subjects == []
