"""Word lists for the demo data: places, company name parts, people's names. Data only, no logic.

Everything here is invented for the demo; the places are the real towns of 韶山市 and the divisions are
real GB/T 2260 codes, but no company or person named from these lists is meant to exist.
"""

from __future__ import annotations

CITY = "韶山市"
DIVISION = "430382"

# 韶山市's towns (镇) and townships (乡).
TOWNS = ("清溪镇", "银田镇", "如意镇", "韶山乡", "杨林乡")
# Village-level names used in addresses ("{town}{village}村"); invented, not a gazetteer.
VILLAGES = (
    "黄田",
    "桥头",
    "石塘",
    "竹鸡",
    "联合",
    "新湖",
    "长湖",
    "楠竹",
    "永义",
    "团结",
    "双峰",
    "泉塘",
    "白鹤",
    "东茅",
    "云湖",
    "荷花",
    "青年",
    "大坪",
    "花桥",
    "杨林",
)
STREETS = ("韶山东路", "韶山中路", "韶山西路", "迎宾路", "韶峰路", "银田路", "清溪路", "日月路", "红旗路")

# Divisions for people's ID numbers: mostly 韶山 and the rest of 湘潭, some from 长沙 and 株洲.
ID_DIVISIONS = (
    ("430382", 40),
    ("430302", 10),
    ("430304", 8),
    ("430321", 15),
    ("430381", 12),
    ("430102", 4),
    ("430182", 6),
    ("430202", 3),
    ("430521", 2),
)
SCALE_ID_DIVISIONS = ("430382", "430302", "430304", "430321", "430381", "430182")

# Divisions in companies' codes: registered in 韶山, sometimes by the 湘潭 city or district authority.
COMPANY_DIVISIONS = (("430382", 80), ("430300", 8), ("430302", 6), ("430304", 6))

SURNAMES = (
    ("毛", 16),
    ("李", 8),
    ("王", 7),
    ("张", 7),
    ("刘", 7),
    ("陈", 6),
    ("彭", 5),
    ("谭", 5),
    ("周", 5),
    ("杨", 4),
    ("黄", 4),
    ("赵", 3),
    ("吴", 3),
    ("胡", 3),
    ("曾", 3),
    ("易", 3),
    ("贺", 3),
    ("唐", 3),
    ("罗", 3),
    ("邹", 2),
    ("钟", 2),
    ("文", 2),
    ("郭", 2),
    ("邓", 2),
    ("蒋", 2),
    ("颜", 2),
    ("尹", 2),
    ("汤", 2),
    ("肖", 2),
    ("龙", 2),
    ("庞", 1),
    ("蔡", 1),
    ("欧阳", 1),
    ("袁", 1),
    ("朱", 1),
    ("许", 1),
)
MALE_CHARS = "伟强军勇杰涛明斌辉刚健华平峰林波亮建国志文清湘云海鹏龙宇浩俊德新民春生红兵松超磊飞"
FEMALE_CHARS = "芳娟敏静丽艳霞燕玲红英萍兰梅琴秀慧婷雪莉晓佳欣颖琳洁桂香凤玉珍丹娇"

# Company 字号: curated for the base demo; the scale mode also pairs characters from BRAND_CHARS.
BRANDS = (
    "润丰",
    "韶峰",
    "滴水",
    "清溪",
    "银田",
    "红日",
    "瑞祥",
    "鑫源",
    "宏达",
    "恒泰",
    "华韵",
    "湘韵",
    "金穗",
    "绿源",
    "东方",
    "永兴",
    "嘉和",
    "福瑞",
    "盛世",
    "龙腾",
    "和顺",
    "信达",
    "兴旺",
    "祥和",
    "红星",
    "晨光",
    "明德",
    "青山",
    "碧水",
    "荷香",
    "韶源",
    "日月",
    "松涛",
    "竹韵",
    "楠竹",
    "稻香",
    "湘莲",
    "茶语",
    "山水",
    "润泽",
    "博远",
    "鼎盛",
    "宏图",
    "万家",
    "百顺",
    "佳禾",
    "丰源",
    "盛达",
    "安泰",
    "裕民",
    "乡情",
    "农夫",
    "韶乐",
    "映山红",
    "红色",
    "初心",
    "德润",
    "康宁",
    "正源",
    "恒信",
    "卓越",
    "华美",
    "金盾",
    "天成",
    "厚德",
    "聚福",
    "同心",
    "益民",
    "兴湘",
    "楚韵",
    "潇湘",
    "泓源",
    "福满",
    "喜盈",
    "锦程",
    "鸿运",
    "立信",
    "诚信",
    "宏远",
    "新思路",
    "昌隆",
    "汇丰源",
    "瑞达",
    "众鑫",
    "铭泰",
    "博雅",
    "韶华",
    "顺通",
    "捷达",
    "畅达",
)
BRAND_CHARS = (
    "润丰韶峰清溪银田红日瑞祥鑫源宏达恒泰华韵湘金穗绿东方永兴嘉和福盛世龙腾顺信旺晨光明德青山碧水荷香松涛竹楠稻"
    "莲茶博远鼎图万家百佳禾安裕民乡农乐映初康宁正卓越美盾天成厚聚同心益楚潇泓满喜锦程鸿运立诚昌隆汇众铭雅通捷畅"
)

# (industry in the name, tags that decide which licences and penalties fit, weight)
INDUSTRIES: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("农业发展", ("agri",), 8),
    ("生态农业", ("agri",), 5),
    ("农业科技", ("agri",), 3),
    ("生猪养殖", ("agri", "livestock", "emission"), 4),
    ("茶业", ("agri", "food_prod"), 3),
    ("食品", ("food_prod", "food"), 5),
    ("酒业", ("food_prod",), 2),
    ("餐饮管理", ("food", "catering"), 6),
    ("酒店管理", ("catering", "hotel", "food"), 5),
    ("旅游开发", ("tourism",), 5),
    ("文化旅游发展", ("tourism", "culture"), 4),
    ("红色文化传播", ("culture", "tourism"), 4),
    ("商贸", ("retail",), 10),
    ("贸易", ("retail",), 4),
    ("连锁超市", ("retail", "food"), 3),
    ("建材", ("building_materials", "emission", "safety"), 5),
    ("新型建材", ("building_materials", "emission", "safety"), 3),
    ("水泥制品", ("building_materials", "emission", "safety"), 3),
    ("建筑工程", ("construction",), 7),
    ("建设工程", ("construction",), 4),
    ("园林绿化工程", ("construction",), 3),
    ("房地产开发", ("realestate", "construction"), 4),
    ("物流", ("transport",), 5),
    ("运输", ("transport",), 4),
    ("汽车服务", ("transport",), 2),
    ("机械制造", ("manufacturing", "emission", "safety"), 3),
    ("电子科技", ("manufacturing",), 2),
    ("竹木制品", ("manufacturing", "emission", "safety"), 2),
    ("印务", ("manufacturing", "emission"), 2),
    ("化工", ("chemicals", "emission", "safety"), 2),
    ("石油燃气", ("hazardous", "safety"), 2),
    ("物业管理", ("services",), 3),
    ("劳务", ("labour_dispatch",), 3),
    ("人力资源服务", ("hr",), 2),
    ("大药房", ("pharmacy", "retail"), 3),
    ("健康管理", ("medical",), 2),
    ("娱乐", ("entertainment",), 2),
    ("网络科技", ("internet_cafe",), 2),
    ("烟花爆竹", ("fireworks", "retail", "safety"), 2),
    ("矿业", ("mining", "emission", "safety"), 2),
)

# 农民专业合作社 (USCC type 93) and 民办非企业单位 (USCC 52): (name part, tags, weight).
COOPERATIVES = (
    ("水稻种植", ("agri",), 3),
    ("果蔬种植", ("agri",), 3),
    ("生猪养殖", ("agri", "livestock", "emission"), 2),
    ("茶叶种植", ("agri",), 2),
    ("湘莲种植", ("agri",), 2),
    ("花卉苗木", ("agri",), 1),
    ("稻虾养殖", ("agri",), 1),
)
PRIVATE_SCHOOLS = (
    ("幼儿园", ("education",), 3),
    ("艺术培训学校", ("education",), 2),
    ("职业技能培训学校", ("education",), 1),
    ("体育培训中心", ("education",), 1),
)

# 个体工商户: (shop kind, tags, weight).
SHOPS: tuple[tuple[str, tuple[str, ...], int], ...] = (
    ("湘菜馆", ("food", "catering"), 8),
    ("餐馆", ("food", "catering"), 8),
    ("农家乐", ("food", "catering", "tourism"), 6),
    ("米粉店", ("food", "catering"), 5),
    ("小吃店", ("food", "catering"), 4),
    ("快餐店", ("food", "catering"), 3),
    ("便利店", ("retail", "food"), 8),
    ("副食店", ("retail", "food"), 5),
    ("烟酒商行", ("retail", "food"), 4),
    ("超市", ("retail", "food"), 4),
    ("理发店", ("salon",), 5),
    ("美容美发店", ("salon",), 3),
    ("五金店", ("retail",), 3),
    ("建材店", ("retail",), 2),
    ("汽车修理店", ("transport",), 3),
    ("货运部", ("transport",), 3),
    ("诊所", ("clinic", "medical"), 3),
    ("旅馆", ("hotel",), 4),
    ("网吧", ("internet_cafe",), 2),
    ("烟花爆竹零售店", ("fireworks", "retail"), 3),
    ("旅游纪念品商店", ("retail", "tourism"), 6),
    ("土特产商行", ("retail", "food", "tourism"), 4),
    ("茶馆", ("food", "catering"), 2),
    ("水果店", ("retail", "food"), 3),
)
SHOP_STYLES = ("{s}记", "{s}家", "老{s}", "{s}氏", "{b}", "{b}")

# Content for the records.
FOODS = (
    ("牛奶", "箱"),
    ("饼干", "袋"),
    ("方便面", "箱"),
    ("饮料", "瓶"),
    ("火腿肠", "袋"),
    ("糕点", "盒"),
    ("酱油", "瓶"),
    ("腊肉", "千克"),
    ("槟榔", "包"),
    ("辣条", "袋"),
    ("酸奶", "盒"),
    ("白酒", "瓶"),
)
SOUVENIRS = ("毛主席像章", "纪念画册", "工艺瓷器", "红色题材纪念品", "竹木工艺品", "湘绣挂件")
PROJECTS = (
    "{brand}安置小区",
    "{brand}花园",
    "{town}{brand}综合楼",
    "{brand}生产厂房",
    "{brand}研学基地",
    "{town}中心小学教学楼",
    "{brand}酒店改扩建工程",
    "{brand}农产品加工厂",
    "{brand}物流仓储中心",
    "韶山红色文化旅游配套设施",
    "{town}{brand}商住楼",
)
CHEMICALS = ("盐酸", "硫酸", "氢氧化钠", "乙醇", "丙酮", "油漆", "稀释剂", "液化石油气")
DEVICES = (("电梯", "梯"), ("场（厂）内专用机动车辆（叉车）", "车"), ("压力容器", "容"), ("锅炉", "锅"))
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
