"""The staff pages of leader reception days (领导接访日) under /work/reception/: the calendar of
days (upcoming and past), planning a day (supervisors, leaders, administrators), a day with its
slots, free places and bookings, recording a reception, and cancelling a day.

A booking shows the petition by its tracking code and category only to those who may see the
petition (a report of wrongdoing stays hidden from the body it is about), linked to its page;
the petitioners appear only masked, and only to those who may see who petitioned."""

from datetime import datetime, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.cases import access as case_access
from anju.cases.services import CaseError
from anju.lib import tracking
from anju.lib.masking import mask_name
from anju.lib.workdays import LOCAL, start_of_day
from anju.petitions import access, notices, services
from anju.petitions.choices import BookingStatus, ReceptionStatus
from anju.petitions.models import Booking, ReceptionDay
from anju.petitions.reception_forms import CancelDayForm, PlanDayForm, RecordReceptionForm, plannable_regions
from anju.web.access import staff_required

PAGE_SIZE = 20
WHEN = ("upcoming", "past")


def _today():
    return timezone.now().astimezone(LOCAL).date()


def _start_of_today() -> datetime:
    return start_of_day(_today())


def _places(day: ReceptionDay) -> int:
    """Places of a planned day: whole slots between its start and end, times the petitions per slot."""
    if day.status != ReceptionStatus.PLANNED:
        return 0
    return int((day.ends_at - day.starts_at) / timedelta(minutes=day.slot_minutes)) * day.per_slot


def _may_record(user, booking: Booking) -> bool:
    """Who may record a reception: the same rights ``services.record_reception`` checks (the
    leader of the day, the petition office or the body handling it, a supervisor)."""
    case = booking.petition.case
    return (user.pk == booking.day.leader_id or access.can_record_for_petitioner(user, case)
            or access.can_approve(user, case))


def _may_cancel(user, day: ReceptionDay) -> bool:
    """A planned day not yet over, by those who may plan days for its region."""
    return (day.status == ReceptionStatus.PLANNED and day.ends_at > timezone.now()
            and access.can_plan_reception(user, day.region))


# ---------------------------------------------------------------------------- the calendar


@require_GET
@staff_required
def day_list(request):
    """GET ``when`` (upcoming, the default, soonest first; or past, latest first) and ``page``."""
    when = request.GET.get("when") if request.GET.get("when") in WHEN else "upcoming"
    days = ReceptionDay.objects.select_related("leader", "leader__office", "region").annotate(
        booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
        received=Count("bookings", filter=Q(bookings__status=BookingStatus.RECEIVED)),
    )
    start = _start_of_today()
    if when == "upcoming":
        days = days.filter(ends_at__gte=start).order_by("starts_at", "id")
    else:
        days = days.filter(ends_at__lt=start).order_by("-starts_at", "-id")
    page = Paginator(days, PAGE_SIZE).get_page(request.GET.get("page"))
    for day in page:
        day.places = _places(day)
        day.free = max(0, day.places - day.booked)
    return render(request, "petitions/reception/day_list.html", {
        "section": "petitions", "page": page, "when": when, "can_plan": bool(plannable_regions(request.user)),
    })


# ---------------------------------------------------------------------------- planning


@require_http_methods(["GET", "POST"])
@staff_required
def plan_day(request):
    user = request.user
    if not plannable_regions(user):
        raise Http404
    if request.method == "GET":
        return _render_plan(request, PlanDayForm(user))
    form = PlanDayForm(user, request.POST)
    if form.is_valid():
        starts_at, ends_at = form.moments()
        data = form.cleaned_data
        try:
            day = services.plan_reception_day(
                user, leader_id=data["leader"].pk, region_code=data["region"], place=data["place"],
                starts_at=starts_at, ends_at=ends_at, slot_minutes=data["slot_minutes"], per_slot=data["per_slot"],
                topic=data["topic"])
        except CaseError as error:
            form.add_case_error(error)
            return _render_plan(request, form, status=403 if error.status == 403 else 400)
        messages.success(request, _("Reception day planned; it is on the public calendar now."))
        return redirect("petitions:reception_day", day_id=day.pk)
    return _render_plan(request, form, status=400)


def _render_plan(request, form, status=200):
    return render(request, "petitions/reception/plan.html", {"section": "petitions", "form": form}, status=status)


# ---------------------------------------------------------------------------- one day


def _booking_rows(user, day: ReceptionDay) -> list[dict]:
    """The day's bookings as the user may see them, in slot order."""
    bookings = list(day.bookings.select_related("petition__case__category", "day").prefetch_related(
        "petition__petitioners").order_by("slot_at", "id"))
    visible = set(access.petition_cases(user).filter(pk__in=[b.petition.case_id for b in bookings])
                  .values_list("pk", flat=True))
    today = _today()
    rows = []
    for booking in bookings:
        case = booking.petition.case
        row = {"booking": booking, "visible": case.pk in visible, "code": "", "category": "", "petitioners": "",
               "form": None}
        if row["visible"]:
            row["code"], row["category"] = tracking.display(case.tracking_code), case.category.name
            if case_access.can_reveal_person(user, case):
                names = [mask_name(p.name) for p in booking.petition.petitioners.all()]
                row["petitioners"] = notices.addressee(names, booking.petition.group_size) if names else ""
            if (booking.status == BookingStatus.BOOKED and day.status == ReceptionStatus.PLANNED
                    and booking.slot_at.astimezone(LOCAL).date() <= today and _may_record(user, booking)):
                row["form"] = RecordReceptionForm(prefix=f"booking-{booking.pk}")
        rows.append(row)
    return rows


def _render_day(request, day: ReceptionDay):
    rows = _booking_rows(request.user, day)
    slots = services.slots_of(day)
    for slot in slots:
        if day.status != ReceptionStatus.PLANNED:
            slot["free"] = 0
        slot["rows"] = [row for row in rows if row["booking"].slot_at == slot["at"]]
    return render(request, "petitions/reception/day.html", {
        "section": "petitions", "day": day, "slots": slots,
        "booked": sum(1 for row in rows if row["booking"].status == BookingStatus.BOOKED),
        "received": sum(1 for row in rows if row["booking"].status == BookingStatus.RECEIVED),
        "places": _places(day), "free": sum(slot["free"] for slot in slots),
        "can_cancel": _may_cancel(request.user, day),
    })


def _day(day_id) -> ReceptionDay:
    return get_object_or_404(ReceptionDay.objects.select_related("leader", "leader__office", "region",
                                                                 "created_by"), pk=day_id)


@require_GET
@staff_required
def day_detail(request, day_id):
    return _render_day(request, _day(day_id))


# ---------------------------------------------------------------------------- recording a reception


@require_http_methods(["GET", "POST"])
@staff_required
def record(request, booking_id):
    """The record form of one booking; GET shows it alone (the day page shows it too), POST
    records through ``services.record_reception`` and goes back to the day."""
    booking = get_object_or_404(Booking.objects.select_related("day__leader", "day__region", "petition__case"),
                                pk=booking_id)
    # A petition the user may not see is not found, whatever the day shows.
    access.get_petition_case_for(request.user, booking.petition.case_id)
    if request.method == "GET":
        return _render_record(request, booking, RecordReceptionForm(prefix=f"booking-{booking.pk}"))
    form = RecordReceptionForm(request.POST, prefix=f"booking-{booking.pk}")
    if form.is_valid():
        try:
            services.record_reception(request.user, booking, summary=form.cleaned_data["summary"],
                                      take_charge=form.cleaned_data["take_charge"])
        except CaseError as error:
            form.add_case_error(error)
            return _render_record(request, booking, form, status=403 if error.status == 403 else 400)
        messages.success(request, _("Reception recorded on the petition's timeline."))
        return redirect(reverse("petitions:reception_day", args=[booking.day_id]) + f"#booking-{booking.pk}")
    return _render_record(request, booking, form, status=400)


def _render_record(request, booking: Booking, form, status=200):
    case = booking.petition.case
    return render(request, "petitions/reception/record.html", {
        "section": "petitions", "booking": booking, "day": booking.day, "form": form,
        "code": tracking.display(case.tracking_code), "case": case,
        "may_record": _may_record(request.user, booking) and booking.status == BookingStatus.BOOKED,
    }, status=status)


# ---------------------------------------------------------------------------- cancelling a day


@require_http_methods(["GET", "POST"])
@staff_required
def cancel_day(request, day_id):
    """GET asks for the reason and confirmation; POST cancels through ``services.cancel_reception_day``,
    which tells every petitioner booked."""
    day = _day(day_id)
    if not _may_cancel(request.user, day):
        raise Http404
    if request.method == "GET":
        return _render_cancel(request, day, CancelDayForm())
    form = CancelDayForm(request.POST)
    if form.is_valid():
        try:
            services.cancel_reception_day(request.user, day, reason=form.cleaned_data["reason"])
        except CaseError as error:
            form.add_case_error(error)
            return _render_cancel(request, day, form, status=403 if error.status == 403 else 400)
        messages.success(request, _("Reception day cancelled; every petitioner booked is told."))
        return redirect("petitions:reception_day", day_id=day.pk)
    return _render_cancel(request, day, form, status=400)


def _render_cancel(request, day: ReceptionDay, form, status=200):
    return render(request, "petitions/reception/cancel.html", {
        "section": "petitions", "day": day, "form": form,
        "booked": day.bookings.filter(status=BookingStatus.BOOKED).count(),
    }, status=status)
