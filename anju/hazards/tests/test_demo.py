"""The demo county's safety hazards: played through the hazard services on the demo county's
registers (no synthetic cases needed), with sites of every kind, hazards of both levels in every
stage, a major hazard under listed supervision with weekly progress, a delisted one, and a running
campaign with sites inspected and sites not. Built once for the module and rolled back after it."""

from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from anju.cases.choices import Status
from anju.cases.models import Case
from anju.conftest import data_for_the_module
from anju.demo import build
from anju.demo import catalogue as cat
from anju.geo.choices import Level
from anju.hazards import demo, queries
from anju.hazards.choices import HAZARD, CampaignStatus, HazardLevel, HazardStage, ListingStatus, RoundResult
from anju.hazards.models import Campaign, Hazard, Inspection, Listing, Site, SiteKind
from anju.people.choices import Role
from anju.people.models import User
from anju.people.services import issue_token


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        build.build_registers()
        yield demo.build_hazards()


@pytest.fixture
def hazards(counts, db):
    return Hazard.objects.select_related("case", "site__kind")


def test_it_registers_sites_of_every_kind_over_the_county(counts, db):
    kinds = {code for code, *_rest in demo.load_data()["kinds"]}
    used = set(Site.objects.values_list("kind__code", flat=True))
    # Every kind but the parent of high-rises and rented houses has sites.
    assert used == kinds - {"building"}
    assert 40 <= counts["sites"] <= 80 and counts["townships"] >= 15
    for site in Site.objects.select_related("region", "department", "kind__category"):
        assert site.region.level == Level.GRID and site.department is not None
        assert site.contact_phone.startswith(cat.FAKE_PHONE_PREFIX) and site.contact_name
        assert site.kind.category.code.startswith("hazard.")
    assert SiteKind.objects.get(code="mine.quarry").parent.code == "mine"


def test_it_routes_each_kind_to_its_department_or_township(hazards):
    owners = {(h.site.kind.code, h.case.office.code) for h in hazards.select_related("case__office")}
    for kind, office in owners:
        if kind == "building.rental":
            assert office.endswith("-office")
        else:
            suffix = {"building.highrise": "zjw", "construction": "zjw", "mine": "yjj", "mine.quarry": "yjj",
                      "chemicals": "yjj", "fireworks": "yjj", "school": "jw", "market": "scjgj", "road": "jtj"}[kind]
            assert office == build.department_code(suffix)


def test_it_holds_hazards_of_both_levels_in_every_stage(hazards):
    pairs = set(hazards.values_list("level", "stage"))
    assert {(HazardLevel.GENERAL, stage) for stage in HazardStage.values} <= pairs
    assert {(HazardLevel.MAJOR, stage) for stage in HazardStage.values} <= pairs
    now = timezone.now()
    rectifying = hazards.filter(stage=HazardStage.RECTIFYING)
    assert rectifying.filter(case__due_at__lt=now).exists() and rectifying.filter(case__due_at__gt=now).exists()
    assert hazards.filter(stage=HazardStage.REINSPECTION, case__due_at__lt=now).exists()
    statuses = Counter(hazards.values_list("case__status", flat=True))
    assert {Status.SUBMITTED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED} <= set(statuses)
    closed = hazards.filter(stage=HazardStage.CLOSED)
    assert not closed.exclude(case__status__in=[Status.RESOLVED, Status.CLOSED]).exists()
    # Rectified on time and late.
    assert {True, False} <= {r.on_time for h in closed for r in h.rounds.all()}
    # Hazards reported by people: one linked to its site and ordered rectified, one waiting to be linked.
    assert hazards.filter(inspection__isnull=True, case__is_synthetic=True, stage=HazardStage.RECTIFYING).exists()
    assert Case.objects.filter(kind=HAZARD, hazard__isnull=True, status=Status.SUBMITTED).count() == 1


def test_it_keeps_every_moment_in_the_past_and_in_order(hazards):
    now = timezone.now()
    for hazard in hazards:
        moments = list(hazard.case.events.order_by("id").values_list("at", flat=True))
        assert moments == sorted(moments) and moments[-1] <= now
    assert not Inspection.objects.filter(inspected_at__gt=now).exists()


def test_it_lists_a_major_hazard_with_a_failed_reinspection_and_weekly_progress(counts, db):
    supervisor = User.objects.get(username="supervisor")
    listing = Listing.objects.select_related("hazard__case").get(status=ListingStatus.LISTED)
    hazard = listing.hazard
    assert listing.listed_by == supervisor and hazard.level == HazardLevel.MAJOR
    assert hazard.work_stopped_on is not None and hazard.has_plan
    assert [r.result for r in hazard.rounds.order_by("number")] == [RoundResult.FAILED, RoundResult.PENDING]
    assert hazard.stage == HazardStage.RECTIFYING and hazard.case.due_at > timezone.now()
    weeks = list(listing.progress.values_list("week_of", flat=True))
    assert len(weeks) >= 8 and all((b - a).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    delisted = Listing.objects.get(status=ListingStatus.DELISTED)
    assert delisted.acceptance and delisted.hazard.stage == HazardStage.CLOSED
    assert counts["listing:listed"] == counts["listing:delisted"] == 1


def test_it_runs_a_campaign_with_sites_inspected_and_sites_not(counts, db):
    running = Campaign.objects.get(status=CampaignStatus.RUNNING)
    today = timezone.localdate()
    assert running.starts_on < today < running.ends_on and running.region.code == cat.COUNTY_CODE
    rows, never = queries.campaign_coverage(running)
    inspected = sum(row.inspected for row in rows)
    assert inspected >= 2 and len(never) >= 2
    assert running.inspections.exists()
    closed = Campaign.objects.get(status=CampaignStatus.CLOSED)
    rows, never = queries.campaign_coverage(closed)
    assert len(never) == 1 and sum(row.inspected for row in rows) >= 4 and closed.ends_on < today


def test_it_inspects_by_grid_workers_and_department_handlers(counts, db):
    roles = Counter()
    for inspection in Inspection.objects.select_related("inspector"):
        roles.update({a.role for a in inspection.inspector.roles.all()})
    assert roles[Role.GRID_WORKER] >= 5 and roles[Role.HANDLER] >= 20
    assert Inspection.objects.filter(inspector__username="gridworker").exists()
    # The high-rise checklist's first version stays with the inspections that used it.
    versions = set(Inspection.objects.filter(site__kind__code="building.highrise")
                   .values_list("template__version", flat=True))
    assert versions == {1, 2}


def test_it_writes_its_summary_and_builds_only_once(counts, db):
    assert counts["hazards"] == Hazard.objects.count() >= 40
    assert counts["level:major"] == 4 and counts["unlinked"] == 1
    assert counts["campaign:closed:never"] == 1
    lines = demo.summary_lines(counts)
    assert "handler-yjj" in lines[-1] and "gridworker" in lines[-1]
    _done, lines = demo.run_demo()
    assert lines == [] and Hazard.objects.count() == counts["hazards"]


def test_it_marks_every_hazard_case_as_demo_data(counts, db):
    assert not Case.objects.filter(kind=HAZARD, is_synthetic=False).exists()


def test_the_demo_supervisor_lists_the_hazards_over_the_api(hazards):
    _record, raw = issue_token(User.objects.get(username="supervisor"))
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    seen, cursor = [], None
    for _page in range(20):
        response = client.get("/api/v1/hazards", {"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.content
        body = response.json()
        seen += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # Every hazard case, the one reported and not linked to a site yet included.
    assert {item["id"] for item in seen} == set(Case.objects.filter(kind=HAZARD).values_list("pk", flat=True))
    assert {(item["hazard"]["level"], item["hazard"]["stage"]) for item in seen} >= {
        (level, stage) for level in HazardLevel.values for stage in HazardStage.values}
    assert sum(item["hazard"]["listed"] for item in seen) == 1
