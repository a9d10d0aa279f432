"""The staff pages of petitions (信访): the workbench with what waits for me and the list of the
petitions I may see, registering a petition, and one petition with its statutory time limits,
notices, chain and the actions the user may take now.

Petitioners appear only on a petition's own page, masked, with a logged "show"; from the body a
petition is about they are hidden altogether. Lists and the search never show or read them.
"""

from datetime import date, datetime

from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.cases import access as case_access
from anju.cases import redaction
from anju.cases.choices import OPEN_STATUSES, ClockUnit, ExtensionStatus, Status
from anju.cases.deadlines import calendar_for
from anju.cases.models import Case, ExtensionRequest
from anju.cases.services import CaseError
from anju.lib import tracking
from anju.lib.workdays import end_of_day
from anju.people.choices import Role
from anju.people.models import User
from anju.petitions import access, queries, services
from anju.petitions.choices import Level
from anju.petitions.forms import (
    FORMS,
    TARGETS,
    PetitionerRowForm,
    PetitionFilterForm,
    RegisterPetitionForm,
    RevealForm,
)
from anju.petitions.models import Petition
from anju.web.access import is_dispatcher, role_names, staff_required
from anju.web.intake_forms import can_create_somewhere, new_idempotency_key
from anju.web.timeleft import case_time_left, time_left
from anju.web.views.intake import map_settings
from anju.web.views.workbench import CappedPaginator, filter_query, township_names, townships_for

PAGE_SIZE = 50
SECTION_LIMIT = 50
PETITIONER_ROWS = 3
ROW_RELATED = ("category", "region", "grid", "office", "petition", "petition__leader")
# Statuses in which a body's statutory time limit runs.
CLOCKED = (Status.SUBMITTED, *queries.HANDLING_STATUSES)
# The actions offered beside the petition as a whole, in the order a petition meets them.
SIDE_ACTIONS = ("route", "accept", "object", "take_up", "answer", "request_extension", "record_hearing",
                "request_review", "decline", "answer_concluded", "transfer", "assign_leader", "take_charge",
                "book_reception")


def _petition_case(user, case_id) -> Case:
    return access.get_petition_case_for(user, case_id, Case.objects.select_related(
        "category", "region", "grid", "office", "about_office"))


def _petition_of(case: Case) -> Petition | None:
    try:
        return case.petition
    except Petition.DoesNotExist:
        return None


# ---------------------------------------------------------------------------- time limits in words




def said(limit: queries.Limit, now: datetime, calendar) -> dict:
    """A statutory limit as the pages show it: what, until when, the article, and while it runs
    the time left in words (剩余 …/已超期 …), in working days for the objection and in calendar
    days otherwise, as the 信访工作条例 counts them."""
    at = limit.at
    due = end_of_day(at) if isinstance(at, date) and not isinstance(at, datetime) else at
    left = None
    if due is not None and (limit.running or limit.key == "objection"):
        unit = ClockUnit.WORKING_DAYS if limit.key == "objection" else ClockUnit.CALENDAR_DAYS
        left = time_left(due, unit=unit, now=now, calendar=calendar)
    return {
        "key": limit.key, "label": limit.label, "at": at, "is_day": due is not at, "article": limit.article,
        "petitioners": limit.petitioners, "running": limit.running, "met": limit.met, "estimated": limit.estimated,
        "words": left.words if left else "", "overdue": bool(left and left.overdue),
        "soon": bool(left and left.due_soon),
    }


def _annotate(cases, now: datetime, calendar) -> list:
    """Each row's display code, township, and the statutory limit running now (with the
    objection window while it is open)."""
    names = township_names({c.area_path for c in cases})
    for case in cases:
        case.township_name = names.get(case.area_path, "")
        case.code_display = tracking.display(case.tracking_code)
        case.limit = case.objection = None
        petition = _petition_of(case)
        if petition is None:
            # Came in through the core intake and has no record yet: the case's own deadline.
            left = case_time_left(case, now=now, calendar=calendar)
            if left is not None:
                case.limit = {"words": left.words, "overdue": left.overdue, "soon": left.due_soon, "at": case.due_at,
                              "article": "", "label": ""}
            continue
        if case.status not in CLOCKED:
            continue
        limits = queries.limits_of(petition, now)
        running = next((item for item in limits if item.running and not item.petitioners), None)
        case.limit = said(running, now, calendar) if running is not None else None
        objection = next((item for item in limits if item.key == "objection"), None)
        case.objection = said(objection, now, calendar) if objection is not None else None
    return cases


# ---------------------------------------------------------------------------- workbench and list


def _sections(user) -> dict:
    """What waits for the user, each list soonest deadline first; a section is present only for
    those whose work it is."""
    scope = access.petition_cases(user).select_related(*ROW_RELATED)
    roles = role_names(user)
    sections: dict[str, list] = {}
    if is_dispatcher(user):
        rows = (scope.filter(status=Status.SUBMITTED)
                .filter(Q(petition__isnull=True) | Q(petition__routed_at__isnull=True)).order_by("due_at", "id"))
        sections["to_route"] = [c for c in rows[:SECTION_LIMIT] if access.can_route(user, c)]
    if user.office_id and Role.HANDLER in roles:
        sections["to_accept"] = list(scope.filter(status=Status.SUBMITTED, office_id=user.office_id,
                                                  petition__routed_at__isnull=False)
                                     .order_by("due_at", "id")[:SECTION_LIMIT])
        sections["in_hand"] = list(scope.filter(status__in=queries.HANDLING_STATUSES, office_id=user.office_id)
                                   .order_by("due_at", "id")[:SECTION_LIMIT])
    if roles & {Role.SUPERVISOR, Role.ADMIN}:
        rows = scope.filter(extension_requests__status=ExtensionStatus.PENDING).order_by("due_at", "id")
        rows = [c for c in rows[:SECTION_LIMIT] if access.can_approve(user, c)]
        pending = {r.case_id: r for r in ExtensionRequest.objects.filter(
            case__in=[c.pk for c in rows], status=ExtensionStatus.PENDING)}
        for case in rows:
            case.pending = pending.get(case.pk)
        sections["extensions"] = rows
    if Role.LEADER in roles:
        sections["leader"] = list(queries.leader_cases(user).select_related("petition__leader")[:SECTION_LIMIT])
    if roles & {Role.DISPATCHER, Role.HANDLER, Role.ADMIN}:
        rows = scope.filter(petition__level__in=[Level.REVIEW, Level.REEXAMINATION], status__in=CLOCKED).order_by(
            "due_at", "id")
        sections["reviews"] = [c for c in rows[:SECTION_LIMIT] if access.can_record_for_petitioner(user, c)]
    return sections


def _list_filters(form) -> queries.PetitionFilters:
    c = form.cleaned_data
    status = c.get("status")
    township, office, leader = c.get("township"), c.get("office"), c.get("leader")
    return queries.PetitionFilters(
        status=sorted(OPEN_STATUSES) if status == "open" else [status] if status else None,
        level=c.get("level") or "", category=c.get("category") or "", region=township.code if township else "",
        office=office.code if office else "", leader=leader.pk if leader else None,
        overdue={"yes": True, "no": False}.get(c.get("overdue") or ""), text=(c.get("q") or "").strip(),
    )


def _leaders_of(user):
    """The leaders in charge of petitions the user sees (the list's leader filter)."""
    ids = access.petition_cases(user).filter(petition__leader__isnull=False).values("petition__leader")
    return User.objects.filter(pk__in=ids).order_by("username")


@staff_required
def workbench(request):
    user = request.user
    now = timezone.now()
    calendar = calendar_for(now)
    form = PetitionFilterForm(townships_for(user), _leaders_of(user), data=request.GET)
    context = {"section": "petitions", "now": now, "form": form, "page": None}
    if form.is_valid():
        paginator = CappedPaginator(queries.petitions_for(user, _list_filters(form), now=now), PAGE_SIZE)
        page = paginator.get_page(form.cleaned_data.get("page") or 1)
        _annotate(page.object_list, now, calendar)
        base = filter_query(request.GET)
        context.update({
            "page": page, "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "page_query": f"{base}&page=" if base else "page=",
            "filtered": bool(filter_query(request.GET, drop=("page",))),
        })
    sections = _sections(user)
    for rows in sections.values():
        _annotate(rows, now, calendar)
    context.update({"sections": sections, "can_register": _may_register(user)})
    return render(request, "petitions/workbench.html", context, status=200 if form.is_valid() else 400)


# ---------------------------------------------------------------------------- one petition


def _forms(user, case: Case, petition: Petition, now, failed=None) -> dict:
    """The action forms this user may use now (``queries.petition_actions``): those on the
    petition as a whole, on the pending extension request, and on each notice not yet
    received."""
    allowed = set(queries.petition_actions(user, case, petition, now=now))
    made: dict[str, object] = {}

    def make(slug, target=None):
        if slug not in allowed:
            return None
        key = slug if target is None else f"{slug}-{target.pk}"
        form = failed if failed is not None and failed.key == key else FORMS[slug](
            case=case, petition=petition, user=user, target=target)
        made[key] = form
        return form

    side = [form for form in (make(slug) for slug in SIDE_ACTIONS) if form is not None]
    pending = case.extension_requests.filter(status=ExtensionStatus.PENDING).first()
    extension = [] if pending is None else [
        form for form in (make("approve_extension", pending), make("deny_extension", pending)) if form is not None]
    notices = {n.pk: make("record_delivery", n) for n in petition.notices.filter(delivered_on__isnull=True)}
    return {"allowed": allowed, "made": made, "side": side, "extension": extension, "notices": notices}


def _visible_ids(user, cases) -> set[int]:
    ids = [c.pk for c in cases if c is not None]
    return set(access.petition_cases(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _chain(user, petition: Petition) -> dict:
    """The matters linked to this one that the user may see: the decision it is about, the
    requests for review of its own decision, and an earlier matter it repeats."""
    parent = petition.parent
    requests = list(petition.requests.select_related("case").order_by("id"))
    earlier = petition.earlier_matter
    visible = _visible_ids(user, [parent.case if parent else None, earlier.case if earlier else None,
                                  *[r.case for r in requests]])

    def link(item):
        if item is None or item.case_id not in visible:
            return None
        return {"case_id": item.case_id, "code": tracking.display(item.case.tracking_code),
                "level": item.get_level_display(), "status": item.case.get_status_display()}

    return {"parent": link(parent), "requests": [r for r in (link(r) for r in requests) if r],
            "earlier": link(earlier)}


def _page(request, case: Case, *, failed=None, revealed=None, reveal_error="", status=200):
    user = request.user
    now = timezone.now()
    calendar = calendar_for(now)
    petition = services.ensure_petition(case)
    petition.case = case
    forms = _forms(user, case, petition, now, failed)
    allowed = forms["allowed"]
    hidden = case_access.person_hidden_from(user, case)
    petitioners = []
    if not hidden:
        for person in petition.petitioners.all():
            row = services.masked_petitioner(person)
            row["revealed"] = person if revealed is not None and revealed.pk == person.pk else None
            petitioners.append(row)
    notices = list(petition.notices.select_related("office").order_by("issued_at", "id"))
    for notice in notices:
        notice.form = forms["notices"].get(notice.pk)
    extensions = list(case.extension_requests.select_related("requested_by", "decided_by")
                      .order_by("requested_at", "id"))
    hearings, bookings = list(petition.hearings.all()), list(queries.bookings_of(petition))
    if revealed is not None:
        # A logged reveal (services.reveal_petitioner) shows the words as written, this once.
        redaction.show_whole(case, petition, *extensions, *hearings, *bookings)
    pending = next((r for r in extensions if r.status == ExtensionStatus.PENDING), None)
    made = forms["made"]
    context = {
        "section": "petitions", "now": now, "case": case, "petition": petition,
        "code": tracking.display(case.tracking_code),
        "limits": [said(limit, now, calendar) for limit in queries.limits_of(petition, now)],
        "petitioners_hidden": hidden, "petitioners": petitioners,
        "can_reveal": "reveal_petitioner" in allowed, "reveal_form": RevealForm(), "reveal_error": reveal_error,
        "revealed": revealed, "can_print": "print_notice" in allowed, "notices": notices,
        "chain": _chain(user, petition),
        "hearings": hearings, "bookings": bookings,
        "extensions": extensions,
        "pending": pending, "extension_forms": forms["extension"],
        "side_forms": forms["side"], "has_actions": bool(made),
        "failed": failed, "failed_elsewhere": failed is not None and failed.key not in made,
    }
    return render(request, "petitions/detail.html", context, status=status)


@staff_required
@never_cache
def detail(request, case_id):
    return _page(request, _petition_case(request.user, case_id))


@require_POST
@staff_required
@never_cache
def act(request, case_id, action, target_id=None):
    user = request.user
    case = _petition_case(user, case_id)
    form_class = FORMS.get(action)
    if form_class is None or (action in TARGETS) != (target_id is not None):
        raise Http404
    petition = services.ensure_petition(case)
    target = None
    if target_id is not None:
        objects = case.extension_requests if TARGETS[action] == "extension" else petition.notices
        target = objects.filter(pk=target_id).first()
        if target is None:
            raise Http404
    form = form_class(request.POST, case=case, petition=petition, user=user, target=target)
    if form.is_valid():
        try:
            form.perform()
        except CaseError as error:
            field = form.fields.get(error.field) if error.field else None
            form.add_error(error.field if field is not None and not field.widget.is_hidden else None, error.message)
        else:
            messages.success(request, form.get_success_message())
            visible = access.petition_cases(user)
            if form.next_case is not None and visible.filter(pk=form.next_case.pk).exists():
                return redirect("petitions:detail", case_id=form.next_case.pk)
            if visible.filter(pk=case.pk).exists():
                return redirect("petitions:detail", case_id=case.pk)
            # An objection or a transfer can take the petition out of the actor's reach.
            messages.info(request, _("Petition %(code)s is no longer with your body.") % {
                "code": tracking.display(case.tracking_code)})
            return redirect("petitions:workbench")
    case.refresh_from_db()
    return _page(request, case, failed=form, status=400)


@require_POST
@staff_required
@never_cache
def reveal_petitioner(request, case_id, petitioner_id):
    """Show one petitioner's details in this one response; the service logs every attempt."""
    case = _petition_case(request.user, case_id)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        person = services.reveal_petitioner(request.user, case, petitioner_id=petitioner_id, reason=reason)
    except CaseError as error:
        if error.status == 404:
            raise Http404 from None
        return _page(request, case, reveal_error=error.message, status=error.status)
    return _page(request, case, revealed=person)


# ---------------------------------------------------------------------------- registering


def _may_register(user) -> bool:
    """The petition office registers (登记): dispatchers where they may register cases."""
    return is_dispatcher(user) and can_create_somewhere(user)


def _row_count(data) -> int:
    try:
        count = int(data.get("rows", PETITIONER_ROWS))
    except (TypeError, ValueError):
        count = PETITIONER_ROWS
    return max(1, min(count, services.MAX_PETITIONERS))


def _rows(data, count: int) -> list[PetitionerRowForm]:
    return [PetitionerRowForm(data, prefix=f"p-{i}") for i in range(count)]


def _typed(data, prefix: str) -> dict:
    return {name: data.get(f"{prefix}-{name}", "") for name in PetitionerRowForm.base_fields}


def _render_register(request, form, rows, status=200):
    return render(request, "petitions/register.html", {
        "section": "petitions", "form": form, "rows": rows, "row_count": len(rows),
        "can_add_row": len(rows) < services.MAX_PETITIONERS,
        "rows_invalid": any(row.is_bound and row.errors for row in rows), "pickmap": map_settings(request.user),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def register(request):
    user = request.user
    if not _may_register(user):
        raise Http404
    if request.method == "GET":
        form = RegisterPetitionForm(user, initial={"idempotency_key": new_idempotency_key()})
        return _render_register(request, form, _rows(None, PETITIONER_ROWS))
    count = _row_count(request.POST)
    if "add_row" in request.POST:
        # Without JavaScript: the same form again, as typed, with one more empty petitioner row.
        form = RegisterPetitionForm(user, initial=request.POST.dict())
        rows = [PetitionerRowForm(initial=_typed(request.POST, f"p-{i}"), prefix=f"p-{i}") for i in range(count)]
        rows += _rows(None, min(count + 1, services.MAX_PETITIONERS))[count:]
        return _render_register(request, form, rows)
    form = RegisterPetitionForm(user, request.POST)
    rows = _rows(request.POST, count)
    valid = form.is_valid()
    valid = all([row.is_valid() for row in rows]) and valid
    if valid:
        filled = [row for row in rows if not row.is_empty]
        try:
            with transaction.atomic():
                case, created = services.register_petition(
                    user, form.new_case(), form.facts([row.new_petitioner() for row in filled]),
                    idempotency_key=form.cleaned_data["idempotency_key"], received_on=form.cleaned_data["received_on"])
        except CaseError as error:
            _register_error(form, filled, error)
        else:
            code = tracking.display(case.tracking_code)
            if created:
                messages.success(request, _("Petition registered. Tracking code for the petitioner: %(code)s") % {
                    "code": code})
            else:
                messages.info(request, _("This petition was already registered as %(code)s.") % {"code": code})
            return redirect("petitions:detail", case_id=case.pk)
    return _render_register(request, form, rows, status=400)


def _register_error(form, filled, error: CaseError) -> None:
    """Put a refusal next to its field: ``petitioners.1.phone`` names the second filled row."""
    if error.status == 403:
        form.add_error("region", _("This place lies outside the area where you may register cases."))
        return
    field = error.field or ""
    if field.startswith("petitioners."):
        _petitioners, index, name = (field.split(".") + ["", ""])[:3]
        if index.isdigit() and int(index) < len(filled) and name in filled[int(index)].fields:
            filled[int(index)].add_error(name, error.message)
            form.add_error(None, _("Please correct the petitioners marked below."))
            return
    form.add_case_error(error)
