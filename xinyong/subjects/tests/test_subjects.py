import pytest
from django.db import connection

from xinyong.accounts.tests.factories import UserFactory
from xinyong.audit.models import AuditEvent
from xinyong.core.errors import ValidationFailed
from xinyong.records.tests.factories import COMPANY_USCC, citizen_id
from xinyong.subjects.models import IdentifierAllowance, Subject
from xinyong.subjects.services import subject_identity_parse, subject_resolve

pytestmark = pytest.mark.django_db


def resolve(**kwargs):
    return subject_resolve(actor="system", identity=subject_identity_parse(**kwargs))


def test_same_uscc_is_the_same_subject_and_a_new_name_warns():
    first = resolve(kind="法人及非法人组织", name="韶山市韶峰食品有限公司", uscc=COMPANY_USCC)
    again = resolve(kind="法人及非法人组织", name="韶山市韶峰食品有限责任公司", uscc=COMPANY_USCC.lower())
    other = resolve(kind="法人及非法人组织", name="韶山市银田商贸有限公司", uscc=COMPANY_USCC)
    assert first.created and not again.created and again.subject == first.subject
    assert again.warnings == []  # 有限责任公司 and 有限公司 are the same name
    assert [w.code for w in other.warnings] == ["subject_name_mismatch"]
    assert Subject.objects.count() == 1
    assert AuditEvent.objects.filter(action="subject.create").count() == 1


def test_person_id_number_is_never_stored_in_plain_text():
    number = citizen_id()
    result = resolve(kind="自然人", name="李明", id_type="身份证", id_number=number)
    subject = result.subject
    assert subject.id_masked == number[:4] + "*" * 10 + number[-4:]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM subjects_subject")
        assert not any(number in str(value) for row in cursor.fetchall() for value in row)
    again = resolve(kind="自然人", name="李明", id_type="身份证", id_number=number[:6] + " " + number[6:])
    assert again.subject == subject and not again.created


def test_invalid_codes_are_rejected_with_field_names():
    with pytest.raises(ValidationFailed) as exc:
        subject_identity_parse(
            kind="法人及非法人组织", name="某公司", uscc="9143038271526726X6", field_names={"uscc": "CF_XDR_SHXYM"}
        )
    assert exc.value.issues[0].field == "CF_XDR_SHXYM" and exc.value.issues[0].code == "uscc_check_mismatch"
    with pytest.raises(ValidationFailed):
        subject_identity_parse(kind="自然人", name="李明", id_number="430382199013071237")
    with pytest.raises(ValidationFailed) as exc:
        subject_identity_parse(kind="外星人", name="某")
    assert exc.value.issues[0].code == "subject_kind_invalid"


def test_allow_listed_legacy_code_passes_with_a_warning():
    bad = "9143038271526726X6"
    IdentifierAllowance.objects.create(code=bad, reason="登记机关书面核实", created_by=UserFactory())
    identity = subject_identity_parse(kind="法人及非法人组织", name="老企业", uscc=bad)
    assert identity.uscc == bad and [w.code for w in identity.warnings] == ["uscc_allow_listed"]
