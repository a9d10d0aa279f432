"""The warnings' pages for staff: the board (warnings in force with their acknowledgements and
evacuation, those awaiting approval or issue, the ended ones), a new warning, a warning's page
(exactly the actions allowed now, its CAP messages, its log, and the acknowledgement and
evacuation boards refreshed live), and the phone page on which grid workers enter the
households' evacuation. And the page behind an acknowledgement link, which needs no sign-in and
shows nothing personal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.lib.errors import ServiceError
from anju.people.choices import Role
from anju.warnings import acks, evacuation, lifecycle
from anju.warnings import warnings_access as access
from anju.warnings import warnings_queries as queries
from anju.warnings.cap_access import can_import
from anju.warnings.choices import AckState, WarningStatus
from anju.warnings.models import Acknowledgement, Evacuation, Warning
from anju.warnings.warnings_forms import (
    ACTION_FORMS,
    CallForm,
    EntryForm,
    WarningFilterForm,
    WarningForm,
    draftable_areas,
)
from anju.web.access import staff_required
from anju.web.intake_forms import new_idempotency_key
from anju.web.views.workbench import filter_query, townships_for

SECTION = "warnings"
PAGE_SIZE = 30
# How often the live boards refresh themselves (seconds).
LIVE_SECONDS = 5

SUCCESS = {
    "approve": gettext_lazy("The warning was approved: it can be issued."),
    "reject": gettext_lazy("The warning was not approved."),
    "issue": gettext_lazy("The warning was issued: its monitors were asked to acknowledge it."),
    "update": gettext_lazy("The update was sent."),
    "cancel": gettext_lazy("The warning was cancelled."),
    "all_clear": gettext_lazy("The all-clear was given: the evacuation is closed."),
    "evacuate": gettext_lazy("The households were listed to move."),
    "open_incident": gettext_lazy("The incident was opened."),
}


def _success(action: str) -> str:
    return str(SUCCESS[action])


def _summaries(rows: list[Warning], now) -> list[Warning]:
    """Each warning in force with its acknowledgement and evacuation counts."""
    for warning in rows:
        warning.acks = queries.ack_summary(queries.ack_board(warning, now))
        warning.evacuation = evacuation.counts(warning)
    return rows


@staff_required
def board(request):
    user = request.user
    now = timezone.now()
    form = WarningFilterForm(data=request.GET, townships=townships_for(user).order_by("code"))
    context = {"section": SECTION, "form": form, "now": now, "can_draft": access.may_draft_any(user),
               "can_import": can_import(user), "in_force": [], "pending": [], "page": None}
    if not form.is_valid():
        return render(request, "warnings/warning_board.html", context, status=400)
    filters = form.filters()
    rows = queries.warnings_for(user, filters)
    status = filters.status
    if status in ("", "in_force", WarningStatus.ISSUED):
        context["in_force"] = _summaries(list(rows.filter(status=WarningStatus.ISSUED)), now)
    if status in ("", "pending", WarningStatus.DRAFT, WarningStatus.APPROVED):
        context["pending"] = list(rows.filter(status__in=queries.GROUPS["pending"]))
    if status in ("", "ended", *queries.GROUPS["ended"]):
        paginator = Paginator(rows.filter(status__in=queries.GROUPS["ended"]), PAGE_SIZE)
        page = paginator.get_page(form.cleaned_data.get("page") or 1)
        base = filter_query(request.GET)
        context.update({"page": page, "paginator": paginator,
                        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
                        "page_query": f"{base}&page=" if base else "page="})
    context["filtered"] = bool(filter_query(request.GET, drop=("page",)))
    return render(request, "warnings/warning_board.html", context)


@require_http_methods(["GET", "POST"])
@staff_required
@never_cache
def warning_new(request):
    user = request.user
    areas = draftable_areas(user)
    if not areas:
        raise Http404
    status = 200
    if request.method == "POST":
        form = WarningForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                warning = form.run(user)
            except ServiceError:
                raise PermissionDenied from None
            if warning is not None:
                messages.success(request, _("The warning was drafted: it awaits approval."))
                return redirect("warnings:warning", warning_id=warning.pk)
        status = 400
    else:
        form = WarningForm(areas=areas, initial={"idempotency_key": new_idempotency_key()})
    return render(request, "warnings/warning_form.html", {"section": SECTION, "form": form}, status=status)


def _live_context(request, warning: Warning) -> dict:
    user = request.user
    now = timezone.now()
    board_ = queries.ack_board(warning, now)
    operator = access.can_operate(user, warning)
    for point in board_:
        for row in point.rows:
            row.callable = (operator and warning.status == WarningStatus.ISSUED and point.answered is None
                            and row.ack.state != AckState.ACKNOWLEDGED)
    return {"warning": warning, "now": now, "ack_board": board_, "ack_summary": queries.ack_summary(board_),
            "evacuation_board": evacuation.board(warning) if evacuation.is_listed(warning) else [],
            "evacuation_counts": evacuation.counts(warning), "live": warning.status == WarningStatus.ISSUED,
            "live_seconds": LIVE_SECONDS, "call_form": CallForm(prefix="call")}


def _page(request, warning: Warning, *, failed=None, status=200):
    user = request.user
    actions = queries.warning_actions(user, warning)
    policy = lifecycle.issuing.level_policy(warning.level)
    action_forms = []
    for slug, form_class in ACTION_FORMS.items():
        if slug not in actions:
            continue
        action_forms.append(failed if failed is not None and failed.slug == slug else form_class(warning=warning))
    context = {
        "section": SECTION, "actions": actions, "action_forms": action_forms, "failed": failed,
        "failed_elsewhere": failed is not None and failed.slug not in actions,
        "policy": policy, "approver_label": Role(policy.approver_role).label
        if policy.approver_role in Role.values else policy.approver_role,
        "points": list(warning.points.select_related("region").order_by("code")),
        "cap_messages": list(warning.messages.order_by("sent_at", "pk")),
        "log": list(warning.log.select_related("actor").order_by("at", "pk")),
        "mine": queries.answerable(user, warning), "incidents": lifecycle.incidents_of(warning),
        **_live_context(request, warning),
    }
    return render(request, "warnings/warning_detail.html", context, status=status)


@login_required
@never_cache
def warning_page(request, warning_id):
    """The warning's page: staff in its area, and whoever was asked to acknowledge it."""
    return _page(request, access.get_warning_for(request.user, warning_id))


@login_required
@never_cache
def live(request, warning_id):
    """The acknowledgement and evacuation boards alone, for the page's polling."""
    warning = access.get_warning_for(request.user, warning_id)
    return render(request, "warnings/warning_live.html", _live_context(request, warning))


@require_POST
@login_required
@never_cache
def act(request, warning_id, action):
    """One action of the warning's page, by the one service function it stands for; then back to
    the page, or the page again with the error next to its field."""
    user = request.user
    warning = access.get_warning_for(user, warning_id)
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    form = form_class(request.POST, warning=warning)
    if action not in queries.warning_actions(user, warning):
        form.cleaned_data = {}
        form.add_error(None, _("This is not possible now, or not yours to do. The page shows what you can do now."))
        return _page(request, warning, failed=form, status=409 if access.is_staff(user) else 403)
    if form.is_valid():
        try:
            done = form.run(user, warning)
        except ServiceError as error:
            raise PermissionDenied(error.message) from None
        if done is not None:
            messages.success(request, _success(action))
            return redirect("warnings:warning", warning_id=warning.pk)
    warning.refresh_from_db()
    return _page(request, warning, failed=form, status=400)


def _ack_of(warning: Warning, ack_id) -> Acknowledgement:
    ack = warning.acknowledgements.select_related("point", "warning").filter(pk=ack_id).first()
    if ack is None:
        raise Http404
    return ack


@require_POST
@staff_required
def record_call(request, warning_id, ack_id):
    warning = access.get_warning_for(request.user, warning_id)
    ack = _ack_of(warning, ack_id)
    if not access.can_operate(request.user, warning):
        raise PermissionDenied
    form = CallForm(request.POST, prefix="call")
    try:
        done = form.run(request.user, ack) if form.is_valid() else None
    except ServiceError:
        raise PermissionDenied from None
    if done is not None:
        messages.success(request, _("The call was recorded as the acknowledgement."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(f"{warning_page_url(warning)}#acks")


@require_POST
@login_required
def acknowledge(request, warning_id, ack_id):
    """A signed-in user acknowledges what was asked of them."""
    warning = access.get_warning_for(request.user, warning_id)
    ack = _ack_of(warning, ack_id)
    try:
        acks.acknowledge_in_app(request.user, ack)
    except ServiceError as error:
        if error.status == 403:
            raise PermissionDenied from None
        messages.error(request, error.message)
    else:
        messages.success(request, _("Acknowledged. Thank you."))
    return redirect("warnings:warning", warning_id=warning.pk)


def warning_page_url(warning: Warning) -> str:
    return reverse("warnings:warning", args=[warning.pk])


# ---------------------------------------------------------------------------- evacuation on a phone


def _evacuation_context(request, warning: Warning, point: str = "", failed: tuple | None = None) -> dict:
    rows = queries.household_rows(request.user, warning, only_enterable=not access.can_operate(request.user, warning),
                                  point=point)
    for row in rows:
        key = f"e{row.evacuation.pk}"
        row.form = failed[1] if failed and failed[0] == row.evacuation.pk else EntryForm(prefix=key)
    points = sorted({r.evacuation.household.point for r in rows}, key=lambda p: p.code)
    return {"section": SECTION, "warning": warning, "rows": rows, "points": points, "point": point,
            "open": warning.status == WarningStatus.ISSUED, "counts": evacuation.counts(warning)}


@staff_required
@never_cache
def evacuation_page(request, warning_id):
    """The households a user may enter, by point, each with the entries its state allows."""
    warning = access.get_warning_for(request.user, warning_id)
    if "evacuation" not in queries.warning_actions(request.user, warning) and not evacuation.is_listed(warning):
        raise Http404
    point = request.GET.get("point", "")[:40]
    return render(request, "warnings/evacuation_phone.html", _evacuation_context(request, warning, point))


@require_POST
@staff_required
def evacuation_entry(request, warning_id, evacuation_id):
    warning = access.get_warning_for(request.user, warning_id)
    row = Evacuation.objects.filter(warning=warning, pk=evacuation_id).select_related("household__point").first()
    if row is None:
        raise Http404
    form = EntryForm(request.POST, prefix=f"e{row.pk}")
    point = request.POST.get("point", "")[:40]
    back = f"{reverse_evacuation(warning)}{'?point=' + point if point else ''}#h{row.pk}"
    if form.is_valid():
        try:
            done = form.run(request.user, row)
        except ServiceError:
            raise PermissionDenied from None
        if done is not None:
            messages.success(request, _("Entered: %(state)s.") % {"state": done.get_state_display()})
            return redirect(back)
    return render(request, "warnings/evacuation_phone.html",
                  _evacuation_context(request, warning, point, failed=(row.pk, form)), status=400)


def reverse_evacuation(warning: Warning) -> str:
    return reverse("warnings:evacuation", args=[warning.pk])


# ---------------------------------------------------------------------------- the link


@require_http_methods(["GET", "POST"])
@never_cache
def ack_link(request, token):
    """The page of an acknowledgement link: the level and headline of the warning (public
    anyway) and one button. Nothing personal, no sign-in: the token is the proof, and does
    nothing but acknowledge."""
    ack = acks.find_by_token(token)
    if ack is None:
        response = render(request, "warnings/ack_link.html", {"invalid": True}, status=404)
    else:
        state = "open"
        status = 200
        if request.method == "POST":
            try:
                acks.acknowledge_by_link(token)
                state = "done"
            except ServiceError as error:
                state, status = "refused", error.status
                messages.error(request, error.message)
            ack.refresh_from_db()
        elif ack.state == AckState.ACKNOWLEDGED:
            state = "answered"
        elif ack.warning.status != WarningStatus.ISSUED:
            state = "ended"
        response = render(request, "warnings/ack_link.html", {"ack": ack, "warning": ack.warning, "state": state},
                          status=status)
    # The token is in the address: never pass it on to another site, never index it. (Not
    # "no-referrer": Chromium then posts the button's form with "Origin: null", which the CSRF
    # check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
