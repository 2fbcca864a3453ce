"""行政处罚 templates: violations each department punishes, the facts, the legal basis, the outcomes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .names import FOODS, SOUVENIRS
from .rows import INDIVIDUAL, LEGAL, PERSON, RowContext, add_months, address, date_cn, doc_number, wan

ORGS = frozenset({LEGAL, INDIVIDUAL})
ALL = frozenset({LEGAL, INDIVIDUAL, PERSON})
PEOPLE = frozenset({PERSON})
SEVERE_TYPES = frozenset({"责令停产停业", "吊销许可证件", "责令关闭", "限制从业", "降低资质等级"})

# Department → (decision number prefix, summary-procedure prefix).
PREFIXES = {
    "SCJGJ": ("韶市监处罚", "韶市监简罚"),
    "SWJ": ("韶税稽罚", "韶税简罚"),
    "RSJ": ("韶人社监罚", "韶人社简罚"),
    "ZJJ": ("韶住建罚", "韶住建简罚"),
    "STHJ": ("潭韶环罚", "潭韶环简罚"),
    "YJGLJ": ("韶应急罚", "韶应急简罚"),
    "JTYSJ": ("韶交执罚", "韶交执简罚"),
    "WJJ": ("韶卫执罚", "韶卫执简罚"),
    "JYJ": ("韶教罚", "韶教简罚"),
    "WLGTJ": ("韶文旅罚", "韶文旅简罚"),
    "ZRZYJ": ("韶自然资罚", "韶自然资简罚"),
    "GAJ": ("韶公行罚决字", "韶公当罚决字"),
}


@dataclass(frozen=True)
class PenaltyKind:
    key: str
    department: str
    behaviour: str  # 违法行为类型
    facts: tuple[str, ...]  # 违法事实 templates ({when}, {place}, {goods}, {qty}, {unit}, {value}, {gain}, …)
    basis: str  # 处罚依据
    outcomes: tuple[tuple[str, ...], ...]  # possible 处罚类别 combinations
    fines: tuple[int, ...]  # fine amounts in yuan
    tags: frozenset[str] | None
    kinds: frozenset[str]
    weight: int
    other: str = ""  # 处罚内容 wording of 其他
    licence: str = ""  # the licence suspended or revoked
    public: bool = True  # False: government sharing only

    def fits(self, kind: str, tags: frozenset[str]) -> bool:
        return kind in self.kinds and (self.tags is None or kind == PERSON or bool(self.tags & tags))


def P(
    key: str,
    department: str,
    behaviour: str,
    facts: tuple[str, ...],
    basis: str,
    outcomes: tuple[tuple[str, ...], ...],
    fines: tuple[int, ...],
    tags: tuple[str, ...] | None,
    kinds: frozenset[str],
    weight: int,
    **extra: Any,
) -> PenaltyKind:
    return PenaltyKind(
        key,
        department,
        behaviour,
        facts,
        basis,
        outcomes,
        fines,
        None if tags is None else frozenset(tags),
        kinds,
        weight,
        **extra,
    )


FOOD_LAW = "《中华人民共和国食品安全法》"
TAX_LAW = "《中华人民共和国税收征收管理法》"
AIR_LAW = "《中华人民共和国大气污染防治法》"
SAFETY_LAW = "《中华人民共和国安全生产法》"
PUBLIC_HYGIENE = "《公共场所卫生管理条例实施细则》"
F, W, G, C = "罚款", "警告", "没收违法所得", "没收非法财物"

PENALTY_KINDS: tuple[PenaltyKind, ...] = (
    P(
        "expired_food",
        "SCJGJ",
        "经营超过保质期的食品",
        (
            "经查，当事人于{when}在其位于{place}的经营场所销售超过保质期的{goods}共{qty}{unit}，货值金额{value}元，违法所得{gain}元。",
            "执法人员于{when}对当事人经营场所进行检查，发现其货架上摆放超过保质期的{goods}{qty}{unit}用于销售，货值金额{value}元。",
        ),
        f"{FOOD_LAW}第三十四条第（十）项、第一百二十四条第一款第（五）项",
        ((F, G), (F, G, C), (F,)),
        (5000, 10000, 20000, 50000),
        ("food", "retail", "catering"),
        ORGS,
        14,
    ),
    P(
        "no_food_licence",
        "SCJGJ",
        "未取得食品经营许可从事食品经营活动",
        ("经查，当事人自{when}起未取得食品经营许可，在{place}从事{goods}等食品经营活动，违法所得{gain}元。",),
        f"{FOOD_LAW}第三十五条第一款、第一百二十二条第一款",
        ((F, G), (F, G, C)),
        (50000, 60000, 80000),
        ("food", "catering", "retail"),
        ORGS,
        4,
    ),
    P(
        "price_tag",
        "SCJGJ",
        "未按规定明码标价",
        (
            "执法人员于{when}检查发现，当事人在{place}销售的{souvenir}等商品未按规定标明价格。",
            "经查，当事人经营的{souvenir}等商品未标示品名、价格，违反明码标价规定。",
        ),
        "《中华人民共和国价格法》第十三条第一款、第四十二条；《明码标价和禁止价格欺诈规定》第二十一条",
        ((W,), (F,), (W, F)),
        (200, 500, 1000, 2000, 5000),
        ("retail", "catering", "tourism", "hotel"),
        ORGS,
        12,
    ),
    P(
        "false_advertising",
        "SCJGJ",
        "对商品作虚假或者引人误解的商业宣传",
        (
            "经查，当事人于{when}起在其微信公众号及经营场所宣称其销售的{souvenir}系“限量珍藏版”，经核实与事实不符。",
            "当事人在销售{goods}时宣称产品具有保健功效，无任何事实依据，构成虚假宣传。",
        ),
        "《中华人民共和国反不正当竞争法》第八条第一款、第二十条第一款",
        ((F,),),
        (20000, 50000, 100000, 200000),
        ("retail", "tourism", "pharmacy", "food_prod"),
        ORGS,
        5,
    ),
    P(
        "leader_image_ad",
        "SCJGJ",
        "广告中使用国家机关工作人员的名义或者形象",
        ("经查，当事人自{when}起在{place}设置的户外广告中使用国家领导人形象宣传其经营的餐饮及住宿服务。",),
        "《中华人民共和国广告法》第九条第（二）项、第五十七条第（一）项",
        ((F,), (F, G)),
        (200000, 250000, 300000),
        ("tourism", "catering", "hotel", "culture", "retail"),
        ORGS,
        3,
    ),
    P(
        "overdue_inspection",
        "SCJGJ",
        "使用未经定期检验的特种设备",
        ("执法人员于{when}检查发现，当事人位于{place}的1台{device}检验有效期已届满，未申报定期检验仍继续使用。",),
        "《中华人民共和国特种设备安全法》第四十条第三款、第八十四条第（一）项",
        ((F,),),
        (30000, 50000, 80000),
        ("manufacturing", "hotel", "realestate", "building_materials", "mining"),
        frozenset({LEGAL}),
        5,
    ),
    P(
        "substandard_product",
        "SCJGJ",
        "销售不合格产品",
        ("经抽检，当事人于{when}销售的{material}经检验不合格，货值金额{value}元，违法所得{gain}元。",),
        "《中华人民共和国产品质量法》第三十九条、第五十条",
        ((F, G), (F, G, C)),
        (5000, 10000, 30000),
        ("building_materials", "manufacturing", "retail"),
        ORGS,
        4,
    ),
    P(
        "trademark",
        "SCJGJ",
        "销售侵犯注册商标专用权的商品",
        ("执法人员于{when}在当事人经营场所查获侵犯注册商标专用权的{goods}{qty}{unit}，经营额{value}元。",),
        "《中华人民共和国商标法》第五十七条第（三）项、第六十条第二款",
        ((F, C),),
        (5000, 10000, 20000, 30000),
        ("retail",),
        ORGS,
        3,
    ),
    P(
        "late_filing",
        "SWJ",
        "未按照规定期限办理纳税申报和报送纳税资料",
        (
            "当事人未按规定期限办理{period}的增值税纳税申报，经税务机关责令限期改正，已于{when}补办申报。",
            "当事人{period}个人所得税（代扣代缴）未按期申报，违反税收征收管理有关规定。",
        ),
        f"{TAX_LAW}第二十五条第一款、第六十二条",
        ((F,),),
        (50, 100, 200, 500, 1000, 2000),
        None,
        ORGS,
        12,
    ),
    P(
        "tax_registration",
        "SWJ",
        "未按照规定期限申报办理税务登记、变更或者注销登记",
        ("当事人于{when}变更经营地址后，未按照规定期限向税务机关申报办理变更税务登记。",),
        f"{TAX_LAW}第十六条、第六十条第一款第（一）项",
        ((F,),),
        (200, 500, 1000, 2000),
        None,
        ORGS,
        6,
    ),
    P(
        "tax_evasion",
        "SWJ",
        "采取虚假纳税申报方式少缴应纳税款",
        ("经检查，当事人于{period}通过隐匿收入、虚假申报等方式少缴增值税及附加税费{tax}元。",),
        f"{TAX_LAW}第六十三条第一款",
        ((F,),),
        (20000, 50000, 120000, 300000),
        None,
        frozenset({LEGAL}),
        4,
    ),
    P(
        "overtime",
        "RSJ",
        "违反工作时间和休息休假规定延长劳动者工作时间",
        ("经调查，当事人于{when}前后安排{n}名劳动者连续加班，每月延长工作时间超过36小时。",),
        "《中华人民共和国劳动法》第四十一条；《劳动保障监察条例》第二十五条",
        ((W,), (F,), (W, F)),
        (1000, 2000, 5000),
        ("manufacturing", "construction", "catering", "labour_dispatch"),
        ORGS,
        4,
    ),
    P(
        "wage_account",
        "RSJ",
        "施工总承包单位未按规定开设或者使用农民工工资专用账户",
        ("经查，当事人承建的{project}项目未按规定开设农民工工资专用账户，经责令限期改正逾期未改正。",),
        "《保障农民工工资支付条例》第二十六条、第五十五条第（一）项",
        ((F,),),
        (50000, 60000, 80000),
        ("construction",),
        frozenset({LEGAL}),
        3,
    ),
    P(
        "no_works_permit",
        "ZJJ",
        "未取得施工许可证擅自施工",
        ("经查，当事人建设的{project}项目在未取得施工许可证的情况下，于{when}擅自开工建设。",),
        "《中华人民共和国建筑法》第七条第一款、第六十四条；《建筑工程施工许可管理办法》第十二条",
        ((F,),),
        (10000, 30000, 50000, 100000),
        ("construction", "realestate"),
        frozenset({LEGAL}),
        5,
    ),
    P(
        "site_dust",
        "ZJJ",
        "施工工地未采取有效防尘降尘措施",
        ("执法人员于{when}检查发现，当事人承建的{project}施工现场裸露土方未覆盖、车辆出场未冲洗。",),
        f"{AIR_LAW}第六十九条第二款、第一百一十五条第一款第（一）项",
        ((F,),),
        (10000, 20000, 50000),
        ("construction",),
        frozenset({LEGAL}),
        5,
    ),
    P(
        "no_acceptance",
        "ZJJ",
        "建设单位未组织竣工验收擅自交付使用",
        ("经查，当事人开发的{project}项目未组织竣工验收，于{when}擅自交付业主使用。",),
        "《建设工程质量管理条例》第十六条、第五十八条第（一）项",
        ((F,),),
        (100000, 150000, 200000),
        ("realestate",),
        frozenset({LEGAL}),
        2,
    ),
    P(
        "air_emission",
        "STHJ",
        "超过大气污染物排放标准排放大气污染物",
        ("经监测，当事人于{when}排放的颗粒物浓度超过国家规定的排放标准。",),
        f"{AIR_LAW}第十八条、第九十九条第（二）项",
        ((F,), (F, "限制开展生产经营活动")),
        (100000, 150000, 200000),
        ("emission",),
        frozenset({LEGAL}),
        5,
    ),
    P(
        "dust_storage",
        "STHJ",
        "未采取防燃、防尘措施堆存易产生扬尘的物料",
        ("执法人员于{when}现场检查发现，当事人露天堆放的{material}约{qty}吨，未采取覆盖等防尘措施。",),
        f"{AIR_LAW}第七十二条第一款、第一百一十七条第（一）项",
        ((F,),),
        (10000, 20000, 30000, 50000),
        ("building_materials", "emission", "mining"),
        frozenset({LEGAL}),
        5,
    ),
    P(
        "no_eia",
        "STHJ",
        "建设项目未依法报批环境影响评价文件擅自开工建设",
        ("经查，当事人{project}项目未依法报批环境影响报告表，于{when}擅自开工建设。",),
        "《中华人民共和国环境影响评价法》第二十五条、第三十一条第一款",
        ((F,),),
        (20000, 50000, 100000),
        ("emission", "manufacturing", "livestock"),
        frozenset({LEGAL}),
        4,
    ),
    P(
        "livestock_pollution",
        "STHJ",
        "畜禽养殖场未建设污染防治配套设施",
        ("经查，当事人位于{place}的生猪养殖场存栏约{n}头，未建设粪污贮存、处理设施，粪污直接外排。",),
        "《畜禽规模养殖污染防治条例》第十三条、第三十九条",
        ((F,),),
        (10000, 30000, 50000),
        ("livestock",),
        frozenset({LEGAL}),
        4,
    ),
    P(
        "no_emission_permit",
        "STHJ",
        "未取得排污许可证排放污染物",
        ("经查，当事人自{when}起未依法取得排污许可证排放废水、废气。",),
        "《排污许可管理条例》第二条、第三十三条第（一）项",
        ((F,), (F, "责令停产停业")),
        (200000, 300000),
        ("emission",),
        frozenset({LEGAL}),
        2,
    ),
    P(
        "open_burning",
        "STHJ",
        "露天焚烧秸秆、落叶等产生烟尘污染的物质",
        ("执法人员于{when}巡查发现，当事人在{place}露天焚烧秸秆及落叶。",),
        f"{AIR_LAW}第七十七条、第一百一十九条第一款",
        ((F,), (W,)),
        (500, 1000, 2000),
        None,
        PEOPLE,
        6,
    ),
    P(
        "safety_training",
        "YJGLJ",
        "未按照规定对从业人员进行安全生产教育和培训",
        ("执法人员于{when}检查发现，当事人{n}名从业人员未经安全生产教育和培训即上岗作业。",),
        f"{SAFETY_LAW}第二十八条第一款、第九十七条第（三）项",
        ((F,),),
        (10000, 20000, 30000, 50000),
        ("manufacturing", "chemicals", "building_materials", "mining", "fireworks", "hazardous"),
        frozenset({LEGAL}),
        6,
    ),
    P(
        "hazard_records",
        "YJGLJ",
        "未建立事故隐患排查治理制度",
        ("执法人员于{when}检查发现，当事人未建立事故隐患排查治理制度，未如实记录隐患排查治理情况。",),
        f"{SAFETY_LAW}第四十一条第二款、第一百零一条第（五）项",
        ((F,),),
        (20000, 30000, 50000),
        ("manufacturing", "chemicals", "building_materials", "mining", "hazardous"),
        frozenset({LEGAL}),
        4,
    ),
    P(
        "illegal_fireworks",
        "YJGLJ",
        "未经许可经营烟花爆竹",
        ("执法人员于{when}在{place}查获当事人未取得烟花爆竹经营许可证储存、销售的烟花爆竹{qty}箱。",),
        "《烟花爆竹安全管理条例》第三条、第三十六条第一款",
        ((F, C), (F, C, G)),
        (20000, 30000),
        ("fireworks", "retail"),
        frozenset({INDIVIDUAL, PERSON}),
        5,
    ),
    P(
        "unlicensed_freight",
        "JTYSJ",
        "未取得道路运输经营许可擅自从事道路运输经营",
        ("执法人员于{when}在{road}查获当事人驾驶{plate}号车辆未取得道路运输经营许可从事{freight}。",),
        "《中华人民共和国道路运输条例》第十条、第六十三条",
        ((F,), (F, G)),
        (3000, 5000, 10000),
        None,
        ALL,
        10,
    ),
    P(
        "overload",
        "JTYSJ",
        "车辆超限运输",
        ("当事人所属{plate}号货车于{when}在{road}超限运输，车货总质量超过限定标准。",),
        "《公路安全保护条例》第三十三条第一款、第六十四条",
        ((F,),),
        (500, 1000, 3000, 10000),
        ("transport", "building_materials", "construction"),
        ORGS,
        6,
    ),
    P(
        "no_hygiene_licence",
        "WJJ",
        "公共场所未取得卫生许可证擅自营业",
        ("执法人员于{when}检查发现，当事人在{place}未取得公共场所卫生许可证擅自开展{service}经营活动。",),
        f"{PUBLIC_HYGIENE}第二十二条第一款、第三十五条第一款",
        ((W, F),),
        (500, 2000, 5000),
        ("hotel", "salon"),
        ORGS,
        5,
    ),
    P(
        "health_certificate",
        "WJJ",
        "公共场所从业人员未取得有效健康合格证明上岗",
        ("执法人员于{when}检查发现，当事人{n}名从业人员未取得有效健康合格证明即从事直接为顾客服务的工作。",),
        f"{PUBLIC_HYGIENE}第十条、第三十八条",
        ((W,), (W, F)),
        (500, 1000, 2000),
        ("hotel", "salon", "catering"),
        ORGS,
        6,
    ),
    P(
        "unlicensed_practice",
        "WJJ",
        "未取得医疗机构执业许可证擅自执业",
        ("经查，当事人未取得医疗机构执业许可证，自{when}起在{place}擅自开展诊疗活动，违法所得{gain}元。",),
        "《中华人民共和国基本医疗卫生与健康促进法》第三十八条、第九十九条第一款",
        ((F, G, C),),
        (50000, 100000),
        ("clinic", "medical"),
        frozenset({INDIVIDUAL, PERSON}),
        3,
    ),
    P(
        "unqualified_staff",
        "WJJ",
        "医疗机构使用非卫生技术人员从事医疗卫生技术工作",
        ("经查，当事人于{when}安排未取得执业资格的人员从事护理工作。",),
        "《医疗机构管理条例》第二十七条、第四十七条",
        ((F, G),),
        (10000, 20000, 30000),
        ("clinic", "medical"),
        ORGS,
        2,
    ),
    P(
        "unapproved_school",
        "JYJ",
        "擅自举办校外培训机构",
        ("经查，当事人未经审批，自{when}起在{place}面向中小学生开展学科类培训，收取费用{value}元。",),
        "《中华人民共和国民办教育促进法》第十二条、第六十四条",
        ((F, "其他"),),
        (10000, 20000, 50000),
        ("education",),
        frozenset({LEGAL, PERSON}),
        3,
        other="责令停止办学、退还所收费用",
    ),
    P(
        "minors_in_cafe",
        "WLGTJ",
        "互联网上网服务营业场所接纳未成年人进入营业场所",
        ("执法人员于{when}检查发现，当事人经营的网吧内有{n}名未成年人上网。",),
        "《互联网上网服务营业场所管理条例》第二十一条、第三十一条第（二）项",
        ((W,), (W, F)),
        (2000, 5000, 10000),
        ("internet_cafe",),
        ORGS,
        3,
    ),
    P(
        "venue_signs",
        "WLGTJ",
        "娱乐场所未按规定悬挂未成年人禁入标志",
        ("执法人员于{when}检查发现，当事人娱乐场所显著位置未悬挂未成年人禁入标志。",),
        "《娱乐场所管理条例》第三十条、第五十一条",
        ((W,),),
        (),
        ("entertainment",),
        ORGS,
        2,
    ),
    P(
        "unlicensed_guide",
        "WLGTJ",
        "未取得导游证从事导游活动",
        ("执法人员于{when}在韶山毛泽东同志故居景区检查发现，当事人未取得导游证为游客提供讲解并收取费用{gain}元。",),
        "《中华人民共和国旅游法》第三十七条、第一百零二条第二款",
        ((F, G),),
        (1000, 2000, 3000),
        None,
        PEOPLE,
        8,
    ),
    P(
        "unlicensed_agency",
        "WLGTJ",
        "未经许可经营旅行社业务",
        ("经查，当事人未取得旅行社业务经营许可，于{when}起招徕、组织游客开展红色研学旅游活动，违法所得{gain}元。",),
        "《中华人民共和国旅游法》第二十八条、第九十五条第一款",
        ((F, G),),
        (10000, 20000, 50000),
        ("tourism", "culture"),
        frozenset({LEGAL}),
        3,
    ),
    P(
        "illegal_land",
        "ZRZYJ",
        "未经批准非法占用土地",
        ("经查，当事人于{when}未经批准擅自占用{place}集体土地{area}平方米建设{building}。",),
        "《中华人民共和国土地管理法》第四十四条、第七十七条第一款",
        ((F, "其他"),),
        (5000, 20000, 60000),
        None,
        frozenset({LEGAL, PERSON}),
        5,
        other="责令退还非法占用的土地，限期拆除在非法占用的土地上新建的建筑物和其他设施",
    ),
    P(
        "no_works_plan",
        "ZRZYJ",
        "未取得建设工程规划许可证进行建设",
        ("经查，当事人建设的{project}未取得建设工程规划许可证，于{when}擅自开工建设。",),
        "《中华人民共和国城乡规划法》第四十条、第六十四条",
        ((F,), (F, "其他")),
        (20000, 50000, 150000),
        ("realestate", "construction", "manufacturing", "hotel"),
        frozenset({LEGAL}),
        3,
        other="责令限期改正",
    ),
    P(
        "illegal_mining",
        "ZRZYJ",
        "未取得采矿许可证擅自采矿",
        ("经查，当事人于{when}起未取得采矿许可证，在{place}擅自开采建筑用石料约{qty}吨。",),
        "《中华人民共和国矿产资源法》第三条第三款、第三十九条第一款",
        ((F, G),),
        (20000, 50000),
        ("mining",),
        frozenset({LEGAL, PERSON}),
        2,
    ),
    P(
        "assault",
        "GAJ",
        "殴打他人",
        ("经查，{when}，当事人在{place}因琐事与他人发生纠纷，殴打他人致其轻微伤。",),
        "《中华人民共和国治安管理处罚法》第四十三条第一款",
        (("行政拘留", F),),
        (200, 500),
        None,
        PEOPLE,
        4,
        public=False,
    ),
    P(
        "drunk_driving",
        "GAJ",
        "饮酒后驾驶机动车",
        ("{when}，当事人饮酒后驾驶{plate}号小型汽车行驶至{road}时被查获，经检验血液酒精含量为{alcohol}mg/100ml。",),
        "《中华人民共和国道路交通安全法》第二十二条第二款、第九十一条第一款",
        (("暂扣许可证件", F),),
        (1000, 1500, 2000),
        None,
        PEOPLE,
        6,
        licence="机动车驾驶证（暂扣六个月）",
        public=False,
    ),
    P(
        "gambling",
        "GAJ",
        "参与赌博赌资较大",
        ("经查，{when}，当事人在{place}以“跑胡子”方式参与赌博，赌资较大。",),
        "《中华人民共和国治安管理处罚法》第七十条",
        ((F,), ("行政拘留", F)),
        (500, 1000, 2000),
        None,
        PEOPLE,
        4,
        public=False,
    ),
    P(
        "guest_register",
        "GAJ",
        "旅馆业工作人员对住宿旅客不按规定登记",
        ("民警于{when}检查发现，当事人经营的旅馆接待{n}名旅客住宿未按规定登记身份信息。",),
        "《中华人民共和国治安管理处罚法》第五十六条第一款",
        ((F,),),
        (200, 300, 500),
        ("hotel",),
        ORGS,
        4,
    ),
)


def penalty_values(kind: PenaltyKind, ctx: RowContext, department_name: str, department_uscc: str) -> dict[str, Any]:
    """The 行政处罚 fields (typed) for one decision, keyed by field code, in catalogue order."""
    rng, subject, decided = ctx.rng, ctx.subject, ctx.decided
    types = list(rng.choice(kind.outcomes))
    fine = rng.choice(kind.fines) if F in types and kind.fines else 0
    if F in types and not fine:
        types.remove(F)
    facts = _facts(kind, ctx)
    summary = _is_summary(types, fine, subject.kind) and rng.random() < 0.85
    tier = _tier(types, fine, summary)
    values: dict[str, Any] = {"CF_XDR_MC": subject.name, "CF_XDR_LB": subject.kind_label}
    if subject.kind == PERSON:
        values.update({"CF_XDR_ZJLX": "身份证", "CF_XDR_ZJHM": subject.id_number})
    else:
        values.update({"CF_XDR_SHXYM": subject.uscc, "CF_FRDB": subject.legal_representative})
    normal_prefix, summary_prefix = PREFIXES[kind.department]
    values.update(
        {
            "CF_WSH": doc_number(summary_prefix if summary else normal_prefix, decided, ctx.sequence),
            "CF_WFXW": kind.behaviour,
            "CF_WFSS": facts["text"],
            "CF_YJ": kind.basis,
            "CF_CFLB": types,
            "CF_NR": _content(kind, types, fine, facts),
            "CF_NR_FK": wan(fine) if fine else "",
            "CF_NR_WFFF": wan(facts["gain"]) if (G in types or C in types) else "",
            "CF_NR_ZKDX": kind.licence if "暂扣许可证件" in types or "吊销许可证件" in types else "",
            "CF_JDRQ": decided,
            "CF_YXQ": add_months(decided, {"轻微": 3, "一般": 12, "严重": 36}[tier]),
            "CF_CFJG": department_name,
            "CF_CFJGDM": department_uscc,
            "CF_SJLY": department_name,
            "CF_SJLYDM": department_uscc,
            "CF_SXYZCD": tier,
            "CF_CXLX": "简易" if summary else "普通",
            "CF_XXSYFW": "社会公开" if kind.public and not summary and types != [W] else "政务共享",
        }
    )
    return values


def _is_summary(types: list[str], fine: int, subject_kind: str) -> bool:
    """行政处罚法 Art. 51: a warning, or a fine up to 200 yuan (persons) / 3,000 yuan (organisations)."""
    limit = 200 if subject_kind == PERSON else 3000
    return types == [W] or (set(types) <= {W, F} and 0 < fine <= limit)


def _tier(types: list[str], fine: int, summary: bool) -> str:
    if summary or types == [W]:
        return "轻微"
    if fine >= 100000 or SEVERE_TYPES & set(types):
        return "严重"
    return "一般"


class _Facts(dict[str, Any]):
    """The placeholders of a facts template, each drawn the first time it is used."""

    def __init__(self, ctx: RowContext) -> None:
        super().__init__()
        self.ctx = ctx

    def __missing__(self, key: str) -> Any:
        value = self[key] = _FACT_MAKERS[key](self.ctx, self)
        return value


def _food(ctx: RowContext, facts: _Facts) -> tuple[str, str]:
    return facts.get("_food") or facts.setdefault("_food", ctx.rng.choice(FOODS))


_FACT_MAKERS: dict[str, Any] = {
    "when": lambda c, f: date_cn(c.decided - dt.timedelta(days=c.rng.randint(15, 120))),
    "place": lambda c, f: address(c),
    "goods": lambda c, f: _food(c, f)[0],
    "unit": lambda c, f: _food(c, f)[1],
    "qty": lambda c, f: c.rng.randint(3, 60),
    "gain": lambda c, f: c.rng.choice((120, 260, 380, 560, 800, 1200, 1850, 3000, 4600, 6800)),
    "value": lambda c, f: f["gain"] * c.rng.randint(2, 6),
    "souvenir": lambda c, f: c.rng.choice(SOUVENIRS),
    "n": lambda c, f: c.rng.randint(2, 40),
    "period": lambda c, f: f"{c.decided.year - 1}年第{c.rng.randint(1, 4)}季度",
    "tax": lambda c, f: c.rng.randint(8, 300) * 1000,
    "project": lambda c, f: (
        f"{c.subject.brand or '韶峰'}{c.rng.choice(('花园', '综合楼', '厂房', '安置小区', '研学基地'))}"
    ),
    "device": lambda c, f: c.rng.choice(("电梯", "叉车", "压力容器", "燃气锅炉")),
    "material": lambda c, f: c.rng.choice(("砂石", "水泥", "红砖", "石灰")),
    "plate": lambda c, f: "湘C" + "".join(c.rng.choices("ABCDEFGHJKLMNPQ0123456789", k=5)),
    "road": lambda c, f: c.rng.choice(("G320国道韶山段", "韶山东路与迎宾路交叉口", "S208省道银田段", "韶山高速收费站")),
    "freight": lambda c, f: c.rng.choice(("道路普通货物运输", "道路旅客运输")),
    "area": lambda c, f: c.rng.randint(60, 900),
    "service": lambda c, f: c.rng.choice(("住宿", "理发、美容")),
    "building": lambda c, f: c.rng.choice(("住宅", "厂房", "仓库")),
    "alcohol": lambda c, f: c.rng.randint(21, 79),
}


def _facts(kind: PenaltyKind, ctx: RowContext) -> _Facts:
    facts = _Facts(ctx)
    facts["text"] = ctx.rng.choice(kind.facts).format_map(facts)
    return facts


def _content(kind: PenaltyKind, types: list[str], fine: int, facts: dict[str, Any]) -> str:
    parts = []
    for penalty_type in types:
        if penalty_type == W:
            parts.append("给予警告")
        elif penalty_type == F:
            parts.append(f"罚款人民币{fine}元")
        elif penalty_type == G:
            parts.append(f"没收违法所得{facts['gain']}元")
        elif penalty_type == C:
            parts.append("没收涉案物品")
        elif penalty_type == "暂扣许可证件":
            parts.append(f"暂扣{kind.licence}")
        elif penalty_type == "行政拘留":
            parts.append(f"行政拘留{facts['n'] % 10 + 5}日")
        elif penalty_type == "限制开展生产经营活动":
            parts.append("责令改正，限制生产30日")
        elif penalty_type == "责令停产停业":
            parts.append("责令停产整治")
        else:
            parts.append(kind.other or penalty_type)
    return "对当事人作出如下行政处罚：" + "；".join(parts) + "。"
