"""The redactor: a text with the personal data in it replaced by a visible mark (【已隐去】), so that
the office a complaint is about can read and search what happened without learning who told it.

It starts from what Anju knows of the people on a case (``Person``: their names, phones, e-mail
addresses, ID numbers and home addresses, in every form Chinese speakers write them) and adds
patterns for personal data of anyone: mobile and fixed-line numbers in any grouping, with +86 or
written in Chinese numerals; 18- and 15-character ID numbers, mistyped ones included; bank card
numbers; e-mail addresses; QQ and WeChat accounts; addresses introduced as where someone lives
(住/家住/住址); and, as a net, other people's names where the words around them say a person is
named (村民张三, 邻居李四、王五, 王建军（男，52岁）, 刘先生).

It works on positions of the original text (``find``), so that a number written in Chinese
numerals is hidden where it stands. The place of a concern stays: an address is hidden only
where the text says someone lives there. Blanking a little too much is the safe side; the test
corpus (``anju/lib/tests/redaction_corpus.jsonl``) measures both sides."""

import functools
import re
from dataclasses import dataclass

MARK = "【已隐去】"


@dataclass(frozen=True)
class Person:
    """What Anju knows of one person on a case, as entered in the form's fields."""

    name: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""


# --- numbers -----------------------------------------------------------------------------------

# Digits as people write them: ASCII, full-width, and Chinese numerals as phone numbers are read
# aloud (幺 for one, 洞 for zero).
_DIGITS = {**{str(d): str(d) for d in range(10)}, **{chr(0xFF10 + d): str(d) for d in range(10)}}
_DIGITS.update(zip("零〇洞幺一二三四五六七八九", "0001123456789", strict=True))
_DIGITS["两"] = "2"
_CHINESE_DIGITS = frozenset("零〇洞幺一二三四五六七八九两")
# What may stand between the digits of one number: spaces and dashes, brackets around an area
# code, dots. At most two in a row.
_SEPARATORS = frozenset(" \u3000\t-‐‑–—－.·()（）/")
_CUE_BEFORE_NUMBER = re.compile(
    r"(电话|手机|座机|固话|联系|号码|手机号|电话号|tel|Tel|TEL|☎|打|拨|QQ|qq|Qq|扣扣|微信|VX|vx|wx|WX|卡号|账号|帐号|身份证)"
    r"[^，。；;,\n]{0,8}$"
)
_QQ_CUE = re.compile(r"(QQ|qq|Qq|扣扣)[号码：:\s]*$")


@dataclass
class _Number:
    start: int
    end: int
    digits: str
    letter_x: bool


def _numbers(text: str) -> list[_Number]:
    """Every run of digits in ``text`` (any of ``_DIGITS``, single separators between them, a
    leading + for a country code, a trailing X of an ID number), with its span and digits."""
    found = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in _DIGITS and not (text[i] in "+＋" and i + 1 < n and text[i + 1] in _DIGITS):
            i += 1
            continue
        start = i
        if text[i] in "+＋":
            i += 1
        digits, chinese, end = [], 0, i
        while i < n:
            char = text[i]
            if char in _DIGITS:
                digits.append(_DIGITS[char])
                chinese += char in _CHINESE_DIGITS
                i += 1
                end = i
                continue
            # Separators between two digits only (two at most: "139 - 8765").
            j = i
            while j < n and j - i < 2 and text[j] in _SEPARATORS:
                j += 1
            if j > i and j < n and text[j] in _DIGITS:
                i = j
                continue
            break
        letter_x = end < n and text[end] in "Xx×" and len(digits) in (17, 14)
        if letter_x:
            end += 1
        # A run of Chinese numerals alone is a number only when it is long enough to be one
        # (一二三 is not); mixed runs are numbers.
        if chinese and chinese == len(digits) and len(digits) < 7:
            i = max(end, start + 1)
            continue
        # A bracket opened before the first digit belongs to an area code: (023)6123 4567.
        if start > 0 and text[start - 1] in "(（" and text[start] in _DIGITS:
            start -= 1
        found.append(_Number(start, end, "".join(digits), letter_x))
        i = max(end, start + 1)
    return found


def _without_country_code(digits: str) -> str:
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (10, 11) and digits[len(prefix)] in "01":
            return digits[len(prefix):]
    return digits


def _is_id_like(digits: str, letter_x: bool) -> bool:
    """An 18-character ID number (17 digits and a checksum digit or X), a 15-digit one of the old
    kind, or one a character short or long: a region code, then a birth year of 19xx or 20xx.
    The checksum is not asked for: a mistyped number still names its owner."""
    length = len(digits) + letter_x
    if length in (15, 18):
        return True
    if length in (17, 19) and digits[0] in "123456789":
        return digits[6:8] in ("19", "20")
    return False


def _number_kind(number: _Number, before: str) -> str | None:
    """What a run of digits is, if it is personal: a phone, an ID number, a card or account
    number. Amounts, dates, areas, tracking codes (2026-000123) and house numbers are not."""
    digits = _without_country_code(number.digits)
    cued = _CUE_BEFORE_NUMBER.search(before) is not None
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789":
        return "phone"
    if _is_id_like(number.digits, number.letter_x):
        return "id"
    if digits.startswith("0") and digits[1:2] != "0" and 10 <= len(digits) <= 12:
        return "landline"  # an area code (010, 023, 0736) and a local number
    if digits.startswith("400") and len(digits) == 10:
        return None  # a company's service line is not a person's
    if 16 <= len(digits) <= 19:
        return "card"
    if 10 <= len(digits) <= 12 and digits[0] == "1" and cued:
        return "phone"  # a mobile number a digit short or long
    if 7 <= len(digits) <= 9 and cued:
        return "landline"  # a local number said to be one (电话 6123 4567)
    if 5 <= len(digits) <= 11 and _QQ_CUE.search(before):
        return "account"
    return None


# --- e-mail and accounts -------------------------------------------------------------------------

_EMAIL = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9._%+-]*\s?[@＠]\s?[A-Za-z0-9-]+(?:\s?[.．。]\s?[A-Za-z0-9-]+)*\s?[.．。]\s?[A-Za-z]{2,6}"
)
# An address spelled out so that filters miss it: liuxia2001艾特qq点com.
_SPELLED_EMAIL = re.compile(
    r"[A-Za-z0-9._-]+\s*(?:艾特|圈a|at|AT)\s*[A-Za-z0-9-]+\s*(?:点|dot|DOT)\s*(?:com|cn|net|org)", re.I)
_EXTENSION = re.compile(r"\s*(?:转|分机|ext\.?|-)\s*\d{1,5}")
_WECHAT = re.compile(r"(?:微信号?|微信账号|vx|VX|wx|WX|WeChat|wechat)\s*[：:是为]?\s*([A-Za-z][A-Za-z0-9_-]{4,19})")


# --- addresses -------------------------------------------------------------------------------------

# Where a text says someone lives. 住 alone is taken only when an address follows it (住房, 住院,
# 记住 and 挡住 are not addresses: what follows has no place word).
_HOME_CUE = re.compile(
    r"(?:家庭住址|家庭地址|户籍地址|户籍地|现住址|住址|现住|现居住?|居住在|居住于|住在|家住|住)(?:在|于|地|为|是)?\s*[:：]?\s*"
)
_ADDRESS_END = re.compile(r"[，,。；;！!？?\n、（(）) \u3000]|电话|手机|联系|身份证|本人|系|反映|来电|称|，")
_PLACE_WORDS = re.compile(r"村|社区|组|号|路|街|巷|镇|乡|小区|栋|幢|单元|楼|室|苑|院|屯|湾|坝|坪|沟|坡|岭|队|弄|里|区"
                          r"|县|市")
_NOT_HOME = ("住房", "住院", "住建", "住宿", "住户", "住宅", "住所以", "住了", "住着", "住人")


def _home_addresses(text: str) -> list[tuple[int, int]]:
    found = []
    for cue in _HOME_CUE.finditer(text):
        if text[cue.start():cue.start() + 2] in _NOT_HOME or text[cue.start():cue.start() + 3] in _NOT_HOME:
            continue
        if cue.group().strip() == "住" and cue.start() > 0 and text[cue.start() - 1] in "记挡拦抓握站顶保居":
            continue
        start = cue.end()
        end_match = _ADDRESS_END.search(text, start)
        end = min(end_match.start() if end_match else len(text), start + 40)
        address = text[start:end].rstrip(" 的")
        if len(address) >= 3 and _PLACE_WORDS.search(address):
            found.append((start, start + len(address)))
    return found


def _known_address_forms(address: str) -> list[str]:
    """The home address as entered and its tails after each place level (重庆市城口县葛城街道
    幸福村3组12号 is also written 葛城街道幸福村3组12号 and 幸福村3组12号), the tails that still
    point at one home (a number in them)."""
    address = re.sub(r"\s+", "", address or "")
    if len(address) < 4:
        return []
    forms = {address}
    for level in re.finditer(r"省|市|县|区|街道|镇|乡", address):
        tail = address[level.end():]
        if len(tail) >= 4 and re.search(r"\d|号|组|栋|单元|室", tail):
            forms.add(tail)
    return sorted(forms, key=len, reverse=True)


# --- names -------------------------------------------------------------------------------------------

# The common family names, most frequent first (about 99 % of people). Used for the net only:
# the known person's name is hidden whatever it is.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强"
    "帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓"
    "修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植"
    "衡富尧闭由"
)
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 宇文 夏侯 轩辕 端木 司徒 南宫 独孤 万俟 闻人 "
    "西门 申屠 澹台 公冶 濮阳 太史 钟离 赫连 呼延 拓跋 百里 东郭 第五 单于 司空 左丘 梁丘 谷梁 段干".split()
)
# The surnames so common that 老王 and 小李 name someone; 老/小 before the others makes words
# (小区, 小时, 老师, 老百姓).
_NICKNAME_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜"
    "崔钟谭陆汪范贾夏韦付邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾毛郝龚邵钱严覃戴莫孔汤"
)
# How people address or refer to someone by the family name.
HONORIFICS = (
    "先生", "女士", "同志", "师傅", "老师", "大爷", "大妈", "大娘", "阿姨", "大哥", "大姐", "大叔", "大婶",
    "老汉", "婆婆", "爷爷", "奶奶", "伯伯", "叔叔", "嬢嬢", "孃孃", "老人", "老板", "老总", "书记", "主任",
    "村长", "组长", "队长", "姐", "哥", "叔", "婶", "某某", "某",
)
# Words that say a person is named next: roles, kin, parties.
_NAME_CUES = (
    "名叫", "叫做", "姓名", "名字", "本人", "我叫", "他叫", "她叫", "叫",
    "村民", "居民", "群众", "邻居", "业主", "户主", "租户", "房东", "租客", "住户", "农户", "老乡", "村组干部",
    "包工头", "工头", "承包人", "承包商", "负责人", "法人", "法定代表人", "老板", "经理", "会计", "出纳", "司机",
    "亲戚", "儿子", "女儿", "丈夫", "老公", "妻子", "老婆", "媳妇", "儿媳", "女婿", "父亲", "母亲", "爸爸", "妈妈",
    "哥哥", "姐姐", "弟弟", "妹妹", "侄子", "侄女", "孙子", "孙女", "外甥", "舅舅", "姑姑", "叔叔", "伯伯",
    "其子", "其女", "其妻", "其夫", "其父", "其母", "前妻", "前夫",
    "村主任", "村支书", "支书", "主任", "书记", "组长", "村长", "镇长", "乡长", "局长", "所长", "站长", "队长",
    "社长", "科长", "股长", "网格员", "调解员", "民警", "辅警", "医生", "护士", "老师", "校长", "班主任", "专干",
    "当事人", "申请人", "被申请人", "信访人", "反映人", "来电人", "来访人", "举报人", "被举报人", "被反映人",
    "投诉人", "被投诉人", "报警人", "求助人", "代理人", "代表", "对方", "一方", "另一方", "甲方", "乙方",
    "联系人", "见证人", "证人", "同事", "工友", "员工", "职工", "雇主", "同学", "朋友", "户", "家属", "监护人",
    "代表人", "经办人", "承办人", "工作人员", "律师", "同村人", "同组人", "村医", "堂哥", "堂弟", "堂姐", "堂妹",
    "表哥", "表弟", "表姐", "表妹", "大哥", "二哥", "嫂子", "弟媳", "公公", "岳父", "岳母", "女友", "男友",
    "侄儿", "外孙", "继父", "继母", "养父", "养母", "前任", "徒弟", "师父", "合伙人", "股东", "债主", "债务人",
    "借款人", "出借人", "担保人", "施工员", "安全员", "技术员", "管理员", "信息员", "协管员", "联络员", "护林员",
    "保洁员", "驾驶员", "业务员", "收费员", "检查员", "监测员",
    "自称", "系", "与", "和", "及", "同",
)
# Cues that are also ordinary connecting words: a name after them only when the name is followed
# by what follows names (、, 等, 家, 说, a bracket).
_WEAK_CUES = frozenset({"与", "和", "及", "同", "系", "户", "叫", "代表"})
_NAME_CUE = re.compile("|".join(sorted(map(re.escape, _NAME_CUES), key=len, reverse=True)))
# Characters that end a name rather than continue it: what commonly follows a name in a sentence.
_AFTER_NAME = frozenset(
    "说称讲问答反映表示认为要求请找打骂欠占拆借给把被对向跟和与及等的了在家是也都又就还去来到从因为于将已曾"
    "不没有所拿用让叫喊告诉同、，,。；;：:！!？?（(）) \n\u3000一个位名人户某们岁男女得那这"
)
_SEX_OR_AGE = re.compile(r"\s*[（(，,]\s*(?:男|女|\d{1,3}\s*岁)")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _candidate_name(text: str, start: int) -> int:
    """The end of the name that may begin at ``start``: a family name (one or two characters)
    and a given name of one or two; 0 if none begins there."""
    surname = 2 if text[start:start + 2] in COMPOUND_SURNAMES else 1 if text[start:start + 1] in SURNAMES else 0
    if not surname:
        return 0
    end = start + surname
    given = 0
    while given < 2 and end < len(text) and _HAN.match(text[end]) and text[end] not in _AFTER_NAME:
        end += 1
        given += 1
    if given == 0:
        return 0
    return end


def _cued_names(text: str) -> list[tuple[int, int]]:
    """Names the words around them say are names: after a role or kin word (村民张三, 邻居李德华),
    before a sex or an age (王建军（男，52岁）), the family name with a form of address (刘先生,
    王某), and the names listed after any of these (张三、李四和王五)."""
    found = []
    for cue in _NAME_CUE.finditer(text):
        start = cue.end()
        while start < len(text) and text[start] in " :：\u3000":
            start += 1
        end = _candidate_name(text, start)
        if not end:
            continue
        if cue.group() in _WEAK_CUES:
            # After 与, 和 ...: a name only when what follows it is what follows names; the given
            # name may have one character or two.
            ends = [e for e in (end, end - 1) if e > start + 1 and (
                e >= len(text) or text[e] in "、，,。等家说称因为在系的两之发互签" or _SEX_OR_AGE.match(text, e))]
            if not ends:
                continue
            end = ends[0]
        found.append((start, end))
        found += _listed_after(text, end)
    # 王建军（男，52岁）: a sex or an age says the word before is a name.
    for sex in _SEX_OR_AGE.finditer(text):
        for length in (3, 2, 4):
            start = sex.start() - length
            if start >= 0 and _candidate_name(text, start) == sex.start():
                found.append((start, sex.start()))
                break
    for match in re.finditer(r"[老小]([\u3400-\u9fff])", text):
        if match.group(1) in _NICKNAME_SURNAMES and (match.end() >= len(text) or text[match.end()] in _AFTER_NAME
                                                     or not _HAN.match(text[match.end()])):
            found.append(match.span())
    return found


# What a word segmenter tags as a person's name but, in a county's texts, is a place or a thing.
_NOT_NAME_CHARS = frozenset("镇乡村街道县区市省湾溪沟坝坪岚局所院站路河山桥组社队校厂矿场园")


def tagged_names(text: str) -> list[tuple[int, int]]:
    """The net under the rules: words a segmenter (jieba) tags as a person's name (nr), when they
    begin with a family name, hold no place word, and are no common word of its dictionary
    (谢谢, 陈旧 and 支持 are tagged nr too; names are rare there)."""
    found, position = [], 0
    segmenter, frequency = _segmenter()
    for word, flag in segmenter.cut(text):
        start, position = position, position + len(word)
        if flag != "nr" or not 2 <= len(word) <= 4:
            continue
        surname = 2 if word[:2] in COMPOUND_SURNAMES else 1 if word[0] in SURNAMES else 0
        if (surname and len(word) > surname and not _NOT_NAME_CHARS.intersection(word)
                and text[position:position + 1] not in _NOT_NAME_CHARS
                and (frequency.get(word) or 0) <= _COMMON_WORD and word[-1] not in _AFTER_NAME):
            found.append((start, position))
    return found


@functools.cache
def _segmenter():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg, jieba.dt.FREQ


# How often a word may stand in the segmenter's dictionary and still be taken for a name.
_COMMON_WORD = 20


def _addressed_names(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A family name with a form of address (刘先生, 王某), unless the family name is the end of a
    name already found (陈德明同志: the name is hidden, 同志 tells nothing)."""
    inside = {i for start, end in found for i in range(start, end)}
    honorifics = "|".join(map(re.escape, sorted(HONORIFICS, key=len, reverse=True)))
    return [match.span() for match in re.finditer(rf"([\u3400-\u9fff])(?:{honorifics})", text)
            if match.group(1) in SURNAMES and match.start() not in inside
            and not _part_of_word_before(text, match.start())]


def _part_of_word_before(text: str, start: int) -> bool:
    """张 in 主张先生? A family name right after another Han character that makes a word with it
    is not taken for a name with a form of address (扩张某, 开关老板)."""
    return start > 0 and text[start - 1:start + 1] in _WORDS_ENDING_IN_SURNAME


_WORDS_ENDING_IN_SURNAME = frozenset(
    "主张 扩张 紧张 开张 夸张 慌张 伸张 开关 机关 海关 相关 有关 无关 公关 过关 把关 难关 攻关 "
    "发展 施工 明白 坦白 告白 空白 蛋白 表白 平安 公安 治安 保安 晚安 大方 对方 地方 双方 官方 一方 "
    "各方 警方 甲方 乙方 北方 南方 东方 西方 上方 下方 前方 后方 多方 药方 配方 处方 老方 黄金 资金 "
    "现金 租金 奖金 押金 罚金 薪金 基金 美金 本金 定金 订金 合金 五金 沙石 碎石 岩石 落石 危石 "
    "外国 中国 全国 回国 爱国 人民 村民 居民 农民 市民 网民 公民 牧民 渔民".split()
)


def _listed_after(text: str, end: int) -> list[tuple[int, int]]:
    found = []
    while end < len(text) and text[end] in "、和与及":
        start = end + 1
        next_end = _candidate_name(text, start)
        if not next_end:
            break
        found.append((start, next_end))
        end = next_end
    return found


def _known_name_pattern(name: str) -> re.Pattern | None:
    """Every form of the known person's name: the full name (spaces between its characters
    too), the family name with a form of address or 老/小, the given name, and a one-character
    given name with 阿, 小 or 老 or doubled (李梅: 阿梅, 小梅, 梅梅)."""
    if (name or "").strip() and not _HAN.match(name.strip()[0]):
        # Latin letters: each part of three or more letters as a whole word.
        parts = [p for p in name.split() if len(p) >= 3]
        return re.compile("|".join(rf"(?<![A-Za-z]){re.escape(p)}(?![A-Za-z])" for p in parts), re.I) if parts else None
    name = re.sub(r"\s+", "", name or "")
    if len(name) < 2:
        return None
    honorifics = "|".join(map(re.escape, sorted(HONORIFICS, key=len, reverse=True)))
    # The form of address after the name goes too: it tells the person's sex or age.
    forms = [r"\s?".join(map(re.escape, name)) + f"(?:{honorifics})?"]
    surnames = {name[0]}
    if name[:2] in COMPOUND_SURNAMES or len(name) == 4:
        surnames.add(name[:2])
    for surname in surnames:
        forms.append(rf"{re.escape(surname)}(?:{honorifics})")
        forms.append(rf"[老小阿]{re.escape(surname)}")
        forms.append(rf"{re.escape(surname)}老(?![师板人百家乡年旧])")
        given = name[len(surname):]
        if len(given) >= 2:
            forms.append(re.escape(given) + "[叔哥姐伯爷婶嫂姨妹弟]?")
        elif len(given) == 1:
            forms.append(rf"[阿小老]{re.escape(given)}|{re.escape(given)}{re.escape(given)}|{re.escape(given)}[姐哥妹嫂]")
    return re.compile("|".join(sorted(forms, key=len, reverse=True)))


# --- the whole -------------------------------------------------------------------------------------


def find(text: str, people: list[Person] | tuple[Person, ...] = ()) -> list[tuple[int, int]]:
    """The spans of ``text`` to hide, sorted and merged."""
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for number in _numbers(text):
        kind = _number_kind(number, text[max(0, number.start - 12):number.start])
        if kind:
            end = number.end
            extension = _EXTENSION.match(text, end) if kind == "landline" else None
            spans.append((number.start, extension.end() if extension else end))
    spans += [m.span() for m in _EMAIL.finditer(text)]
    spans += [m.span() for m in _SPELLED_EMAIL.finditer(text)]
    spans += [m.span(1) for m in _WECHAT.finditer(text)]
    spans += _home_addresses(text)
    for person in people:
        pattern = _known_name_pattern(person.name)
        if pattern is not None:
            spans += [m.span() for m in pattern.finditer(text)]
        for contact in (person.email, person.id_number):
            contact = (contact or "").strip()
            if len(contact) >= 5:
                spans += [m.span() for m in re.finditer(re.escape(contact), text, re.I)]
        phone = re.sub(r"\D", "", person.phone or "")
        if len(phone) >= 5:
            spans += [(n.start, n.end) for n in _numbers(text) if _without_country_code(n.digits) == phone
                      or n.digits == phone]
        for form in _known_address_forms(person.address):
            spans += [m.span() for m in re.finditer(re.escape(form), text)]
    named = _cued_names(text) + tagged_names(text)
    # A name the words around it gave away once is the same name wherever else it stands.
    for form in {text[start:end] for start, end in named if end - start >= 2}:
        named += [m.span() for m in re.finditer(re.escape(form), text)]
    spans += named
    spans += _addressed_names(text, spans)
    return _merged(spans, text)


def _merged(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        # Two spans with only spaces between them are one (JOHN SMITH).
        if merged and (start <= merged[-1][1] or not text[merged[-1][1]:start].strip()):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def redact(text: str, people: list[Person] | tuple[Person, ...] = ()) -> str:
    """``text`` with every span ``find`` finds replaced by ``MARK``."""
    spans = find(text, people)
    if not spans:
        return text or ""
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], MARK]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def restore(edited: str, whole: str, people: list[Person] | tuple[Person, ...] = ()) -> str:
    """``edited``, a redacted text someone changed, with each ``MARK`` put back to the words it
    hid in ``whole`` (the text before the change), in order; so that editing the redacted copy
    of a text never loses what it hid. When the marks no longer match one for one (some were
    deleted or typed), the text is returned as edited."""
    if MARK not in (edited or "") or not whole:
        return edited or ""
    hidden = [whole[start:end] for start, end in find(whole, people)]
    parts = edited.split(MARK)
    if len(parts) - 1 != len(hidden):
        return edited
    return "".join(part + (hidden[index] if index < len(hidden) else "") for index, part in enumerate(parts))
