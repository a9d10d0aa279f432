"""The Open311 GeoReport v2 server's logic: which categories are services, which cases are
public service requests and how much of them is shown, and the checks of a posted request.

Every refusal is an ``Open311Error`` carrying the HTTP status the spec asks for (403 for the
api_key, 404 for an unknown jurisdiction, service, request or token, 400 for the rest) and
one description per problem, naming the field. The views only parse the URL, call one
function here and write its answer in XML or JSON (``formats``).

Decisions worth knowing:

- ``service_request_id`` is the case's tracking code, so a resident can follow the same case
  on ``/track``.
- A case is listed only once a person has accepted it (受理). A case still waiting to be
  accepted, that will be listed once accepted, is answered by its id only, with its service,
  time and office but none of its details (``_awaiting_request``); the list never holds it.
- A case is ``closed`` in Open311 terms once it is resolved (办结: the office has answered) or
  closed (归档); every other status is ``open``. A resolved case that the resident reopens is
  open again.
- A request placed by ``address_string`` (or ``address_id``, treated the same: Anju keeps no
  address register) without a point inside a grid is placed at the top region (the county),
  for the dispatcher to place; a point outside every grid without an address is refused.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases import modules
from anju.cases.choices import Kind, LocationPrecision, Status
from anju.cases.models import Case, Category
from anju.cases.public import (
    awaiting_acceptance,
    is_awaiting_acceptance,
    is_listed,
    listed_cases,
    public_point,
    public_text,
)
from anju.cases.services import CaseError, NewCase, create_case_by_application
from anju.geo import gridindex
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib import tracking
from anju.open311.choices import Datatype, Open311Status
from anju.open311.formats import w3c
from anju.open311.models import Application, Open311Request, ServiceAttribute
from anju.people.models import hash_token

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this server's interface last changed, for the discovery document.
CHANGESET = "2026-11-24T00:00:00+08:00"
MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000
MAX_DESCRIPTION = 4000
MAX_ADDRESS = 200
MAX_NAME = 50
MAX_ID = 100
MAX_MEDIA_URL = 500
MAX_STRING_ATTRIBUTE = 255
CLOSED_STATUSES = (Status.RESOLVED, Status.CLOSED)

# attribute[CODE] or attribute[CODE][] (the spec's form for several values).
_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
# The W3C profile of ISO 8601: a date, or a date and time with a time zone.
_W3C = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
_PHONE = re.compile(r"^[0-9+\- ]*$")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


class Open311Error(Exception):
    """A refused request: the HTTP status and one description per problem."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions)


def check_storable(params, path: str = "") -> None:
    """Refuse a NUL character anywhere in the path or the parameters: no database can store or
    even compare it."""
    if "\x00" in path:
        raise Open311Error(400, _("%(field)s contains characters that cannot be stored.") % {"field": "path"})
    for name, values in params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise Open311Error(400, _("%(field)s contains characters that cannot be stored.")
                               % {"field": name.replace("\x00", "")})


def _required(name: str) -> str:
    return _("%(field)s is required.") % {"field": name}


def _too_long(name: str, limit: int) -> str:
    return _("%(field)s must be at most %(n)s characters.") % {"field": name, "n": limit}


# ---------------------------------------------------------------------------- keys and jurisdiction


def check_jurisdiction(params) -> None:
    """Anju serves one jurisdiction: ``jurisdiction_id`` may be left out or name it."""
    given = (params.get("jurisdiction_id") or "").strip()
    ours = settings.ANJU_OPEN311_JURISDICTION
    if given and given != ours:
        raise Open311Error(
            404, _("jurisdiction_id %(given)s is not served here; use %(ours)s or leave it out.")
            % {"given": given, "ours": ours},
        )


def application_for_key(raw: str) -> Application:
    """The active application an api_key belongs to; 403 for a missing, unknown or revoked key."""
    raw = (raw or "").strip()
    if not raw:
        raise Open311Error(403, _("api_key is required to post a service request."))
    application = Application.objects.active().filter(key_hash=hash_token(raw)).first()
    if application is None:
        raise Open311Error(403, _("api_key is not valid or has been revoked."))
    return application


def issue_key(application: Application) -> str:
    """Give ``application`` a new API key (the caller saves it). Returns the raw key, which is
    not stored and cannot be shown again."""
    raw = Application.new_raw_key()
    application.key_hash = hash_token(raw)
    application.key_prefix = raw[:9]
    return raw


@transaction.atomic
def revoke_applications(applications, *, now: datetime | None = None) -> int:
    """Revoke the keys of the given applications that are still active; returns how many.
    Their keys stop working at once; the requests they sent stay."""
    return applications.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())


# ---------------------------------------------------------------------------- discovery and services


def discovery(endpoint_url: str) -> dict:
    return {
        "changeset": CHANGESET,
        "contact": _("Ask the county service centre (综治中心) for help with this interface."),
        "key_service": _("API keys are issued by the administrator of this system on request."),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": endpoint_url,
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def public_categories():
    """The categories offered as Open311 services: those offered to residents and active."""
    return Category.objects.filter(is_public=True, is_active=True)


def _service(category: Category, has_attributes: bool) -> dict:
    parent_name = category.parent.name if category.parent_id else ""
    names = [parent_name, category.name] if parent_name else [category.name]
    keywords = [category.name, parent_name, category.gbt31000_code]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": " / ".join(names),
        "metadata": has_attributes,
        "type": "realtime",
        "keywords": ", ".join(k for k in keywords if k),
        # A top-level category is its own group, so that clients list it with its children.
        "group": parent_name or category.name,
    }


def service_list() -> list[dict]:
    categories = list(public_categories().select_related("parent").order_by("path"))
    with_attributes = set(
        ServiceAttribute.objects.filter(category__in=categories).values_list("category_id", flat=True)
    )
    return [_service(category, category.pk in with_attributes) for category in categories]


def service_for(code: str) -> Category:
    category = public_categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("Unknown service_code: %(code)s.") % {"code": code})
    return category


def _attribute(attribute: ServiceAttribute) -> dict:
    entry = {
        "variable": attribute.variable,
        "code": attribute.code,
        "datatype": attribute.datatype,
        "required": attribute.required,
        "datatype_description": attribute.datatype_description,
        "order": attribute.order,
        "description": attribute.description,
    }
    if attribute.datatype in (Datatype.SINGLEVALUELIST, Datatype.MULTIVALUELIST):
        entry["values"] = [{"key": str(value["key"]), "name": value["name"]} for value in attribute.values]
    return entry


def service_definition(code: str) -> dict:
    category = service_for(code)
    attributes = category.open311_attributes.order_by("order", "code")
    return {"service_code": category.code, "attributes": [_attribute(a) for a in attributes]}


# ---------------------------------------------------------------------------- reading requests


def parse_w3c(value: str, name: str) -> datetime:
    """A W3C date and time with a time zone, or a bare date (midnight in Asia/Shanghai)."""
    text = value.strip()
    # An unescaped "+" in a query string arrives as a space: 2026-01-01T00:00:00 08:00.
    text = re.sub(r"(T[\d:.]+) (\d{2}:\d{2})$", r"\1+\2", text)
    problem = _("%(field)s must be a W3C date and time with a time zone, such as 2026-01-01T00:00:00+08:00.") % {
        "field": name
    }
    if not _W3C.match(text):
        raise Open311Error(400, problem)
    try:
        if "T" not in text:
            moment = timezone.make_aware(datetime.combine(date.fromisoformat(text), time()))
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, problem) from None
    # Far-off years would overflow date arithmetic and the databases' ranges.
    if not 1900 <= moment.year <= 2999:
        raise Open311Error(400, _("%(field)s must lie between the years 1900 and 2999.") % {"field": name})
    return moment


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _whole_number(params, name: str, default: int, low: int, high: int) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    # isascii: str.isdigit() also takes "²" and other digits int() refuses.
    if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
        raise Open311Error(400, _("%(field)s must be a whole number from %(low)s to %(high)s.")
                           % {"field": name, "low": low, "high": high})
    return int(raw)


@dataclass
class RequestFilters:
    """What a GET requests asks for. ``ids`` (tracking codes) overrides everything else."""

    ids: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1
    page_size: int = MAX_RESULTS


def parse_filters(params, *, now: datetime) -> RequestFilters:
    """The filters of GET requests: ``service_request_id`` (comma list, overrides the rest),
    ``service_code`` and ``status`` (comma lists), ``start_date``/``end_date`` at most 90 days
    apart (the last 90 days when neither is given; 90 days from the one given otherwise),
    and the common ``page``/``page_size`` extension (at most 1000 a page)."""
    page = _whole_number(params, "page", 1, 1, 1_000_000)
    page_size = _whole_number(params, "page_size", MAX_RESULTS, 1, MAX_RESULTS)
    ids = _comma_list(params.get("service_request_id"))
    if ids:
        # Typed codes are forgiven as on /track (dashes, case, look-alike letters). An id that
        # cannot be a code is one no request has; but when none can, there is nothing to look for.
        codes = [code for code in (tracking.normalise(raw) for raw in ids) if code]
        if not codes:
            raise Open311Error(400, _("service_request_id must be one or more tracking codes separated by commas, "
                                      "such as K7M2-9QXPA."))
        return RequestFilters(ids=codes, page=page, page_size=page_size)
    statuses = [s.lower() for s in _comma_list(params.get("status"))]
    if any(s not in Open311Status.ALL for s in statuses):
        raise Open311Error(400, _("status must be open, closed, or both separated by a comma."))
    start_raw, end_raw = (params.get("start_date") or "").strip(), (params.get("end_date") or "").strip()
    start = parse_w3c(start_raw, "start_date") if start_raw else None
    end = parse_w3c(end_raw, "end_date") if end_raw else None
    if start is None and end is None:
        start, end = now - MAX_RANGE, now
    elif start is None:
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if start > end:
        raise Open311Error(400, _("start_date must not be after end_date."))
    if end - start > MAX_RANGE:
        raise Open311Error(400, _("start_date and end_date may be at most 90 days apart."))
    return RequestFilters(codes=_comma_list(params.get("service_code")), statuses=statuses, start=start, end=end,
                          page=page, page_size=page_size)


def _as_requests(cases):
    return cases.filter(category__is_public=True, category__is_active=True).select_related(
        "category", "region", "grid", "office", "open311", "reporter"
    )


def public_requests():
    """The cases shown as Open311 service requests: the publicly listed cases
    (``anju.cases.public.listed_cases``: accepted by a person, and never confidential cases,
    complaints about offices, reports of wrongdoing, petitions or hidden categories) in a
    category that is a service. The reporter is loaded only to blank their name in the texts."""
    return _as_requests(listed_cases())


def awaiting_requests():
    """The cases that will be public service requests once accepted: answered by id only."""
    return _as_requests(awaiting_acceptance())


def open311_status(case: Case) -> str:
    return Open311Status.CLOSED if case.status in CLOSED_STATUSES else Open311Status.OPEN


class _Places:
    """The place of a case at the precision its category allows, its name and its point, with
    the townships read once for a whole list rather than once per case."""

    def __init__(self):
        self._townships: dict[str, Region] | None = None

    @property
    def townships(self) -> dict[str, Region]:
        """Township regions by path, as ``public_point`` takes them."""
        if self._townships is None:
            self._townships = {r.path: r for r in Region.objects.filter(level=Level.TOWNSHIP)}
        return self._townships

    def township(self, case: Case) -> Region | None:
        if case.region.level == Level.TOWNSHIP:
            return case.region
        return next((t for path, t in self.townships.items() if case.area_path.startswith(path)), None)

    def point(self, case: Case) -> tuple[float, float] | None:
        return public_point(case, townships=self.townships)

    def address(self, case: Case) -> str:
        """The address when the category shows the exact point, else the grid's or township's name."""
        precision = case.category.public_location
        if precision == LocationPrecision.EXACT and case.address:
            return public_text(case.address, case)
        if precision != LocationPrecision.TOWNSHIP and case.grid is not None:
            return case.grid.name
        township = self.township(case)
        return township.name if township is not None else case.region.name


def _request(case: Case, places: _Places) -> dict:
    entry = {
        "service_request_id": case.tracking_code,
        "status": open311_status(case),
        "status_notes": public_text(case.reply, case),
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": public_text(case.text, case),
        "agency_responsible": case.office.name if case.office_id else "",
        "service_notice": "",
        "requested_datetime": w3c(case.submitted_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.due_at or case.handle_due_at),
        "address": places.address(case),
        "address_id": "",
        "zipcode": "",
    }
    point = places.point(case)
    if point is not None:
        entry["lat"], entry["long"] = point
    record = getattr(case, "open311", None)
    if record is not None and record.media_url:
        entry["media_url"] = record.media_url
    return entry


def _awaiting_request(case: Case) -> dict:
    """A case not yet accepted, asked for by its id: that it exists, is open, its service, when
    it came in and who has it, and a notice that the rest follows once the county has accepted
    it. No description, address, point, notes or media: nobody has looked at them yet."""
    return {
        "service_request_id": case.tracking_code,
        "status": Open311Status.OPEN,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "agency_responsible": case.office.name if case.office_id else "",
        "service_notice": _("Waiting to be accepted by the county; the details are shown once it is accepted."),
        "requested_datetime": w3c(case.submitted_at),
        "updated_datetime": w3c(case.updated_at),
        "expected_datetime": w3c(case.due_at or case.handle_due_at),
        "address_id": "",
        "zipcode": "",
    }


def find_requests(filters: RequestFilters) -> list[dict]:
    """The public service requests matching ``filters``, newest first, one page. Asked for by
    id, a case waiting to be accepted is answered too, without its details."""
    if filters.ids:
        rows = public_requests() | awaiting_requests()
        rows = rows.filter(tracking_code__in=filters.ids)
    else:
        rows = public_requests()
        rows = rows.filter(submitted_at__gte=filters.start, submitted_at__lte=filters.end)
        if filters.codes:
            rows = rows.filter(category__code__in=filters.codes)
        statuses = set(filters.statuses)
        if statuses == {Open311Status.OPEN}:
            rows = rows.exclude(status__in=CLOSED_STATUSES)
        elif statuses == {Open311Status.CLOSED}:
            rows = rows.filter(status__in=CLOSED_STATUSES)
    offset = (filters.page - 1) * filters.page_size
    cases = rows.order_by("-submitted_at", "-id")[offset:offset + filters.page_size]
    places = _Places()
    return [_request(case, places) if case.accepted_at else _awaiting_request(case) for case in cases]


def request_by_id(raw_id: str) -> list[dict]:
    """One public service request by its tracking code, as a one-element list (without its
    details while it waits to be accepted); 404 when no listed or awaiting case has that code
    (whether it does not exist or may not be shown)."""
    code = tracking.normalise(raw_id)
    # One query by the unique code, then the same tests as listed_cases() / awaiting_acceptance()
    # in Python: planning the filtered seven-table join twice cost PostgreSQL more than running it.
    case = _as_requests(Case.objects.all()).filter(tracking_code=code).first() if code else None
    if case is not None and is_listed(case):
        return [_request(case, _Places())]
    if case is not None and is_awaiting_acceptance(case):
        return [_awaiting_request(case)]
    raise Open311Error(404, _("No service request has the id %(id)s.") % {"id": raw_id})


def request_for_token(token: str) -> list[dict]:
    record = Open311Request.objects.select_related("case").filter(token=token).first()
    if record is None:
        raise Open311Error(404, _("No service request has the token %(token)s.") % {"token": token})
    return [{"service_request_id": record.case.tracking_code, "token": record.token}]


# ---------------------------------------------------------------------------- posting a request


def _top_region() -> Region | None:
    """The region a request placed only by address goes to: the root of the region tree."""
    return Region.objects.filter(parent__isnull=True).order_by("path").first()


def _number(raw: str) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def full_name(last_name: str, first_name: str) -> str:
    """The reporter's name in Chinese order, family name first: 张 + 三 → 张三, smith + john →
    smith john (a space only between names written in Latin letters)."""
    if not last_name or not first_name:
        return last_name or first_name
    joint = "" if _CJK.search(last_name + first_name) else " "
    return last_name + joint + first_name


def _check_attributes(params, category: Category, problems: list[str]) -> dict:
    """The answers to the service's attributes, checked against its definition: required ones
    present, list answers among the keys, numbers numeric, dates W3C. Empty answers count as
    not given; attributes the service does not have are refused."""
    given: dict[str, list[str]] = {}
    for key, values in params.lists():
        match = _ATTRIBUTE_KEY.match(key)
        if match is None:
            if key.startswith("attribute"):
                problems.append(_("%(field)s is not understood; send attribute[CODE] or attribute[CODE][].")
                                % {"field": key})
            continue
        given.setdefault(match.group(1), []).extend(v.strip() for v in values if v.strip())
    definitions = {a.code: a for a in category.open311_attributes.all()}
    for code in given:
        if code not in definitions:
            problems.append(_("attribute[%(code)s] is not an attribute of the service %(service)s.")
                            % {"code": code, "service": category.code})
    answers = {}
    for attribute in sorted(definitions.values(), key=lambda a: (a.order, a.code)):
        if not attribute.variable:
            continue  # a note for the user; nothing to answer
        name = f"attribute[{attribute.code}]"
        values = given.get(attribute.code, [])
        if not values:
            if attribute.required:
                problems.append(_required(name))
            continue
        if attribute.datatype == Datatype.MULTIVALUELIST:
            wrong = [v for v in values if v not in attribute.keys()]
            if wrong:
                problems.append(_("%(field)s must be one of: %(keys)s.")
                                % {"field": name, "keys": ", ".join(attribute.keys())})
            else:
                answers[attribute.code] = list(dict.fromkeys(values))
            continue
        if len(values) > 1:
            problems.append(_("%(field)s takes one value only.") % {"field": name})
            continue
        value = values[0]
        if attribute.datatype == Datatype.SINGLEVALUELIST:
            if value not in attribute.keys():
                problems.append(_("%(field)s must be one of: %(keys)s.")
                                % {"field": name, "keys": ", ".join(attribute.keys())})
                continue
            answers[attribute.code] = value
        elif attribute.datatype == Datatype.NUMBER:
            number = _number(value)
            if number is None:
                problems.append(_("%(field)s must be a number.") % {"field": name})
                continue
            answers[attribute.code] = int(number) if number.is_integer() and "." not in value else number
        elif attribute.datatype == Datatype.DATETIME:
            try:
                answers[attribute.code] = w3c(parse_w3c(value, name))
            except Open311Error as error:
                problems.extend(error.descriptions)
        else:
            limit = MAX_STRING_ATTRIBUTE if attribute.datatype == Datatype.STRING else MAX_DESCRIPTION
            if len(value) > limit:
                problems.append(_too_long(name, limit))
                continue
            answers[attribute.code] = value
    return answers


@dataclass
class Submission:
    """A posted request that passed every check: the case to create and what goes with it."""

    application: Application
    case: NewCase
    device_id: str = ""
    account_id: str = ""
    attributes: dict = field(default_factory=dict)
    media_url: str = ""


def _text(params, name: str, limit: int, problems: list[str]) -> str:
    value = (params.get(name) or "").strip()
    if len(value) > limit:
        problems.append(_too_long(name, limit))
        return ""
    return value


def _kind_for(category: Category) -> str:
    # A kind its module registers itself (a petition, 信访, under its own rules) comes in through
    # Open311 as a complaint, and the dispatcher may take it from there.
    kind = modules.case_kind(category.default_kind)
    if category.default_kind and modules.is_kind(category.default_kind) and not (kind and kind.registered_by_module):
        return category.default_kind
    return Kind.COMPLAINT


def _location(params, problems: list[str]) -> tuple[float | None, float | None, str, str]:
    """(lat, lng, address, region code) from lat/long, address_string or address_id.

    A point inside a grid places the case there. Without one, an address places it at the top
    region (the county) for the dispatcher to place; a point outside every grid without an
    address is refused."""
    lat_raw, lng_raw = (params.get("lat") or "").strip(), (params.get("long") or "").strip()
    address_given = bool((params.get("address_string") or "").strip() or (params.get("address_id") or "").strip())
    if not (lat_raw or lng_raw or address_given):
        problems.append(_("Give the location: lat and long, address_string or address_id."))
        return None, None, "", ""
    # Anju keeps no address register: an address_id is kept as the address, like address_string.
    address = _text(params, "address_string", MAX_ADDRESS, problems) or _text(
        params, "address_id", MAX_ADDRESS, problems
    )
    lat = lng = None
    if lat_raw or lng_raw:
        if not (lat_raw and lng_raw):
            problems.append(_("Give both lat and long, or neither."))
            return None, None, address, ""
        lat, lng = _number(lat_raw), _number(lng_raw)
        lat_ok = lat is not None and -90 <= lat <= 90
        lng_ok = lng is not None and -180 <= lng <= 180
        if not lat_ok:
            problems.append(_("lat must be a number from -90 to 90 (WGS84)."))
        if not lng_ok:
            problems.append(_("long must be a number from -180 to 180 (WGS84)."))
        if not (lat_ok and lng_ok):
            return None, None, address, ""
        if gridindex.find_grid_id(lat, lng) is not None:
            return lat, lng, address, ""
        if not address_given:
            problems.append(_("The point lat/long lies outside every grid of this jurisdiction; "
                              "give address_string as well."))
            return None, None, "", ""
    if not address:
        return None, None, "", ""  # the address was refused above
    top = _top_region()
    if top is None:
        problems.append(_("No region is set up yet to place a request by its address."))
        return None, None, address, ""
    return lat, lng, address, top.code


def check_submission(params) -> Submission:
    """Every check of a posted request, before anything is written: the api_key (403), the
    jurisdiction and the service (404), then all field problems at once (400)."""
    application = application_for_key(params.get("api_key"))
    check_jurisdiction(params)
    check_storable(params)
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, _required("service_code"))
    category = service_for(code)

    problems: list[str] = []
    lat, lng, address, region_code = _location(params, problems)
    description = _text(params, "description", MAX_DESCRIPTION, problems)
    first_name = _text(params, "first_name", MAX_NAME, problems)
    last_name = _text(params, "last_name", MAX_NAME, problems)
    name = full_name(last_name, first_name)
    if len(name) > MAX_NAME:
        problems.append(_too_long("first_name + last_name", MAX_NAME))
    email = _text(params, "email", 254, problems)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("email is not a valid e-mail address."))
    phone = _text(params, "phone", 20, problems)
    if not _PHONE.match(phone):
        problems.append(_("phone may hold only digits, spaces, + and -."))
    media_url = _text(params, "media_url", MAX_MEDIA_URL, problems)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            problems.append(_("media_url must be an http or https URL."))
    device_id = _text(params, "device_id", MAX_ID, problems)
    account_id = _text(params, "account_id", MAX_ID, problems)
    attributes = _check_attributes(params, category, problems)
    if problems:
        raise Open311Error(400, *problems)
    return Submission(
        application=application,
        case=NewCase(
            kind=_kind_for(category), category_code=category.code,
            # A request may come without a description; the case needs a text.
            text=description or category.name,
            lat=lat, lng=lng, address=address, region_code=region_code,
            reporter_name=name, reporter_phone=phone, reporter_email=email,
        ),
        device_id=device_id, account_id=account_id, attributes=attributes, media_url=media_url,
    )


# NewCase's field names, as the Open311 client knows them.
_FIELD_NAMES = {
    "lat": "lat/long", "region_code": "address_string", "address": "address_string", "text": "description",
    "category": "service_code", "kind": "service_code", "reporter_name": "first_name/last_name",
    "reporter_phone": "phone", "reporter_email": "email",
}


def submit_request(params, *, now: datetime | None = None) -> list[dict]:
    """Create a case from a posted service request, with its ``Open311Request`` record, in one
    transaction: all or nothing. The case is routed and timed like any other
    (``create_case_by_application``); the reporter's name, phone and e-mail go into its
    ``Reporter``, never into anything public. Returns the spec's answer (with the token)."""
    now = now or timezone.now()
    submission = check_submission(params)
    try:
        with transaction.atomic():
            case = create_case_by_application(submission.case, now=now)
            record = Open311Request.objects.create(
                case=case, application=submission.application, token=Open311Request.new_token(),
                device_id=submission.device_id, account_id=submission.account_id,
                attributes=submission.attributes, media_url=submission.media_url, created_at=now,
            )
    except CaseError as error:
        name = _FIELD_NAMES.get(error.field or "", error.field)
        description = _("%(field)s: %(reason)s") % {"field": name, "reason": error.message} if name else error.message
        raise Open311Error(400, description) from None
    return [{
        "service_request_id": case.tracking_code,
        "token": record.token,
        "service_notice": "",
        "account_id": submission.account_id or None,
    }]


def answers_for_staff(record: Open311Request) -> list[tuple[str, str]]:
    """The answers an application sent to its service's questions, as (question, answer) in the
    questions' order, list keys replaced by their names: what the case page shows the handler."""
    attributes = {a.code: a for a in record.case.category.open311_attributes.all()}
    shown = []
    for code, answer in record.attributes.items():
        attribute = attributes.get(code)
        names = {str(v["key"]): v["name"] for v in (attribute.values or [])} if attribute else {}
        values = answer if isinstance(answer, list) else [answer]
        shown.append((attribute.description if attribute else code,
                       "、".join(names.get(str(v), str(v)) for v in values)))
    order = {a.description: (a.order, a.code) for a in attributes.values()}
    return sorted(shown, key=lambda pair: order.get(pair[0], (1 << 30, pair[0])))
