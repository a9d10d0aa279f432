"""The demo county's petitions (信访), played through ``anju.petitions.services``.

All at past moments (``now=``), all synthetic (the petitioners come from
``build.random_person_name`` and ``build.fake_phone``, the words from the catalogue):

- ``PetitionOffice``: ``build.generate_cases`` hands it every synthetic case of kind petition.
  The county petition office (县信访办) registers it (a letter, a visit, a call or the online
  platform) and routes it to the competent body within its 15 days; now and then to the wrong
  body, which objects within 5 working days, and it goes on to the right one. The body accepts
  it, or says why not and where to turn; handles it within 60 days, asking for more time when
  it runs long (a supervisor grants it, with the written reason to the petitioner, or refuses);
  and answers in writing with one of the three decisions. A posted answer's day of receipt is
  recorded, the petitioner rates the answer, and one not satisfied may ask the county
  government for a review (复查) and then the city for a re-examination (复核). A county leader
  takes personal charge of some (领导包案); some visitors are booked into the leaders' weekly
  reception days (领导接访日) and received there.
- ``build_showcase``: petitions in 葛城街道 (the demo handler's office) at every stage: registered,
  routed and waiting (one inside its objection window), objected and routed anew, not accepted,
  handled (due soon, overdue, extended), answered with each decision (by post with the day of
  receipt), reviewed, re-examined after a hearing, a new petition on the concluded matter,
  petitions about the township office naming an official and reports of wrongdoing kept from
  it, a group petition with its representatives, leaders in charge; visitors received on the
  last reception days, and bookings (online and at the counter) on the coming ones.

``build_petitions`` runs the showcase; ``summary`` counts what the demo holds.
"""

import functools
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from anju.cases import services as case_services
from anju.cases.choices import Channel, Status
from anju.cases.models import Case
from anju.demo import build
from anju.demo import catalogue as cat
from anju.geo.choices import Level as RegionLevel
from anju.geo.models import Region
from anju.lib.workdays import LOCAL
from anju.people.models import Office, User
from anju.petitions import services
from anju.petitions.choices import (
    PETITION,
    BookedVia,
    BookingStatus,
    Decision,
    Delivery,
    Level,
    PetitionEvent,
    PetitionForm,
    RouteKind,
)
from anju.petitions.models import Booking, Hearing, Notice, Petition, ReceptionDay

SHOWCASE_TOWNSHIP = "500229001"  # 葛城街道: the demo handler's office
W = build.WORKING_MINUTES_PER_DAY

# How a petition came in, by the channel the generator planned (a letter may come through the
# online platform instead).
FORM_OF_CHANNEL = {Channel.LETTER: PetitionForm.LETTER, Channel.WALK_IN: PetitionForm.VISIT,
                   Channel.HOTLINE: PetitionForm.PHONE}
# How the petition office and the bodies send their notices, by how the petition came in.
NOTICE_DELIVERY = {PetitionForm.LETTER: Delivery.POST, PetitionForm.VISIT: Delivery.IN_PERSON,
                   PetitionForm.PHONE: Delivery.SMS, PetitionForm.ONLINE: Delivery.ONLINE,
                   PetitionForm.REFERRED: Delivery.POST}
ANSWER_DELIVERY_WEIGHTS = {Delivery.POST: 45, Delivery.IN_PERSON: 35, Delivery.ONLINE: 10, Delivery.SMS: 10}
DECISION_WEIGHTS = {Decision.SUPPORT: 35, Decision.EXPLAIN: 35, Decision.NOT_SUPPORT: 30}
# The petitioner's rating (1–5) of the answer, by its decision.
RATING_WEIGHTS = {
    Decision.SUPPORT: [1, 1, 4, 30, 64], Decision.EXPLAIN: [5, 10, 35, 35, 15],
    Decision.NOT_SUPPORT: [25, 30, 30, 12, 3], Decision.UPHELD: [20, 30, 35, 12, 3],
    Decision.CHANGED: [2, 3, 15, 40, 40],
}
FINDINGS_OF_LEVEL = {Level.REVIEW: cat.REVIEW_FINDINGS, Level.REEXAMINATION: cat.REEXAMINATION_FINDINGS}


@dataclass
class Matter:
    """What a petition is about, as the catalogue words it: the request, the competent bodies,
    the findings of each decision and their basis, and the reason for not accepting it."""

    category: str
    text: str
    request: str
    bodies: tuple
    findings: dict
    basis: str
    decline: tuple
    official: str = ""
    wrongdoing: bool = False
    group: bool = False


def matter_of(category: str, index: int) -> Matter:
    item = cat.PETITION_MATTERS[category][index]
    return Matter(category, cat.TEXTS[category][index], item["request"], tuple(item["bodies"]),
                  {d: item[d] for d in DECISION_WEIGHTS}, item["basis"], item["decline"],
                  official=item.get("official", ""), group=item.get("group", False))


def wrongdoing_matter(index: int) -> Matter:
    item = cat.PETITION_WRONGDOING[index]
    answer = cat.WRONGDOING_ANSWER
    return Matter("petition.conduct", item["text"], item["request"], (cat.COUNTY_GOVERNMENT[0],),
                  {d: answer[d] for d in DECISION_WEIGHTS}, answer["basis"], answer["decline"],
                  official=item["official"], wrongdoing=True)


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL).date()


def _at(day: date, hour: float) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LOCAL) + timedelta(hours=hour)


def _fresh(case: Case) -> Case:
    return Case.objects.select_related("office", "petition").get(pk=case.pk)


def _current(step):
    """A step works on the case as it is now (its office, its status), whatever the caller holds."""

    @functools.wraps(step)
    def wrapper(self, case: Case, *args, **kwargs):
        return step(self, _fresh(case), *args, **kwargs)

    return wrapper


class _Line(build._Timeline):
    """One petition's timeline: strictly increasing moments before the cutoff, and before each
    one the receptions the petition was booked into that have come (a reception is recorded
    after the slot, between the petition's other steps)."""

    def __init__(self, cutoff: datetime, desk: "_Desk"):
        super().__init__(cutoff)
        self.desk = desk
        self.receptions: list[tuple[datetime, Booking, bool]] = []

    def at(self, moment: datetime) -> datetime:
        while self.receptions and self.receptions[0][0] <= moment:
            when, booking, take_charge = self.receptions.pop(0)
            self.desk.receive(booking, super().at(when), take_charge)
        return super().at(moment)


# ---------------------------------------------------------------------------- the desk


class _Desk:
    """The people who work petitions (the petition office's clerk, the bodies' handlers, the
    supervisor, the county leaders) and one method per step of a petition's life, each at the
    moment given, through the petition services. Every petition it registers has its own
    timeline (``lines``), which keeps its steps in order and before the present."""

    def __init__(self, rng: random.Random, now: datetime, clock: build.WorkClock | None = None):
        self.rng, self.now = rng, now
        self.cutoff = now - timedelta(minutes=5)
        self.today = _day(now)
        self.clock = clock or build.WorkClock()
        self.clerk = User.objects.get(username=cat.PETITION_CLERK[0])
        self.supervisor = User.objects.get(username="supervisor")
        self.leader = User.objects.get(username="leader")
        extra = {u.username: u for u in User.objects.filter(username__in=[n for n, _d in cat.EXTRA_LEADERS])}
        self.leaders = [self.leader] + [extra[n] for n, _d in cat.EXTRA_LEADERS if n in extra]
        self.county = Region.objects.get(code=cat.COUNTY_CODE)
        self.offices = {o.code: o for o in Office.objects.all()}
        self.county_government = self.offices[build.department_code(cat.COUNTY_GOVERNMENT[0])]
        self.city_government = self.offices[build.department_code(cat.CITY_GOVERNMENT[0])]
        self._handlers: dict[int, User] = {}
        self.matters: dict[int, Matter] = {}
        self.lines: dict[int, _Line] = {}
        self.days: dict[date, ReceptionDay] = {}
        self.stats: Counter = Counter()

    # ------------------------------------------------------------------ helpers

    def handler(self, office: Office) -> User:
        if office.pk not in self._handlers:
            user = User.objects.filter(roles__role="handler", roles__office=office).order_by("username").first()
            if user is None:
                raise RuntimeError(f"no handler for office {office.code}; build_users() creates one per office")
            self._handlers[office.pk] = user
        return self._handlers[office.pk]

    def office(self, key: str, township: Region) -> Office:
        """The body a catalogue key names: "township" for the township's own office, else a department."""
        code = build.township_office_code(township.code) if key == "township" else build.department_code(key)
        return self.offices[code]

    def at(self, case: Case, when: datetime) -> datetime:
        return self.lines[case.pk].at(when)

    def delivery_of(self, case: Case) -> str:
        return NOTICE_DELIVERY.get(case.petition.form, Delivery.POST)

    def _petitioners(self, address: str, group: int, name: str = "", phone: str = "") -> list:
        rng = self.rng
        first = services.NewPetitioner(name or build.random_person_name(rng), phone or build.fake_phone(rng),
                                       f"{address}{rng.randint(1, 60)}号", is_representative=group > 1)
        if group <= 1:
            return [first]
        # A group that comes in person chooses representatives (at most five, 第十八条).
        return [first] + [services.NewPetitioner(build.random_person_name(rng), build.fake_phone(rng),
                                                 f"{address}{rng.randint(1, 60)}号", is_representative=True)
                          for _ in range(rng.randint(1, 2))]

    # ------------------------------------------------------------------ steps

    def register(self, when: datetime, matter: Matter, township: Region, village: Region, grid: Region, form: str,
                 *, group: int = 0, name: str = "", phone: str = "") -> Case:
        """The petition office registers a petition (登记) with its petitioners (a group, of a
        matter many people share, with its representatives); one about the township office
        names it (and the official), and is hidden from it."""
        rng = self.rng
        group = group if matter.group else 0
        line = _Line(self.cutoff, self)
        spot = rng.choice(cat.URBAN_SPOTS if village.name.endswith("社区") else cat.RURAL_SPOTS)
        loc = (township.name if rng.random() < 0.5 else "") + village.name + spot
        slots = build._Slots(rng, loc=loc, village=village.name, township=township.name, official=matter.official)
        text = matter.text.format_map(slots)
        if not any(word in text[-14:] for word in ("请", "希望", "？", "吗")):
            text += rng.choice(cat.CLOSERS["petition"])
        about = matter.wrongdoing or matter.category in cat.ABOUT_TOWNSHIP_OFFICE
        lat, lng = build.random_point_in_grid(rng, grid)
        address = f"{township.name}{village.name}{spot}"
        data = case_services.NewCase(
            kind=PETITION, category_code=matter.category, text=text, lat=lat, lng=lng, address=address,
            confidential=about, about_office_code=build.township_office_code(township.code) if about else "",
            reports_wrongdoing=matter.wrongdoing,
        )
        official = matter.official or (rng.choice(cat.PETITION_OFFICIALS) if about else "")
        facts = services.PetitionFacts(form=form, request=matter.request, about_official=official,
                                       group_size=max(group, 1),
                                       petitioners=self._petitioners(f"{village.name}{spot}", group, name, phone))
        case, _created = services.register_petition(self.clerk, data, facts, now=line.at(when), synthetic=True)
        self.matters[case.pk] = matter
        self.lines[case.pk] = line
        self.stats["registered"] += 1
        return _fresh(case)

    @_current
    def route(self, case: Case, office: Office, when: datetime, route_kind: str = RouteKind.TRANSFERRED) -> Case:
        """The petition office sends it to ``office`` (转送/交办) and tells the petitioner."""
        now = self.at(case, when)
        services.route_petition(self.clerk, case, office_code=office.code, route_kind=route_kind,
                                note=self.rng.choice(cat.ROUTE_NOTES), sent_on=_day(now),
                                delivery=self.delivery_of(case), now=now)
        return _fresh(case)

    @_current
    def object(self, case: Case, right: Office, when: datetime) -> Case:
        """The body it was sent to objects that it is not competent (异议), naming the right one."""
        reason = self.rng.choice(cat.OBJECTION_REASONS).format(office=right.name)
        services.object_to_petition(self.handler(case.office), case, reason=reason, now=self.at(case, when))
        self.stats["objected"] += 1
        return _fresh(case)

    @_current
    def accept(self, case: Case, when: datetime) -> Case:
        now = self.at(case, when)
        services.accept_petition(self.handler(case.office), case, note=self.rng.choice(cat.ACCEPT_NOTES),
                                 sent_on=_day(now), delivery=self.delivery_of(case), now=now)
        return _fresh(case)

    @_current
    def decline(self, case: Case, when: datetime, by_clerk: bool = False) -> Case:
        """Not accepted (不予受理), by the body or by the petition office, with the reason and where to turn."""
        reason, where = self.matters[case.pk].decline
        actor = self.clerk if by_clerk else self.handler(case.office)
        now = self.at(case, when)
        services.decline_petition(actor, case, reason=reason, where_to_go=where, sent_on=_day(now),
                                  delivery=self.delivery_of(case), now=now)
        self.stats["not_accepted"] += 1
        return _fresh(case)

    @_current
    def extend(self, case: Case, days: int, asked: datetime, decided: datetime | None, approve: bool = True) -> Case:
        """The body asks for ``days`` more; the supervisor grants it (the petitioner is told why
        in writing) or refuses, or has not decided yet (``decided`` None)."""
        rng = self.rng
        request = services.request_petition_extension(self.handler(case.office), case, days=days,
                                                      reason=rng.choice(cat.PETITION_EXTENSION_REASONS),
                                                      now=self.at(case, asked))
        if decided is not None:
            now = self.at(case, decided)
            if approve:
                services.approve_petition_extension(self.supervisor, case, request_id=request.pk,
                                                    note=rng.choice(cat.APPROVE_NOTES), sent_on=_day(now),
                                                    delivery=self.delivery_of(case), now=now)
                self.stats["extended"] += 1
            else:
                case_services.deny_extension(self.supervisor, case, request_id=request.pk,
                                             note=rng.choice(cat.DENY_NOTES), now=now)
        return _fresh(case)

    @_current
    def answer(self, case: Case, when: datetime, decision: str, delivery: str = "") -> Notice:
        """The written answer (or review or re-examination decision), sent the same day."""
        level = case.petition.level
        if level == Level.ORIGINAL:
            matter = self.matters[case.pk]
            findings, basis = matter.findings[decision], matter.basis
        else:
            findings, basis = FINDINGS_OF_LEVEL[level][decision], cat.REVIEW_BASIS[level]
        delivery = delivery or self.rng.choices(list(ANSWER_DELIVERY_WEIGHTS),
                                                weights=list(ANSWER_DELIVERY_WEIGHTS.values()))[0]
        now = self.at(case, when)
        notice = services.answer_petition(self.handler(case.office), case,
                                          services.AnswerText(decision, findings, basis), sent_on=_day(now),
                                          delivery=delivery, now=now)
        self.stats[f"answered:{decision}"] += 1
        return notice

    @_current
    def received(self, case: Case, notice: Notice, after: datetime | None = None) -> datetime | None:
        """The postal return receipt comes back: the body records the day the petitioner
        received the notice (from which their own window counts). None if it lies ahead."""
        rng = self.rng
        day = notice.sent_on + timedelta(days=rng.randint(2, 5))
        moment = self.clock.after(_at(day + timedelta(days=1), 9), rng.uniform(0, 300))
        if after is not None:
            moment = max(moment, after + timedelta(minutes=5))
        if moment >= self.cutoff:
            return None
        services.record_delivery(self.handler(case.office), case, notice_id=notice.pk, delivered_on=day,
                                 now=self.at(case, moment))
        self.stats["receipt_recorded"] += 1
        return moment

    @_current
    def follow_up(self, case: Case, when: datetime, decision: str, rating: int | None = None) -> Case:
        """The petition office asks the petitioner how the answer was (回访) and closes the case."""
        rng = self.rng
        rating = rating or rng.choices([1, 2, 3, 4, 5], weights=RATING_WEIGHTS[decision])[0]
        note = rng.choice(cat.FOLLOW_UP_NOTES["good" if rating >= 4 else "poor"])
        case_services.follow_up_case(self.clerk, case, satisfaction=rating, note=note, now=self.at(case, when))
        return _fresh(case)

    @_current
    def ask_review(self, case: Case, asked_on: date, when: datetime, by_petitioner: bool = False) -> Case:
        """The petitioner asks for review or re-examination; a new petition a level up opens,
        with a timeline of its own."""
        reasons = cat.REVIEW_REASONS if case.petition.level == Level.ORIGINAL else cat.REEXAMINATION_REASONS
        now = self.at(case, when)
        review = services.request_review(None if by_petitioner else self.clerk, case, reason=self.rng.choice(reasons),
                                         asked_on=asked_on, by_petitioner=by_petitioner, now=now)
        line = _Line(self.cutoff, self)
        line.at(now)
        self.lines[review.pk] = line
        self.matters[review.pk] = self.matters[case.pk]
        self.stats[f"asked:{review.petition.level}"] += 1
        return _fresh(review)

    @_current
    def hearing(self, case: Case, starts_on: date, ends_on: date, when: datetime) -> Case:
        rng = self.rng
        services.record_hearing(self.handler(case.office), case, starts_on=starts_on, ends_on=ends_on,
                                place=rng.choice(cat.HEARING_PLACES), note=rng.choice(cat.HEARING_NOTES),
                                now=self.at(case, when))
        return _fresh(case)

    @_current
    def take_charge(self, case: Case, leader: User, when: datetime) -> Case:
        """A leader takes personal charge (领导包案)."""
        if case.petition.leader_id != leader.pk:
            services.assign_leader(leader, case, leader_id=leader.pk, now=self.at(case, when))
            self.stats["leader"] += 1
        return _fresh(case)

    # ------------------------------------------------------------------ reception days

    def leader_on(self, day: date) -> User:
        """The county leaders take the reception days in turn, week by week."""
        return self.leaders[(day.toordinal() // 7) % len(self.leaders)]

    def reception_days(self, after: date, count: int) -> list[date]:
        """The next ``count`` reception days after ``after``: Wednesdays, skipping holidays."""
        days, day = [], after + timedelta(days=1)
        day += timedelta(days=(2 - day.weekday()) % 7)
        while len(days) < count:
            if self.clock.is_workday(day):
                days.append(day)
            day += timedelta(days=7)
        return days

    def past_reception_days(self, before: date, count: int) -> list[date]:
        days, day = [], before - timedelta(days=1)
        day -= timedelta(days=(day.weekday() - 2) % 7)
        while len(days) < count:
            if self.clock.is_workday(day):
                days.append(day)
            day -= timedelta(days=7)
        return days

    def reception_day(self, day: date) -> ReceptionDay:
        """The county leaders' reception at the petition office on ``day``, 9:00–12:00 in slots
        of half an hour with two places each; put on the calendar by the supervisor three weeks
        ahead (or just now, for one close at hand)."""
        if day in self.days:
            return self.days[day]
        starts = _at(day, 9)
        found = ReceptionDay.objects.filter(region=self.county, starts_at=starts).first()
        if found is None:
            planned = min(starts - timedelta(days=21), self.now - timedelta(hours=2))
            found = services.plan_reception_day(
                self.supervisor, leader_id=self.leader_on(day).pk, region_code=self.county.code,
                place=cat.RECEPTION_PLACE, starts_at=starts, ends_at=_at(day, 12), slot_minutes=30, per_slot=2,
                topic=self.rng.choice(cat.RECEPTION_TOPICS), now=planned)
        self.days[day] = found
        return found

    @_current
    def book(self, case: Case, day: ReceptionDay, when: datetime, online: bool = False) -> Booking | None:
        """Book the petition into a free slot of ``day``: by the petitioner online or at the
        counter. None when the day is full or already has the petition."""
        now = self.at(case, when)
        free = [slot["at"] for slot in services.slots_of(day) if slot["free"] and slot["at"] > now]
        if not free or day.bookings.filter(petition__case=case, status=BookingStatus.BOOKED).exists():
            return None
        booking = services.book_reception(None if online else self.clerk, case, day_id=day.pk,
                                          slot_at=self.rng.choice(free[:4]), by_petitioner=online, now=now)
        self.stats[f"booked:{booking.via}"] += 1
        return booking

    def receive(self, booking: Booking, now: datetime, take_charge: bool = False) -> None:
        """The leader receives the petitioner; the clerk records what was said, and whether the
        leader took personal charge there."""
        if take_charge:
            group = booking.petition.group_size > 1
            summary = cat.RECEPTION_SUMMARIES_IN_CHARGE[1 if group else 0]
        else:
            summary = self.rng.choice(cat.RECEPTION_SUMMARIES)
        services.record_reception(self.clerk, booking, summary=summary, take_charge=take_charge, now=now)
        self.stats["received"] += 1


# ---------------------------------------------------------------------------- synthetic cases


class PetitionOffice(_Desk):
    """Plays the synthetic petitions ``build._Generator`` plans, through the petition services.
    The generator's fates become the petition's: "reject" not accepted, "return" sent to the
    wrong body first, "late_accept" routed late, "never_accepted" never routed, "leader" a leader
    in charge, "supervise" supervised, "late" more time asked for, "stall_resolve" not answered
    in time, "no_follow_up" never rated."""

    def __init__(self, generator):
        super().__init__(generator.rng, generator.now, generator.clock)
        self.g = generator

    def play(self, plan) -> None:
        """Register the petition and play its history until it ends or reaches the present."""
        rng = self.rng
        if plan.category == "petition.conduct" and rng.random() < 0.35:
            matter = wrongdoing_matter(rng.randrange(len(cat.PETITION_WRONGDOING)))
        else:
            matter = matter_of(plan.category, rng.randrange(len(cat.PETITION_MATTERS[plan.category])))
        form = FORM_OF_CHANNEL.get(plan.channel, PetitionForm.LETTER)
        if form == PetitionForm.LETTER and rng.random() < 0.35:
            form = PetitionForm.ONLINE
        group = rng.randint(5, 30) if matter.group and rng.random() < 0.3 else 0
        case = self.register(plan.submitted_at, matter, plan.township, plan.village, plan.grid, form, group=group,
                             name=plan.reporter_name, phone=plan.reporter_phone)
        self.g.stats["created"] += 1
        line = self.lines[case.pk]
        try:
            self._play(plan, case, matter)
            # The receptions booked for after its last step.
            line.at(self.cutoff - timedelta(minutes=1))
        except build._Stop:
            pass

    def _play(self, plan, case: Case, matter: Matter) -> None:
        rng, clock, fates = self.rng, self.clock, plan.fates
        t = plan.submitted_at
        form = case.petition.form
        if form in (PetitionForm.VISIT, PetitionForm.ONLINE) and rng.random() < 0.25:
            # A visitor is booked at the counter into the next reception day; an online
            # petitioner books one on the tracking page.
            t = t + timedelta(minutes=rng.uniform(10, 40) if form == PetitionForm.VISIT else rng.uniform(120, 2000))
            day = self.reception_day(self.reception_days(_day(t), 1)[0])
            booking = self.book(case, day, t, online=form == PetitionForm.ONLINE)
            if booking is not None:
                when = booking.slot_at + timedelta(minutes=rng.uniform(5, 25))
                self.lines[case.pk].receptions.append((when, booking, rng.random() < 0.3))
        if "reject" in fates and rng.random() < 0.4:
            # Not a matter for petitions at all: the petition office says so itself.
            self.decline(case, clock.after(t, rng.uniform(60, 3 * W)), by_clerk=True)
            return
        if "never_accepted" in fates:
            t += timedelta(days=400)
        elif "late_accept" in fates:
            t = clock.next_open(t + timedelta(days=rng.uniform(15.5, 22)))
        else:
            t = clock.after(t, rng.uniform(60, 5 * W))
        right = self._body(case, matter, plan.township)
        if "return" in fates and (wrong := self._wrong_body(case, matter, right, plan.township)) is not None:
            case = self.route(case, wrong, t)
            t = clock.after(t, rng.uniform(60, 3 * W))
            case = self.object(case, right, t)
            t = clock.after(t, rng.uniform(30, 2 * W))
        case = self.route(case, right, t, RouteKind.ASSIGNED if rng.random() < 0.2 else RouteKind.TRANSFERRED)
        if "reject" in fates:
            self.decline(case, clock.after(t, rng.uniform(1, 6) * W))
            return
        t = clock.after(t, rng.uniform(0.3, 7) * W)
        case = self.accept(case, t)
        accepted, due = t, case.handle_due_at
        if "leader" in fates or rng.random() < 0.1:
            t = clock.after(t, rng.uniform(60, 5 * W))
            case = self.take_charge(case, self.leader if rng.random() < 0.7 else rng.choice(self.leaders), t)
        if "supervise" in fates:
            t = clock.after(t, rng.uniform(2, 15) * W)
            case_services.supervise_case(self.supervisor, case, level=rng.choice([1, 1, 2]),
                                         note=rng.choice(cat.SUPERVISE_NOTES), now=self.at(case, t))
        answer_at = clock.next_open(accepted + timedelta(days=rng.uniform(max(10.0, (t - accepted).days + 1), 52)))
        if "late" in fates:
            over = rng.uniform(3, 25)
            answer_at = clock.next_open(due + timedelta(days=over))
            asked = clock.next_open(max(t + timedelta(hours=1), due - timedelta(days=rng.uniform(4, 10))))
            if asked < due:
                decided = clock.after(asked, rng.uniform(60, 600))
                case = self.extend(case, min(30, math.ceil(over) + rng.randint(2, 5)), asked, min(decided, due),
                                   approve=rng.random() < 0.8)
        if "stall_resolve" in fates:
            answer_at += timedelta(days=rng.uniform(40, 300))
        decision = rng.choices(list(DECISION_WEIGHTS), weights=list(DECISION_WEIGHTS.values()))[0]
        notice = self.answer(_fresh(case), answer_at, decision)
        self._after_answer(plan, _fresh(case), notice, answer_at)

    def _after_answer(self, plan, case: Case, notice: Notice, t: datetime) -> None:
        """The day of receipt of a posted answer, the rating, and perhaps a review, then a
        re-examination, each a petition of its own a level up."""
        rng, clock = self.rng, self.clock
        if notice.delivery == Delivery.POST and rng.random() < 0.85:
            t = self.received(case, notice, t) or t
        notice.refresh_from_db()
        decision = notice.decision
        rating = rng.choices([1, 2, 3, 4, 5], weights=RATING_WEIGHTS[decision])[0]
        if plan is None or "no_follow_up" not in plan.fates:
            t = clock.after(t, rng.uniform(0.5, 6) * W)
            case = self.follow_up(case, t, decision, rating)
        level = case.petition.level
        wants = decision not in (Decision.SUPPORT, Decision.CHANGED) and rating <= 3
        chance = 0.35 if level == Level.ORIGINAL else 0.3
        if level == Level.REEXAMINATION or not wants or rng.random() >= chance:
            return
        if case.office_id in (self.county_government.pk, self.city_government.pk) and level == Level.ORIGINAL:
            return  # answered by the county government itself: no review body in the demo
        received_on = notice.delivered_on or notice.sent_on
        asked_on = max(_day(t) + timedelta(days=1), received_on + timedelta(days=rng.randint(3, 20)))
        if asked_on > received_on + timedelta(days=30):
            return
        review = self.ask_review(case, asked_on, clock.after(_at(asked_on, 8.5), rng.uniform(0, 400)))
        try:
            self._play_review(review)
        except build._Stop:
            pass

    def _play_review(self, review: Case) -> None:
        rng, clock = self.rng, self.clock
        level = review.petition.level
        t = self.lines[review.pk].last
        body = self.county_government if level == Level.REVIEW else self.city_government
        t = clock.after(t, rng.uniform(60, 2 * W))
        review = self.route(review, body, t)
        t = clock.after(t, rng.uniform(60, 3 * W))
        review = self.accept(review, t)
        answer_at = clock.next_open(review.submitted_at + timedelta(days=rng.uniform(12, 26)))
        if level == Level.REEXAMINATION and rng.random() < 0.4:
            starts = _day(t) + timedelta(days=rng.randint(4, 10))
            ends = starts + timedelta(days=rng.randint(0, 1))
            review = self.hearing(review, starts, ends, clock.after(t, rng.uniform(60, 2 * W)))
            answer_at = max(answer_at, clock.next_open(_at(ends + timedelta(days=rng.randint(2, 5)), 9)))
        answer_at = max(answer_at, clock.after(t, W))
        decision = Decision.UPHELD if rng.random() < 0.8 else Decision.CHANGED
        notice = self.answer(review, answer_at, decision)
        self._after_answer(None, _fresh(review), notice, answer_at)

    def _body(self, case: Case, matter: Matter, township: Region) -> Office:
        """The competent body: usually the first the catalogue names."""
        key = matter.bodies[0] if self.rng.random() < 0.75 else self.rng.choice(matter.bodies)
        return self.office(key, township)

    def _wrong_body(self, case: Case, matter: Matter, right: Office, township: Region) -> Office | None:
        """A body a petition is wrongly sent to: another the matter might concern, or a
        department near it; never the body a report of wrongdoing is about."""
        keys = list(matter.bodies) + ["ghzyj", "zjw", "mzj"]
        options = [self.office(k, township) for k in dict.fromkeys(keys)]
        options = [o for o in options if o.pk != right.pk and o.pk != case.about_office_id]
        return self.rng.choice(options) if options else None


# ---------------------------------------------------------------------------- the showcase


class _Showcase(_Desk):
    """Petitions in 葛城街道 at every stage; moments count back from ``now``."""

    def __init__(self, now: datetime, rng: random.Random):
        super().__init__(rng, now)
        self.township = Region.objects.get(code=SHOWCASE_TOWNSHIP)
        self.grids = list(Region.objects.filter(level=RegionLevel.GRID, path__startswith=self.township.path)
                          .select_related("parent").order_by("code"))
        self.gc = self.offices[build.township_office_code(SHOWCASE_TOWNSHIP)]
        self.cases: list[Case] = []

    def wd(self, days_ago: int, hour: float = 10) -> datetime:
        """``hour`` o'clock on the working day on or before ``days_ago`` calendar days ago;
        never later than an hour ago."""
        day = self.today - timedelta(days=days_ago)
        for _ in range(15):
            if self.clock.is_workday(day):
                break
            day -= timedelta(days=1)
        return min(_at(day, hour + self.rng.uniform(0, 0.8)), self.now - timedelta(hours=1))

    def cd(self, days_ago: int, hour: float = 10) -> datetime:
        """``hour`` o'clock exactly ``days_ago`` calendar days ago (for a time limit that must
        end on a given day); never later than an hour ago."""
        return min(_at(self.today - timedelta(days=days_ago), hour + self.rng.uniform(0, 0.8)),
                   self.now - timedelta(hours=1))

    def new(self, when: datetime, category: str, index: int = 0, form: str = PetitionForm.LETTER, *, group: int = 0,
            wrongdoing: int | None = None, name: str = "", phone: str = "") -> Case:
        matter = wrongdoing_matter(wrongdoing) if wrongdoing is not None else matter_of(category, index)
        grid = self.rng.choice(self.grids)
        case = self.register(when, matter, self.township, grid.parent, grid, form, group=group, name=name,
                             phone=phone)
        self.cases.append(case)
        return case

    def body(self, suffix: str) -> Office:
        return self.offices[build.department_code(suffix)]

    def accepted(self, registered: datetime, routed: datetime, accepted: datetime, category: str, index: int = 0,
                 office: Office | None = None, route_kind: str = RouteKind.TRANSFERRED, **kwargs) -> Case:
        case = self.new(registered, category, index, **kwargs)
        case = self.route(case, office or self.gc, routed, route_kind)
        return self.accept(case, accepted)

    def answered(self, days_ago: int, category: str, index: int, decision: str, delivery: str,
                 office: Office | None = None, received: bool = True, rating: int | None = None, **kwargs) -> Case:
        """Registered ``days_ago`` days ago, answered about six weeks later; a posted answer's
        receipt recorded (``received``), then rated."""
        case = self.accepted(self.wd(days_ago), self.wd(days_ago - 2), self.wd(days_ago - 4, 15), category, index,
                             office, **kwargs)
        answered = self.wd(days_ago - 45, 11)
        notice = self.answer(case, answered, decision, delivery)
        t = answered
        if delivery == Delivery.POST and received:
            t = self.received(case, notice) or t
        if rating:
            case = self.follow_up(_fresh(case), t + timedelta(days=1), decision, rating)
        return _fresh(case)

    def decided_review(self, original: Case, asked_days_ago: int, decision: str, *, body: Office) -> Case:
        """A review (or re-examination) asked ``asked_days_ago`` days ago, routed, accepted and
        decided three weeks later by post, its receipt recorded and rated."""
        review = self.ask_review(original, _day(self.wd(asked_days_ago)), self.wd(asked_days_ago, 14))
        review = self.route(review, body, self.wd(asked_days_ago - 1))
        review = self.accept(review, self.wd(asked_days_ago - 3))
        if review.petition.level == Level.REEXAMINATION:
            starts = _day(self.wd(asked_days_ago - 15))
            review = self.hearing(review, starts, starts + timedelta(days=1), self.wd(asked_days_ago - 8))
        notice = self.answer(review, self.wd(asked_days_ago - 22), decision, Delivery.POST)
        moment = self.received(review, notice) or self.wd(asked_days_ago - 24)
        return self.follow_up(_fresh(review), moment + timedelta(days=1), decision,
                              4 if decision == Decision.CHANGED else 2)


def build_showcase(now: datetime, rng: random.Random) -> list[Case]:
    """Petitions in 葛城街道 in every state a petition can be in, and the leaders' reception days
    with what they received and the bookings of the coming ones. Returns the petitions."""
    s = _Showcase(now, rng)
    land, resettlement, policy, conduct = ("petition.land_acquisition", "petition.resettlement", "petition.policy",
                                           "petition.conduct")
    # Registered, not yet routed: the petition office has 15 days (第二十二条).
    s.new(s.wd(1, 15), policy, 1)
    s.new(s.wd(0, 9.5), policy, 2, PetitionForm.VISIT)
    s.new(s.wd(3, 11), conduct, wrongdoing=0, form=PetitionForm.ONLINE)
    # Routed and waiting for acceptance: a group petition sent yesterday (its 5 working days to
    # object still running), and one past that window, waiting for the body's answer.
    case = s.new(s.wd(2, 9.5), land, 2, PetitionForm.VISIT, group=18)
    s.route(case, s.gc, s.wd(1, 11), RouteKind.ASSIGNED)
    case = s.new(s.wd(11), land, 0)
    s.route(case, s.body("zjw"), s.wd(9))
    # Objected and routed anew: accepted by the right body; waiting at the right body; and one
    # back with the petition office, to be routed again.
    case = s.new(s.wd(16, 9.5), resettlement)
    s.route(case, s.body("ghzyj"), s.wd(15))
    s.object(case, s.gc, s.wd(13))
    s.route(case, s.gc, s.wd(12))
    s.accept(case, s.wd(9, 15))
    case = s.new(s.wd(8), land, 1, PetitionForm.VISIT)
    s.route(case, s.body("ghzyj"), s.wd(7))
    s.object(case, s.gc, s.wd(5))
    s.route(case, s.gc, s.wd(4))
    case = s.new(s.wd(6), policy, 0)
    s.route(case, s.body("mzj"), s.wd(5))
    s.object(case, s.body("tyjrswj"), s.wd(2))
    # Not accepted, with the reason and where to turn: by the body, and by the petition office.
    case = s.new(s.wd(13), land, 0, PetitionForm.VISIT)
    s.route(case, s.gc, s.wd(12))
    s.decline(case, s.wd(9))
    case = s.new(s.wd(7, 14), policy, 1)
    s.decline(case, s.wd(6), by_clerk=True)
    # Accepted and being handled: recently; due in a few days (60 days, 第三十四条); overdue,
    # supervised, with the demo leader in charge.
    s.accepted(s.wd(26), s.wd(24), s.wd(21), policy, 1, office=s.body("jw"))
    s.accepted(s.wd(64), s.wd(62), s.cd(58, 15), resettlement, 1, office=s.body("zjw"))
    s.accepted(s.wd(66), s.wd(63), s.cd(59, 10), land, 1, form=PetitionForm.VISIT)
    case = s.accepted(s.wd(80), s.wd(77), s.cd(64), land, 0, form=PetitionForm.VISIT, office=s.body("zjw"))
    case = s.take_charge(case, s.leader, s.wd(50))
    case_services.supervise_case(s.supervisor, case, level=2, note=cat.SUPERVISE_NOTES[2], now=s.at(case, s.cd(2)))
    # Extended by 30 days with the written reason, and an extension waiting for the supervisor.
    case = s.accepted(s.wd(66), s.wd(62), s.cd(57), land, 2, group=12)
    s.extend(case, 30, s.cd(8, 10), s.cd(7, 16))
    case = s.accepted(s.wd(62), s.wd(60), s.cd(55), resettlement, 0, form=PetitionForm.VISIT)
    s.extend(case, 20, s.wd(1, 16), None)
    # Answered with each decision: in person, by post with the day of receipt recorded, by post
    # not yet known to have arrived.
    s.answered(80, policy, 0, Decision.SUPPORT, Delivery.IN_PERSON, office=s.body("tyjrswj"), rating=5)
    s.answered(95, resettlement, 0, Decision.EXPLAIN, Delivery.POST, rating=4)
    s.answered(70, policy, 2, Decision.NOT_SUPPORT, Delivery.POST, office=s.body("mzj"), received=False)
    # Reviews: decided by the county government (the answer changed); being handled there; just
    # asked for online.
    original = s.answered(150, land, 1, Decision.NOT_SUPPORT, Delivery.POST, rating=2)
    s.decided_review(original, 95, Decision.CHANGED, body=s.county_government)
    original = s.answered(75, resettlement, 0, Decision.NOT_SUPPORT, Delivery.IN_PERSON, rating=2)
    review = s.ask_review(original, _day(s.wd(20)), s.wd(20, 15))
    s.route(review, s.county_government, s.wd(19))
    s.accept(review, s.wd(17))
    original = s.answered(60, land, 0, Decision.EXPLAIN, Delivery.SMS, office=s.body("zjw"), rating=3)
    s.ask_review(original, _day(s.wd(1)), s.wd(1, 20), by_petitioner=True)
    # Re-examined after a hearing, which concluded the matter; a new petition on it later, on
    # the same facts and reasons, is answered as concluded (第三十六条).
    name, phone = build.random_person_name(rng), build.fake_phone(rng)
    original = s.answered(260, land, 0, Decision.NOT_SUPPORT, Delivery.POST, office=s.body("zjw"), rating=1,
                          form=PetitionForm.VISIT, name=name, phone=phone)
    review = s.decided_review(original, 200, Decision.UPHELD, body=s.county_government)
    s.decided_review(review, 165, Decision.UPHELD, body=s.city_government)
    again = s.new(s.wd(20), land, 0, PetitionForm.VISIT, name=name, phone=phone)
    now = s.at(again, s.wd(18))
    services.answer_as_concluded(s.clerk, again, earlier_code=original.tracking_code,
                                 note=rng.choice(cat.CONCLUDED_NOTES), sent_on=_day(now), delivery=Delivery.IN_PERSON,
                                 now=now)
    # About the township office, naming an official: handled by it without seeing who petitioned.
    s.accepted(s.wd(30), s.wd(29), s.wd(27), conduct, 0)
    s.answered(75, conduct, 0, Decision.SUPPORT, Delivery.IN_PERSON, rating=4)
    # Reports of wrongdoing by its staff: never sent to the township, answered by the county
    # government; one with the demo leader in charge.
    case = s.accepted(s.wd(42), s.wd(41), s.wd(38), conduct, wrongdoing=0, office=s.county_government)
    s.take_charge(case, s.leader, s.wd(35))
    s.answered(120, conduct, 0, Decision.EXPLAIN, Delivery.POST, wrongdoing=1, office=s.county_government, rating=3)
    # A group petition brought in person, assigned (交办) with a report back, the demo leader in charge.
    case = s.accepted(s.wd(35, 9.5), s.wd(34), s.wd(31), resettlement, 1, form=PetitionForm.VISIT, group=26,
                      office=s.gc, route_kind=RouteKind.ASSIGNED)
    s.take_charge(case, s.leader, s.wd(30))
    _receptions(s)
    return s.cases


def _receptions(s: _Showcase) -> None:
    """The last two reception days and the last one the demo leader held: three visitors each,
    booked at the counter or online, received by the leader, who takes personal charge of the
    first; their petitions go on to the competent body. Then the coming three reception days,
    with bookings on the first two."""
    rng = s.rng
    past = s.past_reception_days(s.today, 2)
    if s.leader not in [s.leader_on(d) for d in past]:
        past.append(next(d for d in s.past_reception_days(s.today, 12) if s.leader_on(d) == s.leader))
    for day in past:
        reception = s.reception_day(day)
        for number in range(3):
            online = number == 2
            registered = s.wd((s.today - day).days + rng.randint(2, 6), rng.uniform(9, 16))
            category = rng.choice(["petition.land_acquisition", "petition.resettlement", "petition.policy"])
            index = rng.randrange(len(cat.PETITION_MATTERS[category]))
            case = s.new(registered, category, index, PetitionForm.ONLINE if online else PetitionForm.VISIT,
                         group=rng.choice([0, 0, 8]) if not online else 0)
            booking = s.book(case, reception, registered + timedelta(hours=3 if online else 0.3), online=online)
            if booking is None:
                continue
            s.receive(booking, s.at(case, booking.slot_at + timedelta(minutes=15)), take_charge=number == 0)
            matter = s.matters[case.pk]
            body = s.office(matter.bodies[0], s.township)
            routed = s.clock.after(_at(day + timedelta(days=1), 9), rng.uniform(0, 300))
            if routed < s.now - timedelta(hours=2):
                case = s.route(case, body, routed)
                accepted = s.clock.after(routed, rng.uniform(1, 4) * W)
                if accepted < s.now - timedelta(hours=2):
                    s.accept(case, accepted)
    upcoming = s.reception_days(s.today, 3)
    open_cases = [c for c in s.cases if _fresh(c).status in (Status.SUBMITTED, Status.IN_PROGRESS)]
    rng.shuffle(open_cases)
    for day, wanted in zip(upcoming, (4, 2, 0), strict=True):
        reception = s.reception_day(day)
        for number in range(wanted):
            # Online at any hour of the last days; at the counter in office hours.
            online = number % 2 == 0
            for case in open_cases:
                when = (s.now - timedelta(hours=rng.uniform(3, 60)) if online
                        else s.wd(rng.randint(1, 3), rng.uniform(9, 17)))
                if when > s.lines[case.pk].last:
                    s.book(case, reception, when, online=online)
                    open_cases.remove(case)
                    break


# ---------------------------------------------------------------------------- the whole


def build_petitions(now: datetime | None = None, seed: int = build.DEFAULT_SEED) -> Counter:
    """The showcase and the reception calendar, in one transaction. Call after
    ``build.generate_cases``. Returns counts for the summary."""
    now = now or timezone.now()
    with transaction.atomic():
        showcase = build_showcase(now, random.Random(seed + 3))
    return summary(now, showcase=len(showcase))


def summary(now: datetime | None = None, showcase: int = 0) -> Counter:
    """What the demo holds of petitions, for the demo command's summary."""
    now = now or timezone.now()
    petitions = Petition.objects.filter(case__is_synthetic=True)
    counts = Counter(showcase=showcase, petitions=petitions.count())
    counts.update({f"level:{v}": n for v, n in Counter(petitions.values_list("level", flat=True)).items()})
    counts.update({f"status:{v}": n for v, n in Counter(petitions.values_list("case__status", flat=True)).items()})
    counts.update({f"decision:{v}": n for v, n in Counter(petitions.exclude(decision="")
                                                            .values_list("decision", flat=True)).items()})
    notices = Notice.objects.filter(petition__in=petitions)
    counts.update({f"notice:{v}": n for v, n in Counter(notices.values_list("kind", flat=True)).items()})
    counts["posted_received"] = notices.filter(delivery=Delivery.POST, delivered_on__isnull=False).count()
    cases = Case.objects.filter(petition__in=petitions)
    counts["not_routed"] = petitions.filter(case__status=Status.SUBMITTED, routed_at__isnull=True).count()
    counts["waiting"] = petitions.filter(case__status=Status.SUBMITTED, routed_at__isnull=False).count()
    counts["objected"] = cases.filter(events__action=PetitionEvent.PETITION_OBJECTION).distinct().count()
    counts["extended"] = petitions.filter(extension_days__gt=0).count()
    counts["overdue"] = cases.filter(due_at__lt=now).count()
    counts["about_office"] = cases.filter(about_office__isnull=False).count()
    counts["wrongdoing"] = cases.filter(reports_wrongdoing=True).count()
    counts["group"] = petitions.filter(group_size__gt=1).count()
    counts["hearings"] = Hearing.objects.filter(petition__in=petitions).count()
    counts["concluded"] = petitions.filter(earlier_matter__isnull=False).count()
    leader = User.objects.filter(username="leader").first()
    counts["leader:all"] = petitions.filter(leader__isnull=False).count()
    counts["leader:demo"] = petitions.filter(leader=leader).count()
    counts["leader:demo_open"] = petitions.filter(leader=leader).exclude(
        case__status__in=[Status.CLOSED, Status.MERGED]).count()
    days = ReceptionDay.objects.all()
    start = _at(_day(now), 0)
    counts["days:past"] = days.filter(starts_at__lt=start).count()
    counts["days:upcoming"] = days.filter(starts_at__gte=start).count()
    bookings = Booking.objects.filter(petition__in=petitions)
    counts["bookings:received"] = bookings.filter(status=BookingStatus.RECEIVED).count()
    counts["bookings:upcoming"] = bookings.filter(status=BookingStatus.BOOKED, slot_at__gt=now).count()
    counts["bookings:online"] = bookings.filter(via=BookedVia.PUBLIC).count()
    counts["bookings:counter"] = bookings.filter(via=BookedVia.COUNTER).count()
    counts["receptions:in_charge"] = cases.filter(events__action=PetitionEvent.LEADER,
                                                  events__data__has_key="booking").distinct().count()
    return counts


def run_demo(seed: int = build.DEFAULT_SEED) -> tuple[str, list[str]]:
    """The module's demo (``modules.Module.demo``): build it, and the lines of its summary."""
    counts = build_petitions(seed=seed)
    lines: list[str] = []
    lines.append(
        f"Petitions (synthetic): {counts['petitions']}, of them {counts['showcase']} in 葛城街道 in every state; "
        f"{counts['level:review']} reviews and {counts['level:reexamination']} re-examinations "
        f"({counts['hearings']} hearings), {counts['concluded']} answered as concluded"
    )
    lines.append(
        f"  not yet routed {counts['not_routed']}, waiting for acceptance {counts['waiting']}, objected "
        f"{counts['objected']}, not accepted {counts['notice:non_acceptance']}, being handled "
        f"{counts['status:in_progress']} (overdue {counts['overdue']}), extended {counts['extended']}; answered: "
        f"supported {counts['decision:support']}, explained {counts['decision:explain']}, not supported "
        f"{counts['decision:not_support']}, upheld {counts['decision:upheld']}, changed "
        f"{counts['decision:changed']} ({counts['posted_received']} posted with the day of receipt)"
    )
    lines.append(
        f"  about a township office {counts['about_office']} (reports of wrongdoing {counts['wrongdoing']}), group "
        f"petitions {counts['group']}; leaders in charge {counts['leader:all']} (the demo leader "
        f"{counts['leader:demo']}, {counts['leader:demo_open']} open)"
    )
    lines.append(
        f"  reception days: {counts['days:past']} held, {counts['days:upcoming']} coming; "
        f"{counts['bookings:received']} received ({counts['receptions:in_charge']} taken in charge there), "
        f"{counts['bookings:upcoming']} booked ahead; booked online {counts['bookings:online']}, at the counter "
        f"{counts['bookings:counter']}"
    )
    return "petitions: showcase and reception days", lines
