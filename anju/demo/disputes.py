"""The demo county's disputes (矛盾纠纷排查化解), played through ``anju.disputes.services``.

Three parts, all at past moments (``now=``), all synthetic:

- ``Mediation``: ``build.generate_cases`` hands it the synthetic cases of kind dispute, so that
  each is mediated as a dispute rather than simply resolved: the mediating organisation takes it
  up and records the parties, asks their consent, holds a session, and mediation ends with an
  agreement (then follow-up visits, now and then one that finds it not performed and reopens the
  dispute), no agreement, a withdrawal or a refusal; the "transfer" fate is a pass to another
  organisation (三调联动).
- ``build_showcase``: a dozen disputes in 葛城街道 for the demo ``mediator`` account (葛城街道人民调解委员会),
  one or more in every state a dispute can be in: submitted, accepted, waiting to be taken up, in
  mediation with a consent still pending, sessions in the coming days, an agreement drafted,
  signed with the judicial-confirmation window open, applied for and confirmed, no agreement,
  withdrawn, refused, transferred and waiting for the court, transferred and accepted, reopened
  after a visit, visits due.
- ``build_screening``: a county-wide screening round in progress (some grids have reported, with
  disputes or "nothing found", the rest still owe) and a closed one from last month in which one
  grid never reported.

``build_disputes`` runs the last two and gives every other synthetic dispute case (merged
duplicates, rejected ones) its empty dispute record.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.choices import Channel
from anju.cases.models import Case
from anju.demo import build
from anju.demo import catalogue as cat
from anju.disputes import services
from anju.disputes.choices import (
    DISPUTE,
    Consent,
    JudicialStatus,
    MediationType,
    Outcome,
    PartyRole,
    Performance,
    RiskLevel,
    SessionResult,
    VisitStatus,
)
from anju.disputes.models import Dispute, FollowUpVisit, MediationTransfer, ScreeningReport, ScreeningRound
from anju.geo.choices import Level
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.choices import OfficeKind
from anju.people.models import Office, User

SHOWCASE_TOWNSHIP = "500229001"  # 葛城街道: the demo mediator's committee
COURT = build.department_code("fy")
JUSTICE = build.department_code("sfj")

# How mediation of a synthetic dispute ends (weights), and what follow-up visits find.
OUTCOME_WEIGHTS = {Outcome.AGREEMENT: 72, Outcome.NO_AGREEMENT: 12, Outcome.WITHDRAWN: 8, Outcome.REFUSED: 8}
PERFORMANCE_WEIGHTS = {Performance.PERFORMED: 92, Performance.PARTLY: 3, Performance.NOT_PERFORMED: 5}


def _slots(rng: random.Random) -> dict:
    return {"amount": rng.choice(cat.SLOTS["amount"])}


def agreement_text(rng: random.Random, category_code: str, facts: str, deadline: date) -> services.AgreementText:
    matters, terms = cat.AGREEMENT_TERMS.get(category_code) or cat.AGREEMENT_TERMS["default"]
    return services.AgreementText(
        facts=facts[:5000], matters=matters, responsibilities="双方对纠纷的发生均负有一定责任，应互谅互让。",
        terms=terms.format(**_slots(rng)), performance_manner=rng.choice(["一次性履行", "分期履行", "现场履行"]),
        performance_deadline=deadline,
    )


def _parties(rng: random.Random, applicant: str = "", phone: str = "") -> list[tuple[str, str, str]]:
    """(role, name, phone) of an applicant (the reporter when there is one) and a respondent."""
    return [(PartyRole.APPLICANT, applicant or build.random_person_name(rng), phone or build.fake_phone(rng)),
            (PartyRole.RESPONDENT, build.random_person_name(rng), build.fake_phone(rng))]


def _record(actor, case: Case, rng: random.Random, parties, moment: datetime) -> Dispute:
    """The dispute record of a case registered through the core intake: the parties, the facts,
    the scale and the risk, through the services (``register_dispute`` would make the case real,
    not synthetic)."""
    dispute = services.ensure_dispute(case)
    for role, name, phone in parties:
        services.add_party(actor, case, role=role, name=name, phone=phone, address=case.address[:200], now=moment)
    high = rng.random() < 0.08
    level = RiskLevel.HIGH if high else rng.choice([RiskLevel.LOW] * 4 + [RiskLevel.MEDIUM])
    services.update_dispute(
        actor, case, scale=rng.choice([2, 2, 2, 3, 4, 6]) if not high else rng.randint(8, 40), facts=case.text,
        risk_level=level, risk_reason=rng.choice(cat.RISK_REASONS[level]), now=moment,
    )
    return dispute


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("office", "category").get(pk=case.pk)


# ---------------------------------------------------------------------------- synthetic cases


class Mediation:
    """Mediates the synthetic dispute cases ``build._Generator`` plays. Every moment goes
    through the generator's timeline, which stops the history before the present."""

    def __init__(self, generator):
        self.g = generator
        self.rng = generator.rng
        self.stats: Counter = Counter()

    def take_up(self, plan, case: Case, line, t: datetime) -> Case:
        """The mediating organisation takes the dispute up (签收) and records the parties."""
        handler = self.g.handler(case)
        services.take_up_dispute(handler, case, now=line.at(t))
        _record(handler, case, self.rng, _parties(self.rng, plan.reporter_name, plan.reporter_phone),
                line.at(t + timedelta(minutes=20)))
        return _fresh(case)

    def transfer(self, case: Case, other: Office, line, t: datetime) -> Case:
        """三调联动: passed to ``other`` (administrative mediation at a department, people's
        mediation at a township), which accepts it."""
        to_type = MediationType.ADMINISTRATIVE if other.kind == OfficeKind.DEPARTMENT else MediationType.PEOPLE
        transfer = services.propose_transfer(self.g.handler(case), case, to_type=to_type, to_office_code=other.code,
                                             reason=cat.TRANSFER_REASONS["administrative"], now=line.at(t))
        receiving = self.g.staff.handlers[other.pk]
        services.accept_transfer(receiving, case, transfer_id=transfer.pk,
                                 now=line.at(self.g.after(t, self.rng.uniform(30, 300), False)))
        self.stats["transferred"] += 1
        return _fresh(case)

    def conclude(self, plan, case: Case, line, start: datetime, end: datetime) -> Case:
        """Consent, a session, and the end of mediation at ``end``."""
        rng, handler = self.rng, self.g.handler(case)
        dispute = services.ensure_dispute(case)
        parties = list(dispute.parties.all())
        outcome = rng.choices(list(OUTCOME_WEIGHTS), weights=list(OUTCOME_WEIGHTS.values()))[0]
        asked = start + (end - start) * 0.2
        if outcome == Outcome.REFUSED:
            respondent = next(p for p in parties if p.role == PartyRole.RESPONDENT)
            services.record_consent(handler, case, party_id=respondent.pk, consent=Consent.REFUSED,
                                    note=rng.choice(cat.REFUSED_NOTES), now=line.at(end))
            self.stats[outcome] += 1
            return _fresh(case)
        for party in parties:
            services.record_consent(handler, case, party_id=party.pk, consent=Consent.GIVEN, now=line.at(asked))
        held = start + (end - start) * 0.6
        session = services.schedule_session(handler, case, scheduled_at=held, place=rng.choice(cat.MEDIATION_PLACES),
                                            now=line.at(asked + timedelta(minutes=5)))
        result = {Outcome.AGREEMENT: SessionResult.AGREEMENT_REACHED, Outcome.NO_AGREEMENT: SessionResult.NO_AGREEMENT,
                  Outcome.WITHDRAWN: SessionResult.ADJOURNED}[outcome]
        recorded = line.at(max(held + timedelta(hours=2), line.last + timedelta(minutes=1)))
        services.record_session(handler, case, session_id=session.pk, present=rng.choice(cat.SESSION_PRESENT),
                                summary=rng.choice(cat.SESSION_SUMMARIES[result]), result=result, held_at=held,
                                referral=rng.choice(cat.REFERRALS) if outcome == Outcome.NO_AGREEMENT else "",
                                now=recorded)
        if outcome == Outcome.WITHDRAWN:
            services.end_mediation(handler, case, outcome=Outcome.WITHDRAWN, note=rng.choice(cat.WITHDRAWN_NOTES),
                                   now=line.at(end))
        elif outcome == Outcome.AGREEMENT:
            self._sign(plan, case, handler, line, end)
        self.stats[outcome] += 1
        return _fresh(case)

    def _sign(self, plan, case: Case, handler, line, moment: datetime) -> None:
        moment = line.at(moment)
        day = moment.astimezone(LOCAL).date()
        text = agreement_text(self.rng, plan.category, case.text, day + timedelta(days=self.rng.choice([7, 15, 30])))
        agreement = services.draft_agreement(handler, case, text, now=moment)
        services.sign_agreement(handler, case, agreement_id=agreement.pk, effective_on=day,
                                now=line.at(moment + timedelta(minutes=30)))

    def visits(self, plan, case: Case, line, may_reopen: bool = True) -> None:
        """The follow-up visits that fall before the present; one that finds the agreement not
        (fully) performed reopens the dispute, which is mediated again to a new agreement, whose
        own visits then find it performed."""
        rng = self.rng
        for visit in FollowUpVisit.objects.filter(dispute__case=case, status=VisitStatus.PLANNED).order_by("due_on"):
            moment = datetime.combine(visit.due_on, time(9), tzinfo=LOCAL) + timedelta(hours=rng.uniform(0, 56))
            if visit.agreement_id is None:
                performance = Performance.NOT_APPLICABLE
            elif not may_reopen:
                performance = Performance.PERFORMED
            else:
                performance = rng.choices(list(PERFORMANCE_WEIGHTS), weights=list(PERFORMANCE_WEIGHTS.values()))[0]
            key = "not_performed" if performance == Performance.PARTLY else performance
            services.record_visit(self.g.handler(case), case, visit_id=visit.pk, performance=performance,
                                  note=rng.choice(cat.VISIT_NOTES[key]), now=line.at(moment))
            self.stats["visits"] += 1
            if performance in (Performance.PARTLY, Performance.NOT_PERFORMED):
                self.stats["reopened"] += 1
                case = _fresh(case)
                self._sign(plan, case, self.g.handler(case), line, line.last + timedelta(days=rng.uniform(3, 12)))
                self.visits(plan, _fresh(case), line, may_reopen=False)
                return


# ---------------------------------------------------------------------------- the showcase


class _Showcase:
    """Disputes in 葛城街道 in every state, for the demo mediator; moments count back from ``now``."""

    def __init__(self, now: datetime, rng: random.Random):
        self.now, self.rng = now, rng
        self.today = now.astimezone(LOCAL).date()
        self.dispatcher = User.objects.get(username="dispatcher")
        self.mediator = User.objects.get(username="mediator")
        self.court = User.objects.get(username=f"handler-{COURT.removeprefix(cat.COUNTY_CODE + '-')}")
        self.justice = User.objects.get(username=f"handler-{JUSTICE.removeprefix(cat.COUNTY_CODE + '-')}")
        township = Region.objects.get(code=SHOWCASE_TOWNSHIP)
        self.grids = list(Region.objects.filter(level=Level.GRID, path__startswith=township.path).order_by("code"))
        self.codes = [code for code, *_rest in next(c for c in cat.CATEGORIES if c[0] == "dispute")[3]
                      if not any(code == rule[0] for rule in cat.SECTOR_RULES)]
        self.cases: list[Case] = []

    def at(self, days_ago: float, hour: float = 10) -> datetime:
        """``days_ago`` days before today at ``hour`` o'clock, Asia/Shanghai; never later than an hour ago."""
        day = self.today - timedelta(days=int(days_ago))
        moment = datetime.combine(day, time(0), tzinfo=LOCAL) + timedelta(hours=hour + (days_ago % 1) * 24)
        return min(moment, self.now - timedelta(hours=1))

    def register(self, days_ago: float, category: str = "") -> Case:
        rng = self.rng
        category = category or rng.choice(self.codes)
        grid = rng.choice(self.grids)
        village = grid.parent
        text, address, _template = build._compose(rng, category, village.name, village.parent.name)
        lat, lng = build.random_point_in_grid(rng, grid)
        case, _created = case_services.create_case(
            self.dispatcher,
            case_services.NewCase(kind=DISPUTE, category_code=category, text=text, channel=Channel.HOTLINE,
                                  lat=lat, lng=lng, address=address, reporter_name=build.random_person_name(rng),
                                  reporter_phone=build.fake_phone(rng)),
            now=self.at(days_ago, 9), synthetic=True,
        )
        services.ensure_dispute(case)
        self.cases.append(case)
        return case

    def dispatched(self, days_ago: float, category: str = "") -> Case:
        case = self.register(days_ago, category)
        case_services.accept_case(self.dispatcher, case, now=self.at(days_ago, 10))
        case_services.dispatch_case(self.dispatcher, case, now=self.at(days_ago, 10.5))
        return case

    def mediating(self, days_ago: float, category: str = "", consent=True) -> Case:
        """Taken up by the mediator, parties recorded, every party consenting (or the
        respondent still to be asked)."""
        case = self.dispatched(days_ago, category)
        services.take_up_dispute(self.mediator, case, now=self.at(days_ago, 14))
        dispute = _record(self.mediator, case, self.rng, _parties(self.rng, case.reporter.name, case.reporter.phone),
                          self.at(days_ago, 14.5))
        for party in dispute.parties.all():
            if consent or party.role == PartyRole.APPLICANT:
                services.record_consent(self.mediator, case, party_id=party.pk, consent=Consent.GIVEN,
                                        now=self.at(days_ago, 15))
        return _fresh(case)

    def session(self, case: Case, when: datetime, scheduled_on: datetime, result: str = "", referral: str = "",
                actor=None):
        actor = actor or self.mediator
        session = services.schedule_session(actor, case, scheduled_at=when, place=self.rng.choice(cat.MEDIATION_PLACES),
                                            now=scheduled_on)
        if result:
            services.record_session(actor, case, session_id=session.pk, present=self.rng.choice(cat.SESSION_PRESENT),
                                    summary=self.rng.choice(cat.SESSION_SUMMARIES[result]), result=result,
                                    referral=referral, now=when + timedelta(hours=2))
        return session

    def draft(self, case: Case, moment: datetime, actor=None):
        day = moment.astimezone(LOCAL).date()
        text = agreement_text(self.rng, case.category.code, case.text, max(day, self.today) + timedelta(days=20))
        return services.draft_agreement(actor or self.mediator, case, text, now=moment)

    def signed(self, days_ago: int, taken_days: int = 8, category: str = ""):
        case = self.mediating(days_ago + taken_days, category)
        self.session(case, self.at(days_ago + 2, 9.5), self.at(days_ago + taken_days, 16),
                     SessionResult.AGREEMENT_REACHED)
        agreement = self.draft(case, self.at(days_ago, 10))
        services.sign_agreement(self.mediator, case, agreement_id=agreement.pk,
                                effective_on=self.today - timedelta(days=days_ago), now=self.at(days_ago, 11))
        return case, agreement


def build_showcase(now: datetime, rng: random.Random) -> list[Case]:
    """The demo mediator's disputes, one or more in every state. Returns the cases."""
    s = _Showcase(now, rng)
    # Submitted (待受理) and accepted, at the service centre.
    s.register(0.05, "dispute.neighbour")
    accepted = s.register(1, "dispute.property")
    case_services.accept_case(s.dispatcher, accepted, now=s.at(1, 11))
    # Dispatched to the committee, waiting to be taken up (签收).
    s.dispatched(1, "dispute.land")
    s.dispatched(2, "dispute.debt")
    # In mediation, the respondent's consent not yet asked.
    s.mediating(3, "dispute.neighbour", consent=False)
    # Sessions in the coming days: one held and adjourned, another planned.
    case = s.mediating(6)
    s.session(case, s.at(3, 9.5), s.at(6, 16), SessionResult.ADJOURNED)
    for days_ago, ahead in ((6, 1), (4, 2), (5, 3)):
        case = case if days_ago == 6 else s.mediating(days_ago)
        s.session(case, datetime.combine(s.today + timedelta(days=ahead), time(9, 30), tzinfo=LOCAL),
                  s.at(2 if days_ago == 6 else days_ago - 1, 16))
    # An agreement drafted, to be signed.
    case = s.mediating(9, "dispute.family")
    s.session(case, s.at(4, 9.5), s.at(9, 16), SessionResult.AGREEMENT_REACHED)
    s.draft(case, s.at(2, 10))
    # Signed ten days ago: the window for judicial confirmation is open.
    s.signed(10, category="dispute.contract")
    # Applied for judicial confirmation; and one confirmed by the court.
    case, agreement = s.signed(20, category="dispute.damage")
    services.record_judicial_application(s.mediator, case, agreement_id=agreement.pk,
                                         applied_on=s.today - timedelta(days=12), court="城口县人民法院",
                                         now=s.at(12, 15))
    case, agreement = s.signed(40, category="dispute.debt")
    services.record_judicial_application(s.mediator, case, agreement_id=agreement.pk,
                                         applied_on=s.today - timedelta(days=35), court="城口县人民法院",
                                         now=s.at(35, 15))
    services.record_judicial_decision(s.mediator, case, agreement_id=agreement.pk, confirmed=True,
                                      decided_on=s.today - timedelta(days=25), note="经审查，依法确认调解协议有效。",
                                      now=s.at(25, 16))
    # No agreement (referred to the court), withdrawn, refused.
    case = s.mediating(14, "dispute.land")
    s.session(case, s.at(8, 9.5), s.at(13, 16), SessionResult.NO_AGREEMENT, referral="城口县人民法院")
    case = s.mediating(12, "dispute.neighbour", consent=False)
    services.end_mediation(s.mediator, case, outcome=Outcome.WITHDRAWN, note=rng.choice(cat.WITHDRAWN_NOTES),
                           now=s.at(7, 11))
    case = s.mediating(11, "dispute.other", consent=False)
    respondent = services.ensure_dispute(case).parties.get(role=PartyRole.RESPONDENT)
    services.record_consent(s.mediator, case, party_id=respondent.pk, consent=Consent.REFUSED,
                            note=rng.choice(cat.REFUSED_NOTES), now=s.at(9, 10))
    # Transferred to the court and waiting for it (三调联动); transferred to the justice bureau and accepted.
    case = s.mediating(8, "dispute.contract")
    services.propose_transfer(s.mediator, case, to_type=MediationType.JUDICIAL, to_office_code=COURT,
                              reason=cat.TRANSFER_REASONS["judicial"], now=s.at(2, 15))
    case = s.mediating(15, "dispute.damage")
    transfer = services.propose_transfer(s.mediator, case, to_type=MediationType.ADMINISTRATIVE,
                                         to_office_code=JUSTICE, reason=cat.TRANSFER_REASONS["administrative"],
                                         now=s.at(10, 15))
    services.accept_transfer(s.justice, case, transfer_id=transfer.pk, note="已接收，组织行政调解。", now=s.at(9, 10))
    s.session(case, datetime.combine(s.today + timedelta(days=2), time(14, 30), tzinfo=LOCAL), s.at(8, 10),
              actor=s.justice)
    # Reopened: the follow-up visit found the agreement not performed.
    case, _agreement = s.signed(22, category="dispute.neighbour")
    visit = FollowUpVisit.objects.filter(dispute__case=case, status=VisitStatus.PLANNED).order_by("due_on").first()
    services.record_visit(s.mediator, case, visit_id=visit.pk, performance=Performance.NOT_PERFORMED,
                          note=cat.VISIT_NOTES["not_performed"][0], now=s.at(5, 10))
    # Dispatched to the community's own committee (土城社区) and resolved there, the agreement performed.
    village_office = Office.objects.get(code=build.mediation_office_code("500229001001"))
    village_mediator = _office_handler(village_office)
    case = s.register(30, "dispute.neighbour")
    case_services.accept_case(s.dispatcher, case, now=s.at(30, 10))
    case_services.dispatch_case(s.dispatcher, case, office_code=village_office.code, note="由社区调委会就地调解",
                                now=s.at(30, 10.5))
    services.take_up_dispute(village_mediator, case, now=s.at(30, 14))
    dispute = _record(village_mediator, case, rng, _parties(rng, case.reporter.name, case.reporter.phone),
                      s.at(30, 14.5))
    for party in dispute.parties.all():
        services.record_consent(village_mediator, case, party_id=party.pk, consent=Consent.GIVEN, now=s.at(29, 10))
    s.session(case, s.at(27, 9.5), s.at(29, 11), SessionResult.AGREEMENT_REACHED, actor=village_mediator)
    agreement = s.draft(case, s.at(26, 10), actor=village_mediator)
    services.sign_agreement(village_mediator, case, agreement_id=agreement.pk,
                            effective_on=s.today - timedelta(days=26), now=s.at(26, 11))
    visit = FollowUpVisit.objects.filter(dispute__case=case, status=VisitStatus.PLANNED).order_by("due_on").first()
    services.record_visit(village_mediator, case, visit_id=visit.pk, performance=Performance.PERFORMED,
                          note=cat.VISIT_NOTES["performed"][1], now=s.at(10, 15))
    # Follow-up visits due today and overdue by two days; one done, the agreement performed.
    s.signed(15, category="dispute.property")
    s.signed(17, category="dispute.debt")
    case, _agreement = s.signed(19, category="dispute.land")
    visit = FollowUpVisit.objects.filter(dispute__case=case, status=VisitStatus.PLANNED).order_by("due_on").first()
    services.record_visit(s.mediator, case, visit_id=visit.pk, performance=Performance.PERFORMED,
                          note=cat.VISIT_NOTES["performed"][0], now=s.at(3, 10))
    return s.cases


# ---------------------------------------------------------------------------- screening rounds


def _reporters() -> dict[str, User]:
    """Region path → the grid worker who reports for the grids under it (the township's, or the
    demo grid worker's community)."""
    workers = {}
    for user in User.objects.filter(roles__role="grid_worker").prefetch_related("roles__region").distinct():
        for role in user.roles.all():
            if role.region_id:
                workers[role.region.path] = user
    return workers


def _reporter(workers: dict[str, User], grid: Region) -> User:
    # The deepest scope wins: the demo grid worker reports for 土城社区's grids.
    return max(((path, user) for path, user in workers.items() if grid.path.startswith(path)),
               key=lambda item: len(item[0]))[1]


def _report(workers, report: ScreeningReport, rng: random.Random, moment: datetime, found: int) -> list[int]:
    """Submit ``report``: ``found`` disputes, or nothing found. Returns the ids of the cases registered."""
    grid = report.grid
    items = []
    codes = [code for code, *_rest in next(c for c in cat.CATEGORIES if c[0] == "dispute")[3]]
    for _ in range(found):
        code = rng.choice(codes)
        text, address, _template = build._compose(rng, code, grid.parent.name, grid.parent.parent.name, patrol=True)
        lat, lng = build.random_point_in_grid(rng, grid)
        items.append(services.FoundDispute(code, text, scale=rng.choice([2, 2, 3, 5]), lat=lat, lng=lng,
                                           address=address))
    services.submit_report(_reporter(workers, grid), report, nothing_found=not found,
                           note="" if found else rng.choice(cat.SCREENING_NOTES), found=items, now=moment,
                           synthetic=True)
    return list(Dispute.objects.filter(screening_report=report).values_list("case_id", flat=True))


def _take_up(case: Case, rng: random.Random, reported: datetime) -> None:
    """A dispute found by screening, accepted and dispatched the next working morning and taken up
    that afternoon by the organisation the routing rules chose, which records the parties."""
    dispatcher = User.objects.get(username="dispatcher")
    clock = build.WorkClock()
    accepted = clock.after(reported + timedelta(hours=12), 30)
    case_services.accept_case(dispatcher, case, now=accepted)
    case = case_services.dispatch_case(dispatcher, case, now=accepted + timedelta(minutes=10))
    handler = _office_handler(case.office)
    taken = clock.after(accepted, 240)
    services.take_up_dispute(handler, case, now=taken)
    _record(handler, case, rng, _parties(rng), taken + timedelta(minutes=20))


def _office_handler(office: Office) -> User:
    return User.objects.filter(roles__role="handler", roles__office=office).order_by("username").first()


def build_screening(now: datetime, rng: random.Random) -> tuple[ScreeningRound, ScreeningRound]:
    """A county-wide round opened three days ago and ending in four, a third of the grids reported
    (one in twelve of those with a dispute found, still to be accepted); and last month's round,
    closed, with one grid that never reported and two that reported late, its disputes accepted
    and taken up by the mediating organisations. Returns (open round, closed round)."""
    supervisor = User.objects.get(username="supervisor")
    workers = _reporters()
    today = now.astimezone(LOCAL).date()
    found_cases: list[int] = []

    last_month_end = today.replace(day=1) - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    opened = datetime.combine(last_month_start, time(9), tzinfo=LOCAL)
    closed = services.open_round(supervisor, title=f"{last_month_start.month}月矛盾纠纷集中排查",
                                 region_code=cat.COUNTY_CODE, starts_on=last_month_start, ends_on=last_month_end,
                                 now=opened)
    reports = list(closed.reports.select_related("grid__parent__parent").order_by("area_path"))
    never, late = reports[len(reports) // 2], set(rng.sample(range(len(reports)), 2))
    period = (datetime.combine(last_month_end, time(17), tzinfo=LOCAL) - opened).total_seconds()
    for index, report in enumerate(reports):
        if report.pk == never.pk or index in late:
            continue
        moment = opened + timedelta(seconds=rng.uniform(0.1, 1) * period)
        registered = _report(workers, report, rng, moment, 1 if rng.random() < 0.02 else 0)
        found_cases += registered
        for case in Case.objects.filter(pk__in=registered):
            _take_up(case, rng, moment)
    services.sweep_screening_reports(now=closed.due_at + timedelta(hours=1))
    for index in sorted(late):
        found_cases += _report(workers, reports[index], rng, closed.due_at + timedelta(hours=rng.uniform(10, 40)), 0)
    services.close_round(supervisor, closed, now=closed.due_at + timedelta(days=3))

    starts_on = today - timedelta(days=3)
    current = services.open_round(supervisor, title=f"{today.month}月矛盾纠纷集中排查", region_code=cat.COUNTY_CODE,
                                  starts_on=starts_on, ends_on=today + timedelta(days=4),
                                  theme="节前欠薪、邻里矛盾重点排查", theme_category_code="dispute.wages",
                                  now=datetime.combine(starts_on, time(9), tzinfo=LOCAL))
    reports = list(current.reports.select_related("grid__parent__parent").order_by("area_path"))
    # The demo grid worker's first grid has reported (a dispute found), the others of 土城社区 still owe.
    tucheng = [r for r in reports if r.grid.parent.code == "500229001001"]
    others = [r for r in reports if r.grid.parent.code != "500229001001"]
    chosen = {tucheng[0].pk} | {r.pk for r in rng.sample(others, len(reports) // 3)}
    span = max((now - timedelta(hours=1)) - datetime.combine(starts_on, time(9), tzinfo=LOCAL), timedelta(hours=1))
    for report in reports:
        if report.pk not in chosen:
            continue
        moment = datetime.combine(starts_on, time(9), tzinfo=LOCAL) + span * rng.uniform(0.05, 1)
        found = 1 if report.pk == tucheng[0].pk or rng.random() < 1 / 12 else 0
        found_cases += _report(workers, report, rng, moment, found)
    return current, closed


# ---------------------------------------------------------------------------- the whole


def build_disputes(now: datetime | None = None, seed: int = build.DEFAULT_SEED) -> Counter:
    """The showcase and the screening rounds (one transaction), and an empty dispute record for
    every synthetic dispute case that has none (merged duplicates, cases not accepted). Call
    after ``build.generate_cases``. Returns counts for the summary."""
    now = now or timezone.now()
    rng = random.Random(seed + 2)
    with transaction.atomic():
        showcase = build_showcase(now, rng)
        current, closed = build_screening(now, rng)
        closed.refresh_from_db()
        without = Case.objects.filter(kind=DISPUTE, is_synthetic=True, dispute__isnull=True)
        for case in without.iterator(chunk_size=500):
            services.ensure_dispute(case)
    return summary(showcase=len(showcase), rounds=(current, closed))


def summary(showcase: int = 0, rounds=()) -> Counter:
    """What the demo holds of disputes, for the demo command's summary."""
    disputes = Dispute.objects.filter(case__is_synthetic=True)
    counts = Counter(showcase=showcase)
    counts["disputes"] = disputes.count()
    counts.update({f"outcome:{o or 'open'}": n for o, n in Counter(disputes.values_list("outcome", flat=True)).items()})
    counts.update({f"status:{s}": n for s, n in Counter(disputes.values_list("case__status", flat=True)).items()})
    visits = Counter(FollowUpVisit.objects.filter(dispute__in=disputes).values_list("status", flat=True))
    counts.update({f"visit:{s}": n for s, n in visits.items()})
    counts["visit:due"] = FollowUpVisit.objects.filter(dispute__in=disputes, status=VisitStatus.PLANNED,
                                                       due_on__lte=timezone.localdate()).count()
    transfers = Counter(MediationTransfer.objects.filter(dispute__in=disputes).values_list("status", flat=True))
    counts.update({f"transfer:{s}": n for s, n in transfers.items()})
    counts["judicial:sought"] = disputes.filter(agreements__judicial_status=JudicialStatus.SOUGHT).count()
    counts["judicial:confirmed"] = disputes.filter(agreements__judicial_status=JudicialStatus.CONFIRMED).count()
    for name, screening in zip(("current", "closed"), rounds, strict=False):
        reports = Counter(screening.reports.values_list("status", flat=True))
        counts[f"round:{name}:submitted"] = reports.get("submitted", 0)
        counts[f"round:{name}:owed"] = reports.get("owed", 0)
    counts["found_by_screening"] = disputes.filter(screening_report__isnull=False).count()
    return counts



def run_demo(seed: int = build.DEFAULT_SEED) -> tuple[str, list[str]]:
    """The module's demo (``modules.Module.demo``): build it, and the lines of its summary."""
    counts = build_disputes(seed=seed)
    lines: list[str] = []
    lines.append(
        f"Disputes (synthetic): {counts['disputes']}, of them {counts['showcase']} in 葛城街道 for the demo "
        f"mediator in every state and {counts['found_by_screening']} found by screening rounds"
    )
    outcomes = ", ".join(f"{Outcome(key.split(':', 1)[1]).label if key != 'outcome:open' else 'open'} {n}"
                         for key, n in sorted(counts.items()) if key.startswith("outcome:"))
    lines.append(f"  outcomes: {outcomes}")
    lines.append(
        f"  follow-up visits: {counts['visit:done']} done, {counts['visit:planned']} planned "
        f"({counts['visit:due']} due), {counts['visit:cancelled']} cancelled; transfers: "
        f"{counts['transfer:accepted']} accepted, {counts['transfer:returned']} returned, "
        f"{counts['transfer:pending']} waiting; judicial confirmation: {counts['judicial:sought']} applied for, "
        f"{counts['judicial:confirmed']} confirmed"
    )
    lines.append(
        f"  screening: this month's round {counts['round:current:submitted']} grids reported, "
        f"{counts['round:current:owed']} still owe; last month's (closed) {counts['round:closed:submitted']} "
        f"reported, {counts['round:closed:owed']} never did"
    )
    return "disputes: showcase and screening rounds", lines
