"""The mediator's pages: the disputes workbench and list, one dispute with the actions the user
may take now, registering a dispute, and the mediation agreement printed or as a .docx."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from anju.cases import access as case_access
from anju.cases.choices import IN_OFFICE_STATUSES, OPEN_STATUSES, Status
from anju.cases.models import Case
from anju.cases.services import CaseError
from anju.disputes import access, documents, queries, services
from anju.disputes.choices import AgreementStatus, JudicialStatus, TransferStatus, VisitStatus
from anju.disputes.forms import (
    FORMS,
    TARGETS,
    DisputeFilterForm,
    PartyRowForm,
    RegisterDisputeForm,
    RevealForm,
)
from anju.disputes.models import Dispute, MediationAgreement
from anju.lib import tracking
from anju.lib.workdays import LOCAL
from anju.web.access import staff_required
from anju.web.intake_forms import can_create_somewhere, new_idempotency_key
from anju.web.views.workbench import CappedPaginator, filter_query, township_names, townships_for

PAGE_SIZE = 50
SOON_DAYS = 7
PARTY_ROWS = 3
# The slugs of ``queries.dispute_actions`` for each form on the page.
ACTION_OF_FORM = {
    "record": "update", "add_party": "add_party", "consent": "record_consent", "mediator": "assign_mediator",
    "take_up": "take_up", "schedule": "schedule_session", "record_session": "record_session",
    "draft": "draft_agreement", "sign": "sign_agreement", "end": "end_mediation",
    "judicial_application": "judicial_application", "judicial_decision": "judicial_decision",
    "visit": "record_visit", "transfer": "propose_transfer", "accept_transfer": "accept_transfer",
    "return_transfer": "return_transfer",
}


def _dispute_case(user, case_id) -> Case:
    return access.get_dispute_case_for(
        user, case_id, Case.objects.select_related("category", "region", "grid", "office"))


def _annotate(cases) -> list:
    names = township_names({c.area_path for c in cases})
    for case in cases:
        case.township_name = names.get(case.area_path, "")
        case.code_display = tracking.display(case.tracking_code)
    return cases


# ---------------------------------------------------------------------------- workbench and list


def _my_disputes(user):
    """Disputes my organisation has in hand (being mediated), soonest deadline first."""
    rows = access.dispute_cases(user).filter(status__in=IN_OFFICE_STATUSES)
    rows = rows.filter(office_id=user.office_id) if user.office_id else rows.none()
    return rows.select_related("category", "region", "grid", "office", "dispute", "dispute__mediator").order_by(
        "due_at", "id")


def _list_filters(form) -> queries.DisputeFilters:
    c = form.cleaned_data
    status = c.get("status")
    statuses = sorted(OPEN_STATUSES) if status == "open" else [status] if status else None
    township = c.get("township")
    return queries.DisputeFilters(status=statuses, category=c.get("category") or "",
                                  region=township.code if township else "", outcome=c.get("outcome") or "",
                                  risk_level=c.get("risk_level") or "", mediation_type=c.get("mediation_type") or "",
                                  text=c.get("q") or "")


@staff_required
def workbench(request):
    user = request.user
    now = timezone.now()
    form = DisputeFilterForm(townships_for(user), data=request.GET)
    context = {"section": "disputes", "now": now, "form": form, "page": None}
    if form.is_valid():
        paginator = CappedPaginator(queries.disputes_for(user, _list_filters(form)), PAGE_SIZE)
        page = paginator.get_page(form.cleaned_data.get("page") or 1)
        _annotate(page.object_list)
        base = filter_query(request.GET)
        context.update({
            "page": page, "paginator": paginator,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "page_query": f"{base}&page=" if base else "page=",
            "filtered": bool(filter_query(request.GET, drop=("page",))),
        })
    context.update({
        "in_hand": _annotate(list(_my_disputes(user)[:50])),
        "sessions": queries.sessions_due(user, now=now, days=SOON_DAYS, limit=50),
        "visits": queries.visits_due(user, now=now, days=SOON_DAYS, limit=50),
        "transfers": [t for t in queries.pending_transfers_to(user, limit=50)
                      if user.office_id and t.to_office_id == user.office_id],
        "windows": queries.judicial_windows_ending(user, now, days=SOON_DAYS),
        "can_register": can_create_somewhere(user),
        "today": now.astimezone(LOCAL).date(),
    })
    for row in context["sessions"] + context["visits"] + context["transfers"] + context["windows"]:
        row.code_display = tracking.display(row.dispute.case.tracking_code)
    return render(request, "disputes/workbench.html", context, status=200 if form.is_valid() else 400)


# ---------------------------------------------------------------------------- one dispute


def _forms(user, case: Case, dispute: Dispute, now, failed=None) -> dict:
    """The action forms this user may use now, by where they stand on the page: ``side`` (the
    dispute as a whole), and one dict per party, session, agreement, visit and transfer."""
    allowed = set(queries.dispute_actions(user, case, dispute, now=now))
    made: dict[str, object] = {}

    def make(slug, target=None, **kwargs):
        if ACTION_OF_FORM[slug] not in allowed:
            return None
        form_class = FORMS[slug]
        key = slug if target is None else f"{slug}-{target.pk}"
        if failed is not None and failed.key == key:
            form = failed
        else:
            form = form_class(case=case, dispute=dispute, user=user, target=target, **kwargs)
        made[key] = form
        return form

    side = [make(slug) for slug in ("take_up", "mediator", "record", "add_party", "schedule", "transfer", "end")]
    draft = dispute.agreements.filter(status=AgreementStatus.DRAFT).first()
    by_object = {
        "parties": {p.pk: make("consent", p) for p in dispute.parties.all()},
        "sessions": {s.pk: make("record_session", s) for s in dispute.sessions.all()
                     if s.held_at is None and s.scheduled_at <= now},
        "draft": make("draft", draft=draft),
        "sign": make("sign", draft) if draft is not None else None,
        "judicial": {},
        "visits": {v.pk: make("visit", v) for v in dispute.visits.filter(status=VisitStatus.PLANNED)},
        "transfers": {},
    }
    for agreement in dispute.agreements.filter(status=AgreementStatus.EFFECTIVE):
        if agreement.judicial_status == JudicialStatus.NOT_SOUGHT:
            by_object["judicial"][agreement.pk] = make("judicial_application", agreement)
        elif agreement.judicial_status == JudicialStatus.SOUGHT:
            by_object["judicial"][agreement.pk] = make("judicial_decision", agreement)
    for transfer in dispute.transfers.filter(status=TransferStatus.PENDING):
        by_object["transfers"][transfer.pk] = [make("accept_transfer", transfer), make("return_transfer", transfer)]
    return {"side": [f for f in side if f is not None], "made": made, **by_object}


def _page(request, case: Case, *, failed=None, revealed=None, reveal_error="", status=200):
    user = request.user
    now = timezone.now()
    dispute = services.ensure_dispute(case)
    forms = _forms(user, case, dispute, now, failed)
    allowed = set(queries.dispute_actions(user, case, dispute, now=now))
    can_reveal = case_access.can_reveal_person(user, case)
    # The one rule for every person on a case: hidden altogether, not even masked.
    parties_hidden = case_access.person_hidden_from(user, case)
    parties = []
    for party in [] if parties_hidden else dispute.parties.all():
        row = services.masked_party(party)
        row["role_label"] = party.get_role_display()
        row["consent_label"] = party.get_consent_display()
        row["revealed"] = party if revealed is not None and revealed.pk == party.pk else None
        row["form"] = forms["parties"].get(party.pk)
        parties.append(row)
    sessions = list(dispute.sessions.select_related("created_by", "recorded_by"))
    for session in sessions:
        session.form = forms["sessions"].get(session.pk)
    agreements = list(dispute.agreements.order_by("-id"))
    day = now.astimezone(LOCAL).date()
    for agreement in agreements:
        agreement.form = forms["judicial"].get(agreement.pk)
        ends = agreement.judicial_window_ends_on
        agreement.window_days_left = (ends - day).days if ends else None
    visits = list(dispute.visits.select_related("done_by", "agreement"))
    for visit in visits:
        visit.form = forms["visits"].get(visit.pk)
    transfers = list(dispute.transfers.select_related("from_office", "to_office", "proposed_by", "decided_by"))
    for transfer in transfers:
        transfer.forms = [f for f in forms["transfers"].get(transfer.pk, []) if f is not None]
    made = forms["made"]
    context = {
        "section": "disputes", "now": now, "today": day, "case": case, "dispute": dispute,
        "code": tracking.display(case.tracking_code), "parties": parties, "sessions": sessions,
        "agreements": agreements, "visits": visits, "transfers": transfers,
        "side_forms": forms["side"], "draft_form": forms["draft"], "sign_form": forms["sign"],
        "can_reveal": can_reveal, "parties_hidden": parties_hidden, "reveal_form": RevealForm(),
        "reveal_error": reveal_error,
        "revealed": revealed, "can_print": can_reveal,
        "failed": failed, "failed_elsewhere": failed is not None and failed.key not in made,
        "has_actions": bool(made), "intake_stage": case.status in (Status.SUBMITTED, Status.ACCEPTED),
        "allowed": allowed,
    }
    return render(request, "disputes/detail.html", context, status=status)


@staff_required
@never_cache
def dispute_detail(request, case_id):
    return _page(request, _dispute_case(request.user, case_id))


@require_POST
@staff_required
@never_cache
def dispute_action(request, case_id, action, target_id=None):
    case = _dispute_case(request.user, case_id)
    form_class = FORMS.get(action)
    if form_class is None or (action in TARGETS) != (target_id is not None):
        raise Http404
    dispute = services.ensure_dispute(case)
    target = None
    if target_id is not None:
        target = getattr(dispute, TARGETS[action]).filter(pk=target_id).first()
        if target is None:
            raise Http404
    extra = {}
    if action == "draft":
        extra["draft"] = dispute.agreements.filter(status=AgreementStatus.DRAFT).first()
    form = form_class(request.POST, case=case, dispute=dispute, user=request.user, target=target, **extra)
    if form.is_valid():
        try:
            form.perform()
        except CaseError as error:
            field = form.fields.get(error.field) if error.field else None
            form.add_error(error.field if field is not None and not field.widget.is_hidden else None, error.message)
        else:
            messages.success(request, form.get_success_message())
            if access.dispute_cases(request.user).filter(pk=case.pk).exists():
                return redirect("disputes:detail", case_id=case.pk)
            # A transfer or a return can take the dispute out of the actor's reach.
            messages.info(request, _("Dispute %(code)s is no longer with your organisation.") % {
                "code": tracking.display(case.tracking_code)})
            return redirect("disputes:workbench")
    case.refresh_from_db()
    return _page(request, case, failed=form, status=400)


@require_POST
@staff_required
@never_cache
def reveal_party(request, case_id, party_id):
    """Show one party's details in this one response; the service logs every attempt."""
    case = _dispute_case(request.user, case_id)
    form = RevealForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        party = services.reveal_party(request.user, case, party_id=party_id, reason=reason)
    except CaseError as error:
        if error.status == 404:
            raise Http404 from None
        return _page(request, case, reveal_error=error.message, status=error.status)
    return _page(request, case, revealed=party)


# ---------------------------------------------------------------------------- the agreement


def _agreement(request, case_id, agreement_id) -> MediationAgreement:
    """The agreement of a dispute the user sees, its look at the parties' details logged;
    403 for those who see the dispute but not the parties."""
    case = _dispute_case(request.user, case_id)
    agreement = (MediationAgreement.objects.select_related("dispute__case__office", "dispute__mediator")
                 .filter(pk=agreement_id, dispute__case=case).first())
    if agreement is None:
        raise Http404
    try:
        services.log_agreement_print(request.user, agreement)
    except CaseError as error:
        raise PermissionDenied(error.message) from None
    return agreement


@staff_required
@never_cache
def agreement_print(request, case_id, agreement_id):
    agreement = _agreement(request, case_id, agreement_id)
    return render(request, "disputes/agreement_print.html", {
        "agreement": agreement, "content": documents.agreement_content(agreement),
    })


@staff_required
@never_cache
def agreement_docx(request, case_id, agreement_id):
    agreement = _agreement(request, case_id, agreement_id)
    response = HttpResponse(
        documents.agreement_docx(agreement),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    filename = f"mediation-agreement-{agreement.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------- registering


def _party_rows(data=None) -> list[PartyRowForm]:
    return [PartyRowForm(data, prefix=f"party-{i}") for i in range(PARTY_ROWS)]


def _render_register(request, form, rows, status=200):
    return render(request, "disputes/register.html", {
        "section": "disputes", "form": form, "rows": rows,
        "rows_invalid": any(row.is_bound and row.errors for row in rows),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def register(request):
    user = request.user
    if not can_create_somewhere(user):
        raise Http404
    if request.method == "GET":
        form = RegisterDisputeForm(user, initial={"channel": "hotline", "idempotency_key": new_idempotency_key()})
        return _render_register(request, form, _party_rows())
    form = RegisterDisputeForm(user, request.POST)
    rows = _party_rows(request.POST)
    valid = form.is_valid()
    valid = all([row.is_valid() for row in rows]) and valid
    if valid:
        filled = [row for row in rows if not row.is_empty]
        details = services.DisputeFacts(
            scale=form.cleaned_data["scale"], facts=form.cleaned_data["facts"],
            risk_level=form.cleaned_data["risk_level"], risk_reason=form.cleaned_data["risk_reason"],
            parties=[row.new_party() for row in filled])
        try:
            with transaction.atomic():
                case, _created = services.register_dispute(user, form.new_case(), details,
                                                           idempotency_key=form.cleaned_data["idempotency_key"])
        except CaseError as error:
            _register_error(form, filled, error)
        else:
            messages.success(request, _("Dispute registered. Tracking code for the reporter: %(code)s") % {
                "code": tracking.display(case.tracking_code)})
            return redirect("disputes:detail", case_id=case.pk)
    return _render_register(request, form, rows, status=400)


def _register_error(form, filled, error: CaseError) -> None:
    """Put a refusal next to its field: ``parties.1.phone`` names the second filled row."""
    if error.status == 403:
        form.add_error("region", _("This place lies outside the area where you may register cases."))
        return
    field = error.field or ""
    if field.startswith("parties."):
        _parties, index, name = (field.split(".") + ["", ""])[:3]
        if index.isdigit() and int(index) < len(filled) and name in filled[int(index)].fields:
            filled[int(index)].add_error(name, error.message)
            form.add_error(None, _("Please correct the parties marked below."))
            return
    form.add_case_error(error)
