"""The demo city's departments, who reports which catalogue item, and the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from xinyong.accounts.choices import DepartmentKind, Role

from .codes import uscc

DEMO_PASSWORD = "Xinyong@2026"  # noqa: S105 - the published password of the demo accounts
AGENCY_PREFIX = "11430382"  # 机构编制 / 机关 / 韶山市


@dataclass(frozen=True)
class DemoDepartment:
    code: str
    name: str
    kind: str
    org_body: str  # first 8 characters of its organisation code
    clerk: str  # 填报员's full name
    reviewer: str  # 审核员's full name

    @property
    def uscc(self) -> str:
        return department_uscc(self.org_body)


@cache
def department_uscc(org_body: str) -> str:
    return uscc(AGENCY_PREFIX, org_body)


P, PLATFORM, SUPERVISOR = DepartmentKind.PROVIDER, DepartmentKind.PLATFORM, DepartmentKind.SUPERVISOR

DEPARTMENTS: tuple[DemoDepartment, ...] = (
    DemoDepartment("FGJ", "韶山市发展和改革局", PLATFORM, "00612301", "", ""),
    DemoDepartment("SCJGJ", "韶山市市场监督管理局", P, "MB1A3562", "毛丽娟", "彭建国"),
    DemoDepartment("SWJ", "国家税务总局韶山市税务局", P, "00612417", "谭晓燕", "刘志刚"),
    DemoDepartment("RSJ", "韶山市人力资源和社会保障局", P, "00612328", "周海燕", "李国华"),
    DemoDepartment("ZJJ", "韶山市住房和城乡建设局", P, "00612344", "张敏", "毛建军"),
    DemoDepartment("STHJ", "湘潭市生态环境局韶山分局", P, "MB1C0791", "黄婷", "易文清"),
    DemoDepartment("YJGLJ", "韶山市应急管理局", P, "MB1B8865", "邹佳", "贺勇"),
    DemoDepartment("JTYSJ", "韶山市交通运输局", P, "00612352", "唐琳", "赵斌"),
    DemoDepartment("WJJ", "韶山市卫生健康局", P, "MB1B5534", "陈慧", "曾德新"),
    DemoDepartment("JYJ", "韶山市教育局", P, "00612379", "吴秀兰", "颜志明"),
    DemoDepartment("WLGTJ", "韶山市文化旅游广电体育局", P, "MB1C2740", "罗欣", "尹松"),
    DemoDepartment("ZRZYJ", "韶山市自然资源局", P, "MB1C3355", "文洁", "蒋鹏"),
    DemoDepartment("GAJ", "韶山市公安局", P, "00612440", "郭丹", "杨涛"),
    DemoDepartment("FY", "韶山市人民法院", P, "00612512", "肖雪", "钟明"),
    DemoDepartment("DCS", "韶山市人民政府督查室", SUPERVISOR, "MB1D0468", "", ""),
)
DEPARTMENTS_BY_CODE = {d.code: d for d in DEPARTMENTS}

# Who reports each catalogue item (谁主管、谁提供、谁负责).
ITEM_PROVIDERS: dict[str, tuple[str, ...]] = {
    "XK": ("SCJGJ", "RSJ", "ZJJ", "STHJ", "YJGLJ", "JTYSJ", "WJJ", "JYJ", "WLGTJ", "ZRZYJ", "GAJ"),
    "CF": ("SCJGJ", "SWJ", "RSJ", "ZJJ", "STHJ", "YJGLJ", "JTYSJ", "WJJ", "JYJ", "WLGTJ", "ZRZYJ", "GAJ"),
    "HONG": ("SWJ", "SCJGJ", "RSJ"),
    "HEI": ("FY", "SCJGJ", "SWJ"),
    "CN": ("SCJGJ", "ZJJ", "WJJ", "RSJ", "JTYSJ", "STHJ"),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    department: str | None
    roles: tuple[str, ...]
    note: str = ""


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount("fgj_platform", "毛晓春", "FGJ", (Role.PLATFORM_CLERK,), "平台审核、异议受理、目录维护"),
        DemoAccount("fgj_platform2", "谭丽萍", "FGJ", (Role.PLATFORM_CLERK,), "平台审核"),
        DemoAccount("fgj_leader", "彭志强", "FGJ", (Role.LEADERSHIP,), "领导小组审批"),
        DemoAccount("fgj_admin", "刘宇", "FGJ", (Role.ADMINISTRATOR,), "信息中心，管理账号，不能审核或发布"),
        DemoAccount("dcs_supervisor", "周国平", "DCS", (Role.SUPERVISOR,), "只读：考核、逾期、审计日志"),
        DemoAccount("swj_share", "黄海", "SWJ", (Role.GOV_USER,), "查询共享数据、联合奖惩核查"),
        DemoAccount("gaj_share", "彭林", "GAJ", (Role.GOV_USER,), "查询共享数据"),
    ]
    for department in DEPARTMENTS:
        if department.kind != P:
            continue
        prefix = department.code.lower()
        accounts.append(
            DemoAccount(
                f"{prefix}_clerk", department.clerk, department.code, (Role.PROVIDER_CLERK,), "报送本单位信用记录"
            )
        )
        accounts.append(
            DemoAccount(
                f"{prefix}_reviewer",
                department.reviewer,
                department.code,
                (Role.PROVIDER_REVIEWER,),
                "审核本单位报送、答复异议",
            )
        )
    accounts.append(DemoAccount("subject_demo", "毛润生", None, (Role.SUBJECT_USER,), "企业用户（无所属单位）"))
    return accounts


def clerk_username(department_code: str) -> str:
    return f"{department_code.lower()}_clerk"
