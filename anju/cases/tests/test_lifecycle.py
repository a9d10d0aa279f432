"""Every lifecycle transition, its effects, and its refusals (wrong status, wrong role)."""

import pytest

from anju.cases import services as s
from anju.cases.choices import TRANSITIONS, Action, Status
from anju.cases.models import Case, CaseEvent, ExtensionRequest, SupervisionNotice
from anju.conftest import at


def to_status(case, status, people, now=None):
    """Walk a fresh case along the main path until it reaches ``status``."""
    d, h = people.dispatcher, people.handler
    steps = [
        (Status.ACCEPTED, lambda c: s.accept_case(d, c, now=now)),
        (Status.DISPATCHED, lambda c: s.dispatch_case(d, c, now=now)),
        (Status.IN_PROGRESS, lambda c: s.start_case(h, c, now=now)),
        (Status.WAITING, lambda c: s.wait_for_reporter(h, c, question="请补充照片", now=now)),
    ]
    if status in (Status.RESOLVED, Status.CLOSED):
        steps = steps[:3] + [(Status.RESOLVED, lambda c: s.resolve_case(h, c, reply="已修复", now=now)),
                             (Status.CLOSED, lambda c: s.follow_up_case(d, c, satisfaction=5, now=now))]
    for reached, step in steps:
        if Case.objects.get(pk=case.pk).status == status:
            break
        step(Case.objects.get(pk=case.pk))
        if reached == status:
            break
    case = Case.objects.get(pk=case.pk)
    assert case.status == status
    return case


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def test_it_registers_a_case_in_the_grid_of_its_point_owned_by_the_centre(new_case, county):
    case = new_case()
    assert case.status == Status.SUBMITTED
    assert case.grid == county.grid1 and case.region == county.grid1
    assert case.area_path == county.grid1.path
    assert case.office == county.centre
    assert case.accept_due_at is not None and case.due_at == case.accept_due_at
    assert last_event(case).action == Action.SUBMIT


def test_it_accepts_and_starts_the_clock_to_handle(new_case, people):
    case = new_case(now=at(2026, 11, 2, 9))
    case = s.accept_case(people.dispatcher, case, now=at(2026, 11, 2, 10))
    assert case.status == Status.ACCEPTED
    assert case.accepted_at == at(2026, 11, 2, 10)
    # 15 working days after Monday 2 November 2026 is Monday 23 November.
    assert case.handle_due_at == at(2026, 11, 23, 23, 59, 59)
    assert case.due_at == case.handle_due_at
    event = last_event(case)
    assert (event.action, event.from_status, event.to_status) == (Action.ACCEPT, Status.SUBMITTED, Status.ACCEPTED)


def test_it_rejects_with_a_reply_and_closes(new_case, people):
    case = s.reject_case(people.dispatcher, new_case(), reply="不属于受理范围，请向法院起诉")
    assert case.status == Status.CLOSED and case.reply.startswith("不属于") and case.due_at is None


def test_it_refuses_to_reject_without_a_reply(new_case, people):
    case = new_case()
    with pytest.raises(s.CaseError) as refused:
        s.reject_case(people.dispatcher, case, reply="  ")
    assert refused.value.field == "reply" and refused.value.status == 422
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_it_dispatches_by_routing_rules_and_by_choice(new_case, people, county):
    routed = to_status(new_case(), Status.DISPATCHED, people)
    assert routed.office == county.gecheng_office and routed.routing_basis == "territorial"
    chosen = s.accept_case(people.dispatcher, new_case())
    chosen = s.dispatch_case(people.dispatcher, chosen, office_code="jtj")
    assert chosen.office == county.transport


def test_it_refuses_dispatch_to_an_unknown_office(new_case, people):
    case = s.accept_case(people.dispatcher, new_case())
    with pytest.raises(s.CaseError) as refused:
        s.dispatch_case(people.dispatcher, case, office_code="nope")
    assert refused.value.field == "office"
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_it_returns_to_the_centre_with_a_reason(new_case, people, county):
    case = to_status(new_case(), Status.DISPATCHED, people)
    case = s.return_case(people.handler, case, reason="该路段属于县交通局管养")
    assert case.status == Status.ACCEPTED and case.office == county.centre
    assert case.returned_reason == "该路段属于县交通局管养"
    case = s.dispatch_case(people.dispatcher, case, office_code="jtj")
    assert case.returned_reason == ""


def test_it_transfers_keeping_the_deadline(new_case, people, county):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    due = case.handle_due_at
    case = s.transfer_case(people.dispatcher, case, office_code="jtj", note="转交通局")
    assert case.status == Status.DISPATCHED and case.office == county.transport and case.handle_due_at == due
    assert last_event(case).data == {"from_office": "gc", "office": "jtj"}


def test_it_refuses_transfer_to_the_same_office(new_case, people):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    with pytest.raises(s.CaseError):
        s.transfer_case(people.dispatcher, case, office_code="gc")


def test_it_pauses_and_resumes_the_clock(new_case, people):
    case = to_status(new_case(now=at(2026, 11, 2, 9)), Status.IN_PROGRESS, people, now=at(2026, 11, 2, 10))
    assert case.handle_due_at == at(2026, 11, 23, 23, 59, 59)
    case = s.wait_for_reporter(people.handler, case, question="请提供具体位置", now=at(2026, 11, 3, 10))
    assert case.status == Status.WAITING and case.due_at is None and case.sweep_at is None
    # Paused Tuesday 3rd, resumed Friday 6th: the 4th, 5th and 6th are three working days.
    case = s.resume_case(people.handler, case, now=at(2026, 11, 6, 15))
    assert case.status == Status.IN_PROGRESS
    assert case.handle_due_at == at(2026, 11, 26, 23, 59, 59) == case.due_at


def test_it_resolves_with_a_reply_and_starts_the_follow_up_clock(new_case, people):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    case = s.resolve_case(people.handler, case, reply="路灯已更换")
    assert case.status == Status.RESOLVED and case.reply == "路灯已更换"
    assert case.reply_due_at is not None and case.due_at == case.reply_due_at


def test_it_refuses_to_resolve_without_a_reply(new_case, people):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    with pytest.raises(s.CaseError) as refused:
        s.resolve_case(people.handler, case, reply="")
    assert refused.value.field == "reply"


def test_it_follows_up_with_a_rating_and_closes(new_case, people):
    case = to_status(new_case(), Status.CLOSED, people)
    assert case.satisfaction == 5 and case.closed_at is not None and case.due_at is None


@pytest.mark.parametrize("rating", [0, 6, "5"])
def test_it_refuses_a_rating_outside_one_to_five(new_case, people, rating):
    case = to_status(new_case(), Status.RESOLVED, people)
    with pytest.raises(s.CaseError) as refused:
        s.follow_up_case(people.dispatcher, case, satisfaction=rating)
    assert refused.value.field == "satisfaction"


@pytest.mark.parametrize("start", [Status.RESOLVED, Status.CLOSED])
def test_it_reopens_and_no_longer_counts_as_first_time(new_case, people, start):
    case = to_status(new_case(), start, people)
    case = s.reopen_case(people.dispatcher, case, reason="路灯又坏了")
    assert case.status == Status.IN_PROGRESS and case.reopen_count == 1 and case.satisfaction is None
    assert case.due_at == case.handle_due_at


def test_the_reporter_can_reopen_through_the_tracking_code(new_case, people):
    case = to_status(new_case(), Status.RESOLVED, people)
    case = s.reopen_case(None, case, reason="没有解决", by_reporter=True)
    event = last_event(case)
    assert case.status == Status.IN_PROGRESS and event.actor is None and event.data == {"by_reporter": True}


def test_it_merges_a_duplicate_keeping_both_timelines(new_case, people):
    first, second = new_case(), new_case(reporter_name="李四", reporter_phone="13900005678")
    merged = s.merge_case(people.dispatcher, second, into=first)
    assert merged.status == Status.MERGED and merged.merged_into == first and merged.due_at is None
    assert last_event(first).action == Action.ABSORB
    assert last_event(merged).data == {"into": first.tracking_code}
    # Both reporters are told.
    from anju.notify.models import Notification

    assert set(Notification.objects.filter(event__in=["merge", "absorb"]).values_list("case_id", flat=True)) == {
        first.pk, second.pk}


def test_it_refuses_to_merge_into_itself_or_a_closed_case(new_case, people):
    case = new_case()
    with pytest.raises(s.CaseError):
        s.merge_case(people.dispatcher, case, into=case)
    closed = s.reject_case(people.dispatcher, new_case(), reply="重复")
    with pytest.raises(s.CaseError) as refused:
        s.merge_case(people.dispatcher, case, into=closed)
    assert refused.value.field == "into"


def test_it_approves_an_extension_moving_the_deadline(new_case, people):
    case = to_status(new_case(now=at(2026, 11, 2, 9)), Status.IN_PROGRESS, people, now=at(2026, 11, 2, 10))
    request = s.request_extension(people.handler, case, amount=5, unit="working_days", reason="需协调供电公司")
    with pytest.raises(s.CaseError):
        s.request_extension(people.handler, case, amount=2, unit="working_days", reason="再申请")
    case = s.approve_extension(people.supervisor, case, request_id=request.pk, now=at(2026, 11, 10, 9))
    assert case.handle_due_at == at(2026, 11, 30, 23, 59, 59) == case.due_at
    assert ExtensionRequest.objects.get(pk=request.pk).status == "approved"
    with pytest.raises(s.CaseError):
        s.approve_extension(people.supervisor, case, request_id=request.pk)


def test_it_denies_an_extension_leaving_the_deadline(new_case, people):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    due = case.handle_due_at
    request = s.request_extension(people.handler, case, amount=5, unit="working_days", reason="需协调")
    with pytest.raises(s.CaseError) as refused:
        s.deny_extension(people.supervisor, case, request_id=request.pk, note="")
    assert refused.value.field == "note"
    case = s.deny_extension(people.supervisor, case, request_id=request.pk, note="时限内可以完成")
    assert case.handle_due_at == due and ExtensionRequest.objects.get(pk=request.pk).status == "denied"


@pytest.mark.parametrize("amount,unit", [(0, "working_days"), (61, "working_days"), (3, "fortnights")])
def test_it_refuses_extensions_of_bad_size(new_case, people, amount, unit):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    with pytest.raises(s.CaseError) as refused:
        s.request_extension(people.handler, case, amount=amount, unit=unit, reason="x")
    assert refused.value.field in ("amount", "unit")


def test_it_issues_a_supervision_notice(new_case, people):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    notice = s.supervise_case(people.leader, case, level=2, note="请加快办理")
    assert notice.issued_by == people.leader and notice.office == case.office
    assert Case.objects.get(pk=case.pk).supervision_level == 2
    with pytest.raises(s.CaseError):
        s.supervise_case(people.leader, case, level=4, note="x")


# Which persona may take each action, and one who may not (in scope, wrong role).
ROLE_MATRIX = {
    Action.ACCEPT: ("dispatcher", "handler"),
    Action.REJECT: ("dispatcher", "supervisor"),
    Action.DISPATCH: ("dispatcher", "leader"),
    Action.RETURN: ("handler", "dispatcher"),
    Action.TRANSFER: ("dispatcher", "handler"),
    Action.START: ("handler", "dispatcher"),
    Action.WAIT: ("handler", "supervisor"),
    Action.RESUME: ("handler", "leader"),
    Action.RESOLVE: ("handler", "dispatcher"),
    Action.FOLLOW_UP: ("dispatcher", "handler"),
    Action.REOPEN: ("supervisor", "handler"),
    Action.MERGE: ("dispatcher", "handler"),
    Action.REQUEST_EXTENSION: ("handler", "dispatcher"),
    Action.APPROVE_EXTENSION: ("supervisor", "handler"),
    Action.DENY_EXTENSION: ("supervisor", "dispatcher"),
    Action.SUPERVISE: ("leader", "handler"),
}


def _call(action, actor, case, people, new_case):
    other = new_case()
    calls = {
        Action.ACCEPT: lambda: s.accept_case(actor, case),
        Action.REJECT: lambda: s.reject_case(actor, case, reply="不予受理"),
        Action.DISPATCH: lambda: s.dispatch_case(actor, case),
        Action.RETURN: lambda: s.return_case(actor, case, reason="非本单位职责"),
        Action.TRANSFER: lambda: s.transfer_case(actor, case, office_code="jtj"),
        Action.START: lambda: s.start_case(actor, case),
        Action.WAIT: lambda: s.wait_for_reporter(actor, case, question="?"),
        Action.RESUME: lambda: s.resume_case(actor, case),
        Action.RESOLVE: lambda: s.resolve_case(actor, case, reply="已办"),
        Action.FOLLOW_UP: lambda: s.follow_up_case(actor, case, satisfaction=4),
        Action.REOPEN: lambda: s.reopen_case(actor, case, reason="未解决"),
        Action.MERGE: lambda: s.merge_case(actor, case, into=other),
        Action.REQUEST_EXTENSION: lambda: s.request_extension(actor, case, amount=1, unit="working_days",
                                                              reason="r"),
        Action.APPROVE_EXTENSION: lambda: s.approve_extension(actor, case, request_id=_pending(case, people)),
        Action.DENY_EXTENSION: lambda: s.deny_extension(actor, case, request_id=_pending(case, people), note="n"),
        Action.SUPERVISE: lambda: s.supervise_case(actor, case, level=1, note="督办"),
    }
    return calls[action]()


def _pending(case, people):
    request = ExtensionRequest.objects.filter(case=case, status="pending").first()
    if request is None:
        request = s.request_extension(people.handler, case, amount=1, unit="working_days", reason="r")
    return request.pk


def _case_in_first_source_status(action, people, new_case):
    sources = TRANSITIONS[action][0]
    order = [Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.WAITING,
             Status.RESOLVED, Status.CLOSED]
    status = next(st for st in order if st in sources)
    case = to_status(new_case(), status, people)
    if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION):
        _pending(case, people)
    return case


@pytest.mark.parametrize("action", list(ROLE_MATRIX))
def test_each_action_is_allowed_to_its_role(action, people, new_case):
    allowed, _refused = ROLE_MATRIX[action]
    case = _case_in_first_source_status(action, people, new_case)
    before = CaseEvent.objects.filter(case=case).count()
    _call(action, getattr(people, allowed), case, people, new_case)
    after = Case.objects.get(pk=case.pk)
    target = TRANSITIONS[action][1]
    if target is not None:
        assert after.status == target
    assert CaseEvent.objects.filter(case=case).count() > before


@pytest.mark.parametrize("action", list(ROLE_MATRIX))
def test_each_action_is_refused_to_other_roles(action, people, new_case):
    _allowed, refused = ROLE_MATRIX[action]
    case = _case_in_first_source_status(action, people, new_case)
    events = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(s.CaseError) as error:
        _call(action, getattr(people, refused), case, people, new_case)
    assert error.value.status == 403
    assert Case.objects.get(pk=case.pk).status == case.status
    assert CaseEvent.objects.filter(case=case).count() == events


@pytest.mark.parametrize("action", list(ROLE_MATRIX))
def test_each_action_is_refused_in_a_status_it_does_not_start_from(action, people, new_case):
    sources = TRANSITIONS[action][0]
    status = next(st for st in [Status.CLOSED, Status.SUBMITTED, Status.RESOLVED] if st not in sources)
    case = to_status(new_case(), status, people)
    allowed, _refused = ROLE_MATRIX[action]
    with pytest.raises(s.CaseError) as error:
        _call(action, getattr(people, allowed), case, people, new_case)
    assert error.value.status in (403, 409)
    assert Case.objects.get(pk=case.pk).status == status


def test_an_out_of_scope_handler_may_not_act(new_case, people):
    case = to_status(new_case(), Status.DISPATCHED, people)
    with pytest.raises(s.CaseError) as error:
        s.start_case(people.other_handler, case)
    assert error.value.status == 403


def test_a_failed_transition_writes_nothing(new_case, people, monkeypatch):
    case = to_status(new_case(), Status.IN_PROGRESS, people)
    events = CaseEvent.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(s, "notify_reporter", broken)
    with pytest.raises(RuntimeError):
        s.resolve_case(people.handler, case, reply="已办")
    assert Case.objects.get(pk=case.pk).status == Status.IN_PROGRESS
    assert CaseEvent.objects.count() == events


def test_every_open_case_has_an_owner_and_a_deadline(new_case, people):
    for status in [Status.SUBMITTED, Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED]:
        case = to_status(new_case(), status, people)
        assert case.office_id is not None and case.due_at is not None, status
    assert SupervisionNotice.objects.count() == 0
