"""The scan: every public page and API answer over a data set made by the real services.

Nothing that is shared-only, expired (swept or not), or withdrawn, no full identity number, no
unmasked person's name and no secret or shared-only field value may appear anywhere; everything
published must. A withdrawn record is named by its withdrawal notice, and only there.
"""

import json
from urllib.parse import quote

import pytest

from xinyong.publication.models import Notice

from .dataset import build_public_dataset

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode()


def _urls(data) -> list[str]:
    queries = [
        "韶峰",
        "韶山",
        "食品",
        "有限责任公司",
        "李明",
        "李",
        "建设有限公司",
        *data.codes.values(),
        *data.names.values(),
    ]
    queries += [data.codes["person"].lower(), " ".join(data.codes["a"])]
    pages = [
        "/",
        "/search/",
        "/lists/red/",
        "/lists/black/",
        "/notices/",
        "/notices/?kind=withdrawal",
        "/help/objection/",
    ]
    pages += [
        "/lists/black/?list=" + quote("食品安全严重违法失信名单"),
        "/lists/red/?list=" + quote("纳税信用A级纳税人"),
    ]
    pages += [f"/search/?q={quote(q)}" for q in queries]
    pages += [f"/search/?q={quote(q)}&page=2" for q in ("韶山", "公司")]
    pages += [f"/subjects/{quote(s)}/" for s in [*data.slugs.values(), *data.codes.values()]]
    pages += [f"/notices/{n.pk}/" for n in Notice.objects.all()]
    api = "/api/v1/public/subjects"
    pages += [f"{api}?q={quote(q)}" for q in queries]
    pages += [f"{api}/{quote(s)}" for s in [*data.slugs.values(), *data.codes.values()]]
    return pages


def test_public_pages_and_api_show_what_is_published_and_nothing_else(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    data = build_public_dataset()
    withdrawal_notice = Notice.objects.get(kind="withdrawal")
    seen = {}
    for url in _urls(data):
        response = client.get(url, follow=True)
        assert response.status_code in (200, 422), (url, response.status_code)
        seen[url] = _text(response)
    everything = "\n".join(seen.values())
    for url, text in seen.items():
        for secret in data.secrets + data.hidden_docs:
            if quote(secret) in url and not secret[:-1].isdigit():
                continue  # a search page repeats the visitor's own words (never an identity number)
            assert secret not in text, (secret, url)
        if url != f"/notices/{withdrawal_notice.pk}/":
            for doc in data.withdrawn_docs:
                assert doc not in text, (doc, url)
    assert data.withdrawn_docs[0] in seen[f"/notices/{withdrawal_notice.pk}/"]
    for doc in data.published_docs:
        assert doc in everything, doc
    person_page = seen[f"/subjects/{data.slugs['person']}/"]
    assert "李*" in person_page and "4303**********1237" in person_page
    assert "韶公(治)行罚决字〔2026〕31号" in person_page


def test_each_published_record_is_on_its_subject_page_and_in_the_api(client, settings):
    settings.XINYONG_SEARCH_RATE_LIMIT = "off"
    data = build_public_dataset()
    expected = {
        "a": "韶市监罚〔2026〕12号",
        "b": "韶住建许〔2026〕3号",
        "c": "韶农许〔2026〕5号",
        "black": "韶市监认〔2026〕1号",
        "red": "韶税红〔2026〕8号",
    }
    for key, doc in expected.items():
        assert doc in client.get(f"/subjects/{data.slugs[key]}/").content.decode()
        answer = client.get(f"/api/v1/public/subjects/{data.slugs[key]}").json()
        assert [r["document_no"] for r in answer["records"]] == [doc]
        assert answer["name"] == data.names[key]
