"""The wording of the written notices to a petitioner, generated from the record.

Each notice is kept as issued (``Notice.content``): a title, the addressees, paragraphs and
headed sections, the closing lines, the issuing body and the date. The print page, the .docx
and the tracking page all render that same content, so what the petitioner reads online is
what was sent. The wording is Chinese on purpose: notices are filed in Chinese whatever
language a member of staff reads the screens in. Articles cited are those of the 2022
信访工作条例.
"""

from dataclasses import dataclass
from datetime import date, datetime

from anju.lib.chinese import chinese_date
from anju.lib.workdays import LOCAL
from anju.petitions.choices import Decision, Level, NoticeKind, RouteKind

TITLES = {
    NoticeKind.RECEIPT: "信访事项登记转送告知书",
    NoticeKind.ACCEPTANCE: "信访事项受理告知书",
    NoticeKind.NON_ACCEPTANCE: "信访事项不予受理告知书",
    NoticeKind.EXTENSION: "信访事项延期办理告知书",
    NoticeKind.ANSWER: "信访事项处理意见书",
    NoticeKind.REVIEW_DECISION: "信访事项复查意见书",
    NoticeKind.REEXAMINATION_DECISION: "信访事项复核意见书",
    NoticeKind.CONCLUDED: "信访事项不再受理告知书",
}
# The characters of the number: （2026）信受字第00012号.
NUMBER_WORDS = {
    NoticeKind.RECEIPT: "信登", NoticeKind.ACCEPTANCE: "信受", NoticeKind.NON_ACCEPTANCE: "信不受",
    NoticeKind.EXTENSION: "信延", NoticeKind.ANSWER: "信处", NoticeKind.REVIEW_DECISION: "信复查",
    NoticeKind.REEXAMINATION_DECISION: "信复核", NoticeKind.CONCLUDED: "信终",
}
FORM_WORDS = {"letter": "来信", "visit": "来访", "phone": "来电", "online": "网上信访", "referred": "转来"}
ROUTE_WORDS = {RouteKind.TRANSFERRED: "转送", RouteKind.ASSIGNED: "交办"}
# 第三十二条: what the first answer decides, in the regulation's words.
DECISION_SENTENCES = {
    Decision.SUPPORT: "你（们）的请求事实清楚，符合法律、法规、规章或者其他有关规定，予以支持。",
    Decision.EXPLAIN: "你（们）的请求事由合理但缺乏法律依据，现作出解释说明。",
    Decision.NOT_SUPPORT: "你（们）的请求缺乏事实根据或者不符合法律、法规、规章或者其他有关规定，不予支持。",
    Decision.UPHELD: "原处理意见认定事实清楚，适用依据正确，予以维持。",
    Decision.CHANGED: "原处理意见认定事实不清或者适用依据不当，予以撤销或者变更，意见如上。",
}
LEVEL_WORDS = {Level.ORIGINAL: "信访事项", Level.REVIEW: "复查请求", Level.REEXAMINATION: "复核请求"}


def notice_number(kind: str, pk: int, issued_at: datetime) -> str:
    """（2026）信处字第00042号: the year and the notice's own number, never the tracking code."""
    return f"（{issued_at.astimezone(LOCAL).year}）{NUMBER_WORDS[kind]}字第{pk:05d}号"


def addressee(names: list[str], group_size: int) -> str:
    """Who the notice is addressed to: the petitioners by name, a group by its first
    representative and its size, or 信访人 when the petition is anonymous."""
    if not names:
        return "信访人"
    if group_size > len(names) and group_size > 1:
        return f"{names[0]}等{group_size}人"
    return "、".join(names)


@dataclass
class Facts:
    """What any notice needs from the record."""

    code: str
    form: str
    level: str
    received_on: date
    office: str
    matter: str
    request: str
    petitioners: list[str]
    group_size: int = 1


def _opening(facts: Facts) -> str:
    what = LEVEL_WORDS[facts.level]
    form = FORM_WORDS.get(facts.form, "")
    how = f"以{form}形式" if form and facts.level == Level.ORIGINAL else ""
    return f"你（们）于{chinese_date(facts.received_on)}{how}提出的{what}（查询码：{facts.code}）"


def _content(kind: str, facts: Facts, paragraphs: list[str], sections=None, closing=None) -> dict:
    return {
        "title": TITLES[kind], "petitioners": facts.petitioners, "group_size": facts.group_size,
        "paragraphs": paragraphs, "sections": sections or [], "closing": closing or [], "office": facts.office,
        "code": facts.code,
    }


def receipt(facts: Facts, *, to_office: str, route_kind: str, today: date) -> dict:
    """登记转送告知书 (第二十二条、第二十三条): registered, and sent to the competent body."""
    return _content(NoticeKind.RECEIPT, facts, [
        f"{_opening(facts)}已收悉，并于{chinese_date(today)}登记。",
        f"依照《信访工作条例》第二十二条的规定，该{LEVEL_WORDS[facts.level]}已{ROUTE_WORDS[route_kind]}{to_office}"
        f"处理。{to_office}应当自收到之日起15日内告知你（们）是否受理（《信访工作条例》第二十三条）。",
        "你（们）可以凭查询码在网上查询、跟踪、评价办理情况（《信访工作条例》第二十一条）。",
    ])


# After a date that depends on a day no official holiday notice covers yet (lib.workdays).
ESTIMATE_NOTE = "（按法定节假日推算；该年度放假安排公布后如有变动，以顺延后的日期为准）"


def due_words(due: date, estimated: bool = False) -> str:
    """A time limit's last day as a notice writes it, marked when it is an estimate."""
    return chinese_date(due) + (ESTIMATE_NOTE if estimated else "")


def acceptance(facts: Facts, *, due: date, estimated: bool = False) -> dict:
    """受理告知书 (第二十三条, with the time limit of 第三十四、三十五、三十六条)."""
    due = due_words(due, estimated)
    if facts.level == Level.ORIGINAL:
        limit = (f"本机关将依照《信访工作条例》第三十四条的规定，自受理之日起60日内办结，于{due}前"
                 "作出书面答复；情况复杂的，经批准可以适当延长办理期限，延长期限不超过30日，并告知延期理由。")
    elif facts.level == Level.REVIEW:
        limit = (f"本机关将依照《信访工作条例》第三十五条的规定，自收到复查请求之日起30日内，于{due}前"
                 "提出复查意见，并予以书面答复。")
    else:
        limit = (f"本机关将依照《信访工作条例》第三十六条的规定，自收到复核请求之日起30日内，于{due}前"
                 "提出复核意见；举行听证的，听证所需时间不计算在内。")
    return _content(NoticeKind.ACCEPTANCE, facts, [
        f"{_opening(facts)}，经审查，属于本机关职权范围。依照《信访工作条例》第二十三条的规定，本机关决定受理。",
        limit,
    ])


def non_acceptance(facts: Facts, *, reason: str, where_to_go: str) -> dict:
    """不予受理告知书: the reason, and where to turn instead."""
    paragraphs = [f"{_opening(facts)}，经审查，本机关依照《信访工作条例》的有关规定，决定不予受理。", f"理由：{reason}"]
    if where_to_go:
        paragraphs.append(f"你（们）可以{where_to_go}")
    return _content(NoticeKind.NON_ACCEPTANCE, facts, paragraphs)


def extension(facts: Facts, *, accepted_on: date, days: int, reason: str, due: date, estimated: bool = False) -> dict:
    """延期办理告知书 (第三十四条): the reason and the new time limit."""
    return _content(NoticeKind.EXTENSION, facts, [
        f"{_opening(facts)}，本机关已于{chinese_date(accepted_on)}受理。",
        f"因{reason.rstrip('。')}，经批准，依照《信访工作条例》第三十四条的规定，办理期限延长{days}日，"
        f"至{due_words(due, estimated)}。",
    ])


def answer(kind: str, facts: Facts, *, decision: str, findings: str, basis: str, earlier: str = "") -> dict:
    """处理意见书, 复查意见书 or 复核意见书 (第三十一、三十二、三十五、三十六条): the request, the
    facts and reasons, the decision and its basis, and what the petitioner may do next."""
    asked = {Level.ORIGINAL: "信访请求", Level.REVIEW: "复查请求", Level.REEXAMINATION: "复核请求"}[facts.level]
    sections = [[asked, _lines(facts.request or facts.matter)]]
    if earlier:
        sections.append(["原处理意见", [earlier]])
    sections += [
        ["事实和理由", _lines(findings)],
        ["处理意见" if facts.level == Level.ORIGINAL else f"{asked[:2]}意见", [DECISION_SENTENCES[decision]]],
        ["依据", _lines(basis)],
    ]
    if facts.level == Level.ORIGINAL:
        closing = ["如对本处理意见不服，可以自收到本意见书之日起30日内，请求原办理机关、单位的上一级机关、单位复查"
                   "（《信访工作条例》第三十五条）。"]
    elif facts.level == Level.REVIEW:
        closing = ["如对本复查意见不服，可以自收到本意见书之日起30日内，向复查机关的上一级机关请求复核"
                   "（《信访工作条例》第三十六条）。"]
    else:
        closing = ["本复核意见为该信访事项的最终处理意见。信访人对复核意见不服，仍然以同一事实和理由提出信访请求的，"
                   "不再受理（《信访工作条例》第三十六条）。"]
    return _content(kind, facts, [f"{_opening(facts)}，本机关已办理完毕。现答复如下："], sections, closing)


def concluded(facts: Facts, *, earlier_office: str, earlier_number: str, earlier_on: date, note: str = "") -> dict:
    """不再受理告知书 (第三十六条): the same request on the same facts and reasons was concluded
    after re-examination."""
    paragraphs = [
        f"{_opening(facts)}，经审查，与{earlier_office}已于{chinese_date(earlier_on)}作出复核意见（{earlier_number}）"
        "的信访事项系同一事实和理由。",
        "依照《信访工作条例》第三十六条的规定，对该信访请求不再受理。",
    ]
    if note:
        paragraphs.append(note)
    return _content(NoticeKind.CONCLUDED, facts, paragraphs,
                    closing=["你（们）如有新的事实和理由，可以另行提出。"])


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
