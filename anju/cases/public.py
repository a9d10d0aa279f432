"""What of a case may be shown to the public (the public map, Open311 request lists and
single requests read by tracking code): never the reporter, never a confidential case,
and the location only as precisely as the category allows."""

import re

from anju.cases.choices import Kind, LocationPrecision, Status
from anju.cases.models import Case
from anju.geo.choices import Level

# Reports of wrongdoing and petitions are about people and offices; they are never listed.
NEVER_LISTED_KINDS = (Kind.REPORT, Kind.PETITION)

# Seven or more digits, alone or in groups split by single spaces or dashes (phone, ID and bank
# numbers; house numbers such as "1234 5th street" stay), and e-mail addresses.
_PERSONAL = re.compile(r"(?:\d[\s-]?){6,}\d[Xx]?|[\w.+-]+@[\w-]+\.[\w.-]+")


def listed_cases():
    """Cases anyone may see listed: in a category shown in public, neither confidential nor
    about an office, not a report of wrongdoing or a petition, not merged away."""
    return (
        Case.objects.exclude(category__public_location=LocationPrecision.HIDDEN)
        .filter(confidential=False, about_office__isnull=True)
        .exclude(kind__in=NEVER_LISTED_KINDS)
        .exclude(status=Status.MERGED)
    )


def is_listed(case: Case) -> bool:
    return (
        case.category.public_location != LocationPrecision.HIDDEN
        and not case.confidential
        and case.about_office_id is None
        and case.kind not in NEVER_LISTED_KINDS
        and case.status != Status.MERGED
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


def public_text(text: str) -> str:
    """A resident's text with phone-, ID- and account-like numbers and e-mail addresses blanked."""
    return _PERSONAL.sub("***", text)
