"""The hazard page: who may open it, what it shows (site, level, stage, the deadline with time
left, rounds with their documents, the plan, listed supervision), and exactly the actions each
user may take in each stage of a general and a major hazard. Each action posts to one service
and comes back to the page; bad input or a refusal comes back next to its field, nothing written.

The pages use the real clock, so the hazards are built through the services at ``now``
(``hazard_in``); ``hazard_in`` and ``client_for`` are shared with the other page tests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.models import CaseEvent
from anju.cases.services import NewCase
from anju.hazards import services
from anju.hazards.choices import HazardLevel, HazardStage, RoundResult
from anju.hazards.models import Hazard, Listing, RectificationRound
from anju.lib.tracking import display
from anju.lib.workdays import LOCAL
from anju.web.tests.conftest import english_client

PLAN = services.PlanText(goals="消除边坡失稳隐患", methods="分台阶削坡，修建截排水沟", resources="投入资金80万元",
                         responsible="企业主要负责人负总责", timeline="一个月内完成", safety="设置警戒区，雨天停止作业")


def today():
    return timezone.now().astimezone(LOCAL).date()


def client_for(people, hazards, who):
    """A client signed in as a persona of ``people`` or ``hazards`` (by name), asking for English."""
    user = who if not isinstance(who, str) else getattr(hazards, who, None) or getattr(people, who)
    return english_client(user)


def found(people, hazards, level=HazardLevel.GENERAL, *, key=None):
    """A hazard found at an inspection: a general one at 滨河花园3号楼 (the housing bureau's) by the
    grid worker, a major one at 土城石场 (the emergency bureau's) by its handler."""
    if level == HazardLevel.MAJOR:
        site, actor = hazards.quarry, hazards.emergency_handler
        answers = [services.Answer(1, "hazard", "边坡超高超陡，已出现裂缝", level="major"), services.Answer(2, "pass")]
    else:
        site, actor = hazards.tower, people.gridworker
        answers = [services.Answer(1, "hazard", "楼梯间堆放杂物堵塞通道"), services.Answer(2, "pass"),
                   services.Answer(3, "na")]
    inspection, _created = services.submit_inspection(
        actor, services.NewInspection(site=site.pk, answers=answers, signed_as="检查人"),
        idempotency_key=key or f"page-test-{level}-{Hazard.objects.count()}")
    return Hazard.objects.get(inspection=inspection).case


def owner_of(hazards, case):
    return hazards.emergency_handler if case.hazard.level == HazardLevel.MAJOR else hazards.housing_handler


# The steps of the loop, in order; ``hazard_in`` takes a hazard through them up to the one named.
GENERAL_STEPS = ["found", "rectifying", "reinspection", "closed"]
MAJOR_STEPS = ["found", "stopped", "rectifying", "planned", "listed", "reinspection", "closed", "delisted"]


def hazard_in(people, hazards, stage, level=HazardLevel.GENERAL):
    """A hazard case brought to ``stage`` through the services (see the steps above); "failed" is a
    general hazard whose first re-inspection failed (its second round running)."""
    case = found(people, hazards, level)
    handler = owner_of(hazards, case)
    steps = MAJOR_STEPS if level == HazardLevel.MAJOR else GENERAL_STEPS
    if stage == "failed":
        steps, stage = ["found", "rectifying", "reinspection", "failed"], "failed"
    for step in steps[1:steps.index(stage) + 1]:
        if step == "stopped":
            services.record_work_stopped(handler, case, stopped_on=today())
        elif step == "rectifying":
            services.issue_order(handler, case, measures="清理楼梯间杂物，保持通道畅通",
                                 due_on=today() + timedelta(days=7))
        elif step == "planned":
            services.record_plan(handler, case, PLAN)
        elif step == "listed":
            services.list_hazard(people.supervisor, case, owner=hazards.emergency.code, due_on=today() + timedelta(30))
        elif step == "reinspection":
            services.report_rectified(handler, case, note="已整改")
        elif step == "closed":
            services.reinspect(people.supervisor, case, passed=True, evidence="现场复查，已整改到位")
        elif step == "delisted":
            services.delist(people.supervisor, case, acceptance="经专家验收合格")
        elif step == "failed":
            services.reinspect(handler, case, passed=False, evidence="杂物仍未清理", measures="立即清理",
                               new_due_on=today() + timedelta(days=3))
    case.refresh_from_db()
    return case


def detail(case) -> str:
    return reverse("hazards:detail", args=[case.pk])


def act(client, case, slug, **fields):
    return client.post(reverse("hazards:act", args=[case.pk, slug]),
                       {f"{slug}-{name}": value for name, value in fields.items()})


def offered(html: str) -> list[str]:
    """The actions the page offers, in order, by the URLs their forms post to."""
    marker = "/act/"
    return [part.split("/", 1)[0] for part in html.split(marker)[1:]]


def snapshot(case):
    case.refresh_from_db()
    hazard = Hazard.objects.get(case=case)
    return (case.status, case.due_at, CaseEvent.objects.filter(case=case).count(), hazard.stage,
            hazard.work_stopped_on, hazard.plan_received_at, RectificationRound.objects.filter(hazard=hazard).count(),
            Listing.objects.filter(hazard=hazard).count())


@pytest.fixture
def as_persona(people, hazards):
    return lambda who: client_for(people, hazards, who)


# ---------------------------------------------------------------------------- who may open it


def test_it_sends_anonymous_visitors_to_sign_in(people, hazards):
    case = found(people, hazards)
    client = english_client()
    response = client.get(detail(case))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    response = client.post(reverse("hazards:act", args=[case.pk, "order"]), {})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_answers_404_to_users_who_may_not_see_the_hazard(people, hazards, as_persona, new_case):
    case = found(people, hazards)
    for who in ("nobody", "other_handler", "emergency_handler", "township_dispatcher"):
        assert as_persona(who).get(detail(case)).status_code == 404, who
        assert act(as_persona(who), case, "order", measures="x", due_on=today()).status_code == 404, who
    assert Hazard.objects.get(case=case).stage == HazardStage.FOUND
    # A case that is not a hazard has no hazard page, nor an action that is not one of its own.
    other = new_case()
    assert as_persona("dispatcher").get(detail(other)).status_code == 404
    assert as_persona("housing_handler").post(reverse("hazards:act", args=[case.pk, "resolve"])).status_code == 404
    assert as_persona("admin").get("/work/hazards/999999/").status_code == 404


@pytest.mark.parametrize("who", ["housing_handler", "gridworker", "supervisor", "leader", "dispatcher", "admin"])
def test_it_renders_for_everyone_whose_scope_reaches_the_hazard(people, hazards, as_persona, who):
    case = hazard_in(people, hazards, "rectifying")
    response = as_persona(who).get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert display(case.tracking_code) in html and "滨河花园3号楼" in html and "楼梯间堆放杂物堵塞通道" in html
    assert "General hazard (一般隐患)" in html and "Being rectified (整改中)" in html
    assert f'href="{reverse("web:case_detail", args=[case.pk])}"' in html


def test_it_shows_the_deadline_rounds_with_their_documents_and_the_plan(people, hazards, as_persona):
    case = hazard_in(people, hazards, "planned", HazardLevel.MAJOR)
    round_ = case.hazard.rounds.get()
    html = as_persona("emergency_handler").get(detail(case)).content.decode()
    assert case.due_at.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M") in html
    assert 'class="due' in html and "working days left" in html
    assert round_.order_number in html and "清理楼梯间杂物" in html
    for name in ("order_print", "order_docx"):
        assert reverse(f"hazards:{name}", args=[case.pk, 1]) in html
    assert reverse("hazards:reinspection_print", args=[case.pk, 1]) not in html
    assert "Major hazard (重大隐患)" in html and "分台阶削坡，修建截排水沟" in html and "设置警戒区" in html
    assert "Affected work stopped on" in html and today().isoformat() in html
    # The unit's responsible person is kept out of the page.
    assert "陈国强" not in html and "13600002222" not in html


def test_it_links_the_reinspection_record_and_the_listed_supervision(people, hazards, as_persona):
    case = hazard_in(people, hazards, "closed", HazardLevel.MAJOR)
    services.record_progress(people.supervisor, case, note="已完成削坡，正在修建截排水沟")
    html = as_persona("supervisor").get(detail(case)).content.decode()
    assert reverse("hazards:reinspection_print", args=[case.pk, 1]) in html
    assert reverse("hazards:reinspection_docx", args=[case.pk, 1]) in html
    assert "Passed (复查合格)" in html and "现场复查，已整改到位" in html
    assert "Listed (挂牌督办中)" in html and "县应急管理局" in html and "已完成削坡，正在修建截排水沟" in html
    assert "Closed (已销号)" in html


# ---------------------------------------------------------------------------- exactly the actions allowed


GENERAL_MATRIX = {
    # stage → {persona: actions offered}
    "found": {"housing_handler": ["order"], "supervisor": [], "gridworker": [], "dispatcher": [],
              "admin": ["order"]},
    "rectifying": {"housing_handler": ["rectified", "reinspect_pass", "reinspect_fail"],
                   "supervisor": ["reinspect_pass", "reinspect_fail"], "gridworker": [], "dispatcher": [],
                   "admin": ["rectified", "reinspect_pass", "reinspect_fail"]},
    "reinspection": {"housing_handler": ["reinspect_pass", "reinspect_fail"],
                     "supervisor": ["reinspect_pass", "reinspect_fail"], "gridworker": [], "dispatcher": []},
    "failed": {"housing_handler": ["rectified", "reinspect_pass", "reinspect_fail"]},
    "closed": {"housing_handler": [], "supervisor": [], "gridworker": [], "admin": []},
}


@pytest.mark.parametrize("stage", list(GENERAL_MATRIX))
def test_a_general_hazard_offers_exactly_the_actions_allowed_in_each_stage(people, hazards, as_persona, stage):
    case = hazard_in(people, hazards, stage)
    for who, expected in GENERAL_MATRIX[stage].items():
        html = as_persona(who).get(detail(case)).content.decode()
        assert offered(html) == expected, (stage, who)
        assert ("There is nothing you can do with this hazard now." in html) == (not expected), (stage, who)


MAJOR_MATRIX = {
    # The day the work stopped and the plan may be corrected until the hazard is closed.
    "found": {"emergency_handler": ["work_stopped", "plan"], "supervisor": ["list"], "leader": ["list"],
              "housing_handler": None},
    "stopped": {"emergency_handler": ["work_stopped", "plan", "order"], "supervisor": ["list"]},
    "rectifying": {"emergency_handler": ["work_stopped", "plan", "reinspect_pass", "reinspect_fail"],
                   "supervisor": ["reinspect_pass", "reinspect_fail", "list"]},
    "planned": {"emergency_handler": ["work_stopped", "plan", "rectified", "reinspect_pass", "reinspect_fail"],
                "supervisor": ["reinspect_pass", "reinspect_fail", "list"]},
    "listed": {"emergency_handler": ["work_stopped", "plan", "rectified", "reinspect_pass", "reinspect_fail",
                                     "progress"],
               "supervisor": ["reinspect_pass", "reinspect_fail", "progress"], "gridworker": []},
    "reinspection": {"emergency_handler": ["work_stopped", "plan", "reinspect_pass", "reinspect_fail", "progress"],
                     "supervisor": ["reinspect_pass", "reinspect_fail", "progress"]},
    "closed": {"emergency_handler": ["progress"], "supervisor": ["progress", "delist"],
               "admin": ["progress", "delist"]},
    "delisted": {"emergency_handler": [], "supervisor": []},
}


# A major hazard not closed yet may be reported as an incident (the duty module keeps them) by its
# owner and those who supervise it.
for _stage in ("found", "stopped", "rectifying", "planned", "listed", "reinspection"):
    for _who, _expected in MAJOR_MATRIX[_stage].items():
        if _who in ("emergency_handler", "supervisor", "leader") and _expected is not None:
            _expected.append("incident")


@pytest.mark.parametrize("stage", list(MAJOR_MATRIX))
def test_a_major_hazard_offers_exactly_the_actions_allowed_in_each_stage(people, hazards, as_persona, stage):
    case = hazard_in(people, hazards, stage, HazardLevel.MAJOR)
    for who, expected in MAJOR_MATRIX[stage].items():
        response = as_persona(who).get(detail(case))
        if expected is None:
            assert response.status_code == 404, (stage, who)
            continue
        assert offered(response.content.decode()) == expected, (stage, who)


def test_a_hazard_reported_through_the_core_offers_only_the_link_to_a_site(people, hazards, as_persona):
    case, _created = case_services.create_case(people.dispatcher, NewCase(
        kind="hazard", category_code="hazard.building", text="滨河路18号楼外墙瓷砖脱落", lat=31.905, lng=108.605))
    response = as_persona("dispatcher").get(detail(case))
    html = response.content.decode()
    assert response.status_code == 200 and offered(html) == ["link_site"]
    assert "Not linked to a site yet" in html and "滨河路18号楼外墙瓷砖脱落" in html
    # The sites of the case's township come first.
    assert html.index("滨河花园3号楼") < html.index("太和大厦")
    response = act(as_persona("dispatcher"), case, "link_site", site=str(hazards.tower.pk), level="general")
    assert response.status_code == 302 and response.url == detail(case)
    hazard = Hazard.objects.get(case=case)
    assert hazard.site == hazards.tower and hazard.level == HazardLevel.GENERAL
    assert offered(as_persona("dispatcher").get(detail(case)).content.decode()) == []


# ---------------------------------------------------------------------------- each action


def test_it_issues_an_order_and_comes_back_to_the_page(people, hazards, as_persona):
    case = found(people, hazards)
    client = as_persona("housing_handler")
    due = today() + timedelta(days=5)
    response = act(client, case, "order", measures="清理楼梯间杂物", due_on=due.isoformat())
    assert response.status_code == 302 and response.url == detail(case)
    round_ = RectificationRound.objects.get(hazard__case=case)
    assert round_.measures == "清理楼梯间杂物" and round_.due_at.astimezone(LOCAL).date() == due
    html = client.get(detail(case)).content.decode()
    assert "The rectification order was issued." in html and round_.order_number in html


@pytest.mark.parametrize("fields,field,words", [
    ({"measures": "", "due_on": "2026-01-01"}, "measures", "This field is required."),
    ({"measures": "清理", "due_on": "not a day"}, "due_on", "Enter a valid date."),
    ({"measures": "清理", "due_on": "2020-01-01"}, "due_on", "The day to rectify by cannot be in the past."),
])
def test_a_bad_order_comes_back_next_to_its_field_and_nothing_is_written(people, hazards, as_persona, fields,
                                                                           field, words):
    case = found(people, hazards)
    before = snapshot(case)
    response = act(as_persona("housing_handler"), case, "order", **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="id_order-{field}_error"' in html and words in html
    assert '<details class="action" id="act-order" open>' in html
    assert snapshot(case) == before


def test_a_major_hazard_stops_work_records_its_plan_and_is_listed_through_the_page(people, hazards, as_persona):
    case = found(people, hazards, HazardLevel.MAJOR)
    handler = as_persona("emergency_handler")
    assert act(handler, case, "work_stopped", stopped_on=today().isoformat()).status_code == 302
    due = (today() + timedelta(20)).isoformat()
    assert act(handler, case, "order", measures="削坡减载", due_on=due).status_code == 302
    plan = {"goals": PLAN.goals, "methods": PLAN.methods, "resources": PLAN.resources,
            "responsible": PLAN.responsible, "timeline": PLAN.timeline, "safety": ""}
    response = act(handler, case, "plan", **plan)
    assert response.status_code == 400 and 'id="id_plan-safety_error"' in response.content.decode()
    plan["safety"] = PLAN.safety
    assert act(handler, case, "plan", **plan).status_code == 302
    supervisor = as_persona("supervisor")
    response = act(supervisor, case, "list", owner="yjj", due_on=(today() + timedelta(40)).isoformat())
    assert response.status_code == 302
    assert act(supervisor, case, "progress", note="削坡已完成一半").status_code == 302
    response = act(supervisor, case, "progress", note="重复")
    assert response.status_code == 400
    assert 'id="id_progress-week_of_error"' in response.content.decode()
    hazard = Hazard.objects.get(case=case)
    assert hazard.work_stopped_on == today() and hazard.has_plan and hazard.plan_safety == PLAN.safety
    assert hazard.listing.owner == hazards.emergency and hazard.listing.progress.count() == 1


def test_closing_asks_for_confirmation_and_then_closes(people, hazards, as_persona):
    case = hazard_in(people, hazards, "reinspection")
    client = as_persona("housing_handler")
    before = snapshot(case)
    response = act(client, case, "reinspect_pass", evidence="通道已畅通")
    html = response.content.decode()
    assert response.status_code == 400 and 'id="id_reinspect_pass-confirm_error"' in html
    assert "Tick this box to confirm" in html and snapshot(case) == before
    response = act(client, case, "reinspect_pass", evidence="通道已畅通", confirm="on")
    assert response.status_code == 302
    hazard = Hazard.objects.get(case=case)
    assert hazard.stage == HazardStage.CLOSED and hazard.rounds.get().result == RoundResult.PASSED
    case.refresh_from_db()
    assert case.status == "resolved"


def test_a_failed_reinspection_starts_a_new_round_with_its_day_next_to_its_field(people, hazards, as_persona):
    case = hazard_in(people, hazards, "reinspection")
    client = as_persona("supervisor")
    response = act(client, case, "reinspect_fail", evidence="未清理", measures="立即清理", new_due_on="2020-01-01",
                   confirm="on")
    assert response.status_code == 400
    assert 'id="id_reinspect_fail-new_due_on_error"' in response.content.decode()
    response = act(client, case, "reinspect_fail", evidence="未清理", measures="立即清理",
                   new_due_on=(today() + timedelta(3)).isoformat(), confirm="on")
    assert response.status_code == 302
    hazard = Hazard.objects.get(case=case)
    assert hazard.stage == HazardStage.RECTIFYING and hazard.rounds.count() == 2


def test_an_action_not_open_to_the_user_or_not_open_now_is_refused_and_changes_nothing(people, hazards, as_persona):
    case = found(people, hazards)
    before = snapshot(case)
    # The grid worker sees the hazard but may not order its rectification.
    response = act(as_persona("gridworker"), case, "order", measures="清理", due_on=today().isoformat())
    assert response.status_code == 403 and "You may not do this." in response.content.decode()
    # The owner may, but not re-inspect what was never ordered: a stale form.
    response = act(as_persona("housing_handler"), case, "reinspect_pass", evidence="好", confirm="on")
    html = response.content.decode()
    assert response.status_code == 409 and "This is not possible at this point" in html
    assert "This field is required" not in html
    assert snapshot(case) == before


def test_a_hazard_rejected_at_intake_offers_no_rectification(people, hazards, as_persona):
    case = found(people, hazards)
    case_services.reject_case(people.dispatcher, case, reply="不属于安全隐患，已告知物业")
    for who in ("housing_handler", "supervisor", "admin"):
        html = as_persona(who).get(detail(case)).content.decode()
        assert offered(html) == [], who
    response = act(as_persona("housing_handler"), case, "order", measures="清理", due_on=today().isoformat())
    assert response.status_code == 409
    assert not RectificationRound.objects.exists()
