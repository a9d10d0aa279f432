"""Residents' pages, no account needed: report a concern (/report) and follow it by its
tracking code (/track), rate the answer or say it is not solved.

The tracking code is a public reference (Open311 lists it), so it only looks a case up; rating
the answer or saying it is not solved also needs the case's rating code (评价码), which only the
reporter is given (``tracking.rating_code``). Neither code goes into a URL: lookups are POSTed
and the case looked up is remembered in the session, and the codes shown after a report come
from the session too. The tracking page shows only what the office wrote for the
reporter: no internal notes, no staff names, no personal data (not even the reporter's own).

A case of a module's kind may show the module's own part too (``CaseKind.track_part``), and a
module whose law has its own way to disagree with an answer says so (``CaseKind.reopen_refusal``):
its reporter asks there, not "not solved".

Since Open311 lists the tracking codes of public cases, anyone may open such a case here: its
words for the reporter go through ``public_text`` (numbers, e-mail addresses and the reporter's
name blanked), and the place is named no more precisely than the public map shows it.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.cases import deadlines, modules, services
from anju.cases.choices import Action, LocationPrecision, Status
from anju.cases.models import Case
from anju.cases.public import code_may_be_public, public_text
from anju.lib import ratelimit, tracking
from anju.web import humancheck
from anju.web.intake_forms import NotSolvedForm, RatingForm, ReportForm, TrackForm, kept_data
from anju.web.timeleft import case_time_left
from anju.web.views.intake import map_settings

# Session keys. Only the latest report's code and the case being followed are kept.
REPORTED_CODE = "anju_reported_code"
REPORTED_TOKEN = "anju_reported_token"
TRACKED_CASE = "anju_tracked_case"

# The status in words a resident understands.
RESIDENT_STATUS = {
    Status.SUBMITTED: gettext_lazy("Received, waiting to be accepted"),
    Status.ACCEPTED: gettext_lazy("Accepted, being passed to the office responsible"),
    Status.DISPATCHED: gettext_lazy("With the office responsible"),
    Status.IN_PROGRESS: gettext_lazy("Being handled by the office responsible"),
    Status.WAITING: gettext_lazy("The office needs more information from you"),
    Status.RESOLVED: gettext_lazy("Answered: please tell us whether it is solved"),
    Status.CLOSED: gettext_lazy("Finished and archived"),
    Status.MERGED: gettext_lazy("Handled together with another report of the same matter"),
}
# Public timeline entries in a resident's words.
RESIDENT_ACTION = {
    Action.SUBMIT: gettext_lazy("Your concern was received"),
    Action.ACCEPT: gettext_lazy("Accepted by the service centre"),
    Action.REJECT: gettext_lazy("Not accepted; the reason is below"),
    Action.START: gettext_lazy("The office responsible started handling it"),
    Action.WAIT: gettext_lazy("The office asked you a question"),
    Action.RESUME: gettext_lazy("Handling continues"),
    Action.RESOLVE: gettext_lazy("The office answered"),
    Action.FOLLOW_UP: gettext_lazy("You rated the answer"),
    Action.REOPEN: gettext_lazy("Reopened: not solved"),
    Action.MERGE: gettext_lazy("Joined with another report of the same matter"),
    Action.APPROVE_EXTENSION: gettext_lazy("The office was given more time"),
}
# Only these entries carry words addressed to the reporter (the reply, the question, the
# reason for reopening, the reporter's own comment); other notes are never shown.
NOTE_FOR_REPORTER = {Action.REJECT, Action.WAIT, Action.RESOLVE, Action.REOPEN, Action.FOLLOW_UP}


# ---------------------------------------------------------------------------- helpers


def resident_deadline(case: Case, now: datetime | None = None) -> dict | None:
    """The deadline the office is held to now, for the tracking page: when, and how long is
    left in the deadline's own unit; None when there is no deadline for the resident to see."""
    if case.status not in (Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS,
                           Status.WAITING):
        return None
    if case.status == Status.WAITING:
        return {"at": None, "left": None, "paused": True}
    left = case_time_left(case, now=now)
    if left is None:
        return None
    return {"at": case.due_at, "left": left, "paused": False, "estimated": deadlines.estimated(case)}


def public_timeline(case: Case) -> list[dict]:
    """The entries of the case's timeline meant for the reporter, oldest first: what happened
    and when, and the words addressed to the reporter (through ``public_text``). Never who did it."""
    entries = []
    kind = modules.case_kind(case.kind)
    # A module may put its kind's entries in its own words (a petition's, 信访工作条例).
    reword = kind.hook("resident_label") if kind is not None else None
    for event in case.events.filter(public=True).order_by("at", "id"):
        if event.action == Action.FOLLOW_UP and not event.data.get("by_reporter"):
            continue
        label = RESIDENT_ACTION.get(event.action) or modules.event_label(event.action)
        if event.action == Action.FOLLOW_UP:
            label = _("You rated the answer: %(n)s of 5") % {"n": event.data.get("satisfaction", "?")}
        if reword is not None:
            label = reword(event) or label
        entries.append({
            "at": event.at, "action": event.action, "label": label,
            "note": public_text(event.note, case) if event.action in NOTE_FOR_REPORTER else "",
        })
    return entries


def _merged_status(case: Case) -> str | None:
    """The status of the case this one was merged into (following a chain of merges): only its
    status, never its code or text, which belong to another reporter."""
    target, seen = case, set()
    while target.merged_into_id and target.pk not in seen and len(seen) < 10:
        seen.add(target.pk)
        target = Case.objects.only("id", "status", "merged_into").get(pk=target.merged_into_id)
    return RESIDENT_STATUS.get(target.status) if target is not case else None


def _open_question(case: Case) -> str:
    if case.status != Status.WAITING:
        return ""
    event = case.events.filter(public=True, action=Action.WAIT).order_by("-at", "-id").first()
    return public_text(event.note, case) if event else ""


def remember(request, **values) -> None:
    """Keep values in the session; a resident's session ends when the browser closes, so a
    shared computer does not keep showing someone's case."""
    if not request.user.is_authenticated:
        request.session.set_expiry(0)
    for key, value in values.items():
        request.session[key] = value


def tracked_case(request) -> Case | None:
    case_id = request.session.get(TRACKED_CASE)
    if not isinstance(case_id, int):
        return None
    return Case.objects.select_related("category", "region", "reporter").filter(pk=case_id).first()


def _place(case: Case) -> str:
    """The township and village of the case: public administrative names, never the address.
    Only the township when the category shows public cases at township precision and the
    case's code may be public: the village would say more than the public map does."""
    levels = ("township", "village")
    if code_may_be_public(case) and case.category.public_location == LocationPrecision.TOWNSHIP:
        levels = ("township",)
    names = [r.name for r in case.region.ancestors() if r.level in levels]
    return " · ".join(names)


def track_page(request, *, case=None, lookup=None, rating=None, not_solved=None, limited=None, status=200,
                module_forms=None, refused=""):
    """The tracking page; ``module_forms`` are the forms of the case's module part shown again
    after a refusal (a petition's ``booking``, ``cancel``, ``review``), ``refused`` a refusal that
    is about no form."""
    context = {"section": "track", "lookup": lookup or TrackForm(), "limited": limited}
    if case is not None:
        context.update({
            "case": case,
            "code": tracking.display(case.tracking_code),
            "status_words": RESIDENT_STATUS.get(case.status, case.get_status_display()),
            "deadline": resident_deadline(case),
            "timeline": public_timeline(case),
            "question": _open_question(case),
            "merged_status": _merged_status(case) if case.status == Status.MERGED else None,
            "place": _place(case),
            "reply": public_text(case.reply, case),
            "can_rate": case.status == Status.RESOLVED,
            "can_reopen": case.status in (Status.RESOLVED, Status.CLOSED) and case.resolved_at is not None,
            "rating": rating or RatingForm(),
            "not_solved": not_solved or NotSolvedForm(),
            # A refusal that is about the case, not a field (e.g. rating a case not answered yet).
            "action_errors": [*(rating.non_field_errors() if rating else []),
                              *(not_solved.non_field_errors() if not_solved else []),
                              *([refused] if refused else [])],
        })
        kind = modules.case_kind(case.kind)
        track_part = kind.hook("track_part") if kind is not None else None
        if track_part is not None:
            # The module's part of the page (``CaseKind.track_part``).
            part = track_part(request, case, **(module_forms or {}))
            context["module_part"] = part
            context["status_words"] = part.get("status_words") or context["status_words"]
        if kind is not None and kind.reopen_refusal:
            # Its law has its own way to disagree (a petitioner asks for review, not "not solved").
            context["can_reopen"] = False
        if any(form.errors for form in (module_forms or {}).values()):
            # The form may be far down a long page on a phone: say at the top that it needs a look.
            context["action_errors"].append(_("Nothing was changed: please see the message next to the form "
                                              "below."))
    return render(request, "web/resident/track.html", context, status=status)


def retry_notice(outcome: ratelimit.Outcome) -> dict:
    """When to try again, for the 429 notice."""
    minutes = max(1, round(outcome.retry_after / 60))
    return {"minutes": minutes, "at": timezone.now() + timedelta(seconds=outcome.retry_after)}


# ---------------------------------------------------------------------------- report


def _report_page(request, form, *, limited=None, status=200):
    token = form["human_token"].value() or ""
    return render(request, "web/resident/report.html", {
        "section": "report", "form": form, "question": humancheck.question_for(token),
        "limited": limited, "pickmap": map_settings(),
    }, status=status)


def fresh_challenge(form) -> None:
    """Give a form being shown again a new question, with the answer box empty."""
    challenge = humancheck.new_challenge()
    if form.is_bound:
        data = form.data.copy()
        data["human_token"], data["human_answer"] = challenge.token, ""
        form.data = data
    else:
        form.initial["human_token"] = challenge.token


@never_cache
@require_http_methods(["GET", "POST"])
def report(request):
    if request.method == "GET":
        return _report_page(request, ReportForm(initial={"human_token": humancheck.new_challenge().token}))
    # Reports sent and failed human checks count against the limit; a resident correcting a
    # typo in the form does not use it up.
    outcome = ratelimit.peek(request, "report", settings.ANJU_REPORT_RATE)
    if not outcome.allowed:
        form = ReportForm(initial=kept_data(ReportForm, request.POST))
        fresh_challenge(form)
        return _report_page(request, form, limited=retry_notice(outcome), status=429)
    form = ReportForm(request.POST, request.FILES)
    valid = form.is_valid()
    if valid or form.human_check_failure:
        ratelimit.hit(request, "report", settings.ANJU_REPORT_RATE)
    if valid:
        token = form.cleaned_data["human_token"]
        if humancheck.consume(token):
            try:
                case = services.create_case_by_resident(form.new_case(), uploads=form.cleaned_data["photos"])
            except services.CaseError as error:
                form.add_case_error(error)
                fresh_challenge(form)
                return _report_page(request, form, status=400)
            remember(request, **{REPORTED_CODE: case.tracking_code, REPORTED_TOKEN: humancheck.token_id(token),
                                  TRACKED_CASE: case.pk})
            return redirect("web:report_done")
        form.human_check_failure = "used"
        form.add_error("human_answer", _("This question was already answered once. Please answer the new one."))
    if form.human_check_failure == "used" and request.session.get(REPORTED_TOKEN) == humancheck.token_id(
        form.data.get("human_token", "")
    ):
        # The same form sent twice (a double tap): the first one made the case.
        return redirect("web:report_done")
    if form.human_check_failure:
        fresh_challenge(form)
    return _report_page(request, form, status=400)


@never_cache
def report_done(request):
    code = request.session.get(REPORTED_CODE)
    if not code:
        return redirect("web:report")
    return render(request, "web/resident/report_done.html", {
        "section": "report", "code": tracking.display(code), "rating_code": tracking.rating_code(code),
    })


# ---------------------------------------------------------------------------- track


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return track_page(request, case=tracked_case(request))
    if "forget" in request.POST:
        request.session.pop(TRACKED_CASE, None)
        request.session.pop(REPORTED_CODE, None)
        return redirect("web:track")
    outcome = ratelimit.hit(request, "track", settings.ANJU_TRACK_RATE)
    if not outcome.allowed:
        lookup = TrackForm(initial={"code": request.POST.get("code", "")})
        return track_page(request, lookup=lookup, limited=retry_notice(outcome), status=429)
    lookup = TrackForm(request.POST)
    if lookup.is_valid():
        case = Case.objects.filter(tracking_code=lookup.cleaned_data["code"]).first()
        if case is not None:
            remember(request, **{TRACKED_CASE: case.pk})
            return redirect("web:track")
        lookup.add_error("code", _("No case has this tracking code. Please check it again; if it is right, "
                                   "the case may have been registered under another code."))
    return track_page(request, lookup=lookup, status=400)


def _resident_action(request, form_class, form_name, act):
    """Rating and "not solved": rate-limited, on the case the resident looked up, with its
    rating code. Every attempt counts against the limit, so guessing rating codes is slow."""
    case = tracked_case(request)
    if case is None:
        messages.error(request, _("Please enter your tracking code first."))
        return redirect("web:track")
    outcome = ratelimit.hit(request, "track", settings.ANJU_TRACK_RATE)
    if not outcome.allowed:
        form = form_class(initial=kept_data(form_class, request.POST))
        return track_page(request, case=case, limited=retry_notice(outcome), status=429, **{form_name: form})
    form = form_class(request.POST, case=case)
    status = 400
    if form.is_valid():
        try:
            message = act(case, form.cleaned_data)
        except services.CaseError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            status = 409 if error.status == 409 else 400
        else:
            messages.success(request, message)
            return redirect("web:track")
    return track_page(request, case=case, status=status, **{form_name: form})


@require_POST
def rate(request):
    def act(case, data):
        services.rate_case_by_reporter(case, satisfaction=data["satisfaction"], note=data["note"])
        return _("Thank you for your rating. The case is now closed.")

    return _resident_action(request, RatingForm, "rating", act)


@require_POST
def not_solved(request):
    case = tracked_case(request)
    kind = modules.case_kind(case.kind) if case is not None else None
    if kind is not None and kind.reopen_refusal:
        # The module's law has its own way to disagree with an answer (a petition's review).
        return track_page(request, case=case, status=409, refused=str(kind.reopen_refusal))

    def act(case, data):
        services.reopen_case(None, case, reason=data["reason"], by_reporter=True)
        return _("Your case was reopened and goes back to the office responsible.")

    return _resident_action(request, NotSolvedForm, "not_solved", act)

