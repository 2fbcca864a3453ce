"""Each role can do what it should and nothing more (DESIGN.md §2)."""

import pytest

from xinyong.accounts.choices import Role
from xinyong.accounts.permissions import role_permissions
from xinyong.accounts.roles import ROLE_PERMISSIONS
from xinyong.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA_DECISIONS = {
    "records.review_as_provider",
    "records.review_as_platform",
    "records.approve_as_leadership",
    "records.publish_record",
}

# (role, permissions it must hold, permissions it must not hold)
MATRIX = [
    (
        Role.PROVIDER_CLERK,
        {"records.submit_record"},
        DATA_DECISIONS | {"audit.view_auditevent", "records.view_all_records"},
    ),
    (
        Role.PROVIDER_REVIEWER,
        {"records.review_as_provider"},
        {"records.submit_record", "records.review_as_platform", "records.publish_record", "records.view_all_records"},
    ),
    (
        Role.PLATFORM_CLERK,
        {"records.review_as_platform", "records.publish_record", "catalog.change_catalogitem"},
        {"records.submit_record", "records.approve_as_leadership", "accounts.add_user"},
    ),
    (Role.LEADERSHIP, {"records.approve_as_leadership"}, {"records.submit_record", "records.publish_record"}),
    (
        Role.GOV_USER,
        {"records.view_shared_records", "subjects.reveal_identity"},
        DATA_DECISIONS | {"records.submit_record", "records.view_all_records"},
    ),
    (
        Role.SUPERVISOR,
        {"audit.view_auditevent", "records.view_all_records"},
        DATA_DECISIONS | {"records.submit_record", "catalog.change_catalogitem", "accounts.change_user"},
    ),
    (
        Role.ADMINISTRATOR,
        {"accounts.add_user", "accounts.manage_api_tokens"},
        DATA_DECISIONS | {"records.submit_record", "catalog.change_catalogitem", "audit.view_auditevent"},
    ),
    (Role.SUBJECT_USER, set(), DATA_DECISIONS | {"records.submit_record", "records.view_all_records"}),
]


@pytest.mark.parametrize(("role", "must", "must_not"), MATRIX)
def test_role_holds_exactly_its_rights(role, must, must_not):
    perms = role_permissions(UserFactory(roles=[role]))
    assert must <= perms
    assert not (must_not & perms)
    assert perms == set(ROLE_PERMISSIONS[role])


def test_every_role_is_a_group_after_migrate():
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_superuser_flag_gives_no_data_rights():
    """Separation of duties: even a Django superuser cannot approve or publish through the services."""
    user = UserFactory(roles=[Role.ADMINISTRATOR], is_superuser=True)
    assert not (DATA_DECISIONS & role_permissions(user))


def test_inactive_user_has_no_rights():
    assert role_permissions(UserFactory(roles=[Role.PROVIDER_CLERK], is_active=False)) == frozenset()
