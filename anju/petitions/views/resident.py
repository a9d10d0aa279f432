"""The petitioner's pages, no account needed: a petition sent online (/petition), the public
calendar of leader reception days (/reception), and on the tracking page of a petition its
written notices, time limits, bookings and review chain, with the forms to book a reception
slot, cancel it, and ask for review or re-examination.

They work like the resident's report and tracking pages (``anju.web.views.resident``): the
same human check and per-address limits (they limit addresses, not persons), codes never in a
URL, the case followed held in the session, and every change on the tracking page needs the
petition's rating code. Nothing here asks who the petitioner is or keeps anything about them
beyond what the petition itself records.
"""

from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.cases.choices import Action, Status
from anju.cases.models import Case
from anju.cases.public import public_text
from anju.cases.services import CaseError
from anju.lib import ratelimit, tracking
from anju.lib.chinese import chinese_date
from anju.lib.workdays import LOCAL
from anju.petitions import queries, services
from anju.petitions.choices import PETITION, BookingStatus, Level, PetitionEvent
from anju.petitions.models import Petition
from anju.petitions.resident_forms import (
    BookingForm,
    CancelBookingForm,
    OnlinePetitionForm,
    ReviewForm,
    bookable_days,
)
from anju.web import humancheck
from anju.web.intake_forms import kept_data
from anju.web.views import resident as track_pages
from anju.web.views.intake import map_settings

# Session keys: the latest online petition's code (shown on /petition/done), and the reviews
# asked for in this browser session, whose rating codes the chain shows to it.
PETITIONED_CODE = "anju_petitioned_code"
PETITIONED_TOKEN = "anju_petitioned_token"
REQUESTED_CASES = "anju_requested_cases"

# The status of a petition in a petitioner's words, where the core's words do not fit.
ANSWERED_WORDS = {
    Level.ORIGINAL: gettext_lazy("Answered in writing: the answer is below. If you disagree with it, you may ask "
                                 "for a review."),
    Level.REVIEW: gettext_lazy("The review decision is below. If you disagree with it, you may ask for a "
                               "re-examination."),
    Level.REEXAMINATION: gettext_lazy("The re-examination decision is below; it is the final decision on the "
                                      "matter."),
}
CHAIN_ANSWERED = gettext_lazy("Answered in writing")
# What the petitioner asks for next at each level.
NEXT_WORDS = {Level.ORIGINAL: gettext_lazy("review (复查)"), Level.REVIEW: gettext_lazy("re-examination (复核)")}


# ---------------------------------------------------------------------------- /petition


def _petition_page(request, form, *, limited=None, status=200):
    token = form["human_token"].value() or ""
    return render(request, "petitions/resident/petition.html", {
        "section": "petition", "form": form, "question": humancheck.question_for(token), "limited": limited,
        "pickmap": map_settings(),
    }, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def petition(request):
    if request.method == "GET":
        return _petition_page(request, OnlinePetitionForm(initial={"human_token": humancheck.new_challenge().token}))
    # As on /report: petitions sent and failed human checks count against the address's limit,
    # correcting a field does not.
    outcome = ratelimit.peek(request, "petition", settings.ANJU_REPORT_RATE)
    if not outcome.allowed:
        form = OnlinePetitionForm(initial=kept_data(OnlinePetitionForm, request.POST))
        track_pages.fresh_challenge(form)
        return _petition_page(request, form, limited=track_pages.retry_notice(outcome), status=429)
    form = OnlinePetitionForm(request.POST)
    valid = form.is_valid()
    if valid or form.human_check_failure:
        ratelimit.hit(request, "petition", settings.ANJU_REPORT_RATE)
    if valid:
        token = form.cleaned_data["human_token"]
        if humancheck.consume(token):
            try:
                case = services.submit_petition_online(form.new_case(), form.facts())
            except CaseError as error:
                form.add_case_error(error)
                track_pages.fresh_challenge(form)
                return _petition_page(request, form, status=400)
            track_pages.remember(request, **{PETITIONED_CODE: case.tracking_code,
                                              PETITIONED_TOKEN: humancheck.token_id(token),
                                              track_pages.TRACKED_CASE: case.pk})
            return redirect("petitions:petition_done")
        form.human_check_failure = "used"
        form.add_error("human_answer", _("This question was already answered once. Please answer the new one."))
    if form.human_check_failure == "used" and request.session.get(PETITIONED_TOKEN) == humancheck.token_id(
        form.data.get("human_token", "")
    ):
        # The same form sent twice (a double tap): the first one made the petition.
        return redirect("petitions:petition_done")
    if form.human_check_failure:
        track_pages.fresh_challenge(form)
    return _petition_page(request, form, status=400)


@never_cache
def petition_done(request):
    code = request.session.get(PETITIONED_CODE)
    if not code:
        return redirect("petitions:petition")
    return render(request, "petitions/resident/petition_done.html", {
        "section": "petition", "code": tracking.display(code), "rating_code": tracking.rating_code(code),
    })


# ---------------------------------------------------------------------------- /reception


@never_cache
@require_GET
def reception_calendar(request):
    now = timezone.now()
    days = [{"day": day, "slots": [s for s in services.slots_of(day) if s["at"] > now]}
            for day in queries.upcoming_days(now)]
    return render(request, "petitions/resident/reception.html", {"section": "reception", "days": days})


# ---------------------------------------------------------------------------- the tracking page


def _letter(notice, case: Case, petitioners) -> dict:
    """A notice as the petitioner reads it online: as issued, the addressee masked, and any name
    or number of a person in its lines blanked, since the tracking page opens with the code."""

    def clean(line: str) -> str:
        return public_text(services.scrub(line, petitioners), case)

    content = notice.content
    return {
        "notice": notice, "title": content.get("title", ""), "number": notice.number,
        "addressee": services.masked_addressee(content),
        "paragraphs": [clean(p) for p in content.get("paragraphs", [])],
        "sections": [(heading, [clean(line) for line in lines]) for heading, lines in content.get("sections", [])],
        "closing": [clean(line) for line in content.get("closing", [])],
        "office": content.get("office", ""), "date": content.get("date") or chinese_date(notice.sent_on),
    }


def _review_state(petition: Petition, case: Case, form, now: datetime) -> dict:
    """Whether the petitioner may ask for review (or re-examination) now, and why not if not."""
    # A refusal by the service is shown in the section whatever its state now.
    state = {"what": NEXT_WORDS.get(petition.level, ""), "form": None, "last": None, "article": "",
             "errors": list(form.non_field_errors()) if form is not None else []}
    if petition.level == Level.REEXAMINATION:
        state["state"] = "final" if petition.decision else "none"
        return state
    answered = petition.decision and case.status in (Status.RESOLVED, Status.CLOSED)
    if not answered or services.answer_of(petition) is None:
        state["state"] = "none"
        return state
    if services.review_asked(petition):
        state["state"] = "asked"
        return state
    last, rule = services.request_window(petition)
    state.update(last=last, article=rule.article if rule else "")
    if last is not None and last < now.astimezone(LOCAL).date():
        state["state"] = "closed"
        return state
    state["state"] = "open"
    state["form"] = form or ReviewForm(case=case)
    return state


def _chain(request, petition: Petition) -> list[dict]:
    requested = request.session.get(REQUESTED_CASES) or []
    items = []
    for item in services.chain(petition):
        case = item.case
        items.append({
            "level": item.get_level_display(), "code": tracking.display(case.tracking_code),
            "raw_code": case.tracking_code, "current": item.pk == petition.pk,
            "status": (CHAIN_ANSWERED if item.decision and case.resolved_at is not None
                       else track_pages.RESIDENT_STATUS.get(case.status, case.get_status_display())),
            "decision": item.get_decision_display() if item.decision else "",
            # Shown only to the browser session that asked for it with the rating code of the one before.
            "rating_code": tracking.rating_code(case.tracking_code) if case.pk in requested else "",
        })
    return items


# A petition's entries in a petitioner's words (信访工作条例).
RESIDENT_LABELS = {
    Action.SUBMIT: gettext_lazy("Your petition was received"),
    PetitionEvent.PETITION_ROUTE: gettext_lazy("Registered and sent to the body competent for it"),
    PetitionEvent.PETITION_ACCEPT: gettext_lazy("Accepted by the competent body"),
    PetitionEvent.NOTICE: gettext_lazy("A written notice was sent to you"),
    Action.RESOLVE: gettext_lazy("Answered in writing"),
    PetitionEvent.RECEPTION_BOOKED: gettext_lazy("A leader reception was booked"),
}


def resident_label(event) -> str | None:
    """A timeline entry of a petition in the petitioner's words (``CaseKind.resident_label``)."""
    if event.action == PetitionEvent.RECEPTION_BOOKED and event.data.get("cancelled"):
        return _("A leader reception booking was cancelled")
    label = RESIDENT_LABELS.get(event.action)
    return str(label) if label is not None else None


def track_part(request, case: Case, *, booking=None, cancel=None, review=None) -> dict:
    """The petition's part of the tracking page, with the forms shown again after a refusal."""
    now = timezone.now()
    petition = Petition.objects.filter(case=case).select_related("case").first()
    days = bookable_days(case, now) if case.status != Status.MERGED else []
    part = {
        "template": "petitions/resident/_track_petition.html", "stylesheet": "petitions/resident.css",
        "record": petition, "status_words": None, "notices": [], "limits": [], "bookings": [], "booked": False,
        "chain": [],
        "review": {"state": "none"},
        "booking_form": booking or (BookingForm(case=case, days=days) if days else None),
        "booking_possible": case.status != Status.MERGED,
    }
    if petition is None:
        # Registered through the core's intake and not yet touched as a petition: nothing to show yet.
        return part
    petition.case = case
    if case.status == Status.RESOLVED or (case.status == Status.CLOSED and case.resolved_at is not None):
        part["status_words"] = ANSWERED_WORDS.get(petition.level)
    petitioners = list(petition.petitioners.all())
    part["notices"] = [_letter(n, case, petitioners) for n in petition.notices.select_related("office")]
    answered = bool(petition.decision) and case.resolved_at is not None
    # The body's time to answer is met once it answered; the query leaves that to the reader.
    part["limits"] = [{"limit": limit, "done": limit.met or (limit.key == "answer" and answered)}
                      for limit in queries.limits_of(petition, now)]
    shown = False
    for item in queries.bookings_of(petition):
        form = None
        if item.status == BookingStatus.BOOKED and item.slot_at > now:
            bound = cancel is not None and cancel.is_bound and cancel.data.get("booking") == str(item.pk)
            shown = shown or bound
            form = cancel if bound else CancelBookingForm(case=case, booking_id=item.pk)
        part["bookings"].append({"booking": item, "cancel_form": form})
    part["booked"] = any(row["cancel_form"] is not None for row in part["bookings"])
    # A cancelling refused for a booking no longer listed with a form says why above the list.
    part["cancel_errors"] = [] if cancel is None or shown else [e for errors in cancel.errors.values() for e in errors]
    part["chain"] = _chain(request, petition) if petition.parent_id or petition.requests.exists() else []
    part["review"] = _review_state(petition, case, review, now)
    return part


def _petition_action(request, form_class, form_key: str, act):
    """Booking, cancelling and asking for review: rate-limited like rating an answer (every
    attempt counts, so guessing rating codes is slow), on the petition looked up, with its
    rating code; a refusal by the service is shown next to the form."""
    case = track_pages.tracked_case(request)
    if case is None:
        messages.error(request, _("Please enter your tracking code first."))
        return redirect("web:track")
    if case.kind != PETITION:
        messages.error(request, _("This can only be done for a petition."))
        return redirect("web:track")
    outcome = ratelimit.hit(request, "track", settings.ANJU_TRACK_RATE)
    if not outcome.allowed:
        form = form_class(initial=kept_data(form_class, request.POST), case=case)
        return track_pages.track_page(request, case=case, limited=track_pages.retry_notice(outcome), status=429,
                                       module_forms={form_key: form})
    form = form_class(request.POST, case=case)
    status = 400
    if form.is_valid():
        try:
            message = act(case, form.cleaned_data)
        except CaseError as error:
            form.add_case_error(error)
            status = 409 if error.status == 409 else 400
        else:
            messages.success(request, message)
            return redirect("web:track")
    return track_pages.track_page(request, case=case, status=status, module_forms={form_key: form})


@require_POST
def book(request):
    def act(case, data):
        day_id, slot_at = data["slot"]
        booking = services.book_reception(None, case, day_id=day_id, slot_at=slot_at, by_petitioner=True)
        local = booking.slot_at.astimezone(LOCAL)
        return _("Booked: the leader reception on %(date)s at %(time)s, %(place)s. Please bring your tracking "
                 "code.") % {"date": chinese_date(local.date()), "time": local.strftime("%H:%M"),
                            "place": booking.day.place}

    return _petition_action(request, BookingForm, "booking", act)


@require_POST
def cancel_booking(request):
    def act(case, data):
        petition = Petition.objects.filter(case=case).first()
        booking = petition.bookings.filter(pk=data["booking"]).first() if petition else None
        if booking is None:
            raise CaseError(_("This booking is not one of this petition's."), status=422)
        services.cancel_booking(None, booking, by_petitioner=True)
        return _("The booking is cancelled; the place is free for someone else. You may book another day.")

    return _petition_action(request, CancelBookingForm, "cancel", act)


@require_POST
def review(request):
    def act(case, data):
        asked = services.request_review(None, case, reason=data["reason"], by_petitioner=True)
        requested = [pk for pk in request.session.get(REQUESTED_CASES) or [] if isinstance(pk, int)]
        track_pages.remember(request, **{REQUESTED_CASES: [*requested[-9:], asked.pk]})
        return _("Your request %(code)s was received and goes to the body a level up. Its tracking code and rating "
                 "code are shown below under \"The matter's path\": write both down.") % {
            "code": tracking.display(asked.tracking_code)}

    return _petition_action(request, ReviewForm, "review", act)
