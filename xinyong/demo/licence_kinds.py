"""The 行政许可 templates: which department grants what to whom, with realistic numbers and content.

Data plus the small functions that write a licence's number and content (`number` and `content` take
the row's context: its random stream, subject, department, decision date and sequence number).
"""

from __future__ import annotations

import datetime as dt

from .licences import ORGS, K, LicenceKind
from .names import CHEMICALS, DEVICES, PLATE_LETTERS, PROJECTS, VILLAGES
from .rows import LEGAL, PERSON, RowContext, address, date_cn


def _pick(ctx: RowContext, options: tuple[tuple[str, str], ...]) -> str:
    """The first option whose tag the subject has, else a random one."""
    for tag, text in options:
        if tag in ctx.subject.tags:
            return text
    return ctx.rng.choice(options)[1]


def _project(ctx: RowContext) -> str:
    return ctx.rng.choice(PROJECTS).format(brand=ctx.subject.brand or "韶峰", town=ctx.subject.town)


def _yseq(ctx: RowContext, width: int) -> str:
    return f"{ctx.decided.year}{ctx.sequence:0{width}d}"


def _food_business(ctx: RowContext) -> str:
    return (
        "经营项目："
        + _pick(
            ctx,
            (
                ("pharmacy", "预包装食品销售（含保健食品）；特殊医学用途配方食品销售"),
                ("catering", "热食类食品制售；冷食类食品制售；自制饮品制售"),
                ("retail", "预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售"),
            ),
        )
        + f"；经营场所：{address(ctx)}"
    )


def _food_production(ctx: RowContext) -> str:
    category = _pick(
        ctx, (("agri", "茶叶及相关制品（绿茶、红茶）"), ("food_prod", "糕点（烘烤类糕点）；炒货食品及坚果制品"))
    )
    return f"食品类别：{category}；生产地址：{address(ctx)}"


def _device(ctx: RowContext) -> tuple[str, str]:
    """The registered device: fixed by the sequence number, so the number and the content agree."""
    return DEVICES[ctx.sequence % len(DEVICES)]


def _special_equipment(ctx: RowContext) -> str:
    name, _ = _device(ctx)
    return f"设备类别：{name}；使用单位地址：{address(ctx)}；准予办理使用登记"


def _works_permit(ctx: RowContext) -> str:
    rng = ctx.rng
    area, price = rng.randint(12, 480) * 100, rng.randint(60, 9000)
    return (
        f"工程名称：{_project(ctx)}；建设地址：{address(ctx)}；建设规模：{area}平方米；"
        f"合同价格：{price}万元；合同工期：{rng.choice((180, 240, 365, 540))}天"
    )


def _emission(ctx: RowContext) -> str:
    industry = _pick(
        ctx,
        (
            ("livestock", "牲畜饲养"),
            ("building_materials", "水泥制品制造"),
            ("chemicals", "涂料制造"),
            ("manufacturing", "通用设备制造"),
            ("mining", "土砂石开采"),
        ),
    )
    manage = "重点管理" if "chemicals" in ctx.subject.tags or ctx.rng.random() < 0.2 else "简化管理"
    return (
        f"行业类别：{industry}；排污许可管理类别：{manage}；主要污染物类别：废气、废水；"
        f"生产经营场所地址：{address(ctx)}"
    )


def _transport(ctx: RowContext) -> str:
    scope = _pick(
        ctx,
        (
            ("tourism", "道路旅客运输（县内包车客运、旅游客运）"),
            ("transport", "道路普通货物运输；货物专用运输（集装箱）"),
        ),
    )
    return f"经营范围：{scope}"


def _presale(ctx: RowContext) -> str:
    area = ctx.rng.randint(30, 260) * 100
    return f"项目名称：{_project(ctx)}；预售范围：{ctx.rng.randint(1, 9)}栋；预售面积：{area}平方米"


def _plate(ctx: RowContext) -> str:
    return "湘C" + ctx.rng.choice(PLATE_LETTERS) + f"{ctx.rng.randint(0, 9999):04d}"


def _oversize(ctx: RowContext) -> str:
    cargo = ctx.rng.choice(("预制混凝土管桩", "钢结构构件", "大型变压器", "挖掘机"))
    days = ctx.rng.choice((3, 5, 10, 15))
    return f"车辆号牌：{_plate(ctx)}；装载货物：{cargo}；通行路线：G320—S208—韶山东路；通行期限：{days}日"


def _public_hygiene(ctx: RowContext) -> str:
    scope = _pick(ctx, (("hotel", "住宿场所"), ("salon", "理发店、美容店")))
    return f"许可项目：{scope}；经营面积：{ctx.rng.randint(40, 1600)}平方米；地址：{address(ctx)}"


def _clinic(ctx: RowContext) -> str:
    subjects = ctx.rng.choice(("预防保健科；全科医疗科；中医科", "口腔科", "内科；外科；中医科", "中医科"))
    return f"诊疗科目：{subjects}；执业地点：{address(ctx)}"


def _village_doctor(ctx: RowContext) -> str:
    return f"执业地点：韶山市{ctx.subject.town}{ctx.rng.choice(VILLAGES)}村卫生室；执业范围：预防保健、一般医疗服务"


def _school(ctx: RowContext) -> str:
    name = ctx.subject.name
    if "幼儿园" in name:
        return f"办学内容：学前教育；办学地址：{address(ctx)}；办学规模：{ctx.rng.randint(3, 12)}个班"
    return f"办学内容：非学科类校外培训（{ctx.rng.choice(('艺术', '体育', '科技'))}）；办学地址：{address(ctx)}"


def _village_house(ctx: RowContext) -> str:
    rng = ctx.rng
    land = rng.randint(90, 140)
    floors = rng.choice((2, 2, 3))
    return (
        f"建设项目：农村村民住宅；建设位置：韶山市{ctx.subject.town}{rng.choice(VILLAGES)}村{rng.randint(1, 18)}组；"
        f"占地面积：{land}平方米；建筑面积：{land * floors - rng.randint(0, 30)}平方米；层数：{floors}层"
    )


def _land_use(ctx: RowContext) -> str:
    use = ctx.rng.choice(("工业用地", "商服用地", "城镇住宅用地", "教育用地", "文化设施用地"))
    area = ctx.rng.randint(8, 900) * 10
    return f"用地项目名称：{_project(ctx)}；用地位置：{address(ctx)}；用地面积：{area}平方米；土地用途：{use}"


def _works_plan(ctx: RowContext) -> str:
    return f"建设项目名称：{_project(ctx)}；建设位置：{address(ctx)}；建设规模：{ctx.rng.randint(12, 600) * 100}平方米"


def _mining(ctx: RowContext) -> str:
    return (
        f"矿山名称：韶山市{ctx.subject.brand}石场；开采矿种：建筑石料用灰岩；开采方式：露天开采；"
        f"生产规模：{ctx.rng.choice((10, 20, 30, 50))}万吨/年"
    )


def _hazardous(ctx: RowContext) -> str:
    if "hazardous" in ctx.subject.tags:
        return "许可范围：汽油、柴油[闭杯闪点≤60℃]（仓储经营除外）"
    chemicals = "、".join(ctx.rng.sample(CHEMICALS, 3))
    return f"许可范围：不带储存设施经营：{chemicals}"


def _fireworks(ctx: RowContext) -> str:
    return f"经营类别：烟花爆竹（C、D级）零售；储存限量：{ctx.rng.choice((50, 100, 150))}箱；经营场所：{address(ctx)}"


def _event(ctx: RowContext) -> str:
    event = ctx.rng.choice(("红色文化旅游节文艺演出", "韶山马拉松赛", "湘莲文化节", "研学旅行集中开营仪式"))
    day = ctx.decided + dt.timedelta(days=ctx.rng.randint(5, 20))
    people = ctx.rng.randint(8, 60) * 100
    return f"活动名称：{event}；活动时间：{date_cn(day)}；活动地点：{address(ctx)}；预计人数：{people}人"


def _hotel(ctx: RowContext) -> str:
    return f"许可经营项目：旅馆业（客房{ctx.rng.randint(8, 160)}间）；地址：{address(ctx)}"


def _r(ctx: RowContext, n: int) -> str:
    return "".join(ctx.rng.choices("0123456789", k=n))


LICENCE_KINDS: tuple[LicenceKind, ...] = (
    K(
        "registration",
        "SCJGJ",
        "准予设立登记通知书",
        doc_prefix="韶市监设",
        category="登记",
        cert_name="营业执照",
        number=lambda c: c.subject.uscc or "",
        content=lambda c: f"准予设立登记；住所（经营场所）：{address(c)}",
        tags=None,
        kinds=ORGS,
        valid_months=None,
        weight=10,
    ),
    K(
        "food_business",
        "SCJGJ",
        "食品经营许可决定书",
        doc_prefix="韶市监食经许",
        category="普通",
        cert_name="食品经营许可证",
        number=lambda c: f"JY{1 if c.subject.kind == LEGAL else 2}430382{c.sequence:06d}{_r(c, 1)}",
        content=_food_business,
        tags=("food", "catering", "retail", "hotel", "pharmacy"),
        kinds=ORGS,
        valid_months=60,
        weight=30,
    ),
    K(
        "food_production",
        "SCJGJ",
        "食品生产许可决定书",
        doc_prefix="韶市监食生许",
        category="普通",
        cert_name="食品生产许可证",
        number=lambda c: f"SC1{_r(c, 2)}430382{c.sequence:05d}{_r(c, 1)}",
        content=_food_production,
        tags=("food_prod",),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=8,
    ),
    K(
        "special_equipment",
        "SCJGJ",
        "特种设备使用登记证",
        doc_prefix="韶市监特登",
        category="登记",
        cert_name="特种设备使用登记证",
        number=lambda c: f"{_device(c)[1]}11湘C{c.sequence:05d}({c.decided:%y})",
        content=_special_equipment,
        tags=("manufacturing", "building_materials", "hotel", "chemicals", "realestate", "mining"),
        kinds=frozenset({LEGAL}),
        valid_months=None,
        weight=8,
    ),
    K(
        "pharmacy",
        "SCJGJ",
        "药品经营许可决定书",
        doc_prefix="韶市监药许",
        category="普通",
        cert_name="药品经营许可证",
        number=lambda c: f"湘CB73{c.sequence:05d}",
        content=lambda c: "经营范围：中药饮片、中成药、化学药、生物制品（除疫苗）",
        tags=("pharmacy",),
        kinds=ORGS,
        valid_months=60,
        weight=4,
    ),
    K(
        "works_permit",
        "ZJJ",
        "建筑工程施工许可证",
        doc_prefix="韶住建施许",
        category="普通",
        cert_name="建筑工程施工许可证",
        number=lambda c: f"430382{c.decided:%Y%m%d}{c.sequence % 100:02d}01",
        content=_works_permit,
        tags=("realestate", "construction", "hotel", "tourism", "manufacturing"),
        kinds=frozenset({LEGAL}),
        valid_months=24,
        weight=14,
    ),
    K(
        "presale",
        "ZJJ",
        "商品房预售许可决定书",
        doc_prefix="韶住建预许",
        category="普通",
        cert_name="商品房预售许可证",
        number=lambda c: f"韶房预售证第{_yseq(c, 3)}号",
        content=_presale,
        tags=("realestate",),
        kinds=frozenset({LEGAL}),
        valid_months=None,
        weight=4,
    ),
    K(
        "builder_grade",
        "ZJJ",
        "建筑业企业资质证书",
        doc_prefix="韶住建资许",
        category="认可",
        cert_name="建筑业企业资质证书",
        number=lambda c: f"D343{c.sequence:06d}",
        content=lambda c: (
            "资质类别及等级："
            + c.rng.choice(
                (
                    "建筑工程施工总承包三级",
                    "市政公用工程施工总承包三级",
                    "施工劳务不分等级",
                    "建筑装修装饰工程专业承包二级",
                )
            )
        ),
        tags=("construction",),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=5,
    ),
    K(
        "emission",
        "STHJ",
        "排污许可决定书",
        doc_prefix="潭韶环许",
        category="普通",
        cert_name="排污许可证",
        number=lambda c: f"{c.subject.uscc}001{c.rng.choice('VPQ')}",
        content=_emission,
        tags=("emission", "livestock"),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=12,
    ),
    K(
        "eia",
        "STHJ",
        "建设项目环境影响报告表的批复",
        doc_prefix="潭韶环评",
        category="普通",
        cert_name="",
        number=None,
        content=lambda c: f"同意{_project(c)}按照环境影响报告表所列的性质、规模、地点和环境保护措施建设",
        tags=("emission", "manufacturing", "building_materials", "livestock", "realestate", "hotel"),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=6,
    ),
    K(
        "road_transport",
        "JTYSJ",
        "道路运输经营许可决定书",
        doc_prefix="韶交运许",
        category="普通",
        cert_name="道路运输经营许可证",
        number=lambda c: f"湘交运管许可潭字430382{c.sequence:06d}号",
        content=_transport,
        tags=("transport", "tourism"),
        kinds=ORGS,
        valid_months=48,
        weight=14,
    ),
    K(
        "oversize",
        "JTYSJ",
        "超限运输车辆行驶公路许可决定书",
        doc_prefix="韶交超许",
        category="普通",
        cert_name="超限运输车辆通行证",
        number=lambda c: f"湘C{c.decided:%y}{c.sequence:05d}",
        content=_oversize,
        tags=("transport", "construction", "building_materials"),
        kinds=ORGS,
        valid_months=1,
        weight=5,
    ),
    K(
        "public_hygiene",
        "WJJ",
        "公共场所卫生许可决定书",
        doc_prefix="韶卫公许",
        category="普通",
        cert_name="公共场所卫生许可证",
        number=lambda c: f"韶卫公字〔{c.decided.year}〕第{c.sequence:04d}号",
        content=_public_hygiene,
        tags=("hotel", "salon"),
        kinds=ORGS,
        valid_months=48,
        weight=14,
    ),
    K(
        "clinic",
        "WJJ",
        "医疗机构执业许可决定书",
        doc_prefix="韶卫医许",
        category="普通",
        cert_name="医疗机构执业许可证",
        number=lambda c: f"PDY{_r(c, 5)}43038217D{c.sequence:04d}",
        content=_clinic,
        tags=("clinic", "medical"),
        kinds=ORGS,
        valid_months=60,
        weight=5,
    ),
    K(
        "village_doctor",
        "WJJ",
        "乡村医生执业注册决定书",
        doc_prefix="韶卫乡医",
        category="认可",
        cert_name="乡村医生执业证书",
        number=lambda c: f"430382{_yseq(c, 4)}",
        content=_village_doctor,
        tags=None,
        kinds=frozenset({PERSON}),
        valid_months=60,
        weight=3,
    ),
    K(
        "private_school",
        "JYJ",
        "民办学校办学许可决定书",
        doc_prefix="韶教民许",
        category="普通",
        cert_name="民办学校办学许可证",
        number=lambda c: f"教民1430382700{c.sequence:05d}号",
        content=_school,
        tags=("education",),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=4,
    ),
    K(
        "entertainment",
        "WLGTJ",
        "娱乐经营许可决定书",
        doc_prefix="韶文旅娱许",
        category="普通",
        cert_name="娱乐经营许可证",
        number=lambda c: f"430382{_yseq(c, 4)}",
        content=lambda c: "经营范围：" + c.rng.choice(("歌舞娱乐场所", "游艺娱乐场所")) + f"；经营场所：{address(c)}",
        tags=("entertainment",),
        kinds=ORGS,
        valid_months=24,
        weight=3,
    ),
    K(
        "internet_cafe",
        "WLGTJ",
        "网络文化经营许可决定书",
        doc_prefix="韶文旅网许",
        category="普通",
        cert_name="网络文化经营许可证",
        number=lambda c: f"湘网文〔{c.decided.year}〕{c.sequence:04d}-{_r(c, 3)}号",
        content=lambda c: (
            f"经营范围：互联网上网服务营业场所；计算机终端{c.rng.randint(40, 180)}台；经营场所：{address(c)}"
        ),
        tags=("internet_cafe",),
        kinds=ORGS,
        valid_months=36,
        weight=3,
    ),
    K(
        "performance",
        "WLGTJ",
        "营业性演出许可决定书",
        doc_prefix="韶文旅演许",
        category="普通",
        cert_name="营业性演出许可证",
        number=lambda c: f"430382{_yseq(c, 4)}",
        content=lambda c: "文艺表演团体：红色主题歌舞、情景剧演出",
        tags=("culture",),
        kinds=ORGS,
        valid_months=24,
        weight=3,
    ),
    K(
        "land_use",
        "ZRZYJ",
        "建设用地规划许可证",
        doc_prefix="韶自然资规许",
        category="普通",
        cert_name="建设用地规划许可证",
        number=lambda c: f"地字第430382{_yseq(c, 5)}号",
        content=_land_use,
        tags=("realestate", "manufacturing", "tourism", "building_materials", "education"),
        kinds=frozenset({LEGAL}),
        valid_months=None,
        weight=6,
    ),
    K(
        "works_plan",
        "ZRZYJ",
        "建设工程规划许可证",
        doc_prefix="韶自然资规许",
        category="普通",
        cert_name="建设工程规划许可证",
        number=lambda c: f"建字第430382{_yseq(c, 5)}号",
        content=_works_plan,
        tags=("realestate", "construction", "manufacturing", "hotel", "tourism"),
        kinds=frozenset({LEGAL}),
        valid_months=None,
        weight=6,
    ),
    K(
        "village_house",
        "ZRZYJ",
        "乡村建设规划许可证",
        doc_prefix="韶自然资乡许",
        category="普通",
        cert_name="乡村建设规划许可证",
        number=lambda c: f"乡字第430382{_yseq(c, 5)}号",
        content=_village_house,
        tags=None,
        kinds=frozenset({PERSON}),
        valid_months=24,
        weight=22,
    ),
    K(
        "mining",
        "ZRZYJ",
        "采矿许可决定书",
        doc_prefix="韶自然资矿许",
        category="特许",
        cert_name="采矿许可证",
        number=lambda c: f"C4303822{c.decided.year}{c.sequence:03d}7{_r(c, 6)}",
        content=_mining,
        tags=("mining",),
        kinds=frozenset({LEGAL}),
        valid_months=60,
        weight=2,
    ),
    K(
        "hazardous",
        "YJGLJ",
        "危险化学品经营许可决定书",
        doc_prefix="韶应急危化许",
        category="普通",
        cert_name="危险化学品经营许可证",
        number=lambda c: f"湘潭韶危化经字〔{c.decided.year}〕{c.sequence:06d}",
        content=_hazardous,
        tags=("hazardous", "chemicals"),
        kinds=frozenset({LEGAL}),
        valid_months=36,
        weight=4,
    ),
    K(
        "fireworks",
        "YJGLJ",
        "烟花爆竹经营（零售）许可决定书",
        doc_prefix="韶应急烟许",
        category="普通",
        cert_name="烟花爆竹经营（零售）许可证",
        number=lambda c: f"（湘）YH经许证字〔{c.decided.year}〕{c.sequence:06d}号",
        content=_fireworks,
        tags=("fireworks",),
        kinds=ORGS,
        valid_months=12,
        weight=8,
    ),
    K(
        "labour_dispatch",
        "RSJ",
        "劳务派遣行政许可决定书",
        doc_prefix="韶人社许",
        category="普通",
        cert_name="劳务派遣经营许可证",
        number=lambda c: f"430382{_yseq(c, 4)}",
        content=lambda c: "经营范围：劳务派遣",
        tags=("labour_dispatch", "hr"),
        kinds=frozenset({LEGAL}),
        valid_months=36,
        weight=3,
    ),
    K(
        "hr_service",
        "RSJ",
        "人力资源服务许可决定书",
        doc_prefix="韶人社许",
        category="普通",
        cert_name="人力资源服务许可证",
        number=lambda c: f"（湘）人服证字〔{c.decided.year}〕第{c.sequence:04d}号",
        content=lambda c: "服务范围：为劳动者介绍用人单位；为用人单位推荐劳动者；组织开展现场招聘会",
        tags=("hr",),
        kinds=frozenset({LEGAL}),
        valid_months=None,
        weight=2,
    ),
    K(
        "hotel",
        "GAJ",
        "特种行业许可决定书",
        doc_prefix="韶公特许",
        category="普通",
        cert_name="特种行业许可证",
        number=lambda c: f"韶公特字〔{c.decided.year}〕第{c.sequence:03d}号",
        content=_hotel,
        tags=("hotel",),
        kinds=ORGS,
        valid_months=None,
        weight=6,
    ),
    K(
        "event",
        "GAJ",
        "大型群众性活动安全许可决定书",
        doc_prefix="韶公活许",
        category="普通",
        cert_name="",
        number=None,
        content=_event,
        tags=("tourism", "culture"),
        kinds=frozenset({LEGAL}),
        valid_months=1,
        weight=3,
    ),
)
