"""Plain data for the demo county: categories, offices, routing, deadlines, staff, and the
words the synthetic cases are written with. No Django imports here, so that the data can be
read and reviewed on its own.

Everything is invented for the demonstration except the county's township and village codes
and names (``data/chengkou.json``). Street and place names in the texts are generic
("滨河路口", "三组") rather than real addresses.
"""

COUNTY_CODE = "500229"
# The county seat: two urban streets (街道), busier and with some county-wide services.
COUNTY_SEAT = ("500229001", "500229002")

# ---------------------------------------------------------------------------- categories

# Two levels: (code, name, default kind, children). A child is (code, name, default kind,
# weight in a community (社区), weight in a village (村), months when it is more frequent and
# by how much). Codes are short ASCII; GB/T 31000 codes are left blank because no official
# mapping was at hand (a blank is better than a guessed code).
CATEGORIES = [
    ("urban", "城乡建设", "complaint", [
        ("urban.road", "道路破损", "complaint", 6, 2, None),
        ("urban.streetlight", "路灯故障", "complaint", 4, 1.5, None),
        ("urban.illegal_building", "违章建筑", "report", 3, 1.5, None),
        ("urban.water", "供水问题", "complaint", 4, 1, None),
        ("urban.drainage", "排水不畅", "complaint", 3, 1.5, ({5, 6, 7, 8, 9}, 2.0)),
        ("urban.property", "物业管理", "complaint", 3, 0, None),
    ]),
    ("env", "环境保护", "complaint", [
        ("env.noise", "噪声扰民", "complaint", 5, 1, ({6, 7, 8}, 1.5)),
        ("env.garbage", "垃圾清运", "complaint", 5, 3, ({6, 7, 8}, 1.3)),
        ("env.river", "河道污染", "report", 2, 2, None),
        ("env.fumes", "油烟扰民", "complaint", 3, 0.3, None),
        ("env.burning", "露天焚烧", "report", 1, 2, ({3, 4, 10, 11}, 2.0)),
        ("env.livestock", "畜禽养殖污染", "complaint", 0.2, 2, None),
    ]),
    ("labour", "劳动保障", "complaint", [
        ("labour.wages", "拖欠工资", "complaint", 4, 3, ({12, 1, 2}, 2.5)),
        ("labour.insurance", "社保缴纳", "consultation", 2, 2, None),
        ("labour.employment", "就业创业", "consultation", 1, 1, ({2, 3}, 1.5)),
    ]),
    ("market", "市场监管", "complaint", [
        ("market.food", "食品安全", "report", 3, 2, None),
        ("market.price", "价格欺诈", "complaint", 2, 1, ({1, 2, 10}, 1.5)),
        ("market.quality", "产品质量", "complaint", 1.5, 1, None),
        ("market.unlicensed", "无证经营", "report", 1, 1, None),
    ]),
    ("dispute", "矛盾纠纷", "dispute", [
        ("dispute.neighbour", "邻里纠纷", "dispute", 3, 3, None),
        ("dispute.land", "土地纠纷", "dispute", 0.5, 3, ({3, 4}, 1.5)),
        ("dispute.family", "婚姻家庭纠纷", "dispute", 2, 2, ({1, 2}, 1.5)),
        ("dispute.forest", "山林权属纠纷", "dispute", 0, 2, None),
        ("dispute.debt", "民间借贷纠纷", "dispute", 1, 1, ({12, 1}, 1.5)),
        ("dispute.wages", "劳动报酬（欠薪）纠纷", "dispute", 0.8, 0.6, ({12, 1, 2}, 2.5)),
        ("dispute.contract", "合同纠纷", "dispute", 0.5, 0.3, None),
        ("dispute.property", "物业房屋纠纷", "dispute", 0.8, 0.1, None),
        ("dispute.damage", "损害赔偿纠纷", "dispute", 0.5, 0.5, None),
        ("dispute.requisition", "征地拆迁纠纷", "dispute", 0.2, 0.3, None),
        ("dispute.environment", "环境污染纠纷", "dispute", 0.2, 0.3, ({6, 7, 8}, 1.5)),
        ("dispute.medical", "医疗纠纷", "dispute", 0.2, 0.1, None),
        ("dispute.other", "其他纠纷", "dispute", 0.3, 0.3, None),
    ]),
    # Reported by residents as requests for help until the safety-hazard module owns its kind.
    ("safety", "安全隐患", "help", [
        ("safety.geohazard", "地质灾害隐患", "help", 1, 3, ({5, 6, 7, 8, 9}, 3.0)),
        ("safety.dangerous_house", "危房", "help", 1, 2, ({6, 7, 8}, 1.5)),
        ("safety.fire", "消防隐患", "help", 2, 1.5, ({11, 12, 1, 2}, 1.5)),
        ("safety.traffic", "道路交通隐患", "help", 2, 2, None),
    ]),
    ("civil", "社会保障", "help", [
        ("civil.dibao", "低保申请", "help", 1.5, 2, None),
        ("civil.elderly", "养老服务", "help", 1.5, 1.5, None),
        ("civil.disability", "残疾人帮扶", "help", 1, 1, None),
        ("civil.assistance", "临时救助", "help", 1, 1.5, ({12, 1}, 1.5)),
    ]),
    ("edu", "教育", "complaint", [
        ("edu.enrolment", "入学咨询", "consultation", 2, 1, ({6, 7, 8}, 3.0)),
        ("edu.fees", "教育收费", "complaint", 1, 1, ({2, 3, 9}, 2.0)),
        ("edu.campus", "校园周边环境", "complaint", 1, 0.7, None),
    ]),
    ("health", "医疗卫生", "complaint", [
        ("health.insurance", "医保报销", "consultation", 2, 2, ({11, 12}, 1.5)),
        ("health.service", "医疗服务", "complaint", 1.5, 1, None),
        ("health.vaccination", "预防接种", "consultation", 1, 1, ({10, 11}, 1.5)),
    ]),
    ("agri", "农业农村", "help", [
        ("agri.drinking_water", "农村饮水", "help", 0.3, 3, ({7, 8, 12, 1}, 1.5)),
        ("agri.rural_road", "农村公路", "complaint", 0.2, 3, ({6, 7, 8}, 1.5)),
        ("agri.subsidy", "惠农补贴", "consultation", 0.3, 2, ({4, 5}, 1.5)),
        ("agri.livestock", "动物防疫", "help", 0.2, 1.5, None),
    ]),
    ("transport", "交通出行", "complaint", [
        ("transport.bus", "客运班车", "complaint", 1.5, 2, ({1, 2}, 1.5)),
        ("transport.taxi", "出租车", "complaint", 1.5, 0.2, None),
        ("transport.parking", "乱停乱放", "complaint", 3, 0.5, None),
    ]),
    ("public", "公共服务", "consultation", [
        ("public.policy", "政策咨询", "consultation", 2, 2, None),
        ("public.service", "办事服务", "complaint", 1, 1, None),
        ("public.suggestion", "意见建议", "suggestion", 1, 1, None),
        ("public.power", "停电报修", "help", 2, 2, ({7, 8, 1}, 1.5)),
    ]),
    ("security", "社会治安", "report", [
        ("security.theft", "盗窃", "report", 1.5, 1, None),
        ("security.gambling", "赌博", "report", 1, 1, ({1, 2}, 2.0)),
        ("security.fraud", "防范诈骗", "report", 1, 1, None),
    ]),
    ("petition", "信访事项", "petition", [
        ("petition.land_acquisition", "征地拆迁", "petition", 0.5, 0.5, None),
        ("petition.resettlement", "移民安置", "petition", 0.2, 0.4, None),
        ("petition.policy", "政策落实", "petition", 0.3, 0.3, None),
        ("petition.conduct", "干部作风", "petition", 0.3, 0.3, None),
    ]),
]

# Categories not offered to residents on the public form (信访 is registered by staff).
NOT_PUBLIC = {"petition"}
# Categories whose open cases appear on the public map and in Open311 request lists, and how
# precisely; every other category stays out of public view (disputes, families, welfare, crime).
PUBLIC_LOCATION = {
    "urban.road": "exact", "urban.streetlight": "exact", "urban.drainage": "exact", "urban.water": "grid",
    "env.garbage": "approximate", "env.river": "approximate", "env.burning": "approximate",
    "env.noise": "grid", "safety.traffic": "exact", "agri.rural_road": "approximate",
    "agri.drinking_water": "grid", "transport.parking": "approximate", "public.power": "grid",
}
# Categories whose complaints are about an office of the township: they name it as the
# office complained about and are confidential towards it.
ABOUT_TOWNSHIP_OFFICE = {"public.service", "petition.conduct"}

# ---------------------------------------------------------------------------- offices

CENTRE = ("500229-centre", "县综治中心")

# County departments: (code suffix, name, categories it answers for (top or leaf codes)).
DEPARTMENTS = [
    ("jtj", "县交通局", ["urban.road", "agri.rural_road", "safety.traffic", "transport.bus", "transport.taxi"]),
    ("zjw", "县住房城乡建委", ["urban.property", "urban.water", "urban.drainage", "safety.dangerous_house"]),
    ("cgj", "县城市管理局", ["urban.streetlight", "urban.illegal_building", "env.garbage", "env.fumes",
                        "transport.parking"]),
    ("sthjj", "县生态环境局", ["env.river", "env.livestock", "env.burning", "env.noise", "dispute.environment"]),
    ("rsj", "县人力社保局", ["labour", "dispute.wages"]),
    ("scjgj", "县市场监管局", ["market"]),
    ("wjw", "县卫生健康委", ["health.service", "health.vaccination", "dispute.medical"]),
    ("ybj", "县医疗保障局", ["health.insurance"]),
    ("jw", "县教委", ["edu"]),
    ("gaj", "县公安局", ["security"]),
    ("yjj", "县应急管理局", ["safety.fire"]),
    ("ghzyj", "县规划自然资源局", ["safety.geohazard", "dispute.land", "dispute.requisition"]),
    ("slj", "县水利局", ["agri.drinking_water"]),
    ("nyncw", "县农业农村委", ["agri"]),
    ("mzj", "县民政局", ["civil"]),
    ("tyjrswj", "县退役军人事务局", []),
    # The county petition office: registers petitions and routes them to the competent body.
    ("xfb", "县信访办", ["petition"]),
    ("sfj", "县司法局", ["dispute"]),
    # Judicial mediation and judicial confirmation of mediation agreements (诉调对接, 三调联动).
    ("fy", "县人民法院诉调对接中心", []),
]

# Townships with a people's mediation committee that takes the disputes of the township.
MEDIATION_TOWNSHIPS = ["500229001", "500229002", "500229102", "500229104"]
# Village (community) people's mediation committees. No routing rule sends disputes to them: the
# centre dispatches a dispute there when it is best mediated where the parties live.
VILLAGE_MEDIATION = ["500229001001"]

# Sector rules (行业) for the whole county: category → department code suffix.
SECTOR_RULES = [
    ("urban.road", "jtj"),
    ("agri.rural_road", "jtj"),
    ("safety.traffic", "jtj"),
    ("transport.bus", "jtj"),
    ("transport.taxi", "jtj"),
    ("urban.property", "zjw"),
    ("urban.water", "zjw"),
    ("safety.dangerous_house", "zjw"),
    ("env.river", "sthjj"),
    ("env.livestock", "sthjj"),
    ("labour", "rsj"),
    ("market", "scjgj"),
    ("health", "wjw"),
    ("health.insurance", "ybj"),
    ("edu", "jw"),
    ("security", "gaj"),
    ("safety.fire", "yjj"),
    ("safety.geohazard", "ghzyj"),
    ("agri.drinking_water", "slj"),
    ("agri.subsidy", "nyncw"),
    ("agri.livestock", "nyncw"),
    ("civil.elderly", "mzj"),
    ("civil.disability", "mzj"),
    ("petition", "xfb"),
    # Disputes the county departments mediate themselves (行政调解), wherever they arise; every
    # other dispute type goes to the township's mediation committee or office (属地).
    ("dispute.wages", "rsj"),
    ("dispute.requisition", "ghzyj"),
    ("dispute.environment", "sthjj"),
    ("dispute.medical", "wjw"),
]

# Rules for the county seat only: in the two streets these go to the city management bureau,
# elsewhere to the township (属地). They show that the deeper region wins.
COUNTY_SEAT_RULES = [
    ("env.garbage", "cgj"),
    ("env.fumes", "cgj"),
    ("urban.streetlight", "cgj"),
    ("urban.illegal_building", "cgj"),
    ("transport.parking", "cgj"),
]

# ---------------------------------------------------------------------------- deadlines

# (name, kind, category code, priority, accept, handle, reply, warn before h, escalate after h);
# each time is (amount, unit).
WD, CD, H = "working_days", "calendar_days", "hours"
DEADLINE_POLICIES = [
    ("默认时限", "", None, "", (1, WD), (15, WD), (5, WD), 24, 24),
    ("紧急件", "", None, "urgent", (4, H), (3, CD), (2, CD), 4, 8),
    ("特急件", "", None, "emergency", (1, H), (24, H), (1, CD), 1, 2),
    ("咨询类", "consultation", None, "", (1, WD), (3, WD), (2, WD), 8, 24),
    ("信访事项（信访工作条例）", "petition", None, "", (15, CD), (60, CD), (30, CD), 72, 72),
    ("拖欠工资", "", "labour.wages", "", (1, WD), (10, WD), (5, WD), 24, 24),
    ("地质灾害隐患", "", "safety.geohazard", "", (2, H), (2, CD), (1, CD), 2, 4),
    # Mediation is concluded within 30 days of being accepted (人民调解 practice), the reply within 15.
    ("矛盾纠纷调解", "dispute", None, "", (1, WD), (30, CD), (15, CD), 72, 72),
]

# ---------------------------------------------------------------------------- staff

# The demo accounts printed for the user: (username, display name, role, what the scope is).
# Scope keys: "all" (no scope), "county", "office:<code>", "region:<code>".
DEMO_ACCOUNTS = [
    ("admin", "系统管理员", "admin", "all"),
    ("dispatcher", "王调度", "dispatcher", "county"),
    ("handler", "李承办", "handler", "office:500229001-office"),
    ("supervisor", "赵督办", "supervisor", "county"),
    ("leader", "陈领导", "leader", "county"),
    ("gridworker", "孙网格", "grid_worker", "region:500229001001"),
    # The mediator of 葛城街道人民调解委员会, where the county seat's disputes are routed.
    ("mediator", "周调解", "handler", "office:500229001-tjw"),
]
DEMO_PASSWORD = "demo"

ROLE_LABELS = {
    "admin": ("管理员", "Administrator"),
    "dispatcher": ("受理派单员", "Dispatcher"),
    "handler": ("承办人", "Handler"),
    "supervisor": ("督办", "Supervisor"),
    "leader": ("领导", "Leader"),
    "grid_worker": ("网格员", "Grid worker"),
}
# Demo accounts whose role is better named than by the role alone.
ACCOUNT_LABELS = {"mediator": ("人民调解员（承办人）", "Mediator (handler)")}

# Extra dispatchers at the county centre, so that the history has more than one name.
EXTRA_DISPATCHERS = 2

# ---------------------------------------------------------------------------- names

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏付方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚"
    "邵万严覃向冉舒牟"
)
# Chongqing-flavoured given names, one or two characters.
GIVEN_NAMES = [
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "华", "平", "刚", "红", "玲", "霞", "琴", "波", "斌", "鹏", "兵", "燕", "秀英", "桂英", "建华",
    "志强", "德明", "春梅", "国庆", "建国", "小兰", "海燕", "永富", "开平", "道云", "昌碧", "世贵",
    "明芬", "大勇", "家兵", "远琼", "启兰", "朝富", "光明", "德芳", "泽洪", "正碧", "仕林", "安琼",
    "晓东", "思雨", "欣怡", "俊杰", "宇航", "雪梅", "文静", "子涵", "浩然", "诗琪", "永红", "承刚",
]
# Obviously fake mobile numbers: this prefix plus four digits (1990000xxxx).
FAKE_PHONE_PREFIX = "1990000"

# ---------------------------------------------------------------------------- places

# Spots inside a community (社区) and inside a village (村). Generic on purpose.
URBAN_SPOTS = [
    "滨河路口", "农贸市场旁边", "老街", "文化广场附近", "公租房小区", "二号桥头", "小学门口", "新街口",
    "河堤步道", "汽车站附近", "安置小区", "医院后门", "商业街", "体育场旁边", "菜市场后巷", "幼儿园附近",
    "移民小区", "十字路口", "便民服务中心旁", "沿河街",
]
RURAL_SPOTS = [
    "一组", "二组", "三组", "四组", "五组", "六组", "七组", "村委会附近", "村小学旁边", "老院子",
    "河坝", "大湾", "垭口", "沟口", "坪上", "便民服务点旁边", "村道拐弯处", "上院子", "梁上", "场镇上",
]

# Values for the {slots} of the texts below.
SLOTS = {
    "when": ["最近", "这几天", "近一个月来", "从上周开始", "这段时间", "前两天", "连续好几天", "最近半个月",
             "这一个多星期"],
    "size": ["一米多", "两米左右", "半米多", "三米左右", "一米见方"],
    "n_lamps": ["三四", "五六", "七八", "十来"],
    "n_people": ["三", "五", "七", "十几", "二十多"],
    "n_households": ["三", "五", "七八", "十来", "二十多"],
    "n_trees": ["十几", "二十多", "三十来"],
    "mu": ["五", "八", "十几", "二十多"],
    "age": ["七十八", "八十二", "八十五", "八十九", "九十一"],
    "hour": ["晚上十一点多", "凌晨一两点", "半夜十二点以后", "晚上十点以后"],
    "shop": ["一家烧烤店", "一家火锅店", "一家小超市", "一家面馆", "一家农家乐", "一家KTV", "一家大排档",
             "一家小吃店"],
    "site": ["一处建筑工地", "一个混凝土搅拌站", "一家石材加工厂", "一处安置房工地", "一个道路施工点"],
    "company": ["一家建筑劳务公司", "一家装修公司", "一家砂石厂", "一家农业开发公司", "一家物流公司",
                "一家酒店", "一家超市"],
    "project": ["一处安置房工地", "一个道路硬化项目", "一处边坡治理工地", "一个商品房项目", "一处厂房建设工地",
                "一个人饮工程"],
    "period": ["两个月", "三个多月", "半年", "四个月", "五个月"],
    "amount": ["2.6万", "8000多", "4万多", "1.5万", "12万", "6300", "3万"],
    "neighbour_issue": ["房屋滴水", "排水沟走向", "院坝边界", "楼上漏水", "堆放杂物占道", "修房子挡住出路",
                        "鸡鸭跑进菜地", "共用的水管"],
    "family_situation": ["丈夫去年因病去世，两个孩子还在读书", "老人常年卧病在床，家里没有稳定收入",
                         "我本人患尿毒症每周要透析，已经没办法工作",
                         "孩子父亲外出务工多年联系不上，我一个人带三个孩子"],
    "policy_topic": ["农村危房改造补助", "退役军人优待证", "新生儿落户", "宅基地建房审批", "大学生返乡创业补贴",
                     "公租房申请", "不动产登记", "城乡居民养老保险"],
    "project_public": ["城区道路改造", "安置房建设", "河堤整治工程", "高速公路连接线", "集镇改造"],
    "program": ["低保", "危房改造补助", "产业扶持资金", "公益性岗位"],
}

# Texts per leaf category. {loc} is a place ("葛城街道土城社区滨河路口"), {village} and
# {township} the names; other {slots} come from SLOTS.
TEXTS = {
    "urban.road": [
        "{loc}有一处路面塌陷，坑大约{size}宽，{when}雨天积水严重，行人和电动车经过很危险。",
        "{loc}这段路{when}坑坑洼洼，好几处水泥路面开裂翻起，晚上骑车已经有人摔倒。",
        "{loc}的人行道地砖松动破损，一踩就溅一身泥水，老人小孩走路容易绊倒。",
        "{loc}路边的井盖破了一个角，{when}一直没人更换，旁边只放了一块砖头做提示。",
    ],
    "urban.streetlight": [
        "{loc}一带的路灯{when}晚上都不亮，大概有{n_lamps}盏，晚上出门黑漆漆的，很不安全。",
        "{loc}有一盏路灯白天一直亮着，晚上反而忽明忽暗，应该是线路有问题。",
        "{loc}的路灯杆被车撞歪了，灯罩掉在地上，电线露在外面，担心有人触电。",
    ],
    "urban.illegal_building": [
        "{loc}有一户人家{when}在楼顶加盖彩钢棚，已经搭了一层多高，影响邻居采光，也存在安全隐患。",
        "{loc}有人在河堤边私自搭建砖房，看起来没有任何审批手续。",
        "{loc}一楼商户把门前的公共绿地围起来，砌了围墙当成自家院子。",
    ],
    "urban.water": [
        "{loc}{when}经常停水，也没有提前通知，一停就是大半天，家里老人做饭都成问题。",
        "{loc}的自来水{when}放出来发黄，还有一股怪味，不敢直接饮用。",
        "{loc}楼层高的住户水压太小，白天基本不来水，只有半夜才能接一点。",
    ],
    "urban.drainage": [
        "{loc}的下水道堵塞，一下雨污水就漫到路面上，臭味很大。",
        "{loc}路边排水沟被建筑垃圾堵死了，{when}一下雨积水就有小腿深。",
        "{loc}的化粪池满了往外冒，污水顺着路面流，住户意见很大。",
    ],
    "urban.property": [
        "{loc}的物业{when}不怎么管事，楼道灯坏了几个月没修，垃圾也堆着没人清。",
        "{loc}的电梯经常出故障，{when}已经困过两次人，物业只是简单重启，没有彻底维修。",
        "{loc}的物业费涨价没有开业主大会，也没有公示收支情况，业主们不认可。",
    ],
    "env.noise": [
        "{loc}{shop}每天到{hour}还在营业，客人喝酒划拳声音很大，周边居民根本睡不着觉。",
        "{loc}{site}{when}夜间施工，机器声一直响到{hour}，严重影响休息。",
        "{loc}跳广场舞的音响开得特别大，每天晚上从七点跳到十点，家里孩子没法写作业。",
        "{loc}有商户在门口用大喇叭循环播放促销广告，从早到晚不停，吵得人心烦。",
    ],
    "env.garbage": [
        "{loc}的垃圾桶{when}满了没人清运，垃圾堆到路上，天一热苍蝇蚊子到处飞。",
        "{loc}有人长期在路边倾倒建筑垃圾和生活垃圾，已经堆成了一个小山。",
        "{loc}的垃圾收集点清运不及时，经常两三天才拉一次，味道很难闻。",
    ],
    "env.river": [
        "{loc}旁边的小河{when}水变得浑浊发黑，还漂着死鱼，怀疑上游有人偷排污水。",
        "{loc}河边有养殖场把粪水直接排进河里，河水发臭，下游还有人在河里洗菜。",
        "{loc}的河道里被倒了很多垃圾和废渣，一涨水就会堵住河道。",
    ],
    "env.fumes": [
        "{loc}楼下{shop}的油烟管道直接对着居民窗户排放，家里窗户都不敢开。",
        "{loc}{shop}在门口露天烧烤，油烟很大，整条街都是烟味。",
    ],
    "env.burning": [
        "{loc}经常有人在空地上焚烧垃圾和塑料，气味刺鼻，浓烟飘进附近住户家里。",
        "{loc}有人在田边焚烧秸秆和杂草，烟很大，而且离山林很近，担心引起山火。",
    ],
    "env.livestock": [
        "{loc}有一家养猪场离住户太近，臭味很重，夏天根本不能开窗。",
        "{loc}养牛户的粪便随意堆在路边，一下雨就冲到路上和田里。",
    ],
    "labour.wages": [
        "我们{n_people}个人在{loc}附近的{project}做工，包工头拖欠了{period}的工资，共计{amount}元，现在电话也打不通。",
        "本人之前在{company}上班，离职后公司一直不结算最后{period}的工资，大约{amount}元，多次讨要都说没钱。",
        "{loc}附近{project}的老板拖欠农民工工资{amount}元，临近年底，工人们都等着这笔钱回家过年。",
    ],
    "labour.insurance": [
        "我在{company}上班一年多了，公司一直没有给我买社保，想问问应该怎么处理。",
        "想咨询一下灵活就业人员怎么在县里缴纳养老保险，每年交多少钱，在哪里办理。",
        "我父亲今年满六十岁了，想了解城乡居民养老保险什么时候能开始领取，需要准备什么材料。",
    ],
    "labour.employment": [
        "我是返乡农民工，想在{village}搞一个小型养殖场，想咨询创业担保贷款的申请条件。",
        "请问县里最近有没有免费的技能培训，比如电工、厨师之类的，在哪里报名？",
    ],
    "market.food": [
        "我{when}在{loc}{shop}买的熟食，吃了以后拉肚子，家里两个人都不舒服，怀疑食品不卫生。",
        "{loc}{shop}后厨卫生条件很差，员工没有健康证，还在使用过期的调料。",
        "{loc}有流动摊贩卖散装白酒和自制腊肉，没有任何标签，担心有安全问题。",
        "{loc}学校门口的小卖部在卖三无辣条和过期饮料，很多小学生都在那里买。",
    ],
    "market.price": [
        "{loc}{shop}标的价格和结账时不一样，结账时多收了钱，和店家理论对方态度很差。",
        "{loc}{shop}搞所谓的清仓打折，实际上是先涨价再打折，属于虚假宣传。",
    ],
    "market.quality": [
        "我在{loc}一家电器店买的热水器，用了不到一个月就漏水，商家推给厂家，厂家又推给商家。",
        "在{loc}的农资店买的化肥，撒下去以后庄稼反而发黄，怀疑是假化肥。",
    ],
    "market.unlicensed": [
        "{loc}有人用塑料桶私自卖散装汽油，没有任何证照，存在很大的安全隐患。",
        "{loc}有人在自家院子里开了个小作坊加工豆腐和米粉，没有营业执照，卫生条件也很差。",
    ],
    "dispute.neighbour": [
        "我家和邻居因为{neighbour_issue}的问题发生矛盾，{when}已经吵了好几次，差点动手。",
        "{loc}两户村民因为{neighbour_issue}闹得很僵，昨天又起了冲突，担心矛盾激化。",
        "楼上邻居家{when}一直往我家渗水，找他协商维修，他说不是他家的问题，双方谈不拢。",
    ],
    "dispute.land": [
        "我家在{loc}的承包地和邻居家的地界有争议，对方把界石往我家这边挪了一米多。",
        "{loc}有村民修房子占用了我家的自留地，协商了好几次都没有结果。",
        "{loc}几户人家对一块老宅基地的归属说法不一致，因为确权的事情一直在扯皮。",
    ],
    "dispute.family": [
        "我和兄弟姐妹在老人赡养问题上有分歧，{when}家里闹得很不愉快，想请调解员帮忙。",
        "{loc}有一户人家夫妻经常吵架，{when}闹着要离婚，涉及孩子抚养和房子分割，双方情绪都比较激动。",
        "父母去世后留下的老房子，兄弟几个对怎么分一直谈不拢。",
    ],
    "dispute.forest": [
        "我家在{loc}，和邻组对一片山林的边界有争议，双方林权证上的四至描述不一致。",
        "{loc}有人越界砍了我家林地里的{n_trees}棵杉树，对方说那片林子是他们家的。",
        "{loc}两个村民小组对一片集体山林的承包权有争议，{when}因为采挖中药材起了冲突。",
    ],
    "dispute.debt": [
        "前几年借给同村一个人{amount}元，说好半年就还，现在两年多了一直拖着不还。",
        "我帮{company}垫付了一批材料款{amount}元，对方一直拖着不结账，找了好几次都没用。",
    ],
    "dispute.wages": [
        "{n_people}个工友在{project}干了{period}，包工头拖欠工资{amount}元，{when}人都找不到了。",
        "{company}拖欠我们{period}的工资，老板说等工程款到了再发，一拖再拖，快过年了想请人帮忙协调。",
    ],
    "dispute.contract": [
        "和{company}签了装修合同，付了{amount}元定金，对方{when}一直不开工，也不退钱。",
        "{loc}租给别人的门面，对方提前退租还拖欠{period}房租，双方对合同怎么算谈不拢。",
    ],
    "dispute.property": [
        "{loc}的业主和物业因为车位收费的问题{when}一直有矛盾，物业把不交费的车挡在外面。",
        "买的安置房交房后墙面开裂漏水，开发商和业主对维修责任各执一词。",
    ],
    "dispute.damage": [
        "{loc}邻居家装修时把我家的墙打裂了，要求赔偿，对方只愿意出一小部分。",
        "{loc}一辆三轮车把路边摆摊的老人撞伤，双方对医药费和误工费的赔偿数额争执不下。",
    ],
    "dispute.requisition": [
        "{loc}修{project_public}占了我家的地，补偿标准和别家不一样，想请政府给个说法。",
        "{loc}几户村民对房屋拆迁的面积认定有异议，{when}拒绝搬迁，双方僵持不下。",
    ],
    "dispute.environment": [
        "{loc}{site}的粉尘把我家的果树和庄稼都污染了，找他们赔偿一直没有结果。",
        "{loc}的养殖场污水流进了下面几户人家的鱼塘，鱼死了不少，双方对赔偿有争议。",
    ],
    "dispute.medical": [
        "家里老人在镇卫生院输液后出现不良反应，家属认为医院有责任，双方对赔偿有争议。",
        "在{loc}一家诊所拔牙后感染住院，诊所不承认有过错，想请人出面调解。",
    ],
    "dispute.other": [
        "{loc}两个村民小组因为共用的一条机耕道维修出钱的事情有矛盾，{when}已经吵了几次。",
        "{loc}几户人家对集体林地的分红怎么分意见不一致，请求调解。",
    ],
    "safety.geohazard": [
        "{loc}后山{when}出现一条裂缝，有十几米长，下雨后还在变宽，下面住着{n_households}户人家。",
        "{loc}的公路边坡有石头往下掉，{when}下雨后掉得更多，过往车辆很危险。",
        "{loc}房屋后面的堡坎开始鼓包变形，墙根有泥水渗出来，担心发生滑坡。",
        "{loc}有一处山体小规模垮塌，泥土堵住了排水沟，担心再下大雨会继续垮。",
    ],
    "safety.dangerous_house": [
        "{loc}有一栋老土坯房墙体开裂，里面还住着一位独居老人，担心房子垮塌。",
        "{loc}有一栋老楼的阳台底部钢筋外露，墙皮成块往下掉，楼下就是人行道。",
    ],
    "safety.fire": [
        "{loc}楼道里堆满了杂物，还有人在楼道里给电动车充电，消防通道也被车堵死了。",
        "{loc}{shop}后面堆放了大量纸箱和泡沫，旁边就是液化气罐，一旦着火后果不堪设想。",
        "{loc}有人从楼上拉电线下来给电动车充电，电线就挂在窗户外面。",
        "{loc}有几户人家在屋里烧柴取暖，烟囱紧挨着木板墙，存在火灾隐患。",
    ],
    "safety.traffic": [
        "{loc}这个急弯没有护栏也没有警示标志，{when}已经发生了两起车辆侧翻。",
        "{loc}学校门口没有减速带和斑马线，上下学时车辆开得飞快，孩子过马路很危险。",
        "{loc}公路上有一段护栏被撞坏了，下面就是河沟，一直没有修复。",
    ],
    "civil.dibao": [
        "我家{family_situation}，想咨询能不能申请低保，需要准备哪些材料。",
        "{loc}有一户老人生活很困难，儿女都在外地不管，希望政府看看能不能纳入低保。",
        "我家的低保{when}突然被停了，没有人通知原因，想了解一下情况。",
    ],
    "civil.elderly": [
        "{loc}有位{age}岁的独居老人，{when}身体不好，行动不便，希望能安排人上门照看。",
        "想了解县里的敬老院或者养老服务中心怎么申请入住，老人今年{age}岁了。",
        "我父亲的高龄津贴{when}没有发放，想问问是什么原因。",
    ],
    "civil.disability": [
        "我孩子是二级智力残疾，想咨询残疾人两项补贴怎么申请。",
        "{loc}有一位肢体残疾的村民家里房子漏雨，生活困难，希望能给予帮扶。",
    ],
    "civil.assistance": [
        "我家{when}遭遇火灾，房子烧了一半，现在住不了人，请求政府给予临时救助。",
        "我爱人突发脑溢血住院，已经花了{amount}元，家里实在拿不出钱了，希望能申请临时救助。",
    ],
    "edu.enrolment": [
        "孩子今年满六岁，户口在{township}，但我们住在{village}，想咨询孩子应该到哪个学校报名上一年级。",
        "我们是外地来城口务工的，想问问孩子转学到县城读初中需要办哪些手续。",
    ],
    "edu.fees": [
        "{township}有学校要求学生统一购买校服和教辅资料，价格比外面贵不少，家长意见很大。",
        "孩子所在的幼儿园{when}又涨了伙食费，没有提前公示，家长不清楚收费依据。",
    ],
    "edu.campus": [
        "{loc}学校放学时段校门口摆满了流动摊点，车辆也乱停，孩子们出校门很挤。",
        "{loc}学校附近有网吧接待未成年人，经常看到穿校服的学生进出。",
    ],
    "health.insurance": [
        "我家老人在重庆主城住院，想问异地就医备案怎么办理，出院以后回县里能报销多少。",
        "想咨询城乡居民医保今年的缴费标准和截止时间，在哪里可以交。",
        "我在{township}卫生院看门诊拿药，报销比例和去年不一样了，想了解一下具体政策。",
    ],
    "health.service": [
        "{when}带孩子到县医院看急诊，排队等了两个多小时没人管，医生态度也很冷淡。",
        "{township}卫生院{when}经常缺药，常用的降压药都拿不到，只能跑到县城去买。",
    ],
    "health.vaccination": [
        "孩子的预防接种本丢了，想问问怎么补办，以前的接种记录还能查到吗？",
        "想了解老人接种流感疫苗是不是免费，在{township}卫生院能不能打。",
    ],
    "agri.drinking_water": [
        "{loc}{when}吃水困难，集中供水池的水管冻裂了，现在{n_households}户人家要到一里外去挑水。",
        "{loc}的饮水池{when}水源不足，一到干旱季节就断水。",
        "{loc}的自来水管道年久失修，到处漏水，住在高处的几户基本接不到水。",
    ],
    "agri.rural_road": [
        "{loc}的通组公路有一段路基被水冲垮了一半，现在只能走摩托车，农产品运不出去。",
        "{loc}的村道硬化后路面开裂严重，才修了两年就到处是坑，怀疑工程质量有问题。",
        "{loc}公路边的排水沟堵了，一下雨水就漫到路面上，路面被冲坏得很厉害。",
    ],
    "agri.subsidy": [
        "想咨询今年的耕地地力保护补贴什么时候发放，我家的还没有到账。",
        "我今年种了{mu}亩中药材，想问问县里有没有相关的产业扶持补贴。",
    ],
    "agri.livestock": [
        "我家在{loc}养的猪{when}接连死了好几头，不知道是不是得了什么病，请畜牧站派人来看看。",
        "{loc}有养殖户把病死的鸡鸭随手扔在沟里，没有做无害化处理。",
    ],
    "transport.bus": [
        "{township}到县城的客运班车{when}经常不按时发车，有时候等一个多小时也不来。",
        "{township}开往县城的班车经常超载，过道里都站满了人，存在安全隐患。",
        "{village}附近没有班车停靠点，村民去县城要走很远才能坐上车。",
    ],
    "transport.taxi": [
        "在{loc}坐出租车，司机不打表，到汽车站一口价要二十块，还拼了两个客人。",
        "{when}在{loc}打车，出租车司机嫌路程太短拒载。",
    ],
    "transport.parking": [
        "{loc}路边长期停放着几辆僵尸车，占用车位，车身上已经积满了灰。",
        "{loc}的小区门口经常有车辆乱停，把消防通道和出入口都堵住了。",
    ],
    "public.policy": [
        "想咨询一下{policy_topic}的相关政策，应该到哪个部门办理。",
        "请问{policy_topic}需要准备什么材料，能不能在{township}便民服务中心直接办？",
    ],
    "public.service": [
        "{when}到{township}便民服务中心办理{policy_topic}，窗口人员不在岗，等了一上午都没人办理。",
        "到{township}办理{policy_topic}，每次去都说材料不齐，但又不一次性告知缺什么，已经跑了三趟。",
    ],
    "public.suggestion": [
        "建议在{loc}安装一些健身器材，附近老人和小孩多，没有活动的地方。",
        "建议在{loc}增设一个公共厕所，赶场天人很多，现在没有上厕所的地方。",
        "建议{township}在汛期前组织一次河道清淤，去年涨水时{village}有几户人家被淹。",
    ],
    "public.power": [
        "{loc}{when}经常停电，一天停好几次，冰箱里的东西都坏了。",
        "{loc}有一根电线杆被大风刮倒了，电线搭在路边的树上，担心有人碰到。",
    ],
    "security.theft": [
        "{loc}{when}接连有几户人家的电动车电瓶被偷，希望加强夜间巡逻。",
        "我家在{loc}，放在院子里的农机具晚上被人偷走了，已经是这个月第二次了。",
    ],
    "security.gambling": [
        "{loc}有一家茶馆长期有人聚集打大牌，赌资很大，经常通宵，影响周边居民休息。",
    ],
    "security.fraud": [
        "家里老人{when}接到自称医保局工作人员的电话，让他提供银行卡号和验证码，怀疑是诈骗。",
        "{loc}有人上门推销所谓的保健品，说能治百病，很多老人都买了，价格很高。",
    ],
    "petition.land_acquisition": [
        "本人房屋因{project_public}被征收，对评估补偿标准有异议，多次反映未得到答复，请求依法处理。",
        "{loc}的土地被{project_public}项目占用已经两年了，青苗补偿款到现在还没有兑现。",
        "{loc}二十多户村民的承包地被{project_public}项目征收，征地补偿款至今没有足额发放到户，我们多次到{township}"
        "反映都没有结果。",
    ],
    "petition.resettlement": [
        "我家是水库移民，后期扶持资金已经{period}没有到位了，我们多次到{township}反映，请求核实处理。",
        "我们{village}的移民安置房交付才三年，很多户的房屋墙体开裂、屋顶渗水，多次反映一直没有人来维修。",
    ],
    "petition.policy": [
        "本人是退役军人，向有关部门申请落实优抚待遇，一直没有结果，请求依法依规处理。",
        "我是原民办教师，想反映教龄补助的落实问题，之前提交过材料，至今没有回复。",
        "我父亲八十多岁了，一个人住在{village}，申请高龄津贴已经{period}，一直没有批下来，{township}说材料还在审核。",
    ],
    "petition.conduct": [
        "{township}有工作人员在办理{policy_topic}时多次推诿，让群众跑了好几趟还办不下来，要求给个说法。",
        "反映{township}在低保评定中优亲厚友，评定结果也不张榜公示，{village}的群众意见很大。",
    ],
}

# How a text may begin ("" for no opener).
OPENERS = ["", "", "", "您好，", "你好，我要反映一个问题。", "我是{village}的居民，", "本人住在{township}{village}，",
           "反映一下，"]

# How a grid worker's report from patrol may begin.
PATROL_OPENERS = ["", "", "网格巡查发现：", "巡查中发现，", "入户走访时群众反映，"]

# How a text may end, by the category's top level where given, else by kind.
CLOSERS = {
    "complaint": ["希望尽快处理。", "请相关部门尽快处理。", "麻烦尽快派人来看看。", "希望有关部门重视一下。", ""],
    "report": ["请有关部门依法查处。", "请相关部门核实处理。", "希望尽快制止。", ""],
    "help": ["恳请帮助解决。", "希望政府帮忙想想办法。", "麻烦帮忙协调一下。", ""],
    "consultation": ["谢谢。", "请告知具体办理流程，谢谢。", "麻烦告知一下。", ""],
    "suggestion": ["请有关部门考虑。", "希望能采纳。", ""],
    "dispute": ["希望村里或者街道帮忙调解。", "请调解员出面调解。", "希望有人出面协调。", ""],
    "safety": ["请尽快派人查看，消除隐患。", "请尽快处置，以免发生事故。", "情况比较急，请尽快处理。"],
    "petition": ["请求依法依规处理。", "恳请领导重视。", ""],
}

# ---------------------------------------------------------------------------- replies and notes

# What the office did, per leaf category: one reply per text in TEXTS, in the same order, so
# that the answer fits the concern; wrapped in REPLY_OPENERS / REPLY_CLOSERS.
REPLIES = {
    "urban.road": [
        "已安排养护人员对塌陷路面进行开挖回填并重新硬化，目前已恢复正常通行",
        "已安排施工队对开裂破损的路面进行修补，施工期间设置了警示标志",
        "已安排人员对松动破损的人行道地砖进行更换和重新铺设",
        "已联系井盖权属单位更换了破损井盖，安全隐患已消除",
    ],
    "urban.streetlight": [
        "已安排维修人员对该路段路灯线路进行检修，更换了损坏的灯具，路灯已恢复照明",
        "经检修系路灯控制器故障，已更换控制器，路灯已能按时开关",
        "已安排人员扶正路灯杆、更换灯罩，并对裸露电线做了绝缘处理",
    ],
    "urban.illegal_building": [
        "经核查该彩钢棚未取得规划许可，已下达限期拆除通知书，当事人已自行拆除",
        "经核查该建筑未办理任何审批手续，已责令当事人停止建设并依法立案查处",
        "已责令该商户拆除围墙、恢复公共绿地原状，现已整改到位",
    ],
    "urban.water": [
        "经查系供水管道爆管抢修导致停水，现已恢复供水，已要求供水公司今后停水前提前公告",
        "已安排供水公司对该片区管网进行冲洗并送检水样，检测结果符合饮用水标准",
        "已协调供水公司为该片区加装二次加压设备，高层住户用水已基本恢复正常",
    ],
    "urban.drainage": [
        "已组织人员疏通堵塞的下水道，排水已恢复正常",
        "已组织清理排水沟内的建筑垃圾，并对倾倒者进行了批评教育",
        "已协调环卫部门对化粪池进行清掏，并对周边路面进行了冲洗消毒",
    ],
    "urban.property": [
        "已约谈物业服务企业并责令限期整改，楼道照明已修复，积存垃圾已清运",
        "已督促物业公司委托专业单位对电梯进行全面检修，并要求按规定公示维保记录",
        "已责令物业公司按规定公示收支情况，调价事项须经业主大会依法表决",
    ],
    "env.noise": [
        "已对该商户进行教育，责令其晚上十点后停止室外经营，后续将加强夜间巡查",
        "已责令施工单位停止夜间施工，确需夜间连续作业的须依法办理手续并提前公告",
        "已与广场舞队伍负责人沟通，约定降低音量并在晚上九点前结束",
        "已责令商户停止使用高音喇叭招揽顾客",
    ],
    "env.garbage": [
        "已安排环卫人员清运积存垃圾，并增加该点位的清运频次",
        "已组织清理现场堆积的垃圾，设置了禁止倾倒标识，并将加强巡查",
        "已调整清运线路，该收集点改为每日清运一次",
    ],
    "env.river": [
        "已会同相关部门沿河排查，对偷排污水的单位责令停止排放并立案查处",
        "已责令养殖场停止直排、完善粪污处理设施，并依法处理",
        "已组织人员清理河道内的垃圾和废渣，并落实河长巡河责任",
    ],
    "env.fumes": [
        "已责令商户加装油烟净化设施，并将排放口改为高空排放",
        "已劝导商户停止露天烧烤，并纳入日常巡查",
    ],
    "env.burning": [
        "已到现场制止焚烧行为，对当事人进行了宣传教育并清理了现场",
        "已到现场扑灭火点，并对当事人进行了森林防火宣传教育",
    ],
    "env.livestock": [
        "已责令养猪场完善粪污处理设施并限期整改，整改期间加强跟踪检查",
        "已督促养殖户清理路边堆放的粪便，并指导其建设堆粪棚",
    ],
    "labour.wages": [
        "经劳动保障监察大队介入，已责令总承包单位先行垫付，拖欠的工资已全部支付到工人手中",
        "已约谈该公司负责人，公司已结清拖欠的工资",
        "已对用工单位立案调查并督促其制定支付计划，首批工资已兑付，剩余部分约定在春节前付清",
    ],
    "labour.insurance": [
        "已告知用人单位依法为职工参保的义务，并指导反映人可向劳动保障监察部门投诉维权",
        "已告知灵活就业人员参保的缴费标准和办理渠道，可在县社保中心窗口或手机上办理",
        "已告知城乡居民养老保险的待遇领取条件和所需材料，可到乡镇（街道）便民服务中心办理",
    ],
    "labour.employment": [
        "已告知创业担保贷款的申请条件和所需材料，并推荐参加近期的创业培训",
        "已告知近期免费职业技能培训的项目、报名时间和地点",
    ],
    "market.food": [
        "执法人员已对该商户进行检查，责令停业整改，并对相关食品抽样送检",
        "已对该店后厨进行检查，责令员工办理健康证、销毁过期调料，并依法予以处理",
        "已对流动摊贩进行劝离，暂扣了无标签食品，将加强巡查",
        "已对该小卖部进行检查，下架了三无食品和过期饮料，并依法处理",
    ],
    "market.price": [
        "经调查商户存在价格违法行为，已责令退还多收款项并依法处理",
        "已约谈商户，责令停止虚假打折宣传并规范明码标价",
    ],
    "market.quality": [
        "经调解，商家同意为消费者更换新的热水器",
        "已对该农资店进行检查，对涉嫌问题化肥抽样送检并责令暂停销售",
    ],
    "market.unlicensed": [
        "已会同应急管理部门取缔该非法售油点，没收了散装汽油",
        "已取缔无证加工作坊，并指导其依法办理相关证照",
    ],
    "dispute.neighbour": [
        "调解员组织双方当事人面对面协商，双方达成一致意见并签订了调解协议",
        "经村（社区）调解委员会多次上门调解，双方各让一步，矛盾已化解",
        "已组织双方现场查找渗水原因，楼上住户同意维修防水层，双方达成调解协议",
    ],
    "dispute.land": [
        "会同村委会查阅原始承包资料并现场勘界，重新埋设了界石，双方认可调解结果",
        "已组织双方协商，占地一方同意退还自留地并恢复原状",
        "已会同规划自然资源部门调查宅基地权属，向各方解释了确权政策，各方同意按调查结果办理",
    ],
    "dispute.family": [
        "调解员上门做各方工作，兄弟姐妹就赡养费用分担达成了书面协议",
        "已组织亲属和村干部共同调解，双方情绪已平稳，并告知可依法向法院起诉",
        "调解员组织兄弟几人协商，就老房子的分割达成了调解协议",
    ],
    "dispute.forest": [
        "会同林业站工作人员现场核对林权证并确定界址，双方签订了调解协议",
        "已组织双方协商赔偿事宜，并对越界采伐行为进行了批评教育",
        "已组织两个村民小组协商，明确了山林承包界线和采挖中药材的范围",
    ],
    "dispute.debt": [
        "调解员组织双方协商，借款人同意分期还款并签订了还款协议",
        "经调解双方未达成一致，已告知当事人可向人民法院提起诉讼，并提供了法律援助渠道",
    ],
    "safety.geohazard": [
        "已组织技术人员现场排查，将该点纳入监测并落实专人监测，受威胁住户已临时转移避险",
        "已设置警示标志，安排人员清理落石，并纳入汛期重点巡查",
        "已组织技术人员现场查看，动员住户暂时搬离，并安排排危治理",
        "已组织机械清理垮塌土方、疏通排水沟，并安排专人雨中巡查",
    ],
    "safety.dangerous_house": [
        "经房屋安全鉴定为危房，已动员老人搬到亲属家居住，并纳入危房改造计划",
        "已设置警戒区域，督促产权人限期排危修缮",
    ],
    "safety.fire": [
        "已会同消防救援人员现场检查，清理了楼道杂物和堵塞消防通道的车辆，并责令停止违规充电",
        "已责令商户清理易燃物品，并规范液化气罐的存放",
        "已拆除私拉的电线，并引导住户到集中充电点充电",
        "已上门开展用火安全检查，指导住户改造烟囱并配备了灭火器",
    ],
    "safety.traffic": [
        "已在急弯处增设警示标志和波形护栏",
        "已设置减速带和人行横道线，上下学时段安排人员护学",
        "已修复损坏的护栏",
    ],
    "civil.dibao": [
        "已告知低保申请的条件和所需材料，并安排工作人员入户调查核实",
        "已安排工作人员入户核查，对符合条件的已按程序纳入低保",
        "经核查，因家庭收入情况变化已按程序调整，已当面向申请人解释政策",
    ],
    "civil.elderly": [
        "已安排社区工作人员和志愿者定期上门探访，并将老人纳入特殊困难老人关爱名单",
        "已告知养老机构入住的申请流程，并协助联系了就近的养老服务中心",
        "经核实系银行账户变更导致发放失败，已重新发放",
    ],
    "civil.disability": [
        "已告知残疾人两项补贴的申请流程，并协助准备申请材料",
        "已将该户纳入帮扶对象，并安排了房屋修缮",
    ],
    "civil.assistance": [
        "已按程序给予临时救助，救助金已发放到户",
        "已启动临时救助程序，并协调了医疗救助",
    ],
    "edu.enrolment": [
        "已告知按户籍和实际居住地划片入学的政策，以及报名时间和所需材料",
        "已告知转学办理流程，可持相关材料到县教委窗口办理",
    ],
    "edu.fees": [
        "经核查，已责令学校停止统一购买，由学生和家长自愿选择",
        "已督促幼儿园按规定公示收费标准和依据",
    ],
    "edu.campus": [
        "已会同市场监管和交通部门对校门口的流动摊点和乱停车辆进行整治",
        "已对相关网吧进行检查，对接纳未成年人的行为依法处理",
    ],
    "health.insurance": [
        "已告知异地就医备案的办理方式和报销政策",
        "已告知今年的缴费标准、缴费渠道和截止时间",
        "已告知今年门诊报销政策的调整情况和报销比例",
    ],
    "health.service": [
        "已约谈医院相关科室负责人，要求改进急诊服务流程和服务态度",
        "已督促卫生院完善常用药品的采购和配备",
    ],
    "health.vaccination": [
        "已告知可到接种单位查询接种记录并补办接种证",
        "已告知老年人流感疫苗接种政策和可接种的单位",
    ],
    "agri.drinking_water": [
        "已组织人员抢修冻裂的水管，群众饮水已恢复",
        "已安排送水车临时保障饮水，并将水源改造纳入计划",
        "已组织人员更换漏水管道，高处住户已能正常用水",
    ],
    "agri.rural_road": [
        "已组织机械清理塌方并修复路基，已恢复通行",
        "已通知施工单位在保修期内对开裂路面进行维修",
        "已组织疏通排水沟并修补了被冲坏的路面",
    ],
    "agri.subsidy": [
        "经查询，补贴资金已发放，已告知查询方式",
        "已告知中药材产业扶持政策和申报方式",
    ],
    "agri.livestock": [
        "已安排动物防疫人员上门诊断，并指导做好消毒隔离",
        "已对病死畜禽进行无害化处理，并对养殖户进行了教育",
    ],
    "transport.bus": [
        "已约谈客运公司，要求严格按班次时刻表发车",
        "已督促客运企业整改超载问题，并加强路面检查",
        "已将增设停靠点的建议纳入客运线路优化方案",
    ],
    "transport.taxi": [
        "经查证属实，已对该出租车驾驶员依法处理",
        "已对驾驶员进行约谈教育，并纳入服务质量考核",
    ],
    "transport.parking": [
        "已张贴限期挪车通知，逾期未挪的车辆已依法拖移",
        "已加强巡查，对占用消防通道的车辆进行劝离",
    ],
    "public.policy": [
        "已详细告知相关政策和承办部门",
        "已告知所需材料，可在便民服务中心一窗办理",
    ],
    "public.service": [
        "已对窗口工作人员进行批评教育，并落实首问负责制",
        "已约谈相关负责人，要求严格落实一次性告知制度",
    ],
    "public.suggestion": [
        "感谢您的建议，已纳入明年的健身设施建设计划",
        "感谢您的建议，已将公共厕所选址纳入规划",
        "已安排在汛期前对该河段进行清淤",
    ],
    "public.power": [
        "已联系供电所检修线路，供电已恢复正常",
        "已协调供电所对倒伏电杆进行更换加固",
    ],
    "security.theft": [
        "已受理并开展调查，同时加强了夜间巡逻",
        "已立案调查，并提醒群众加强防范",
    ],
    "security.gambling": [
        "已对该场所进行检查并依法处理",
    ],
    "security.fraud": [
        "已上门为老人开展防诈骗宣传",
        "已对上门推销人员进行调查，并开展防骗宣传",
    ],
    "petition.land_acquisition": [
        "已按程序出具信访处理意见书，对补偿标准进行了解释，并告知申请复查的权利",
        "经核实，青苗补偿款已兑付到位",
        "经核实，征地补偿款已足额发放到户，并在村务公开栏公示了发放明细",
    ],
    "petition.resettlement": [
        "经核实，后期扶持资金已补发到位",
        "已委托检测机构对安置房进行鉴定，并督促施工单位维修",
    ],
    "petition.policy": [
        "已按政策进行核实认定，并出具书面答复意见",
        "经核实，已按政策落实教龄补助",
        "经核实，已完成审批并补发高龄津贴",
    ],
    "petition.conduct": [
        "经调查核实，已对相关工作人员进行批评教育并责令整改",
        "经调查，反映问题部分属实，已责令重新评定并公示",
    ],
}

REPLY_OPENERS = ["经现场核实，", "接件后我单位立即安排人员到现场查看，", "经调查核实，",
                 "收到诉求后，工作人员与反映人联系并到现场了解了情况，", ""]
REPLY_OPENERS_CONSULTATION = ["您好，", "经查询相关政策，", ""]
# The reply after a reopened case was handled again.
REPLY_OPENERS_AGAIN = ["经再次核实，", "重新办理后，", "再次到现场核查后，"]
# Openers that do not presume a reporter to talk to (anonymous cases, grid workers' reports).
REPLY_OPENERS_NO_REPORTER = ["经现场核实，", "接件后我单位立即安排人员到现场查看，", "经调查核实，", ""]
REPLY_CLOSERS = ["已电话告知反映人办理结果。", "已向反映人反馈，反映人表示认可。", "后续将加强日常巡查。",
                 "办理结果已告知反映人。"]
REPLY_CLOSER_ANONYMOUS = "匿名反映，办理结果已在平台登记。"
REPLY_CLOSER_GRID_WORKER = ["已告知上报的网格员，由其现场复核。", "已反馈网格员跟踪复核。"]

REJECT_REASONS = [
    "经核实，该事项已进入司法诉讼程序，不属于受理范围，已告知通过法律途径解决。",
    "反映人所述事项不在本县管辖范围内，已告知向所在地有关部门反映。",
    "诉求内容不明确，多次联系反映人未能核实具体情况，暂不受理，欢迎补充后重新反映。",
    "该事项属于民事合同纠纷，已告知可依法申请仲裁或提起诉讼。",
    "反映事项已有处理结论，且无新的事实和理由，不再重复受理。",
]

RETURN_REASONS = {
    "to_department": "该事项属于{office}的行业管理职责，不属于本单位职能范围，申请退回重新派单。",
    "to_township": "该事项属于属地管理事项，应由{office}先行处置，申请退回重新派单。",
}
TRANSFER_NOTES = ["经协调，该事项转{office}办理。", "涉及{office}职责，转其办理，请按期办结。"]

WAIT_QUESTIONS = {
    "default": ["请补充具体位置和现场照片，以便我们尽快核实。", "请提供更详细的地址或附近的标志性建筑。",
                "电话未能接通，请反映人方便时回电补充情况。"],
    "labour": ["请提供劳动合同、考勤记录或工资条等相关材料。", "请提供用工单位的全称和包工头的联系方式。"],
    "market": ["请提供购物小票或付款记录。", "请提供商品照片和购买凭证。"],
    "dispute": ["请提供对方当事人的联系方式，以便组织调解。", "请提供相关的土地或林权证明材料。"],
    "civil": ["请提供户口簿、身份证和家庭收入情况说明。", "请提供医疗费用票据和诊断证明。"],
    "petition": ["请提供之前反映的时间和收到的答复材料。", "请提供相关的证明材料原件或复印件。"],
}
RESUME_NOTES = ["反映人已补充材料，继续办理。", "已与反映人取得联系并核实情况。", ""]
EXTENSION_REASONS = ["涉及多个部门协调，需要更多时间。", "需等待检测（鉴定）结果。", "需要施工单位进场维修，工期较长。",
                     "当事人暂时外出，调解需待其返回后进行。", "需筹集维修资金并履行采购程序。"]
APPROVE_NOTES = ["同意延期，请在新的期限内办结。", "同意。", ""]
DENY_NOTES = ["该事项不复杂，不同意延期，请按期办结。", "理由不充分，请加快办理。"]
SUPERVISE_NOTES = ["请加快办理进度，按期办结并及时回复群众。", "群众多次来电催办，请高度重视，尽快办理。",
                   "该事项涉及群众切身利益，请主要负责人亲自过问，按时限办结。"]
LEADER_NOTES = ["县领导包案督办，请限期办结并报告办理结果。", "请责任单位主要负责人牵头，尽快化解。"]
REOPEN_REASONS = ["回访时群众表示问题未得到解决，重新办理。", "反映人对办理结果不满意，经核实问题仍然存在。",
                  "现场复核发现整改不到位，退回重办。"]
REPORTER_REOPEN_REASONS = ["问题还是没有解决。", "说是处理了，但现场还是老样子。"]
FOLLOW_UP_NOTES = {
    "good": ["反映人对办理结果表示满意。", "回访满意。", "反映人表示问题已解决，感谢。", ""],
    "poor": ["反映人认为办理不及时。", "反映人对处理结果不太满意。", "反映人表示问题只解决了一部分。"],
    "anonymous": ["匿名件，网格员现场复核问题已解决。", "匿名件，现场复核已整改到位。"],
    "grid_worker": ["网格员现场复核，问题已解决。", "现场复核已整改到位。"],
}
MERGE_NOTES = ["与{code}反映的是同一事项，合并办理。", "重复件，并入{code}一并办理。"]
START_NOTES = ["已签收，安排人员现场核实。", "已签收。", "", ""]
DISPATCH_NOTES = ["请按期办结并回复反映人。", "", "", ""]

# ---------------------------------------------------------------------------- mediation

# What a mediation agreement of each dispute type says (调解协议书): the matters in dispute and
# the agreed terms; "{amount}" comes from SLOTS. Types without an entry use "default".
AGREEMENT_TERMS = {
    "dispute.neighbour": ("双方因房前屋后排水及通行问题发生争执。", "由一方出资修通排水沟，另一方让出通行便道宽一米。"),
    "dispute.land": ("双方承包地界址的确定。", "以原承包合同附图为准，由村委会见证重新埋设界石。"),
    "dispute.family": ("老人赡养费用的分担及照料安排。", "兄弟姐妹按月分摊赡养费，轮流照料老人。"),
    "dispute.forest": ("相邻山林的界线及越界采伐的赔偿。", "按林权证附图确定界址，越界采伐一方赔偿林木损失。"),
    "dispute.debt": ("借款本金及归还期限。", "借款人分三期归还借款{amount}元，每期按时转账。"),
    "dispute.wages": ("拖欠劳动报酬的数额及支付期限。", "用工方于协议生效后十日内一次性支付拖欠工资{amount}元。"),
    "dispute.contract": ("合同解除后定金及已付款项的返还。", "双方同意解除合同，对方退还款项{amount}元。"),
    "dispute.property": ("房屋维修责任及费用承担。", "由开发商负责维修，物业公司监督，维修完成后双方共同验收。"),
    "dispute.damage": ("损害赔偿的项目及数额。", "侵权一方一次性赔偿医药费、误工费等共计{amount}元。"),
    "dispute.requisition": ("补偿标准及面积认定。", "按公示的补偿标准重新核定面积，差额部分一次性补足。"),
    "dispute.environment": ("污染损失的赔偿及整改。", "污染方赔偿损失{amount}元，并于一个月内完成污水处理设施整改。"),
    "dispute.medical": ("医疗损害的责任及补偿。", "医疗机构一次性给予补偿{amount}元，双方不再就此事争执。"),
    "default": ("双方争议的事项。", "双方互谅互让，按协商一致的方案履行。"),
}
MEDIATION_PLACES = ["街道人民调解室", "社区调解室", "村委会会议室", "当事人家中", "矛盾纠纷调处中心"]
SESSION_PRESENT = ["双方当事人、调解员", "双方当事人、调解员、村（居）干部", "双方当事人及其亲属、调解员"]
SESSION_SUMMARIES = {
    "adjourned": ["双方陈述了各自的理由，分歧较大，约定下次继续调解。", "调解员释法说理，双方情绪有所缓和，择日再议。"],
    "agreement_reached": ["经调解员耐心疏导，双方互谅互让，就主要争议达成一致。",
                          "双方当场确认了调解方案，同意签订调解协议。"],
    "no_agreement": ["双方分歧较大，经多次调解仍未达成一致。"],
}
REFERRALS = ["县人民法院", "县劳动人事争议仲裁委员会", "县法律援助中心"]
WITHDRAWN_NOTES = ["申请人表示双方已自行和解，撤回调解申请。", "申请人决定直接向法院起诉，撤回调解申请。"]
REFUSED_NOTES = ["被申请人明确表示不同意调解。", "被申请人拒绝到场，表示不接受调解。"]
TRANSFER_REASONS = {
    "administrative": "涉及行政管理职责，转交行政调解。",
    "judicial": "争议标的较大，当事人同意转入诉调对接由法院调解。",
}
VISIT_NOTES = {
    "performed": ["电话回访，协议已履行完毕，双方关系缓和。", "上门回访，协议约定事项已落实。"],
    "not_performed": ["上门回访，义务方未按协议履行，申请人要求重新调解。"],
    "not_applicable": ["回访时双方情绪稳定，未发生新的矛盾。"],
}
# Why a dispute may escalate: about the dispute (violence, harm, the stakes), never about anyone
# exercising a right such as petitioning.
RISK_REASONS = {
    "low": ["双方愿意坐下来协商，情绪平稳。", ""],
    "medium": ["双方曾发生口角和推搡，情绪激动。", "涉及金额较大，双方分歧明显。"],
    "high": ["双方曾发生肢体冲突，有人受伤，矛盾可能激化。", "涉及老人和未成年人的基本生活，需尽快化解。"],
}
SCREENING_NOTES = ["已逐户走访，未发现矛盾纠纷。", "重点排查了外出务工返乡人员，未发现问题。", ""]

# ---------------------------------------------------------------------------- petitions (信访)

# The bodies above the townships and departments that decide a petitioner's review and
# re-examination (信访工作条例 第三十五条、第三十六条): the county government reviews the answers of
# its townships and departments, and the city government re-examines the county government's
# review. The county government also answers reports of wrongdoing about a township's staff,
# which are never sent to the township itself (第三十条). (code suffix, name)
COUNTY_GOVERNMENT = ("xzf", "县人民政府")
CITY_GOVERNMENT = ("szf", "重庆市人民政府信访复核办公室")
# The clerk of the county petition office (县信访办) who registers and routes petitions, and
# the county leaders who hold reception days with the demo leader. (username, display name)
PETITION_CLERK = ("clerk-xfb", "吴信访")
EXTRA_LEADERS = [("leader-2", "刘副县长"), ("leader-3", "黄副县长")]

# For each petition text of TEXTS (in the same order): what the petitioner asks for, the
# competent bodies ("township" is the township's own office, anything else a department's code
# suffix; the first is the usual one), what the written answer finds for each of the three
# decisions of 第三十二条 with its basis, when such a petition is not accepted (不予受理) the
# reason and where the petitioner may turn instead (it follows "你（们）可以" in the notice),
# whether many people may bring it together ("group"), and the official a petition about the
# township office names ("official"; else one of PETITION_OFFICIALS).
PETITION_MATTERS = {
    "petition.land_acquisition": [
        {
            "request": "请求按照现行标准重新评估房屋价值，足额支付征收补偿款。",
            "bodies": ("zjw", "township"),
            "support": "经核查，评估机构在计算被征收房屋面积时漏计了附属用房，信访人的请求事实清楚。已责成评估机构"
                       "重新出具评估报告，差额补偿款于一个月内支付到位。",
            "explain": "经核查，房屋价值由信访人协商选定的评估机构依法评估，程序合法。信访人关于装修补偿的诉求有一定"
                       "合理性，但征收补偿方案对此没有规定。已向信访人解释评估依据和计算方法，并告知对评估结果有异议"
                       "的，可以申请复核评估。",
            "not_support": "经核查，房屋评估程序合法，评估价格不低于类似房地产的市场价格，补偿款已按征收补偿方案全额"
                           "支付，信访人的请求缺乏事实根据。",
            "basis": "《国有土地上房屋征收与补偿条例》第十九条、第二十六条",
            "decline": ("信访人已就房屋征收补偿决定向人民法院提起行政诉讼，人民法院已经立案受理，依法应当通过诉讼途径"
                        "解决。", "在诉讼程序中依法主张权利。"),
        },
        {
            "request": "请求尽快兑现被占用土地的青苗补偿款。",
            "bodies": ("township", "ghzyj"),
            "support": "经核查，项目施工临时占用信访人承包地属实，青苗补偿款因施工单位变更未及时兑付。已督促项目业主"
                       "将补偿款拨付到位，本月内发放到户。",
            "explain": "经核查，该地块的青苗补偿款已拨付至村集体账户，因村民小组分配方案尚未确定而未发放到户。已向"
                       "信访人说明情况，并督促村委会尽快召开村民小组会议确定分配方案。",
            "not_support": "经核查，该地块的青苗补偿款已在征地时一次性发放到户，有信访人签字的领款凭证，信访人的请求"
                           "缺乏事实根据。",
            "basis": "《中华人民共和国土地管理法》第四十八条",
            "decline": ("信访人反映的是与承租其土地的施工企业之间的租金和青苗费纠纷，属于民事合同纠纷，不属于本机关"
                        "的法定职权范围。", "向村人民调解委员会申请调解，或向县人民法院提起民事诉讼。"),
            "group": True,
        },
        {
            "request": "请求公开征地补偿标准和发放明细，将补偿款足额发放到户。",
            "bodies": ("township", "ghzyj"),
            "support": "经核查，该项目征地补偿款已足额拨付至乡镇，其中部分款项因土地权属争议被暂缓发放。现已完成权属"
                       "核实，剩余补偿款本月内发放到户，并在村务公开栏公示发放明细。",
            "explain": "经核查，征地补偿款已按批准的标准拨付，其中土地补偿费依法归村集体所有，由村集体经济组织按民主"
                       "议定的方案使用。已向信访人解释补偿款的构成和分配规定，并责成村委会公开收支明细。",
            "not_support": "经核查，征地补偿款已按批准的标准足额发放到户，有村民签字的发放清册为证，信访人的请求缺乏"
                           "事实根据。",
            "basis": "《中华人民共和国土地管理法》第四十七条、第四十八条",
            "decline": ("信访人已就同一征收事项向人民法院提起行政诉讼，人民法院已经立案受理，依法应当通过诉讼途径"
                        "解决。", "在诉讼程序中依法主张权利。"),
            "group": True,
        },
    ],
    "petition.resettlement": [
        {
            "request": "请求核实移民身份，补发停发期间的后期扶持资金。",
            "bodies": ("slj", "township"),
            "support": "经核查，信访人系水库移民，因户籍迁移后移民人口信息未及时更新，后期扶持资金被停发。现已完成"
                       "信息核定，停发期间的扶持资金一并补发。",
            "explain": "经核查，后期扶持资金按核定的原迁移民人口发放，信访人家中新增人口不属于扶持对象。已向信访人"
                       "解释相关政策。",
            "not_support": "经核查，信访人家庭的后期扶持资金已逐年足额发放到其银行账户，有发放记录可查，信访人的请求"
                           "缺乏事实根据。",
            "basis": "《大中型水利水电工程建设征地补偿和移民安置条例》；《国务院关于完善大中型水库移民后期扶持政策的"
                     "意见》（国发〔2006〕17号）",
            "decline": ("信访人对移民人口核定结果不服，已申请行政复议并收到复议决定，依法应当通过行政诉讼途径解决。",
                        "自收到行政复议决定书之日起十五日内依法向人民法院提起行政诉讼。"),
        },
        {
            "request": "请求组织对安置房质量进行鉴定，并督促施工单位维修。",
            "bodies": ("zjw", "township"),
            "support": "经委托检测机构鉴定，安置房部分墙体开裂和屋面渗水属于施工质量问题。已责成施工单位在保修期内于"
                       "两个月内完成维修，由乡镇和住房城乡建委共同验收。",
            "explain": "经现场查看和检测，墙体裂缝属于非结构性裂缝，不影响房屋安全；屋面渗水系个别住户自行改建所致。"
                       "已向信访人说明鉴定结论，并协调施工单位对公共部位进行修补。",
            "not_support": "经委托检测机构鉴定，安置房主体结构安全，所反映的渗水已于去年由施工单位维修完毕，信访人的"
                           "请求缺乏事实根据。",
            "basis": "《建设工程质量管理条例》第四十条、第四十一条",
            "decline": ("信访人反映的是与物业服务企业之间的维修费用纠纷，属于民事纠纷，不属于本机关的法定职权范围。",
                        "向社区人民调解委员会申请调解，或向县人民法院提起民事诉讼。"),
            "group": True,
        },
    ],
    "petition.policy": [
        {
            "request": "请求依法认定并落实退役军人优抚待遇。",
            "bodies": ("tyjrswj",),
            "support": "经核查，信访人符合享受定期抚恤补助的条件，此前因档案材料不全未能认定。现已补齐材料、完成认定，"
                       "自次月起按标准发放。",
            "explain": "经核查，信访人不属于享受定期生活补助的对象，但可以按规定享受其他优待。已向信访人解释相关政策"
                       "和办理途径。",
            "not_support": "经核查，信访人不符合享受所请求优抚待遇的条件，其请求缺乏法律和政策依据。",
            "basis": "《中华人民共和国退役军人保障法》；《军人抚恤优待条例》",
            "decline": ("信访人对优抚对象认定的行政决定不服，属于行政复议的受理范围，依法应当通过行政复议途径解决。",
                        "自知道该决定之日起六十日内向县人民政府申请行政复议。"),
        },
        {
            "request": "请求核定原民办教师教龄，落实教龄补助。",
            "bodies": ("jw",),
            "support": "经核查，信访人的原民办教师任教经历有当年的花名册和报酬发放记录为证，已核定教龄并按规定落实"
                       "补助。",
            "explain": "经核查，信访人提供的任教证明材料不完整，尚不能核定全部教龄。已告知信访人补充原任教学校或乡镇"
                       "教办出具的证明后重新申请。",
            "not_support": "经核查，信访人任教期间属于临时代课人员，不具有原民办教师身份，不符合教龄补助条件。",
            "basis": "重庆市原民办教师教龄补助的有关政策规定",
            "decline": ("信访人反映的是与现用人学校之间的劳动报酬争议，属于劳动人事争议仲裁的受理范围。",
                        "向县劳动人事争议仲裁委员会申请仲裁。"),
        },
        {
            "request": "请求尽快审核并发放高龄津贴。",
            "bodies": ("mzj", "township"),
            "support": "经核查，信访人的父亲符合高龄津贴发放条件，因户籍信息比对延误未及时审批。现已审批完毕，自申请"
                       "次月起补发。",
            "explain": "经核查，信访人父亲的申请已审核通过，正在公示，公示期满后即予发放，并从申请次月起计发。已向"
                       "信访人说明办理进度。",
            "not_support": "经核查，信访人的父亲户籍不在本县，按规定应向户籍所在地申请，其请求不符合本县的发放条件。",
            "basis": "本市高龄津贴发放的有关规定",
            "decline": ("信访人对不予发放高龄津贴的决定不服，属于行政复议的受理范围。",
                        "自知道该决定之日起六十日内向县人民政府申请行政复议。"),
        },
    ],
    "petition.conduct": [
        {
            "request": "请求督促有关工作人员依法依规办理，并对推诿行为作出处理。",
            "bodies": ("township",),
            "support": "经调查，信访人反映的工作人员办事推诿问题属实。已对相关工作人员进行批评教育、责令作出书面检查，"
                       "并安排专人为信访人办结相关手续。",
            "explain": "经调查，信访人所办事项因材料不齐需要补正，工作人员未能一次性告知，造成信访人多次往返。已要求"
                       "相关站所落实一次性告知制度，并向信访人说明所需材料。",
            "not_support": "经调查，相关工作人员已按规定一次性告知所需材料，未发现推诿行为，信访人的请求缺乏事实根据。",
            "basis": "《中华人民共和国公务员法》第五十九条",
            "decline": ("信访人对不予办理登记的决定不服，属于行政复议的受理范围，依法应当通过行政复议途径解决。",
                        "自知道该决定之日起六十日内向县人民政府申请行政复议。"),
        },
        {
            "request": "请求重新评定并张榜公示，纠正优亲厚友问题。",
            "bodies": ("mzj",),
            "official": "民政办负责人",
            "support": "经调查，该单位在低保评定中未按规定进行民主评议和公示，反映的问题部分属实。已责令重新评定并"
                       "公示，对不符合条件的对象予以取消，并对相关工作人员进行批评教育。",
            "explain": "经调查，低保评定经过了入户调查、民主评议和公示，但公示时间不足规定天数。已责令补正公示，并向"
                       "信访人解释评定标准。",
            "not_support": "经调查，低保评定程序符合规定，评定对象均符合条件，未发现优亲厚友问题。",
            "basis": "《社会救助暂行办法》；《最低生活保障审核确认办法》",
            "decline": ("信访人对本人最低生活保障申请未获批准的决定不服，属于行政复议的受理范围。",
                        "自知道该决定之日起六十日内向县人民政府申请行政复议，或依法提起行政诉讼。"),
            "group": True,
        },
    ],
}
# Officials a petition about a township office names (as a petitioner gives them: a title).
PETITION_OFFICIALS = ["便民服务中心窗口工作人员", "社保所经办人员", "城建办工作人员", "民政办工作人员"]
# Reports of wrongdoing (举报) by a township's staff: confidential, kept from the township and
# answered by the county government. (text, request, the official named, answer by decision)
PETITION_WRONGDOING = [
    {
        "text": "反映{township}{official}在办理{program}审批时向群众索要好处费，不给钱就一直拖着不办。",
        "request": "请求依法调查处理。",
        "official": "民政办工作人员",
    },
    {
        "text": "反映{township}{official}在{program}发放中虚报冒领，把资金发给不符合条件的亲属。",
        "request": "请求调查核实，追回违规发放的资金，依法处理相关人员。",
        "official": "社保所负责人",
    },
]
WRONGDOING_ANSWER = {
    "support": "经县人民政府组织调查，举报反映的问题基本属实。已追回违规发放的资金，相关人员已移送纪检监察机关"
               "依规依纪依法处理。",
    "explain": "经调查，举报反映的部分情况属实，系审批程序不规范所致，未发现索要财物的证据。已责令该单位整改，并对"
               "相关人员进行诫勉谈话。",
    "not_support": "经调查，未发现举报反映的问题，资金审批和发放手续齐全，发放对象均符合条件。",
    "basis": "《信访工作条例》第三十条；《中华人民共和国公职人员政务处分法》",
    "decline": ("举报反映的问题已由纪检监察机关立案审查，依照规定由其依规依纪依法处理。",
                "向县纪委监委了解办理情况。"),
}
# A body sent a matter that is not its own objects within 5 working days (异议, 第二十三条).
OBJECTION_REASONS = [
    "该事项属于{office}的职责范围，不属于本单位法定职权，提出异议，请重新转送。",
    "经审查，该事项涉及的补偿兑付由{office}负责实施，本单位不是有权处理的机关，请重新转送。",
]
ROUTE_NOTES = ["", "", "请依法及时受理，并书面告知信访人。", "该事项已多次反映，请重点关注。"]
ACCEPT_NOTES = ["", "已受理，安排专人调查核实。", "已受理，成立工作专班调查核实。"]
# Why a body needs more time (第三十四条); it follows "因" in the notice.
PETITION_EXTENSION_REASONS = [
    "涉及多个部门和村组，需要进一步调查核实。",
    "需调取历年档案资料，核查时间较长。",
    "需委托第三方机构重新评估。",
    "涉及群众人数较多，需逐户核实。",
]
# What the petitioner writes when asking for review (复查) or re-examination (复核).
REVIEW_REASONS = [
    "对处理意见不服，认为补偿标准计算有误，请求复查。",
    "原处理意见没有查清事实，请求上一级机关复查。",
    "原处理意见认定的事实与实际情况不符，请求复查。",
]
REEXAMINATION_REASONS = ["对复查意见不服，请求复核。", "复查意见仍未解决实际问题，请求复核。"]
# What a review or re-examination finds, by its decision, and its basis by level.
REVIEW_FINDINGS = {
    "upheld": "经复查，原处理意见认定事实清楚，适用依据正确，办理程序合法，信访人提出的理由不能成立。",
    "changed": "经复查，原处理意见对部分事实认定不清，予以变更：由原办理机关在三十日内重新调查核实，依法作出处理并"
               "书面答复信访人。",
}
REEXAMINATION_FINDINGS = {
    "upheld": "经复核并举行听证，复查意见认定事实清楚，适用依据正确，信访人提出的理由不能成立。",
    "changed": "经复核，复查意见对部分事实认定不清，予以变更：由原办理机关重新核实并依法处理。",
}
REVIEW_BASIS = {"review": "《信访工作条例》第三十五条", "reexamination": "《信访工作条例》第三十六条"}
HEARING_PLACES = ["市信访办听证室", "县人民政府第二会议室"]
HEARING_NOTES = ["邀请人大代表、政协委员、律师和群众代表参加听证，信访人到场陈述了理由。",
                 "听证会上，原办理机关说明了处理依据，信访人及其代理律师发表了意见。"]
CONCLUDED_NOTES = ["经核查，本次信访与已复核的事项系同一事实和理由，没有提出新的事实和理由。", ""]
# Leader reception days (领导接访日) at the county petition office.
RECEPTION_PLACE = "县信访接待中心一楼接待室"
RECEPTION_TOPICS = ["征地拆迁与移民安置", "政策落实", "群众反映的突出问题", ""]
RECEPTION_SUMMARIES = [
    "领导听取了信访人的陈述，要求责任单位在规定时限内调查核实并书面答复。",
    "领导详细询问了事情经过，当场交办有关单位核查，要求按期答复信访人。",
    "领导向信访人解释了相关政策，信访人表示理解，领导要求责任单位做好后续工作。",
]
# When the leader takes personal charge there (领导包案); the second for a group petition.
RECEPTION_SUMMARIES_IN_CHARGE = [
    "领导听取陈述后表示亲自包案，要求责任单位一周内拿出化解方案。",
    "该事项涉及群众较多，领导当场决定包案，协调相关部门联合调查。",
]
