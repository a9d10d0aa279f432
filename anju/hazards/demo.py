"""The demo county's safety hazards (安全隐患排查整治), played through ``anju.hazards.services``.

Run by ``anju demo`` after the core's registers and synthetic cases (``Module.demo``). The register
an administrator keeps is entered as such (``build_register``): the hazard categories under
``hazard`` with their routing rules (行业 to the county departments, 出租自建房 to the township,
属地), the supervising departments and a handler of each when the core demo lacks them, the site
kinds, a deadline policy; the checklists with their legal bases are published through the
services, the one of high-rise buildings in two versions. Everything else goes through the
services, at past moments (``now=``) counted in working days back from now:

- sixty sites of every kind over the county's real townships and villages, each at a point inside
  one of its village's grids, with a synthetic unit and responsible person (``build_sites``);
- inspections by grid workers (the demo ``gridworker`` in 土城社区, the township grid workers
  elsewhere) and by the departments' handlers, and the hazards they found in every stage of the
  ledger loop: found with no order yet, being rectified on time and overdue, waiting for
  re-inspection (one past its re-inspection date), closed on time and late, followed up or not
  (``stories`` in the data file, ``Showcase.story``);
- four major hazards: a quarry's high, steep slope under listed supervision by the demo supervisor,
  work stopped, a six-part plan, a failed re-inspection and a second round, with weekly progress;
  a chemicals store's mixed storage listed, rectified, accepted and delisted; a fireworks shop
  where people live behind the counter, waiting for its re-inspection; a construction pit found
  yesterday, work stopped, no order yet (``Showcase.majors``);
- a hazard a resident reported by phone, linked to its site, dispatched to the township and
  ordered rectified, and one a grid worker reported that still waits to be linked to a site
  (``Showcase.reported``); every demo hazard is marked synthetic (no one is notified of it);
- a campaign running this season over one kind of site in the whole county, some of its sites
  inspected and some not yet, and last season's campaign, closed, with one site never inspected
  (``Showcase.campaigns``; the kinds follow the month, ``demo_data/showcase.json``).

The words, sites and legal bases are in ``demo_data/showcase.json``.
"""

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anju.cases import services as case_services
from anju.cases.choices import Channel, RoutingBasis
from anju.cases.models import Case, Category, DeadlinePolicy, RoutingRule
from anju.demo import build
from anju.demo import catalogue as cat
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.hazards import queries, services
from anju.hazards.choices import HAZARD, CampaignStatus, HazardLevel, HazardStage, ItemResult, ListingStatus
from anju.hazards.models import (
    Campaign,
    ChecklistTemplate,
    Hazard,
    Inspection,
    Listing,
    ListingProgress,
    Site,
    SiteKind,
)
from anju.lib.workdays import LOCAL
from anju.people.choices import OfficeKind, Role
from anju.people.models import Office, RoleAssignment, User

DATA_FILE = Path(__file__).parent / "demo_data" / "showcase.json"
# What becomes of a general hazard after it is found (the fates of the data file's ``stories``:
# site, inspected by "grid" or "department", working days ago, {checklist item: fate}), counted in
# working days back from today (``Showcase.follow``): found and no order yet; ordered and being
# rectified by a day to come; ordered and overdue; reported rectified and waiting for the
# re-inspection (or past its date); passed and closed (then followed up when long enough ago), or
# closed though rectified late; passed yesterday and not followed up yet.
FOUND, RECTIFYING, OVERDUE, WAITING, WAITING_OVERDUE = "found", "rectifying", "overdue", "waiting", "waiting_overdue"
CLOSED, CLOSED_LATE, RESOLVED = "closed", "closed_late", "resolved"
# The fewest working days since the finding each fate needs to have played out by now.
FATE_MIN_DAYS = {FOUND: 0, RECTIFYING: 0, OVERDUE: 3, WAITING: 3, WAITING_OVERDUE: 15, CLOSED: 9, CLOSED_LATE: 11,
                 RESOLVED: 4}


# When the register and the checklists were set up, and the second version of the high-rise
# checklist (electric bicycles) published, in working days ago.
REGISTER_DAYS = 150
SECOND_VERSION_DAYS = 80
# The campaigns: the running one began this many calendar days ago and ends this many days from
# now; last season's ran between these working days ago and was closed two working days after.
RUNNING_FROM, RUNNING_UNTIL = 14, 16
CLOSED_FROM, CLOSED_UNTIL = 75, 50


def load_data() -> dict:
    with open(DATA_FILE, encoding="utf-8") as f:
        return json.load(f)


# ---------------------------------------------------------------------------- the register


def build_register(data: dict, rng: random.Random) -> dict[str, User]:
    """The register an administrator keeps: the hazard categories (under ``hazard``) with their
    routing rules, the supervising departments (and a handler of each, when the core demo has
    none), a deadline policy for hazards and the site kinds. Returns the departments' handlers
    by code suffix."""
    county = Region.objects.get(code=cat.COUNTY_CODE)
    handlers, password = {}, None
    offices = {}
    for suffix, name in data["departments"]:
        office, _created = Office.objects.get_or_create(
            code=build.department_code(suffix), defaults={"name": name, "kind": OfficeKind.DEPARTMENT,
                                                          "jurisdiction": county})
        handler = _office_handler(office)
        if handler is None:
            password = password or make_password(cat.DEMO_PASSWORD)
            handler, _created = User.objects.get_or_create(
                username=f"handler-{suffix}", defaults={"display_name": build.random_person_name(rng),
                                                        "office": office, "password": password})
            RoleAssignment.objects.get_or_create(user=handler, role=Role.HANDLER, region=None, office=office)
        offices[suffix], handlers[suffix] = office, handler
    top_code, top_name = data["category"]
    top, _created = Category.objects.get_or_create(code=top_code, defaults={"name": top_name, "default_kind": HAZARD})
    categories = {}
    for code, name, suffix in data["categories"]:
        category, _created = Category.objects.get_or_create(
            code=code, defaults={"name": name, "parent": top, "default_kind": HAZARD})
        categories[code] = category
        if suffix is None:
            # 属地: no rule of its own, so the township's rule sends its hazards to the township.
            continue
        offices[suffix].categories.add(category)
        RoutingRule.objects.get_or_create(category=category, region=county,
                                          defaults={"office": offices[suffix], "basis": RoutingBasis.SECTOR})
    policy = data["deadline_policy"]
    DeadlinePolicy.objects.get_or_create(
        kind=HAZARD, category=None, priority="",
        defaults={"name": policy["name"], "accept_amount": policy["accept"][0], "accept_unit": policy["accept"][1],
                  "handle_amount": policy["handle"][0], "handle_unit": policy["handle"][1],
                  "reply_amount": policy["reply"][0], "reply_unit": policy["reply"][1]},
    )
    kinds: dict[str, SiteKind] = {}
    for code, name, parent, category, _suffix in data["kinds"]:
        kinds[code] = SiteKind.objects.create(code=code, name=name, parent=kinds.get(parent),
                                              category=categories[category])
    return handlers


def _office_handler(office: Office) -> User | None:
    return User.objects.filter(roles__role=Role.HANDLER, roles__office=office).order_by("username").first()


# ---------------------------------------------------------------------------- moments


class Days:
    """Moments counted in working days back from today (Asia/Shanghai): ``at(0, h)`` is today,
    never later than half an hour ago; ``at(n, h)`` the n-th working day before today. A larger
    ``n`` is always an earlier day, so that stories told by offsets keep their order."""

    def __init__(self, now: datetime, count: int = 220):
        self.now = now
        self.today = now.astimezone(LOCAL).date()
        clock = build.WorkClock()
        self.days, day = [self.today], self.today
        while len(self.days) < count:
            day -= timedelta(days=1)
            if clock.is_workday(day):
                self.days.append(day)

    def day(self, n: int) -> date:
        return self.days[n]

    def at(self, n: int, hour: float) -> datetime:
        moment = datetime.combine(self.days[n], time(0), tzinfo=LOCAL) + timedelta(hours=hour)
        return min(moment, self.now - timedelta(minutes=30))

    def ahead(self, days: int) -> date:
        return self.today + timedelta(days=days)


# ---------------------------------------------------------------------------- the showcase


@dataclass
class Found:
    """A hazard found at an inspection, and the measures its order will ask for."""

    case: Case
    measures: str


class Showcase:
    """Plays the hazards of the demo county through the services, in working days back from now."""

    def __init__(self, data: dict, now: datetime, seed: int):
        self.data, self.rng, self.days = data, random.Random(seed + 7), Days(now)
        self.seed = seed
        self.admin = User.objects.get(username="admin")
        self.supervisor = User.objects.get(username="supervisor")
        self.dispatcher = User.objects.get(username="dispatcher")
        self.keys = 0
        self.templates: dict[str, list[ChecklistTemplate]] = {}
        self.sites: dict[str, Site] = {}
        self.running: Campaign | None = None
        self.closed: Campaign | None = None
        self.handlers: dict[str, User] = {}
        self.grid_workers: dict[str, User] = {}

    # ------------------------------------------------------------------ the register

    def register(self) -> None:
        self.handlers = build_register(self.data, self.rng)
        for role in RoleAssignment.objects.filter(role=Role.GRID_WORKER, region__isnull=False).select_related(
                "user", "region"):
            # The deepest scope wins: the demo grid worker inspects in 土城社区.
            known = self.grid_workers.get(role.region.path)
            if known is None or role.user.username == "gridworker":
                self.grid_workers[role.region.path] = role.user
        self.checklists()
        self.build_sites()

    def checklists(self) -> None:
        """Every kind's checklist, published with the register; the high-rise checklist again
        later with its item on electric bicycles (version 2)."""
        for code, checklist in self.data["checklists"].items():
            versions = sorted({item.get("since_version", 1) for item in checklist["items"]})
            for version in versions:
                moment = self.days.at(REGISTER_DAYS if version == 1 else SECOND_VERSION_DAYS, 9)
                items = [services.NewItem(item["text"], item["basis"], item["evidence"])
                         for item in checklist["items"] if item.get("since_version", 1) <= version]
                template = services.publish_checklist(self.admin, kind=code, title=checklist["title"], items=items,
                                                      now=moment)
                self.templates.setdefault(code, []).append(template)

    def build_sites(self) -> None:
        """The sites register, each site registered by a handler of its supervising department."""
        departments = {code: suffix for code, _name, _parent, _category, suffix in self.data["kinds"]}
        villages = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE).select_related("parent")}
        grids: dict[int, list[Region]] = {}
        for grid in Region.objects.filter(level=Level.GRID).order_by("code"):
            grids.setdefault(grid.parent_id, []).append(grid)
        for number, (kind, village_code, name, spot, unit, risk) in enumerate(self.data["sites"]):
            village = villages[village_code]
            grid = self.rng.choice(grids[village.pk])
            lat, lng = build.random_point_in_grid(self.rng, grid)
            suffix = departments[kind]
            site = services.create_site(self.handlers[suffix], services.NewSite(
                kind=kind, name=name, address=f"{village.parent.name}{village.name}{spot}", lat=lat, lng=lng,
                unit=unit, contact_name=build.random_person_name(self.rng), contact_phone=build.fake_phone(self.rng),
                department=build.department_code(suffix), risk_notes=risk,
            ), now=self.days.at(REGISTER_DAYS - 1 - number % 20, 14))
            self.sites[name] = site

    # ------------------------------------------------------------------ inspections

    def inspector(self, site: Site, who: str) -> User:
        if who == "department":
            return self.handlers[self._suffix(site)]
        return max(((path, user) for path, user in self.grid_workers.items() if site.area_path.startswith(path)),
                   key=lambda item: len(item[0]))[1]

    def _suffix(self, site: Site) -> str:
        return site.department.code.removeprefix(f"{cat.COUNTY_CODE}-")

    def template_at(self, site: Site, moment: datetime) -> ChecklistTemplate:
        """The version of the site's checklist in use at ``moment``."""
        versions = self.templates[site.kind.code]
        return [t for t in versions if t.published_at <= moment][-1]

    def campaign_for(self, site: Site, moment: datetime) -> Campaign | None:
        for campaign in (self.running, self.closed):
            if campaign is not None and campaign.starts_on <= moment.astimezone(LOCAL).date() <= campaign.ends_on \
                    and site.kind.path.startswith(campaign.kind.path) \
                    and site.area_path.startswith(campaign.region.path):
                return campaign
        return None

    def inspect(self, site: Site, who: str, moment: datetime,
                findings: dict[int, tuple[str, str]] | None = None) -> dict[int, Case]:
        """Inspect ``site`` item by item: ``findings`` maps an item to (level, what was found), every
        other item passes (or does not apply). Returns the hazard cases opened, by item."""
        findings = findings or {}
        actor = self.inspector(site, who)
        template = self.template_at(site, moment)
        answers = []
        for item in template.items.order_by("number"):
            if item.number in findings:
                level, note = findings[item.number]
                answers.append(services.Answer(item.number, ItemResult.HAZARD, note, level=level))
            elif "校车" in item.text and "校车" not in site.risk_notes or self.rng.random() < 0.04:
                answers.append(services.Answer(item.number, ItemResult.NOT_APPLICABLE))
            else:
                answers.append(services.Answer(item.number, ItemResult.PASS))
        campaign = self.campaign_for(site, moment)
        self.keys += 1
        inspection, _created = services.submit_inspection(actor, services.NewInspection(
            site=site.pk, answers=answers, signed_as=actor.display_name or actor.username, template=template.pk,
            campaign=campaign.pk if campaign else None, note=self.data["campaign_note"] if campaign else "",
        ), idempotency_key=f"demo-hazards-{self.seed}-{self.keys}", now=moment, synthetic=True)
        return {answer.item.number: answer.hazard.case
                for answer in inspection.answers.filter(hazard__isnull=False).select_related("item", "hazard__case")}

    def finding(self, site: Site, number: int) -> tuple[str, str]:
        """A (what was found, measures) of item ``number`` of the site's checklist."""
        item = self.data["checklists"][site.kind.code]["items"][number - 1]
        note, measures = self.rng.choice(item["findings"])
        return note, measures

    # ------------------------------------------------------------------ the loop

    def owner(self, case: Case) -> User:
        case = Case.objects.select_related("office").get(pk=case.pk)
        return _office_handler(case.office)

    def order(self, case: Case, measures: str, due_on: date, moment: datetime):
        return services.issue_order(self.owner(case), case, measures=measures, due_on=due_on, now=moment)

    def rectified(self, case: Case, moment: datetime, note: str = "单位报告整改完成，附整改照片") -> None:
        services.report_rectified(self.owner(case), case, note=note, now=moment)

    def passed(self, case: Case, moment: datetime, actor: User | None = None, evidence: str = "") -> None:
        services.reinspect(actor or self.owner(case), case, passed=True,
                           evidence=evidence or self.rng.choice(self.data["passed_evidence"]), now=moment)

    def followed_up(self, case: Case, moment: datetime) -> None:
        case_services.follow_up_case(self.dispatcher, case, satisfaction=self.rng.choice([4, 5, 5]),
                                     note=self.rng.choice(self.data["follow_up_notes"]), now=moment)

    def follow(self, found: Found, fate: str, n: int) -> None:
        """Play a general hazard found ``n`` working days ago to ``fate`` (see ``FATE_MIN_DAYS``)."""
        d, rng, case = self.days, self.rng, found.case
        if n < FATE_MIN_DAYS[fate]:
            raise ValueError(f"a hazard found {n} working days ago cannot be {fate} by now")
        if fate == FOUND:
            return
        # The owner orders the rectification the next working day (or that afternoon).
        o = n - 1 if n >= 2 else n
        ordered = d.at(o, 10.5 if o < n else 15)
        if fate == RECTIFYING:
            self.order(case, found.measures, d.ahead(rng.randint(5, 20)), ordered)
        elif fate == OVERDUE:
            self.order(case, found.measures, d.day(max(n - 6, 1)), ordered)
        elif fate == WAITING:
            self.order(case, found.measures, d.ahead(rng.randint(2, 10)), ordered)
            self.rectified(case, d.at(1, 16))
        elif fate == WAITING_OVERDUE:
            self.order(case, found.measures, d.day(n - 8), ordered)
            self.rectified(case, d.at(n - 7, 16))
        elif fate == RESOLVED:
            self.order(case, found.measures, d.ahead(rng.randint(3, 10)), ordered)
            self.rectified(case, d.at(2, 16))
            self.passed(case, d.at(1, 10))
        elif fate in (CLOSED, CLOSED_LATE):
            late = fate == CLOSED_LATE
            self.order(case, found.measures, d.day(n - (5 if late else 7)), ordered)
            self.rectified(case, d.at(n - (8 if late else 6), 16))
            self.passed(case, d.at(n - (10 if late else 8), 10))
            if n - (12 if late else 10) >= 1:
                self.followed_up(case, d.at(n - (12 if late else 10), 11))
        else:
            raise ValueError(f"unknown fate {fate!r}")

    def story(self, name: str, who: str, n: int, fates: dict[int, str]) -> list[Case]:
        site = self.sites[name]
        found = {number: self.finding(site, number) for number in fates}
        cases = self.inspect(site, who, self.days.at(n, self.rng.uniform(9, 11.5)),
                             {number: (HazardLevel.GENERAL, note) for number, (note, _m) in found.items()})
        for number, fate in fates.items():
            self.follow(Found(cases[number], found[number][1]), fate, n)
        return list(cases.values())

    # ------------------------------------------------------------------ major hazards

    def weeks(self, first: int, last: int) -> list[tuple[date, int]]:
        """The weeks from working day ``first`` to working day ``last`` (``last`` < ``first``, both
        in working days ago): (its Monday, its last working day in that range), oldest first."""
        d, seen = self.days, {}
        for n in range(first, last - 1, -1):
            day = d.day(n)
            monday = day - timedelta(days=day.weekday())
            # Working days go back in time as n grows: the smallest n of a week is its last day.
            seen[monday] = n
        return sorted(seen.items())

    def majors(self) -> dict[str, Case]:
        """The four major hazards (see the module's docstring). Returns them by story."""
        d, data, yjj = self.days, self.data["majors"], self.handlers["yjj"]
        majors = {}

        # Listed (挂牌督办) with weekly progress; the first re-inspection fails, a second round runs.
        story = data["listed"]
        site = self.sites[story["site"]]
        note, measures = self.finding(site, 3)
        cases = self.inspect(site, "department", d.at(50, 10), {
            story["item"]: (HazardLevel.MAJOR, story["note"]), 3: (HazardLevel.GENERAL, note)})
        case = majors["listed"] = cases[story["item"]]
        self.follow(Found(cases[3], measures), CLOSED, 50)
        steps = [
            (d.at(50, 15), lambda: services.record_work_stopped(yjj, case, stopped_on=d.day(50), now=d.at(50, 15))),
            (d.at(48, 10), lambda: services.list_hazard(self.supervisor, case, owner=build.department_code("yjj"),
                                                        due_on=d.ahead(40), now=d.at(48, 10))),
            (d.at(47, 10), lambda: services.issue_order(yjj, case, measures=story["measures"], due_on=d.day(27),
                                                        now=d.at(47, 10))),
            (d.at(45, 16), lambda: services.record_plan(yjj, case, services.PlanText(**story["plan"]),
                                                        now=d.at(45, 16))),
            (d.at(28, 16), lambda: services.report_rectified(yjj, case, note="企业报告削坡和截排水沟已完成",
                                                             now=d.at(28, 16))),
            (d.at(25, 10), lambda: services.reinspect(self.supervisor, case, passed=False,
                                                      evidence=story["failed_evidence"], new_due_on=d.ahead(12),
                                                      measures=story["second_measures"], now=d.at(25, 10))),
        ]
        steps += self.progress_steps(yjj, case, story["progress"], 48, 1)
        for _moment, step in sorted(steps, key=lambda s: s[0]):
            step()
        # This morning part of the slope gave way: an incident for the duty office, where a
        # module keeps incidents (linked both ways, its first report owed).
        if queries.may_open_incident(yjj, case, case.hazard):
            moment = timezone.now()
            services.open_incident(yjj, case, grade="general", text=story["incident"],
                                   occurred_at=moment - timedelta(minutes=50), now=moment - timedelta(minutes=40),
                                   synthetic=True)

        # Listed, rectified, passed, accepted and delisted (摘牌), then followed up.
        story = data["delisted"]
        case = majors["delisted"] = self.inspect(self.sites[story["site"]], "department", d.at(70, 10), {
            story["item"]: (HazardLevel.MAJOR, story["note"])})[story["item"]]
        steps = [
            (d.at(70, 14), lambda: services.record_work_stopped(yjj, case, stopped_on=d.day(70), now=d.at(70, 14))),
            (d.at(69, 10), lambda: services.list_hazard(self.supervisor, case, owner=build.department_code("yjj"),
                                                        due_on=d.day(40), now=d.at(69, 10))),
            (d.at(69, 11), lambda: services.issue_order(yjj, case, measures=story["measures"], due_on=d.day(55),
                                                        now=d.at(69, 11))),
            (d.at(68, 16), lambda: services.record_plan(yjj, case, services.PlanText(**story["plan"]),
                                                        now=d.at(68, 16))),
            (d.at(56, 16), lambda: services.report_rectified(yjj, case, now=d.at(56, 16))),
            (d.at(54, 10), lambda: self.passed(case, d.at(54, 10), actor=yjj, evidence=story["passed_evidence"])),
            (d.at(52, 10), lambda: services.delist(self.supervisor, case, acceptance=story["acceptance"],
                                                   now=d.at(52, 10))),
            (d.at(50, 11), lambda: self.followed_up(case, d.at(50, 11))),
        ]
        steps += self.progress_steps(yjj, case, story["progress"], 69, 53)
        for _moment, step in sorted(steps, key=lambda s: s[0]):
            step()

        # Work stopped, plan, order, reported rectified: waiting for the re-inspection.
        story = data["reinspection"]
        case = majors["reinspection"] = self.inspect(self.sites[story["site"]], "department", d.at(9, 10), {
            story["item"]: (HazardLevel.MAJOR, story["note"])})[story["item"]]
        services.record_work_stopped(yjj, case, stopped_on=d.day(9), now=d.at(9, 11))
        services.record_plan(yjj, case, services.PlanText(**story["plan"]), now=d.at(8, 10))
        services.issue_order(yjj, case, measures=story["measures"], due_on=d.day(3), now=d.at(8, 11))
        services.report_rectified(yjj, case, note="经营者已搬离，卧室隔断已拆除", now=d.at(3, 16))

        # Found yesterday at a construction site, work stopped, no order yet.
        story = data["found"]
        site = self.sites[story["site"]]
        note, _measures = self.finding(site, 4)
        cases = self.inspect(site, "department", d.at(1, 10), {
            story["item"]: (HazardLevel.MAJOR, story["note"]), 4: (HazardLevel.GENERAL, note)})
        case = majors["found"] = cases[story["item"]]
        services.record_work_stopped(self.handlers["zjw"], case, stopped_on=d.day(1), now=d.at(1, 15))
        return majors

    def progress_steps(self, actor: User, case: Case, notes: list[str], first: int, last: int) -> list:
        """A weekly progress entry of a listed hazard for every week from working day ``first`` to
        working day ``last``, on the week's last working day (before today)."""
        steps = []
        for index, (monday, n) in enumerate(self.weeks(first, last)):
            moment = self.days.at(n, 16.5)
            note = notes[min(index, len(notes) - 1)]

            def step(monday=monday, moment=moment, note=note):
                services.record_progress(actor, case, note=note, week_of=monday, now=moment)

            steps.append((moment, step))
        return steps

    # ------------------------------------------------------------------ reported by people

    def reported(self) -> list[Case]:
        """A resident's call about a rental house, linked to the site by the dispatcher, dispatched
        to the township and ordered rectified; a grid worker's report still to be linked."""
        d, rng = self.days, self.rng
        call, patrol = self.data["resident_reports"]
        site = self.sites[call["site"]]
        case, _created = case_services.create_case(self.dispatcher, case_services.NewCase(
            kind=HAZARD, category_code=site.kind.category.code, text=call["text"], channel=Channel.HOTLINE,
            lat=site.lat, lng=site.lng, address=site.address[:200], reporter_name=build.random_person_name(rng),
            reporter_phone=build.fake_phone(rng)), now=d.at(3, 9), synthetic=True)
        services.link_site(self.dispatcher, case, site_id=site.pk, level=call["level"], now=d.at(3, 9.3))
        case_services.accept_case(self.dispatcher, case, now=d.at(3, 9.4))
        case_services.dispatch_case(self.dispatcher, case, now=d.at(3, 9.5))
        self.order(case, call["measures"], d.ahead(7), d.at(2, 10))

        village = Region.objects.get(code=patrol["village"])
        grid = Region.objects.filter(parent=village, level=Level.GRID).order_by("code").first()
        lat, lng = build.random_point_in_grid(rng, grid)
        worker = self.grid_workers[village.path]
        unlinked, _created = case_services.create_case(worker, case_services.NewCase(
            kind=HAZARD, category_code="hazard.rental", text=patrol["text"], channel=Channel.GRID_WORKER, lat=lat,
            lng=lng, address=f"{village.parent.name}{village.name}老街"), now=d.at(0, 8.5), synthetic=True)
        return [case, unlinked]

    # ------------------------------------------------------------------ campaigns

    def open_campaigns(self) -> None:
        """This season's campaign and last season's, over the whole county; the kinds and titles by
        the month (``campaigns`` in the data file)."""
        d = self.days
        season = next(s for s in self.data["campaigns"] if d.today.month in s["months"])
        kind, title = season["closed"]
        starts_on, ends_on = d.day(CLOSED_FROM), d.day(CLOSED_UNTIL)
        self.closed = services.open_campaign(self.supervisor, title=f"{starts_on.year}年{title}", kind=kind,
                                             region=cat.COUNTY_CODE, starts_on=starts_on, ends_on=ends_on,
                                             now=d.at(CLOSED_FROM + 1, 9))
        kind, title = season["running"]
        starts_on = d.today - timedelta(days=RUNNING_FROM)
        opened = datetime.combine(starts_on, time(9), tzinfo=LOCAL)
        self.running = services.open_campaign(self.supervisor, title=f"{starts_on.year}年{title}", kind=kind,
                                              region=cat.COUNTY_CODE, starts_on=starts_on,
                                              ends_on=d.ahead(RUNNING_UNTIL), now=opened)

    def campaigns(self) -> None:
        """The campaigns' own inspections (nothing found): last season's covers every site of its
        kind but one, which it never inspected; this season's about half of those the stories left
        uninspected in its period, leaving at least two. Then last season's is closed."""
        d, rng = self.days, self.rng
        _rows, never = queries.campaign_coverage(self.closed)
        skipped = rng.choice(never) if never else None
        for site in never:
            if site.pk != skipped.pk:
                self.inspect(site, rng.choice(["department", "grid"]),
                             d.at(rng.randint(CLOSED_UNTIL + 1, CLOSED_FROM - 1), rng.uniform(9, 16)))
        _rows, never = queries.campaign_coverage(self.running)
        # The working days of its period so far, yesterday the last.
        first = max(n for n, day in enumerate(d.days) if day >= self.running.starts_on)
        for site in rng.sample(never, max(0, min(len(never) // 2, len(never) - 2))):
            self.inspect(site, rng.choice(["department", "grid"]), d.at(rng.randint(1, first), rng.uniform(9, 16)))
        services.close_campaign(self.supervisor, self.closed, now=d.at(CLOSED_UNTIL - 2, 10))

    def routine(self) -> None:
        """A routine inspection with nothing found of most sites never inspected yet, except those
        of the campaigns' kinds (whose coverage the campaigns decide)."""
        d, rng = self.days, self.rng
        campaign_paths = (self.running.kind.path, self.closed.kind.path)
        inspected = set(Inspection.objects.values_list("site_id", flat=True))
        for site in self.sites.values():
            if site.pk in inspected or site.kind.path.startswith(campaign_paths) or rng.random() < 0.25:
                continue
            self.inspect(site, rng.choice(["department", "grid"]), d.at(rng.randint(15, 110), rng.uniform(9, 16)))


# ---------------------------------------------------------------------------- the whole


def build_hazards(now: datetime | None = None, seed: int = build.DEFAULT_SEED) -> Counter:
    """The register, the sites, the inspections and their hazards, the majors, the reported ones
    and the campaigns, in one transaction. Call after ``build.build_registers``. Returns counts."""
    now = now or timezone.now()
    show = Showcase(load_data(), now, seed)
    with transaction.atomic():
        show.register()
        show.open_campaigns()
        for name, who, n, fates in show.data["stories"]:
            show.story(name, who, n, {int(item): fate for item, fate in fates.items()})
        show.majors()
        show.reported()
        show.campaigns()
        show.routine()
    return summary(now)


def summary(now: datetime | None = None) -> Counter:
    """What the demo holds of hazards, for the demo command's summary and the tests."""
    now = now or timezone.now()
    counts = Counter()
    sites = Site.objects.all()
    counts["sites"] = sites.count()
    counts["kinds"] = sites.values("kind").distinct().count()
    counts["townships"] = len({path.split("/")[1] for path in sites.values_list("area_path", flat=True)})
    inspections = Inspection.objects.all()
    counts["inspections"] = inspections.count()
    counts["inspections:grid"] = inspections.filter(inspector__roles__role=Role.GRID_WORKER).distinct().count()
    hazards = Hazard.objects.all()
    counts["hazards"] = hazards.count()
    counts.update({f"level:{level}": n for level, n in Counter(hazards.values_list("level", flat=True)).items()})
    counts.update({f"stage:{stage}": n for stage, n in Counter(hazards.values_list("stage", flat=True)).items()})
    counts["overdue"] = hazards.exclude(stage=HazardStage.CLOSED).filter(case__due_at__lt=now).count()
    counts["unlinked"] = Case.objects.filter(kind=HAZARD, hazard__isnull=True).count()
    counts.update({f"listing:{s}": n for s, n in Counter(Listing.objects.values_list("status", flat=True)).items()})
    counts["progress"] = ListingProgress.objects.count()
    for campaign in Campaign.objects.all():
        rows, never = queries.campaign_coverage(campaign)
        name = "running" if campaign.status == CampaignStatus.RUNNING else "closed"
        counts[f"campaign:{name}:owed"] += sum(r.owed for r in rows)
        counts[f"campaign:{name}:inspected"] += sum(r.inspected for r in rows)
        counts[f"campaign:{name}:never"] += len(never)
    return counts


def run_demo(seed: int = build.DEFAULT_SEED) -> tuple[str, list[str]]:
    """The module's demo (``modules.Module.demo``): build it, and the lines of its summary."""
    if SiteKind.objects.exists():
        return _("Hazards: the sites register is already there, nothing added."), []
    counts = build_hazards(seed=seed)
    return _("hazards: sites, inspections, hazards in every stage, listed supervision, campaigns"), \
        summary_lines(counts)


def summary_lines(counts: Counter) -> list[str]:
    """The lines of the demo command's summary, from ``summary``'s counts."""
    departments = [Office.objects.get(code=build.department_code(suffix))
                   for suffix, _name in load_data()["departments"]]
    township_handler = User.objects.select_related("office").get(username="handler")
    gridworker = User.objects.get(username="gridworker")
    running = Campaign.objects.filter(status=CampaignStatus.RUNNING).first()
    closed = Campaign.objects.filter(status=CampaignStatus.CLOSED).first()
    return [
        _("Safety hazards (synthetic): %(sites)d sites of %(kinds)d kinds in %(townships)d townships, "
          "%(inspections)d inspections (%(grid)d by grid workers), %(hazards)d hazards (%(major)d major)") % {
            "sites": counts["sites"], "kinds": counts["kinds"], "townships": counts["townships"],
            "inspections": counts["inspections"], "grid": counts["inspections:grid"], "hazards": counts["hazards"],
            "major": counts[f"level:{HazardLevel.MAJOR}"]},
        "  " + _("stages: found %(found)d, being rectified %(rectifying)d, waiting for re-inspection "
                 "%(reinspection)d, closed %(closed)d; past their deadline now %(overdue)d; reported and not "
                 "linked to a site yet %(unlinked)d") % {
            "found": counts[f"stage:{HazardStage.FOUND}"], "rectifying": counts[f"stage:{HazardStage.RECTIFYING}"],
            "reinspection": counts[f"stage:{HazardStage.REINSPECTION}"],
            "closed": counts[f"stage:{HazardStage.CLOSED}"], "overdue": counts["overdue"],
            "unlinked": counts["unlinked"]},
        "  " + _("listed supervision: %(listed)d listed, %(delisted)d delisted, %(progress)d weekly progress "
                 "entries") % {
            "listed": counts[f"listing:{ListingStatus.LISTED}"],
            "delisted": counts[f"listing:{ListingStatus.DELISTED}"], "progress": counts["progress"]},
        "  " + _("campaigns: “%(running)s” running, %(inspected)d of %(owed)d sites inspected so far; “%(closed)s” "
                 "closed, %(never)d site(s) never inspected") % {
            "running": running.title if running else "-", "inspected": counts["campaign:running:inspected"],
            "owed": counts["campaign:running:owed"], "closed": closed.title if closed else "-",
            "never": counts["campaign:closed:never"]},
        "  " + _("Hazard logins (password %(password)s): the departments' handlers %(handlers)s; for rented "
                 "self-built houses the township offices' handlers (%(handler)s for %(office)s, "
                 "handler-<township code> elsewhere); %(gridworker)s inspects in %(village)s; %(supervisor)s lists "
                 "major hazards for supervision") % {
            "password": cat.DEMO_PASSWORD,
            "handlers": ", ".join(f"{_office_handler(office).username} {office.name}" for office in departments),
            "handler": township_handler.username, "office": township_handler.office.name,
            "gridworker": gridworker.username, "village": gridworker.roles.first().region.name,
            "supervisor": "supervisor"},
    ]
