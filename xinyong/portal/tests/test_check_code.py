from django.test import Client
from django.urls import reverse

URL = reverse("portal:check_code")
TITLE = "统一社会信用代码/身份证号码校验"


def test_empty_form(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"<title>{TITLE}" in html
    assert f"<h1>{TITLE}</h1>" in html
    assert '<form method="post"' in html and 'name="csrfmiddlewaretoken"' in html
    assert 'name="code"' in html
    assert '<button type="submit">校验</button>' in html
    assert "结论" not in html


def test_valid_uscc(client: Client) -> None:
    response = client.post(URL, {"code": "９１１１ 0000-600037341l"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "类型" in html
    assert "<dd>统一社会信用代码</dd>" in html
    assert "规范化后" in html
    assert "91110000600037341L" in html
    assert '<span class="badge ok">校验通过</span>' in html
    assert "校验不通过" not in html
    assert 'value="９１１１ 0000-600037341l"' in html  # the user's own input is kept for a USCC


def test_invalid_uscc_shows_each_error(client: Client) -> None:
    html = client.post(URL, {"code": "9111I000600037341O"}).content.decode()
    assert '<span class="badge bad">校验不通过</span>' in html
    assert "第5位字符“I”不在统一社会信用代码字符集中（不使用I、O、Z、S、V）。" in html
    assert "第18位字符“O”不在统一社会信用代码字符集中" in html
    assert html.count('class="alert alert-error"') == 2


def test_warnings_are_shown(client: Client) -> None:
    html = client.post(URL, {"code": "430382900307123"}).content.decode()
    assert "校验通过" in html
    assert 'class="alert alert-warning" data-code="legacy_id_15"' in html
    assert "15位旧版身份证号码" in html


def test_citizen_id_is_only_shown_masked(client: Client) -> None:
    response = client.post(URL, {"code": "430382199003071237"})
    html = response.content.decode()
    assert "4303**********1237" in html
    assert "430382199003071237" not in html
    assert "公民身份号码（18位）" in html
    assert 'value=""' in html  # the input is not refilled with an ID number
    assert "no-store" in response["Cache-Control"]


def test_invalid_citizen_id_is_masked_too(client: Client) -> None:
    html = client.post(URL, {"code": "430382199002301237"}).content.decode()
    assert "430382199002301237" not in html
    assert "4303**********1237" in html
    assert "校验不通过" in html
    assert "不是有效日期" in html


def test_unrecognised_input_is_masked_and_not_refilled(client: Client) -> None:
    html = client.post(URL, {"code": "43038219900307123"}).content.decode()
    assert "43038219900307123" not in html
    assert "无法识别" in html
    assert "无法识别的代码" in html


def test_empty_submission_asks_for_a_code(client: Client) -> None:
    html = client.post(URL, {"code": "  "}).content.decode()
    assert "请输入代码。" in html
    assert "校验不通过" in html


def test_output_is_escaped(client: Client) -> None:
    html = client.post(URL, {"code": "<script>x</script>"}).content.decode()
    assert "<script>x" not in html


def test_a_number_in_the_url_is_neither_checked_nor_echoed(client: Client) -> None:
    response = client.get(URL, {"code": "430382199003071237"})
    assert response.status_code == 302 and response["Location"] == URL
    assert "430382199003071237" not in response["Location"]
    page = client.get(URL).content.decode()
    assert "结论" not in page and "4303" not in page


def test_the_form_needs_its_csrf_token() -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(URL, {"code": "91110000600037341L"}).status_code == 403
    strict.get(URL)
    token = strict.cookies["csrftoken"].value
    html = strict.post(URL, {"code": "91110000600037341L", "csrfmiddlewaretoken": token}).content.decode()
    assert '<span class="badge ok">校验通过</span>' in html


def test_other_methods_are_not_allowed(client: Client) -> None:
    assert client.put(URL, {"code": "91110000600037341L"}).status_code == 405
