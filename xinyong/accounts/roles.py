"""The role table: which permissions each role (a Group named after the Role value) holds.

Separation of duties: the administrator manages users, departments and tokens but holds no right to
approve or publish data, and no superuser bypass exists in `permissions.has_permission`.
"""

from __future__ import annotations

from .choices import Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.PROVIDER_CLERK: [
        "records.submit_record",
        "records.view_department_records",
        "catalog.view_catalogitem",
        "subjects.view_subject",
    ],
    Role.PROVIDER_REVIEWER: [
        "records.review_as_provider",
        "objections.decide_objection",
        "records.view_department_records",
        "catalog.view_catalogitem",
        "subjects.view_subject",
        "subjects.reveal_identity",
    ],
    Role.PLATFORM_CLERK: [
        "records.review_as_platform",
        "objections.handle_objection",
        "objections.view_all_objections",
        "objections.view_timelimit",
        "objections.change_timelimit",
        "objections.add_timelimit",
        "records.publish_record",
        "records.view_all_records",
        "catalog.view_catalogitem",
        "catalog.add_catalogitem",
        "catalog.change_catalogitem",
        "subjects.view_subject",
        "core.view_calendarday",
        "core.change_calendarday",
        "publication.view_publicityrule",
        "publication.add_publicityrule",
        "publication.change_publicityrule",
        "publication.view_exclusionrule",
        "publication.add_exclusionrule",
        "publication.change_exclusionrule",
    ],
    Role.LEADERSHIP: [
        "records.approve_as_leadership",
        "records.view_all_records",
        "catalog.view_catalogitem",
        "subjects.view_subject",
    ],
    Role.GOV_USER: [
        "records.view_shared_records",
        "catalog.view_catalogitem",
        "subjects.view_subject",
        "subjects.reveal_identity",
    ],
    Role.SUPERVISOR: [
        "audit.view_auditevent",
        "objections.view_all_objections",
        "records.view_all_records",
        "catalog.view_catalogitem",
        "subjects.view_subject",
        "accounts.view_department",
        "accounts.view_user",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_department",
        "accounts.add_department",
        "accounts.change_department",
        "accounts.view_apitoken",
        "accounts.manage_api_tokens",
        "catalog.view_catalogitem",
    ],
    Role.SUBJECT_USER: [],
}
