"""The case page: everything staff may see about one case, and the actions they may take now."""

from datetime import datetime

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from anju.cases import access, deadlines, modules, redaction, services
from anju.cases.choices import Action, Channel, ClockUnit, ExtensionStatus, SupervisionLevel
from anju.cases.models import Case
from anju.cases.queries import LIST_RELATED
from anju.lib import masking
from anju.lib.tracking import display, rating_code
from anju.open311.models import Open311Request
from anju.open311.services import answers_for_staff
from anju.people.models import Office
from anju.web import case_forms
from anju.web.access import staff_required
from anju.web.timeleft import time_left

# Events without an actor that the reporter caused through the public pages (a report with
# its photos, a rating, a "not solved"); the other actorless events are the system's sweeps.
_RESIDENT_ACTIONS = {Action.SUBMIT, Action.ATTACH, Action.FOLLOW_UP, Action.REOPEN}


def _case(user, case_id) -> Case:
    return access.get_case_for(user, case_id, Case.objects.select_related(*LIST_RELATED, "about_office"))


def available_actions(user, case: Case, pending=None) -> list[str]:
    """``access.allowed_actions`` narrowed to what can succeed now: a decision on an
    extension needs a pending request, a new request needs none, and a case closed without
    being handled (rejected) cannot be reopened."""
    slugs = []
    for action in access.allowed_actions(user, case):
        if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION) and pending is None:
            continue
        if action == Action.REQUEST_EXTENSION and pending is not None:
            continue
        if action == Action.REOPEN and case.resolved_at is None:
            continue
        slugs.append(str(action))
    return slugs


@staff_required
@never_cache
def case_detail(request, case_id):
    return _page(request, _case(request.user, case_id))


@require_POST
@staff_required
@never_cache
def case_action(request, case_id, action):
    case = _case(request.user, case_id)
    form_class = case_forms.FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, request.FILES, case=case, user=request.user)
    if form.is_valid():
        try:
            form.perform()
        except services.CaseError as error:
            field = form.fields.get(error.field) if error.field else None
            form.add_error(error.field if field is not None and not field.widget.is_hidden else None, error.message)
        else:
            messages.success(request, form.get_success_message())
            if access.visible_to(request.user).filter(pk=case.pk).exists():
                return redirect("web:case_detail", case_id=case.pk)
            # A return (退单) or transfer can take the case out of the actor's reach.
            messages.info(request, _("Case %(code)s is no longer with your office.") % {
                "code": display(case.tracking_code)})
            return redirect("web:home")
    return _page(request, case, failed=form, status=400)


@require_POST
@staff_required
@never_cache
def reveal_reporter(request, case_id):
    """Show the reporter's details in this one response; the service logs every attempt."""
    case = _case(request.user, case_id)
    form = case_forms.RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        reporter = services.reveal_reporter(request.user, case, reason=reason)
    except services.CaseError as error:
        return _page(request, case, reveal_error=error.message, status=error.status)
    # The words as written too: the look is the one just logged.
    return _page(request, case, revealed=reporter, reveal_done=True, whole=True)


@staff_required
def attachment(request, case_id, attachment_id):
    case = _case(request.user, case_id)
    item = case.attachments.filter(pk=attachment_id).first()
    if item is None or access.attachment_withheld(request.user, case, item):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Photos show inline as thumbnails; anything else downloads rather than opening in the page.
    inline = item.content_type.startswith("image/")
    response = FileResponse(handle, content_type=item.content_type, filename=item.original_name,
                            as_attachment=not inline)
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_POST
@staff_required
def clear_attachment(request, case_id, attachment_id):
    """Mark a file free of personal data (the service logs the look and the timeline says who)."""
    case = _case(request.user, case_id)
    try:
        services.clear_attachment(request.user, case, attachment_id)
    except services.CaseError as error:
        if error.status == 404:
            raise Http404 from None
        return _page(request, case, reveal_error=error.message, status=error.status)
    messages.success(request, _("The file is marked free of personal data."))
    return redirect("web:case_detail", case.pk)


# ---------------------------------------------------------------------------- the page


def _page(request, case: Case, *, failed=None, revealed=None, reveal_done=False, reveal_error="", status=200,
          whole=False):
    """The case page. Its texts are the redacted copies (``cases.redaction``) unless ``whole``:
    the answer to a granted reveal."""
    user = request.user
    now = timezone.now()
    extensions = _extensions(case)
    pending = next((row for row in extensions if row.status == ExtensionStatus.PENDING), None)
    slugs = available_actions(user, case, pending)
    forms = []
    for slug in slugs:
        if failed is not None and failed.slug == slug:
            forms.append(failed)
        else:
            forms.append(case_forms.FORMS[slug](case=case, user=user))
    can_attach = case.is_open and (bool(slugs) or case.created_by_id == user.pk)
    attach_form = None
    if failed is not None and failed.slug == case_forms.AttachForm.slug:
        attach_form = failed
    elif can_attach:
        attach_form = case_forms.AttachForm(case=case, user=user)
    open311 = None
    if case.channel == Channel.OPEN311:
        open311 = Open311Request.objects.filter(case=case).select_related("application").first()
    notices = list(case.notices.select_related("issued_by", "office").order_by("created_at"))
    attachments = list(case.attachments.order_by("uploaded_at", "pk"))
    for item in attachments:
        item.withheld = access.attachment_withheld(user, case, item)
    if whole:
        redaction.show_whole(case, *notices, *extensions, *attachments)
    context = {
        "section": "cases",
        "case": case,
        "whole": whole,
        "redacted": redaction.has_redactions(case),
        "open311": open311,
        "open311_answers": answers_for_staff(open311) if open311 else [],
        "code": display(case.tracking_code),
        "rating_code": rating_code(case.tracking_code) if _may_see_rating_code(user, case) else "",
        "now": now,
        "place": _place(case),
        "map_data": _map_data(case),
        "deadlines": _deadlines(case),
        "paused_words": time_left(now, paused=True).words if case.paused_at else "",
        "supervision_label": _supervision_label(case.supervision_level),
        "notices": notices,
        "extensions": extensions,
        "pending": pending,
        "reporter": _reporter(user, case, revealed, reveal_done),
        "reveal_form": case_forms.RevealForm(),
        "reveal_error": reveal_error,
        "timeline": _timeline(case, whole),
        "attachments": attachments,
        # Only where someone may be kept from the people: a confidential case or one about an office.
        "can_clear": (case.confidential or case.about_office_id is not None) and access.can_reveal_person(user, case)
        and any(not a.free_of_personal_data for a in attachments),
        "attach_form": attach_form,
        "action_forms": forms,
        "action_slugs": slugs,
        "single_action": len(forms) == 1,
        "failed": failed,
        "failed_elsewhere": failed is not None and failed.slug not in slugs and failed is not attach_form,
        "merged_into_code": display(case.merged_into.tracking_code) if case.merged_into_id else "",
        "merged_into": _visible_or_none(user, case.merged_into) if case.merged_into_id else None,
        "duplicates": [(dup, display(dup.tracking_code)) for dup in
                       access.visible_to(user, case.duplicates.all()).order_by("closed_at", "pk")],
    }
    kind = modules.case_kind(case.kind)
    if kind is not None and kind.detail_url:
        # The module's own page for the case (a dispute's parties, a petition's notices).
        context["module_page"] = {"url": reverse(kind.detail_url, args=[case.pk]), "label": kind.detail_label}
    return render(request, "web/case/detail.html", context, status=status)


def _may_see_rating_code(user, case: Case) -> bool:
    """The rating code lets whoever holds it rate the answer on /track, so only the staff who
    may do the follow-up themselves (and so record any rating anyway) or who registered the
    case (to tell a hotline or walk-in reporter) see it; never the handler whose answer it
    rates."""
    return access.can(user, Action.FOLLOW_UP, case) or case.created_by_id == user.pk


def _visible_or_none(user, case: Case):
    return case if access.visible_to(user).filter(pk=case.pk).exists() else None


def _place(case: Case) -> dict:
    region = case.grid or case.region
    township = region.township()
    return {"grid": case.grid, "region": case.region, "township": township}


def _map_data(case: Case) -> dict | None:
    boundary = case.grid.boundary if case.grid_id else None
    if case.lat is None and not boundary:
        return None
    return {
        "lat": case.lat, "lng": case.lng, "grid": boundary,
        "grid_name": case.grid.name if case.grid_id else "",
        "label": display(case.tracking_code),
    }


def amount_words(amount: int, unit: str) -> str:
    """15 working days / 1 calendar day / 48 hours."""
    if unit == ClockUnit.WORKING_DAYS:
        return ngettext("%(n)d working day", "%(n)d working days", amount) % {"n": amount}
    if unit == ClockUnit.CALENDAR_DAYS:
        return ngettext("%(n)d calendar day", "%(n)d calendar days", amount) % {"n": amount}
    if unit == ClockUnit.HOURS:
        return ngettext("%(n)d hour", "%(n)d hours", amount) % {"n": amount}
    return f"{amount} {unit}"


def _rule_words(case: Case, stage: str) -> str:
    rule = (case.deadline_rule or {}).get(stage)
    if not (isinstance(rule, (list, tuple)) and len(rule) == 2):
        return ""
    return amount_words(*rule)


def _extensions(case: Case) -> list:
    rows = list(case.extension_requests.select_related("requested_by", "decided_by").order_by("requested_at"))
    for row in rows:
        row.words = amount_words(row.amount, row.unit)
    return rows


def _deadlines(case: Case) -> list[dict]:
    rows = []
    for stage, label, due in (
        ("accept", _("Accept by"), case.accept_due_at),
        ("handle", _("Handle by"), case.handle_due_at),
        ("reply", _("Reply by"), case.reply_due_at),
    ):
        rows.append({"stage": stage, "label": label, "at": due, "rule": _rule_words(case, stage),
                     "current": due is not None and due == case.due_at,
                     "estimated": due is not None and deadlines.estimated(case, f"{stage}_due_at")})
    return rows


def _supervision_label(level: int) -> str:
    if not level:
        return _("None")
    return str(SupervisionLevel(level).label) if level in SupervisionLevel.values else str(level)


def _reporter(user, case: Case, revealed, reveal_done: bool) -> dict:
    reporter = case.reporter
    hidden = access.person_hidden_from(user, case)
    info = {"anonymous": reporter is None, "hidden": hidden, "revealed": None, "reveal_done": reveal_done,
            "can_reveal": (reporter is not None or redaction.has_redactions(case))
            and access.can_reveal_person(user, case)}
    if reporter is not None and not hidden:
        info.update(name=masking.mask_name(reporter.name), phone=masking.mask_phone(reporter.phone),
                    has_email=bool(reporter.email))
        if revealed is not None:
            info["revealed"] = revealed
    return info


def _timeline(case: Case, whole: bool) -> list[dict]:
    events = list(case.events.select_related("actor"))
    codes = {e.data.get(key) for e in events for key in ("office", "from_office") if isinstance(e.data, dict)}
    offices = dict(Office.objects.filter(code__in=[c for c in codes if c]).values_list("code", "name"))
    rows = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if event.actor_id:
            who, who_kind = str(event.actor), "staff"
        elif event.action in _RESIDENT_ACTIONS or data.get("by_reporter"):
            who, who_kind = _("Resident"), "resident"
        else:
            who, who_kind = _("System"), "system"
        rows.append({
            "event": event, "who": who, "who_kind": who_kind,
            "note": redaction.whole(event, "note") if whole else event.note,
            "changed": bool(event.from_status) and event.from_status != event.to_status,
            "details": _event_details(event.action, data, offices),
        })
    return rows


def _when(value) -> str:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if not isinstance(moment, datetime):
        return str(value)
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _event_details(action: str, data: dict, offices: dict) -> list[str]:
    """Short words for what an event's data says (the office it went to, the rating ...)."""
    details = []
    if action in (Action.DISPATCH, Action.TRANSFER) and data.get("office"):
        details.append(_("To: %(office)s") % {"office": offices.get(data["office"], data["office"])})
    if action == Action.TRANSFER and data.get("from_office"):
        details.append(_("From: %(office)s") % {"office": offices.get(data["from_office"], data["from_office"])})
    if action == Action.RETURN and data.get("office"):
        details.append(_("Returned by: %(office)s") % {"office": offices.get(data["office"], data["office"])})
    if action == Action.SUBMIT and data.get("channel") in Channel.values:
        details.append(_("Channel: %(channel)s") % {"channel": Channel(data["channel"]).label})
    if action == Action.FOLLOW_UP and data.get("satisfaction"):
        details.append(_("Satisfaction: %(n)s of 5") % {"n": data["satisfaction"]})
    if action == Action.REQUEST_EXTENSION and isinstance(data.get("amount"), int):
        details.append(_("Asked for: %(time)s") % {"time": amount_words(data["amount"], data.get("unit", ""))})
    if action == Action.APPROVE_EXTENSION and data.get("to"):
        details.append(_("Deadline moved from %(old)s to %(new)s") % {
            "old": _when(data.get("from")), "new": _when(data["to"])})
    if action in (Action.SUPERVISE, Action.ESCALATE) and data.get("level"):
        details.append(_("Level: %(level)s") % {"level": _supervision_label(data["level"])})
    if action in (Action.DUE_SOON, Action.OVERDUE) and data.get("due_at"):
        details.append(_("Deadline: %(at)s") % {"at": _when(data["due_at"])})
    if action == Action.MERGE and data.get("into"):
        details.append(_("Merged into %(code)s") % {"code": display(data["into"])})
    if action == Action.ABSORB and data.get("duplicate"):
        details.append(_("Duplicate: %(code)s") % {"code": display(data["duplicate"])})
    if action == Action.ATTACH and data.get("name"):
        details.append(_("File: %(name)s") % {"name": data["name"]})
    return details

