"""The duty pages for staff: the board of who is on duty now in the county and every township, an
office's month roster on the Chinese calendar (holidays, make-up working days, gaps), a shift's
page with its handover log, swaps and their decision, and the import of a month from Excel."""

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.duty import access, imports, queries, services
from anju.duty.choices import SHIFTS_OF, DutyPost, EntryKind, SwapStatus
from anju.duty.forms import DecisionForm, EntryForm, ImportForm, ShiftForm, SwapForm
from anju.duty.models import Shift, Swap
from anju.lib.errors import ServiceError
from anju.lib.workdays import local_date
from anju.web.access import staff_required

SECTION = "duty"


def _shift_form(office, data=None, initial=None) -> ShiftForm:
    roster = services.roster_of(office)
    return ShiftForm(data, initial=initial, kinds=SHIFTS_OF[roster.pattern],
                     officers=queries.candidates(office, DutyPost.OFFICER),
                     leaders=queries.candidates(office, DutyPost.LEADER))


@require_GET
@staff_required
def board(request):
    """Who is on duty now, for the county and every township; the offices keeping a roster."""
    now = timezone.now()
    today = local_date(now)
    offices = list(queries.duty_offices())
    waiting = Swap.objects.filter(status=SwapStatus.REQUESTED, shift__ends_at__gt=now).select_related(
        "shift__office__jurisdiction", "from_user", "to_user")
    waiting = [s for s in waiting if access.can_decide_swaps(request.user, s.shift.office)]
    return render(request, "duty/board.html", {
        "section": SECTION, "rows": queries.board(now), "now": now, "offices": offices, "today": today,
        "waiting": waiting,
    })


def _month_link(office, day: date) -> str:
    return reverse("duty:roster", args=[office.code, day.year, day.month])


@require_GET
@staff_required
def roster(request, office_code: str, year: int, month: int):
    """An office's roster of a month as a calendar, Monday first."""
    office = access.get_office_for(request.user, office_code)
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise Http404
    today = local_date(timezone.now())
    month_roster = queries.month_roster(office, year, month, today=today)
    previous = date(year - 1, 12, 1) if month == 1 else date(year, month - 1, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    can_keep = access.can_keep(request.user, office)
    initial_day = max(month_roster.first, today) if month_roster.last >= today else month_roster.first
    return render(request, "duty/roster.html", {
        "section": SECTION, "office": office, "month": month_roster, "can_keep": can_keep,
        "previous": _month_link(office, previous), "following": _month_link(office, following),
        "form": _shift_form(office, initial={"day": initial_day}) if can_keep else None,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    })


@require_POST
@staff_required
def plan(request, office_code: str):
    """Plan a shift from the roster page's form."""
    office = access.get_office_for(request.user, office_code)
    if not access.can_keep(request.user, office):
        raise Http404
    form = _shift_form(office, request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            shift = services.plan_shift(request.user, services.NewShift(office.code, c["day"], c["kind"],
                                                                        c["officer"], c["leader"], c["note"]))
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The shift was planned."))
            return redirect(_month_link(office, shift.day))
    today = local_date(timezone.now())
    day = form.cleaned_data.get("day") or today
    month_roster = queries.month_roster(office, day.year, day.month, today=today)
    return render(request, "duty/roster.html", {
        "section": SECTION, "office": office, "month": month_roster, "can_keep": True, "form": form,
        "previous": _month_link(office, month_roster.first), "following": _month_link(office, month_roster.first),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }, status=400)


def _shift_page(request, shift: Shift, *, status: int = 200, **forms):
    now = timezone.now()
    user = request.user
    posts = [p for p in DutyPost.values if shift.holder(p) is not None and access.can_request_swap(user, shift, p)]
    swaps = list(shift.swaps.select_related("from_user", "to_user", "requested_by", "decided_by"))
    may_decide = access.can_decide_swaps(user, shift.office) and shift.ends_at > now
    for swap in swaps:
        swap.decidable = (may_decide and swap.status == SwapStatus.REQUESTED
                          and user.pk not in (swap.requested_by_id, swap.from_user_id, swap.to_user_id))
    may_write = shift.starts_at <= now and access.can_write_log(user, shift)
    on_duty_now = Shift.objects.filter(office=shift.office, starts_at__lte=now, ends_at__gt=now)
    may_close = access.can_write_log(user, shift) or any(access.can_write_log(user, s) for s in on_duty_now)
    return render(request, "duty/shift.html", {
        "section": SECTION, "shift": shift, "now": now, "swaps": swaps,
        "entries": list(shift.entries.select_related("created_by", "closed_by")),
        "open_matters": list(services.open_matters(shift.office, shift.starts_at)),
        "may_swap": bool(posts) and shift.ends_at > now, "may_write": may_write, "may_close": may_close,
        "can_keep": access.can_keep(user, shift.office) and shift.ends_at > now,
        "entry_form": forms.get("entry_form") or (EntryForm(initial={"kind": EntryKind.MATTER}) if may_write else None),
        "roster_link": _month_link(shift.office, shift.day),
    }, status=status)


@require_GET
@staff_required
def shift(request, shift_id: int):
    return _shift_page(request, access.get_shift_for(request.user, shift_id))


@require_POST
@staff_required
def write_entry(request, shift_id: int):
    found = access.get_shift_for(request.user, shift_id)
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            services.write_entry(request.user, found, kind=form.cleaned_data["kind"], text=form.cleaned_data["text"])
        except ServiceError as error:
            if error.status == 403:
                raise Http404 from None
            form.add_service_error(error)
        else:
            messages.success(request, _("Written in the handover log."))
            return redirect("duty:shift", shift_id=found.pk)
    return _shift_page(request, found, status=400, entry_form=form)


@require_POST
@staff_required
def close_entry(request, entry_id: int):
    entry = access.get_entry_for(request.user, entry_id)
    back = request.POST.get("shift")
    try:
        services.close_matter(request.user, entry)
    except ServiceError as error:
        if error.status == 403:
            raise Http404 from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("The matter is closed."))
    target = int(back) if back and back.isdigit() and Shift.objects.filter(pk=int(back)).exists() else entry.shift_id
    return redirect("duty:shift", shift_id=target)


@require_http_methods(["GET", "POST"])
@staff_required
def swap(request, shift_id: int):
    """Ask for a swap of a post of the shift."""
    found = access.get_shift_for(request.user, shift_id)
    posts = [p for p in DutyPost.values
             if found.holder(p) is not None and access.can_request_swap(request.user, found, p)]
    if not posts or found.ends_at <= timezone.now():
        raise Http404
    people = {p: queries.candidates(found.office, p) for p in posts}
    everyone = {u.pk: u for p in posts for u in people[p]}
    form = SwapForm(request.POST or None, posts=posts, people=sorted(everyone.values(), key=lambda u: u.username))
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.request_swap(request.user, found, post=c["post"], to_user=c["to_user"], reason=c["reason"])
        except ServiceError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The swap was asked for; the roster changes when it is approved."))
            return redirect("duty:shift", shift_id=found.pk)
    return render(request, "duty/swap_form.html", {"section": SECTION, "shift": found, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_POST
@staff_required
def decide(request, swap_id: int):
    """Approve or refuse a swap from the shift's page."""
    found = access.get_swap_for(request.user, swap_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse."))
        return redirect("duty:shift", shift_id=found.shift_id)
    decide_with = services.approve_swap if form.cleaned_data["decision"] == "approve" else services.refuse_swap
    try:
        decide_with(request.user, found, note=form.cleaned_data["note"])
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The swap was approved: the roster shows who takes the post.")
                         if form.cleaned_data["decision"] == "approve" else _("The swap was refused."))
    return redirect("duty:shift", shift_id=found.shift_id)


@require_http_methods(["GET", "POST"])
@staff_required
def import_month(request, office_code: str, year: int, month: int):
    """A month's roster from Excel: every line checked, nothing changed when one is wrong."""
    office = access.get_office_for(request.user, office_code)
    if not access.can_keep(request.user, office) or not 2000 <= year <= 2100 or not 1 <= month <= 12:
        raise Http404
    first = date(year, month, 1)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, file_error = None, None
    if request.method == "POST" and form.is_valid():
        try:
            lines = imports.read_workbook(form.cleaned_data["file"])
        except ServiceError as error:
            file_error = error.message
        else:
            report = imports.import_month(request.user, office, first, lines,
                                          commit=not form.cleaned_data["check_only"])
            if report.committed:
                messages.success(request, _("The roster was imported: %(n)s shift(s).") % {"n": len(report.shifts)})
                return redirect(_month_link(office, first))
    return render(request, "duty/import.html", {
        "section": SECTION, "office": office, "first": first, "form": form, "report": report,
        "file_error": file_error, "roster_link": _month_link(office, first),
        "columns": [(header, label) for _name, header, label in imports.COLUMNS],
    }, status=400 if (file_error or (report and not report.ok)) else 200)


@require_GET
@staff_required
def import_template(request):
    response = HttpResponse(imports.template_workbook(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="duty-roster.xlsx"'
    return response
