"""Factories for departments and users with roles, shared by the apps' tests."""

from __future__ import annotations

from typing import Any

import factory
from django.contrib.auth.models import Group

from xinyong.accounts.choices import DepartmentKind
from xinyong.accounts.models import Department, User
from xinyong.core.identifiers import org_code_check_char, uscc_check_char


def make_uscc(n: int, prefix: str = "11430382") -> str:
    """A valid USCC: authority/type + division, an organisation code with its check, the USCC check."""
    body = f"{n:08d}"[-8:]
    org = body + org_code_check_char(body)
    first17 = prefix + org
    return first17 + uscc_check_char(first17)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DEPT{n}")
    name = factory.Sequence(lambda n: f"测试局{n}")
    uscc = factory.Sequence(lambda n: make_uscc(10_000 + n))
    kind = DepartmentKind.PROVIDER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"用户{n}")
    department = factory.SubFactory(DepartmentFactory)
    password = factory.django.Password("Xinyong@2026")

    @factory.post_generation
    def roles(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.groups.set(Group.objects.filter(name__in=list(extracted)))
