"""Issue 11, fault 6: the back office shows menus and forms by permission, refuses before the form, and
renders its refusals in the back-office layout (never the public portal's menu)."""

import pytest

from xinyong.publication.tests.factories import make_staff

pytestmark = pytest.mark.django_db

PORTAL_MENU = 'href="/search/"'


@pytest.fixture
def staff():
    return make_staff()


def test_the_review_queue_without_the_right_is_a_403_in_the_back_office_layout(client, staff):
    client.force_login(staff.clerk)
    response = client.get("/backoffice/review/")
    body = response.content.decode()
    assert response.status_code == 403 and "permission_denied" in body and "您没有审核信用记录的权限" in body
    assert 'class="sidenav"' in body and "管理端" in body and PORTAL_MENU not in body
    assert 'id="nav-review"' not in body  # no menu item for a page the user may not open


def test_the_entry_form_is_refused_before_its_fields_for_roles_that_cannot_submit(client, staff):
    for user in (staff.reviewer, staff.platform, staff.leader):
        client.force_login(user)
        response = client.get("/backoffice/records/new/?item=CF")
        body = response.content.decode()
        assert response.status_code == 403, user.roles
        assert "您的角色没有录入和更正信用记录的权限" in body and 'name="CF_WSH"' not in body
        assert 'class="sidenav"' in body and PORTAL_MENU not in body
        assert 'href="/backoffice/records/new/"' not in body
        assert client.post("/backoffice/records/new/?item=CF", {"item": "CF"}).status_code == 403


def test_the_clerk_sees_the_entry_form_and_its_menu_item(client, staff):
    client.force_login(staff.clerk)
    page = client.get("/backoffice/records/new/?item=CF").content.decode()
    assert 'name="CF_WSH"' in page and 'href="/backoffice/records/new/"' in page


def test_a_back_office_404_keeps_the_back_office_layout_and_the_portal_keeps_its_own(client, staff):
    client.force_login(staff.reviewer)
    body = client.get("/backoffice/records/999999999/").content.decode()
    assert 'class="sidenav"' in body and PORTAL_MENU not in body and 'href="/backoffice/"' in body
    portal = client.get("/objections/new/?record=abc")
    assert portal.status_code == 404 and 'class="sidenav"' not in portal.content.decode()
