"""What of a case may be shown to the public (the public map, Open311 request lists and
single requests read by tracking code): never the reporter, never a confidential case,
nothing before a person has accepted the case, and the location only as precisely as the
category allows."""

import re

from django.db.models import Q

from anju.cases import modules
from anju.cases.choices import LocationPrecision, Status
from anju.cases.models import Case
from anju.geo.choices import Level


def listable_kinds() -> list[str]:
    """The kinds that may be listed at all: not reports of wrongdoing, nor the module kinds about
    people and offices (``CaseKind.ever_public`` false: a dispute's notes name its parties, a
    petition names who petitioned), nor a kind whose module is not installed. Webhooks carry the
    words of these kinds only."""
    return modules.public_kinds()

# Seven or more digits, alone or in groups split by single spaces or dashes (phone, ID and bank
# numbers; house numbers such as "1234 5th street" stay), and e-mail addresses.
_PERSONAL = re.compile(r"(?:\d[\s-]?){6,}\d[Xx]?|[\w.+-]+@[\w-]+\.[\w.-]+")
BLANK = "***"

# How replies address a person by the family name: 张先生, 李女士, 王师傅 ...
HONORIFICS = ("先生", "女士", "同志", "师傅", "老人", "大爷", "阿姨")
# The common two-character family names: 欧阳娜娜 is 欧阳 + 娜娜, and is greeted as 欧阳女士.
COMPOUND_SURNAMES = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 令狐 宇文 夏侯 轩辕 端木 司徒 南宫 独孤 万俟 闻人 "
    "西门 申屠 澹台 公冶 濮阳 太史 钟离 赫连 呼延 拓跋 百里 东郭 第五 单于 司空 左丘 梁丘 谷梁 段干".split()
)
_HAN_NAME = re.compile(r"^[\u3400-\u9fff\uf900-\ufaff·]{2,4}$")


def _listable() -> Q:
    """What makes a case fit to be shown at all, acceptance aside: a category shown in public,
    neither confidential nor about an office, not of a kind never listed, not merged away."""
    return (
        ~Q(category__public_location=LocationPrecision.HIDDEN)
        & Q(confidential=False, about_office__isnull=True)
        & Q(kind__in=listable_kinds())
        & ~Q(status=Status.MERGED)
    )


def listed_cases():
    """Cases anyone may see listed: fit to be shown (``_listable``) and accepted by a person
    (受理). A case waiting to be accepted may be spam, a mistake or personal; a case rejected
    (不予受理) is rejected from submitted, so it never has ``accepted_at`` and is never listed."""
    return Case.objects.filter(_listable(), accepted_at__isnull=False)


def awaiting_acceptance():
    """Cases that will be listed once accepted, but are not yet: only their topic and when they
    came in may be told (Open311 answers them by id without their details)."""
    return Case.objects.filter(_listable(), status=Status.SUBMITTED, accepted_at__isnull=True)


def _fit_to_show(case: Case) -> bool:
    return (
        case.category.public_location != LocationPrecision.HIDDEN
        and not case.confidential
        and case.about_office_id is None
        and case.kind in listable_kinds()
        and case.status != Status.MERGED
    )


def is_listed(case: Case) -> bool:
    """The test of ``listed_cases()`` for one case."""
    return _fit_to_show(case) and case.accepted_at is not None


def is_awaiting_acceptance(case: Case) -> bool:
    """The test of ``awaiting_acceptance()`` for one case."""
    return _fit_to_show(case) and case.status == Status.SUBMITTED and case.accepted_at is None


def code_may_be_public(case: Case) -> bool:
    """Whether the case's tracking code may be known to anyone (Open311 lists the codes of
    listed cases): listed now, awaiting acceptance, or listed before it was merged. Whoever
    opens /track with such a code must see no more than the public may."""
    return (
        case.category.public_location != LocationPrecision.HIDDEN
        and not case.confidential
        and case.about_office_id is None
        and case.kind in listable_kinds()
    )


def public_point(case: Case, townships: dict | None = None) -> tuple[float, float] | None:
    """The point to show for a case, as precise as its category allows; None when there is
    nothing to show at that precision. Needs ``category``, ``grid`` and ``region`` loaded
    (select_related). A list passes ``townships`` (township regions by path, read once) so that
    finding a case's township costs no query per case."""
    precision = case.category.public_location
    if precision == LocationPrecision.EXACT and case.lat is not None:
        return case.lat, case.lng
    if precision == LocationPrecision.APPROXIMATE and case.lat is not None:
        # Three decimals: about 110 m north-south, less east-west.
        return round(case.lat, 3), round(case.lng, 3)
    if precision in (LocationPrecision.EXACT, LocationPrecision.APPROXIMATE, LocationPrecision.GRID):
        if case.grid is not None and case.grid.lat is not None:
            return case.grid.lat, case.grid.lng
    if precision != LocationPrecision.HIDDEN:
        township = _township(case, townships)
        if township is not None and township.lat is not None:
            return township.lat, township.lng
    return None


def _township(case: Case, townships: dict | None = None):
    region = case.region
    if region.level == Level.TOWNSHIP:
        return region
    if townships is not None:
        return next((t for path, t in townships.items() if case.area_path.startswith(path)), None)
    return region.township()


def name_forms(name: str) -> list[str]:
    """The ways a text may name the person called ``name``, longest first: the full name and,
    for a Chinese name of two to four characters, the full name or the family name with a form
    of address (张三同志, 张先生, 欧阳女士: the form of address goes too, as it tells the sex)
    and the given name alone when it has two or more characters (小梅 of 赵小梅). A
    four-character name may have a two-character family name that is not in
    ``COMPOUND_SURNAMES``, so both splits are taken: blanking too much is the safe side."""
    name = (name or "").strip()
    if len(name) < 2:
        return []  # one character would blank that character everywhere
    forms = {name}
    compact = re.sub(r"\s+", "", name)
    if _HAN_NAME.match(compact):
        forms.add(compact)
        surnames = {compact[0]}
        if compact[:2] in COMPOUND_SURNAMES or len(compact) == 4:
            surnames.add(compact[:2])
        forms.update(compact + honorific for honorific in HONORIFICS)
        for surname in surnames:
            forms.update(surname + honorific for honorific in HONORIFICS)
            given = compact[len(surname):]
            if len(given) >= 2:
                forms.add(given)
    else:
        # Latin letters: each name of three or more letters on its own (John, Smith).
        forms.update(part for part in name.split() if len(part) >= 3)
    return sorted(forms, key=len, reverse=True)


def blank_forms(text: str, forms: list[str]) -> str:
    """``text`` with every one of ``forms`` (names, longest first) blanked; used for a reporter's
    name and by modules for the people they keep on a case."""
    if not forms:
        return text
    pattern = "|".join(
        # Latin names only as whole words, in any case: "Li" must not blank "public".
        rf"(?<![A-Za-z]){re.escape(form)}(?![A-Za-z])" if form.isascii() else re.escape(form)
        for form in forms
    )
    return re.sub(pattern, BLANK, text, flags=re.IGNORECASE)


def public_text(text: str, case: Case | None = None) -> str:
    """A text with phone-, ID- and account-like numbers and e-mail addresses blanked and, given
    the ``case``, its reporter's name (see ``name_forms``), phone and e-mail too: replies often
    greet the reporter by name (张三同志您好).

    Reading the reporter here shows nobody anything (the name is only removed), so it is not a
    reveal to log. A list should load ``reporter`` with select_related."""
    text = _PERSONAL.sub(BLANK, text or "")
    reporter = case.reporter if case is not None and case.reporter_id else None
    if reporter is None:
        return text
    forms = name_forms(reporter.name)
    for contact in (reporter.phone, reporter.email):
        contact = (contact or "").strip()
        if len(contact) >= 5:
            forms.append(contact)
    return blank_forms(text, sorted(forms, key=len, reverse=True))
