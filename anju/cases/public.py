"""What of a case may be shown to the public (the public map, Open311 request lists and
single requests read by tracking code): never the reporter, never a confidential case,
nothing before a person has accepted the case, and the location only as precisely as the
category allows."""

import re

from django.db.models import Q

from anju.cases import modules, redaction
from anju.cases.choices import LocationPrecision, Status
from anju.cases.models import Case
from anju.geo.choices import Level
from anju.lib.redact import MARK, redact


def listable_kinds() -> list[str]:
    """The kinds that may be listed at all: not reports of wrongdoing, nor the module kinds about
    people and offices (``CaseKind.ever_public`` false: a dispute's notes name its parties, a
    petition names who petitioned), nor a kind whose module is not installed. Webhooks carry the
    words of these kinds only."""
    return modules.public_kinds()

# Seven or more digits, alone or in groups split by single spaces or dashes (phone, ID and bank
# numbers; house numbers such as "1234 5th street" stay), and e-mail addresses: what the public
# never reads, whoever's they are, beyond what the redactor hides.
_PERSONAL = re.compile(r"(?:\d[\s-]?){6,}\d[Xx]?|[\w.+-]+@[\w-]+\.[\w.-]+")
BLANK = MARK


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


def public_text(text: str, case: Case | None = None) -> str:
    """A text as the public may read it: redacted of the case's people and of anyone's personal
    data (``lib.redact``; replies often greet the reporter by name, 张三同志您好), and with any
    other phone-, ID- or account-like number and e-mail address blanked.

    Reading the people of the case here shows nobody anything (they are only removed), so it is
    not a reveal to log. A list should load ``reporter`` with select_related."""
    people = redaction.people_on(case) if case is not None else ()
    return _PERSONAL.sub(BLANK, redact(text or "", people))
