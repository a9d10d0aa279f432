"""Dispute statistics: a set of disputes is played through the services at fixed moments, the
test keeps its own record of what it played, and the figures expected from that record are
compared with ``dispute_stats`` and with the page (and its Excel export)."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO
from statistics import median
from types import SimpleNamespace

import pytest
from openpyxl import load_workbook

from anju.cases import services as case_services
from anju.cases.services import NewCase
from anju.conftest import at, build_county, build_people, data_for_the_module, square
from anju.disputes import services
from anju.disputes.choices import Consent, MediationType, Outcome, Performance, SessionResult, TransferStatus
from anju.disputes.stats import FIGURE_KEYS, dispute_stats, period_bounds
from anju.disputes.testing import build_mediation
from anju.disputes.views import stats as stats_view
from anju.geo.models import Region
from anju.lib.workdays import LOCAL

START, END = date(2026, 1, 1), date(2026, 3, 31)
# The page is read at this moment: "this year" is then START to END.
PAGE_NOW = at(2026, 3, 31, 18)
URL = "/work/disputes/stats/"
GECHENG, FUXING, OTHER_TOWNSHIP = "500229001", "500229002", "500230001"
GRID1, GRID2, GRID3 = (31.905, 108.605), (31.905, 108.615), (31.955, 108.705)


@dataclass
class Played:
    """What the test did with one dispute, written down as it did it."""

    type: str
    township: str
    registered: datetime
    in_scope: bool = True
    by_screening: bool = False
    accepted: datetime | None = None
    concluded: datetime | None = None
    outcome: str = ""
    level: str = ""
    # The mediation type the dispute is in now: people's mediation until a transfer is accepted.
    mediation: str = MediationType.PEOPLE
    visits: list = field(default_factory=list)  # (done at, performance)
    transfers: list = field(default_factory=list)  # [from type, to type, status, proposed at]


class Player:
    """Plays disputes through the services and keeps the record."""

    def __init__(self, people, mediation):
        self.people, self.m = people, mediation
        self.record: list[Played] = []

    def register(self, category, point, now, *, township, actor=None, region_code="", in_scope=True):
        lat, lng = point if point else (None, None)
        case, _created = services.register_dispute(
            actor or self.people.dispatcher,
            NewCase(kind="dispute", category_code=category, text="两户因宅基地边界发生争执", lat=lat, lng=lng,
                    region_code=region_code, reporter_name="张大山", reporter_phone="13800001111"),
            services.DisputeFacts(parties=[services.NewParty("applicant", "张大山"),
                                           services.NewParty("respondent", "李小河")]),
            now=now,
        )
        played = Played(category, township, now, in_scope=in_scope)
        self.record.append(played)
        return case, played

    def accept_and_dispatch(self, case, played, now, office_code=None, actor=None):
        actor = actor or self.people.dispatcher
        case_services.accept_case(actor, case, now=now)
        played.accepted = now
        case_services.dispatch_case(actor, case, office_code=office_code, now=now + timedelta(minutes=10))

    def take_up(self, mediator, case, now, consent=True):
        services.take_up_dispute(mediator, case, now=now)
        if consent:
            self.consent_all(mediator, case, now)

    def consent_all(self, mediator, case, now):
        for party in case.dispute.parties.all():
            services.record_consent(mediator, case, party_id=party.pk, consent=Consent.GIVEN, now=now)

    def sign(self, mediator, case, played, now, level):
        text = services.AgreementText(
            facts="双方宅基地相邻，因界桩移位发生争执。", matters="边界走向。", responsibilities="双方均无过错。",
            terms="以原批复附图为准重新埋设界桩。", performance_manner="双方共同到场，村委会见证",
            performance_deadline=now.date() + timedelta(days=60),
        )
        agreement = services.draft_agreement(mediator, case, text, now=now)
        services.sign_agreement(mediator, case, agreement_id=agreement.pk, effective_on=now.date(),
                                now=now + timedelta(minutes=30))
        played.concluded, played.outcome, played.level = now + timedelta(minutes=30), Outcome.AGREEMENT, level

    def visit(self, actor, case, played, now, performance):
        visit = case.dispute.visits.filter(status="planned").order_by("due_on").first()
        services.record_visit(actor, case, visit_id=visit.pk, performance=performance, note="已回访当事人", now=now)
        played.visits.append((now, performance))
        if performance in (Performance.PARTLY, Performance.NOT_PERFORMED):
            # Not performed: the dispute is open again and no longer counts as concluded.
            played.concluded, played.outcome, played.level = None, "", ""

    def transfer(self, actor, case, played, now, to_type, office_code):
        transfer = services.propose_transfer(actor, case, to_type=to_type, to_office_code=office_code,
                                             reason="涉及劳动报酬，转交处理", now=now)
        played.transfers.append([played.mediation, to_type, TransferStatus.PENDING, now])
        return transfer

    def decide(self, actor, case, played, transfer, now, accept: bool):
        if accept:
            services.accept_transfer(actor, case, transfer_id=transfer.pk, now=now)
            played.transfers[-1][2], played.mediation = TransferStatus.ACCEPTED, transfer.to_type
        else:
            services.return_transfer(actor, case, transfer_id=transfer.pk, reason="不属于行政调解范围", now=now)
            played.transfers[-1][2] = TransferStatus.RETURNED


def build_other_county() -> Region:
    """A neighbouring county, outside every persona's region scope."""
    county = Region.objects.create(code="500230", name="邻县", level="county")
    township = Region.objects.create(code=OTHER_TOWNSHIP, name="邻县街道", level="township", parent=county)
    village = Region.objects.create(code="500230001001", name="邻县社区", level="village", parent=township)
    return Region.objects.create(code="500230001001001", name="邻县第1网格", level="grid", parent=village,
                                 boundary=square(109.50, 32.50), lat=32.505, lng=109.505)


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The county, its people, the mediation organisations and the disputes played, built once
    for the module: its tests only read them (``data_for_the_module``)."""
    with data_for_the_module(django_db_blocker):
        county = build_county()
        people = build_people(county)
        mediation = build_mediation(county, people)
        other_county = build_other_county()
        yield SimpleNamespace(county=county, people=people, mediation=mediation,
                              played=play(county, people, mediation, other_county))


@pytest.fixture
def county(shared, db):
    return shared.county


@pytest.fixture
def people(shared, db):
    return shared.people


@pytest.fixture
def mediation(shared, db):
    return shared.mediation


@pytest.fixture
def played(shared, db):
    return shared.played


def play(county, people, mediation, other_county):
    """The disputes of the test, played; returns the record."""
    p, m = Player(people, mediation), mediation

    # 1. Found by a screening round, agreement at the village committee (土城社区), performed.
    screening = services.open_round(people.supervisor, title="一月排查", region_code="500229",
                                    starts_on=date(2026, 1, 8), ends_on=date(2026, 1, 20), now=at(2026, 1, 8, 9))
    report = screening.reports.get(grid=county.grid1)
    services.submit_report(people.gridworker, report, nothing_found=False, now=at(2026, 1, 10, 10), found=[
        services.FoundDispute("dispute.neighbour", "两户因排水沟走向发生争执", lat=GRID1[0], lng=GRID1[1])])
    case = report.disputes.get().case
    village = Played("dispute.neighbour", GECHENG, at(2026, 1, 10, 10), by_screening=True)
    p.record.append(village)
    p.accept_and_dispatch(case, village, at(2026, 1, 10, 14), office_code="tc-tjw")
    services.take_up_dispute(m.village_mediator, case, now=at(2026, 1, 11, 9))
    for role, name in (("applicant", "王大"), ("respondent", "刘二")):
        services.add_party(m.village_mediator, case, role=role, name=name, now=at(2026, 1, 11, 10))
    p.consent_all(m.village_mediator, case, at(2026, 1, 12, 9))
    session = services.schedule_session(m.village_mediator, case, scheduled_at=at(2026, 1, 15, 9),
                                        place="土城社区调解室", now=at(2026, 1, 12, 10))
    services.record_session(m.village_mediator, case, session_id=session.pk, present="双方当事人", summary="双方同意",
                            result=SessionResult.AGREEMENT_REACHED, now=at(2026, 1, 15, 12))
    p.sign(m.village_mediator, case, village, at(2026, 1, 20, 15), "village")
    p.visit(m.village_mediator, case, village, at(2026, 2, 5, 10), Performance.PERFORMED)

    # 2. Agreement at the 葛城 township committee (the routing rules send disputes there), performed.
    case, township = p.register("dispute.land", GRID1, at(2026, 2, 2, 9), township=GECHENG)
    p.accept_and_dispatch(case, township, at(2026, 2, 2, 11))
    p.take_up(m.mediator, case, at(2026, 2, 3, 9))
    p.sign(m.mediator, case, township, at(2026, 2, 12, 16), "township")
    p.visit(m.mediator, case, township, at(2026, 2, 28, 10), Performance.PERFORMED)

    # 3. Transferred to the court (judicial mediation), agreement there.
    case, court = p.register("dispute.wages", GRID2, at(2026, 2, 3, 9), township=GECHENG)
    p.accept_and_dispatch(case, court, at(2026, 2, 3, 10))
    p.take_up(m.mediator, case, at(2026, 2, 4, 9))
    transfer = p.transfer(m.mediator, case, court, at(2026, 2, 5, 9), MediationType.JUDICIAL, "court")
    p.decide(m.court_mediator, case, court, transfer, at(2026, 2, 6, 9), accept=True)
    p.sign(m.court_mediator, case, court, at(2026, 2, 20, 11), "above")

    # 4. In 复兴 (the township office mediates): passed to the justice bureau, returned, no agreement.
    case, failed = p.register("dispute.neighbour", GRID3, at(2026, 3, 2, 9), township=FUXING)
    p.accept_and_dispatch(case, failed, at(2026, 3, 2, 10))
    p.take_up(people.other_handler, case, at(2026, 3, 3, 9))
    transfer = p.transfer(people.other_handler, case, failed, at(2026, 3, 4, 9), MediationType.ADMINISTRATIVE, "sfj")
    p.decide(m.justice_mediator, case, failed, transfer, at(2026, 3, 5, 9), accept=False)
    services.take_up_dispute(people.other_handler, case, now=at(2026, 3, 6, 9))
    session = services.schedule_session(people.other_handler, case, scheduled_at=at(2026, 3, 10, 9),
                                        place="复兴街道调解室", now=at(2026, 3, 6, 10))
    services.record_session(people.other_handler, case, session_id=session.pk, present="双方当事人",
                            summary="双方分歧较大", result=SessionResult.NO_AGREEMENT, referral="县人民法院",
                            now=at(2026, 3, 12, 10))
    failed.concluded, failed.outcome, failed.level = at(2026, 3, 12, 10), Outcome.NO_AGREEMENT, "township"

    # 5. Withdrawn.
    case, withdrawn = p.register("dispute.land", GRID1, at(2026, 3, 3, 9), township=GECHENG)
    p.accept_and_dispatch(case, withdrawn, at(2026, 3, 3, 10))
    p.take_up(m.mediator, case, at(2026, 3, 4, 9), consent=False)
    services.end_mediation(m.mediator, case, outcome=Outcome.WITHDRAWN, note="申请人撤回申请", now=at(2026, 3, 5, 9))
    withdrawn.concluded, withdrawn.outcome, withdrawn.level = at(2026, 3, 5, 9), Outcome.WITHDRAWN, "township"

    # 6. Refused by a party, in 复兴.
    case, refused = p.register("dispute.wages", GRID3, at(2026, 3, 4, 9), township=FUXING)
    p.accept_and_dispatch(case, refused, at(2026, 3, 4, 10))
    p.take_up(people.other_handler, case, at(2026, 3, 5, 9), consent=False)
    respondent = case.dispute.parties.get(role="respondent")
    services.record_consent(people.other_handler, case, party_id=respondent.pk, consent=Consent.REFUSED,
                            note="被申请人不同意调解", now=at(2026, 3, 6, 9))
    refused.concluded, refused.outcome, refused.level = at(2026, 3, 6, 9), Outcome.REFUSED, "township"

    # 7. Agreement not performed: the follow-up visit reopens the dispute.
    case, reopened = p.register("dispute.neighbour", GRID1, at(2026, 1, 5, 9), township=GECHENG)
    p.accept_and_dispatch(case, reopened, at(2026, 1, 5, 10))
    p.take_up(m.mediator, case, at(2026, 1, 6, 9))
    p.sign(m.mediator, case, reopened, at(2026, 1, 15, 15), "township")
    p.visit(m.mediator, case, reopened, at(2026, 2, 1, 10), Performance.NOT_PERFORMED)

    # 8. Still in mediation, a transfer to the justice bureau waiting.
    case, waiting = p.register("dispute.wages", GRID2, at(2026, 3, 20, 9), township=GECHENG)
    p.accept_and_dispatch(case, waiting, at(2026, 3, 20, 10))
    p.take_up(m.mediator, case, at(2026, 3, 21, 9))
    p.transfer(m.mediator, case, waiting, at(2026, 3, 23, 9), MediationType.ADMINISTRATIVE, "sfj")

    # 9. All before the period: registered, resolved and followed up in December.
    case, before = p.register("dispute.land", GRID1, at(2025, 12, 1, 9), township=GECHENG)
    p.accept_and_dispatch(case, before, at(2025, 12, 1, 10))
    p.take_up(m.mediator, case, at(2025, 12, 2, 9))
    p.sign(m.mediator, case, before, at(2025, 12, 10, 15), "township")
    p.visit(m.mediator, case, before, at(2025, 12, 26, 10), Performance.PERFORMED)

    # 10. In the neighbouring county, outside the supervisor's and the leader's scope: resolved at the court.
    case, outside = p.register("dispute.land", None, at(2026, 2, 10, 9), township=OTHER_TOWNSHIP,
                               actor=people.admin, region_code=other_county.code, in_scope=False)
    p.accept_and_dispatch(case, outside, at(2026, 2, 10, 10), office_code="court", actor=people.admin)
    p.take_up(m.court_mediator, case, at(2026, 2, 11, 9))
    p.sign(m.court_mediator, case, outside, at(2026, 2, 16, 15), "above")
    return p.record


# ---------------------------------------------------------------------------- expected, from the record


def _rate(part, whole):
    if not whole:
        return None
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def expected_row(record: list[Played], start: date, end: date) -> dict:
    since, until = period_bounds(start, end)

    def inside(moment):
        return moment is not None and since <= moment < until

    row = dict.fromkeys(["found", "found_by_screening", "concluded", "resolved", "resolved_village",
                         "resolved_township", "resolved_above", "visits_done", "visits_performed", "reopened",
                         "transfers", "transfers_accepted", "transfers_returned", "transfers_pending"], 0)
    days = []
    for d in record:
        if inside(d.registered):
            row["found"] += 1
            row["found_by_screening"] += d.by_screening
        if inside(d.concluded) and d.outcome:
            row["concluded"] += 1
            if d.outcome == Outcome.AGREEMENT:
                row["resolved"] += 1
                row[f"resolved_{d.level}"] += 1
                days.append((d.concluded - d.accepted) / timedelta(days=1))
        for done_at, performance in d.visits:
            if inside(done_at):
                row["visits_done"] += 1
                row["visits_performed"] += performance == Performance.PERFORMED
                row["reopened"] += performance in (Performance.PARTLY, Performance.NOT_PERFORMED)
        for _from, _to, status, proposed_at in d.transfers:
            if inside(proposed_at):
                row["transfers"] += 1
                row[f"transfers_{status}"] += 1
    row["resolution_rate"] = _rate(row["resolved"], row["concluded"])
    row["performance_rate"] = _rate(row["visits_performed"], row["visits_done"])
    row["median_days_to_resolve"] = (
        float(Decimal(str(median(days))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) if days else None)
    return row


def figures_of(row: dict) -> dict:
    return {key: row[key] for key in FIGURE_KEYS}


def expected_by(record, attribute, start=START, end=END) -> dict:
    groups = {}
    for d in record:
        groups.setdefault(getattr(d, attribute), []).append(d)
    return {key: expected_row(items, start, end) for key, items in groups.items()}


def in_scope(record):
    return [d for d in record if d.in_scope]


# ---------------------------------------------------------------------------- the function


def test_it_counts_what_was_played_in_the_period(played, people):
    result = dispute_stats(people.supervisor, start=START, end=END)
    assert figures_of(result["totals"]) == expected_row(in_scope(played), START, END)


def test_it_has_figures_worth_checking(played, people):
    # The set is not trivial: every figure the definitions name has something to count.
    totals = dispute_stats(people.supervisor, start=START, end=END)["totals"]
    assert totals["found_by_screening"] == 1 and totals["reopened"] == 1
    assert totals["resolved_village"] == totals["resolved_township"] == totals["resolved_above"] == 1
    assert totals["transfers_accepted"] == totals["transfers_returned"] == totals["transfers_pending"] == 1
    assert 0 < totals["resolution_rate"] < 100 and 0 < totals["performance_rate"] < 100


def test_it_breaks_the_figures_down_by_dispute_type(played, people):
    result = dispute_stats(people.supervisor, start=START, end=END)
    by_type = {row["code"]: figures_of(row) for row in result["by_type"]}
    expected = expected_by(in_scope(played), "type")
    for code, row in expected.items():
        assert by_type.pop(code) == row, code
    # The other dispute types (and the root) are listed with nothing counted.
    assert set(by_type) == {"dispute"}
    assert not any(value for value in by_type["dispute"].values() if value is not None)


def test_it_breaks_the_figures_down_by_township(played, people):
    result = dispute_stats(people.supervisor, start=START, end=END)
    by_township = {row["code"]: figures_of(row) for row in result["by_township"]}
    assert by_township == expected_by(in_scope(played), "township")
    assert [row["name"] for row in result["by_township"]] == ["葛城街道", "复兴街道"]


def test_it_counts_transfers_per_pair_of_mediation_types(played, people):
    paths = dispute_stats(people.supervisor, start=START, end=END)["transfer_paths"]
    expected = {}
    for d in in_scope(played):
        for from_type, to_type, status, _proposed in d.transfers:
            counts = expected.setdefault((from_type, to_type), {"transfers": 0, "accepted": 0, "returned": 0,
                                                                "pending": 0})
            counts["transfers"] += 1
            counts[status] += 1
    assert {(p["from_type"], p["to_type"]): {k: p[k] for k in ("transfers", "accepted", "returned", "pending")}
            for p in paths} == expected


def test_it_counts_only_the_disputes_the_user_may_see(played, people):
    assert figures_of(dispute_stats(people.leader, start=START, end=END)["totals"]) == expected_row(
        in_scope(played), START, END)
    # The administrator sees the neighbouring county's dispute too.
    everything = dispute_stats(people.admin, start=START, end=END)
    assert figures_of(everything["totals"]) == expected_row(played, START, END)
    assert OTHER_TOWNSHIP in {row["code"] for row in everything["by_township"]}
    assert dispute_stats(people.nobody, start=START, end=END)["totals"]["found"] == 0


def test_it_keeps_to_a_region_when_given_one(played, people, county):
    result = dispute_stats(people.supervisor, start=START, end=END, region=county.fuxing)
    expected = expected_row([d for d in in_scope(played) if d.township == FUXING], START, END)
    assert figures_of(result["totals"]) == expected
    assert [row["code"] for row in result["by_township"]] == [FUXING]


def test_it_counts_events_by_the_day_they_happened(played, people):
    # December alone: only the dispute played before the period.
    december = (date(2025, 12, 1), date(2025, 12, 31))
    result = dispute_stats(people.supervisor, start=december[0], end=december[1])
    assert figures_of(result["totals"]) == expected_row(in_scope(played), *december)
    assert result["totals"]["found"] == result["totals"]["resolved"] == result["totals"]["visits_done"] == 1
    # February alone.
    february = (date(2026, 2, 1), date(2026, 2, 28))
    result = dispute_stats(people.supervisor, start=february[0], end=february[1])
    assert figures_of(result["totals"]) == expected_row(in_scope(played), *february)


def test_it_gives_none_for_a_rate_with_nothing_to_count_from(people, mediation):
    # A period before anything was played.
    totals = dispute_stats(people.supervisor, start=date(2025, 1, 1), end=date(2025, 3, 31))["totals"]
    assert totals["found"] == totals["concluded"] == 0
    assert totals["resolution_rate"] is None and totals["performance_rate"] is None
    assert totals["median_days_to_resolve"] is None


def test_it_defines_every_figure(people, mediation):
    result = dispute_stats(people.supervisor, start=START, end=END)
    assert [d["key"] for d in result["definitions"]] == FIGURE_KEYS
    assert all(d["label"] and d["definition"].endswith((".", "。")) for d in result["definitions"])
    assert set(result["totals"]) == {"code", "name", *FIGURE_KEYS}


def test_it_refuses_a_period_that_ends_before_it_starts(people, mediation):
    with pytest.raises(ValueError):
        dispute_stats(people.supervisor, start=END, end=START)


# ---------------------------------------------------------------------------- the page


@pytest.fixture
def frozen_page(monkeypatch):
    monkeypatch.setattr(stats_view, "current_time", lambda: PAGE_NOW)


def _cells(html: str, row: str) -> dict:
    """The figures of one table row (``data-row``) as shown: key → text."""
    found = re.search(rf'<tr data-row="{re.escape(row)}">(.*?)</tr>', html, re.S)
    assert found, row
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', found.group(1)))


def _shown(value) -> str:
    return "—" if value is None else str(value)


def test_it_shows_the_figures_on_the_page(played, people, client, frozen_page):
    assert PAGE_NOW.astimezone(LOCAL).date() == END
    client.force_login(people.supervisor)
    response = client.get(URL, {"period": "ytd"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    expected = expected_row(in_scope(played), START, END)
    headline = dict(re.findall(r'<dd class="figure" data-figure="(\w+)">([^<]*)<', html))
    assert headline == {key: _shown(expected[key]) for key in FIGURE_KEYS}
    assert _cells(html, "total") == {key: _shown(expected[key]) for key in FIGURE_KEYS}
    for code, row in expected_by(in_scope(played), "type").items():
        assert _cells(html, code) == {key: _shown(row[key]) for key in FIGURE_KEYS}
    for code, row in expected_by(in_scope(played), "township").items():
        assert _cells(html, code) == {key: _shown(row[key]) for key in FIGURE_KEYS}
    assert "Resolved ÷ mediation ended, in percent." in html
    assert 'data-chart="types"' in html and "echarts.min.js" in html


def test_it_exports_the_tables_to_excel(played, people, client, frozen_page):
    client.force_login(people.leader)
    response = client.get(URL, {"period": "ytd", "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    by_type = book.worksheets[0]
    rows = list(by_type.iter_rows(values_only=True))
    total = rows[-1]
    expected = expected_row(in_scope(played), START, END)
    assert list(total[1:]) == [expected[key] for key in FIGURE_KEYS]
    townships = [row[0] for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert townships == ["葛城街道", "复兴街道"]


def test_it_keeps_to_the_township_chosen(played, people, client, frozen_page, county):
    client.force_login(people.supervisor)
    response = client.get(URL, {"period": "ytd", "township": FUXING})
    assert response.status_code == 200
    expected = expected_row([d for d in in_scope(played) if d.township == FUXING], START, END)
    assert _cells(response.content.decode(), "total") == {key: _shown(expected[key]) for key in FIGURE_KEYS}


def test_it_refuses_an_unknown_period_or_township(people, mediation, client, frozen_page):
    client.force_login(people.supervisor)
    assert client.get(URL, {"period": "7d"}).status_code == 400
    assert client.get(URL, {"township": "999"}).status_code == 400


@pytest.mark.parametrize("period", ["30d", "12m", "ytd"])
def test_it_answers_every_period(people, mediation, client, frozen_page, period):
    client.force_login(people.admin)
    assert client.get(URL, {"period": period}).status_code == 200


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["handler", "dispatcher", "gridworker", "nobody"])
def test_it_is_not_found_for_anyone_but_supervisors_leaders_and_admins(people, client, persona):
    client.force_login(getattr(people, persona))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"export": "xlsx"}).status_code == 404


def test_it_counts_periods_of_whole_days():
    today = date(2026, 3, 31)
    assert stats_view.period_days("30d", today) == (date(2026, 3, 2), today)
    assert stats_view.period_days("12m", today) == (date(2025, 4, 1), today)
    assert stats_view.period_days("ytd", today) == (date(2026, 1, 1), today)
    assert stats_view.period_days("12m", date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))
