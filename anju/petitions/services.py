"""Every change to petitions and reception days. One function per change: it checks the actor's
right and the petition's state, writes the case's timeline event and the written notice the
信访工作条例 requires, and saves, in one transaction. The case's own status and deadlines change
only through ``anju.cases.services``; the time limits come from ``statutory``.

The petitioner is served, never watched: nothing here restricts, flags or follows anyone who
petitions, and nothing counts petitions per person. A petitioner is recorded on each petition
anew; links are between matters (a review and the decision it is about, a new petition and the
matter concluded before it).
"""

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anju.cases import access as case_access
from anju.cases import deadlines, redaction
from anju.cases import services as case_services
from anju.cases.choices import Action, Channel, ClockUnit, ExtensionStatus, Status
from anju.cases.messages import notify_reporter, notify_user
from anju.cases.models import Case, Category
from anju.cases.services import CaseError, NewCase, check_choice, check_text
from anju.lib import tracking
from anju.lib.chinese import chinese_date
from anju.lib.masking import mask_address, mask_name, mask_phone
from anju.lib.redact import Person, redact
from anju.lib.workdays import LOCAL, Deadline, local_date, start_of_day
from anju.people import access as people_access
from anju.people.models import Office, User
from anju.petitions import access, notices, statutory
from anju.petitions.choices import (
    ANSWER_NOTICE,
    DECISIONS_OF_LEVEL,
    NEXT_LEVEL,
    PETITION,
    BookedVia,
    BookingStatus,
    Delivery,
    Level,
    NoticeKind,
    PetitionEvent,
    PetitionForm,
    ReceptionStatus,
    RouteKind,
)
from anju.petitions.models import Booking, Hearing, Notice, Petition, Petitioner, ReceptionDay

# The channel of the core for each way a petition comes in.
FORM_CHANNEL = {
    PetitionForm.LETTER: Channel.LETTER, PetitionForm.VISIT: Channel.WALK_IN, PetitionForm.PHONE: Channel.HOTLINE,
    PetitionForm.ONLINE: Channel.WEB, PetitionForm.REFERRED: Channel.LETTER,
}
CHANNEL_FORM = {Channel.LETTER: PetitionForm.LETTER, Channel.WALK_IN: PetitionForm.VISIT,
                Channel.HOTLINE: PetitionForm.PHONE, Channel.WEB: PetitionForm.ONLINE, Channel.APP: PetitionForm.ONLINE}
MAX_PETITIONERS = 50
# What the petitioner asks for in each review window, and the article that sets it.
WINDOWS = {Level.ORIGINAL: statutory.REVIEW_REQUEST, Level.REVIEW: statutory.REEXAMINATION_REQUEST}
ANSWER_RULES = {Level.REVIEW: statutory.REVIEW_ANSWER, Level.REEXAMINATION: statutory.REEXAMINATION_ANSWER}


def _forbidden() -> CaseError:
    return CaseError(_("You may not do this with this petition."), status=403)


def _calendar(start: datetime):
    return deadlines.calendar_for(start)


# ---------------------------------------------------------------------------- registering


@dataclass
class NewPetitioner:
    name: str
    phone: str = ""
    address: str = ""
    is_representative: bool = False


@dataclass
class PetitionFacts:
    """What a petition record holds beyond the case: how it came, the request, the official it
    names, how many petition together, and the petitioners."""

    form: str = PetitionForm.LETTER
    request: str = ""
    about_official: str = ""
    group_size: int = 1
    petitioners: list[NewPetitioner] = field(default_factory=list)


def _check_petitioners(petitioners: list[NewPetitioner]) -> None:
    if len(petitioners) > MAX_PETITIONERS:
        raise CaseError(_("At most %(n)s petitioners.") % {"n": MAX_PETITIONERS}, status=422, field="petitioners")
    for index, person in enumerate(petitioners):
        try:
            _check_petitioner(person)
        except CaseError as error:
            error.field = f"petitioners.{index}.{error.field}"
            raise


def _check_petitioner(person: NewPetitioner) -> None:
    check_text(person.name, "name", _("Name"), 50)
    phone = (person.phone or "").strip()
    if phone and (len(phone) > 20 or not all(c.isdigit() or c in "+- " for c in phone)):
        raise CaseError(_("Phone may hold only digits, spaces, + and -."), status=422, field="phone")
    check_text(person.address, "address", _("Address"), 200, required=False)


def _check_facts(data: NewCase, facts: PetitionFacts) -> None:
    check_choice(facts.form, PetitionForm, "form")
    facts.request = check_text(facts.request, "request", _("Request"), 5000, required=False)
    facts.about_official = check_text(facts.about_official, "about_official", _("Official complained about"), 100,
                                      required=False)
    if facts.about_official and not data.about_office_code:
        raise CaseError(_("Name the body the official works for, so that the petitioner is hidden from it."),
                        status=422, field="about_office")
    _check_petitioners(facts.petitioners)
    if not isinstance(facts.group_size, int) or not 1 <= facts.group_size <= 100_000:
        raise CaseError(_("People petitioning together must be a whole number from 1 to 100000."), status=422,
                        field="group_size")
    if facts.group_size < len(facts.petitioners):
        raise CaseError(_("People petitioning together cannot be fewer than the petitioners recorded."), status=422,
                        field="group_size")


def scrub(text: str, petitioners: list[NewPetitioner], reporter_phone: str = "", reporter_email: str = "") -> str:
    """``text`` redacted of the petitioners (their names in every form, phones, home addresses)
    and of anyone's personal data (``lib.redact``): for the words staff write into a notice,
    which the body a petition is about may read and which keeps no whole copy."""
    people = [Person(name=p.name, phone=p.phone or "", address=p.address or "") for p in petitioners]
    people.append(Person(phone=reporter_phone or "", email=reporter_email or ""))
    return redact(text or "", people)


def people_on_case(case: Case) -> list[Person]:
    """The petitioners of a petition's case, for the core's redaction of every text of the case
    (``CaseKind.people``)."""
    return [Person(name=p.name, phone=p.phone, address=p.address)
            for p in Petitioner.objects.filter(petition__case=case)]


def _prepare(data: NewCase, facts: PetitionFacts) -> None:
    """The case's side of a petition: kind, channel from the form, the first petitioner as the
    reporter (who gets the messages). The words are kept as written; every page reads them
    redacted of who petitioned (``cases.redaction``, refreshed once the petitioners exist)."""
    data.kind = PETITION
    data.channel = FORM_CHANNEL.get(facts.form, data.channel)
    _check_facts(data, facts)
    facts.petitioners.sort(key=lambda p: not p.is_representative)
    if facts.petitioners and not (data.reporter_name or data.reporter_phone):
        data.reporter_name = facts.petitioners[0].name.strip()
        data.reporter_phone = facts.petitioners[0].phone.strip()
    category = Category.objects.filter(code=data.category_code, is_active=True).first()
    data.deadline_rule = statutory_rule(category, data.priority)


def statutory_rule(category: Category | None, priority: str) -> dict:
    """The deadline rule stored on a petition's case: the regulation's time limits in calendar
    days (15 to route or say whether it is accepted, 60 to answer), whatever a deadline policy
    says; the follow-up after the answer (回访, the staff's duty, not a limit of the regulation)
    and the warning and escalation hours are the matching policy's. The petitioner's own 30 days
    to ask for review are theirs, never a deadline on a body (``request_window``)."""
    policy = deadlines.policy_for(PETITION, category, priority) if category is not None else None
    rule = deadlines.rule_from_policy(policy)
    days = ClockUnit.CALENDAR_DAYS
    rule.update({"name": "信访工作条例", "accept": [statutory.ROUTE.days, days],
                 "handle": [statutory.HANDLING.days, days]})
    return rule


def _new_record(case: Case, facts: PetitionFacts, now: datetime, **fields) -> Petition:
    petition = Petition.objects.create(case=case, form=facts.form, request=facts.request,
                                       about_official=facts.about_official, group_size=facts.group_size,
                                       created_at=now, **fields)
    Petitioner.objects.bulk_create([
        Petitioner(petition=petition, name=p.name.strip(), phone=(p.phone or "").strip(),
                   address=(p.address or "").strip(), is_representative=p.is_representative, created_at=now)
        for p in facts.petitioners
    ])
    # Every text of the case and the request, redacted of the petitioners now that they exist.
    redaction.refresh(case)
    redaction.redo(petition, redaction.people_on(case))
    return petition


def _received(received_on: date | None, now: datetime) -> datetime:
    """The moment a petition counts as received: now, or on an earlier day it came in (a letter
    opened today that arrived last week), from which the 15 days to route run (第二十二条)."""
    if received_on is None:
        return now
    today = local_date(now)
    if not isinstance(received_on, date) or received_on > today:
        raise CaseError(_("The day of receipt cannot be in the future."), status=422, field="received_on")
    if received_on < today - timedelta(days=366):
        raise CaseError(_("The day of receipt must lie within the last year."), status=422, field="received_on")
    return start_of_day(received_on) + (now - start_of_day(today))


def register_petition(actor, data: NewCase, facts: PetitionFacts | None = None, *, idempotency_key: str = "",
                      received_on: date | None = None, now: datetime | None = None,
                      synthetic: bool = False) -> tuple[Case, bool]:
    """Register a petition (登记): a case of kind ``petition`` with its record and petitioners, in
    one transaction; the 15 days to route it run from the day it was received (``received_on``,
    today unless told; 第二十二条: ``statutory_rule``). A petition that reports
    wrongdoing is confidential from creation and kept from the body it is about. Returns
    ``(case, created)`` like ``create_case``."""
    now = now or timezone.now()
    facts = facts or PetitionFacts()
    received = _received(received_on, now)
    _prepare(data, facts)
    data.extra = {**data.extra, "petition": asdict(facts), "received_on": str(received_on or "")}
    with transaction.atomic():
        case, created = case_services.do_create_case(actor, data, idempotency_key=idempotency_key, now=received,
                                                     synthetic=synthetic)
        if created:
            _new_record(case, facts, now)
    return case, created


def submit_petition_online(data: NewCase, facts: PetitionFacts, *, now: datetime | None = None) -> Case:
    """A petitioner's own petition through the public pages (网上信访): no account, no right
    needed; it may name the body it is about, which then never sees who sent it."""
    now = now or timezone.now()
    facts.form = PetitionForm.ONLINE
    _prepare(data, facts)
    with transaction.atomic():
        case, _created = case_services.do_create_case(None, data, now=now)
        _new_record(case, facts, now)
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Your petition %(code)s was received; rating code %(rating)s (needed to follow up, book a "
                 "reception or ask for a review; keep it to yourself).") % {
            "code": tracking.display(case.tracking_code), "rating": tracking.rating_code(case.tracking_code)}
    notify_reporter(case, Action.SUBMIT, body)
    return case


def ensure_petition(case: Case) -> Petition:
    """The petition record of a petition case, made with what the case knows when it came in
    through the core's intake (a hotline call registered as a petition)."""
    if case.kind != PETITION:
        raise CaseError(_("This case is not a petition."), status=404)
    petition = Petition.objects.filter(case=case).first()
    if petition is None:
        petition, _created = Petition.objects.get_or_create(
            case=case, defaults={"form": CHANNEL_FORM.get(case.channel, PetitionForm.LETTER),
                                 "created_at": case.submitted_at})
    return petition


def _locked(actor, case: Case, right) -> tuple[Case, Petition]:
    """The case and its petition re-read under a row lock, after the right is checked on the
    case as it is now: a member of staff must also see the case (a report of wrongdoing is not
    seen by the body it is about), and a missing right is refused. ``right`` None is the
    petitioner on the public pages, or a service that checks the right itself. The case first,
    then its record, as the core locks."""
    case = case_services.lock_case(case, "reporter", "about_office")
    staff = actor is not None and actor.is_authenticated
    if staff and not case_access.visible_to(actor).filter(pk=case.pk).exists():
        raise CaseError(_("Not found."), status=404)
    if right is not None and not right(actor, case):
        raise _forbidden()
    petition = ensure_petition(case)
    petition = Petition.objects.select_for_update(of=("self",)).get(pk=petition.pk)
    petition.case = case
    return case, petition


def _words(petition: Petition, value: str, field_name: str, label: str, max_length: int,
           required: bool = True) -> str:
    """Words staff write on a petition (a note, a reason, what was said at a reception), checked.
    They are kept as written: the rows they go into (the timeline, extension requests, hearings,
    bookings) keep a copy redacted of who petitioned, which is what the body the petition is
    about reads (``cases.redaction``)."""
    return check_text(value, field_name, label, max_length, required=required)


def _notice_words(petition: Petition, value: str, field_name: str, label: str, max_length: int,
                  required: bool = True) -> str:
    """Words staff write into a written notice (the reasons of a decision, the findings of an
    answer), checked and scrubbed of who petitioned when written: a notice is kept as issued,
    with no second copy, and the body the petition is about reads it too. The notice names the
    petitioners from the record, in its addressee line only."""
    value = _words(petition, value, field_name, label, max_length, required=required)
    reporter = petition.case.reporter
    return scrub(value, list(petition.petitioners.all()), reporter.phone if reporter else "",
                 reporter.email if reporter else "")


# ---------------------------------------------------------------------------- notices


def _facts(petition: Petition, office: Office | None = None) -> notices.Facts:
    case = petition.case
    return notices.Facts(
        code=tracking.display(case.tracking_code), form=petition.form, level=petition.level,
        received_on=local_date(case.submitted_at),
        office=(office or case.office).name if (office or case.office) else "",
        matter=case.text, request=petition.request, group_size=petition.group_size,
        petitioners=[p.name for p in petition.petitioners.all()],
    )


def _sending(sent_on: date | None, delivery: str, now: datetime, case: Case) -> tuple[date, str]:
    sent_on = sent_on or local_date(now)
    if not isinstance(sent_on, date):
        raise CaseError(_("Give the day the notice was sent."), status=422, field="sent_on")
    if sent_on > local_date(now):
        raise CaseError(_("A notice cannot be sent in the future."), status=422, field="sent_on")
    if sent_on < local_date(case.submitted_at):
        raise CaseError(_("A notice cannot be sent before the petition was received."), status=422, field="sent_on")
    return sent_on, check_choice(delivery, Delivery, "delivery")


def _issue(actor, petition: Petition, kind: str, content: dict, *, sent_on: date, delivery: str, now: datetime,
           decision: str = "", office: Office | None = None) -> Notice:
    """Keep the notice as issued, log it on the timeline with the day it was sent and how (the
    petitioner sees it on the tracking page), and tell the petitioner it is there."""
    case = petition.case
    office = office or case.office
    # A placeholder until the row has its id: the number is made from the id.
    notice = Notice.objects.create(
        petition=petition, kind=kind, number=f"new-{uuid.uuid4().hex}", office=office,
        decision=decision, content=content, issued_by=actor, issued_at=now, sent_on=sent_on, delivery=delivery,
        # By post the day it arrives is recorded when known; otherwise the petitioner has it the day it is sent.
        delivered_on=None if delivery == Delivery.POST else sent_on,
    )
    notice.number = notices.notice_number(kind, notice.pk, now)
    notice.content = {**content, "number": notice.number, "date": chinese_date(sent_on)}
    notice.save(update_fields=["number", "content"])
    case_services.do_record_event(
        case, actor, PetitionEvent.NOTICE, public=True, now=now,
        data={"notice": notice.pk, "kind": kind, "number": notice.number, "sent_on": sent_on.isoformat(),
              "delivery": delivery},
    )
    with translation.override(settings.LANGUAGE_CODE):
        body = _("A written notice on your petition %(code)s was sent on %(date)s: %(title)s (No. %(number)s). "
                 "Read it on the tracking page with your tracking code.") % {
            "code": tracking.display(case.tracking_code), "date": chinese_date(sent_on),
            "title": content["title"], "number": notice.number}
        if kind == NoticeKind.RECEIPT:
            body += " " + _("Your rating code is %(rating)s (needed to book a reception or ask for a review; keep it "
                            "to yourself).") % {"rating": tracking.rating_code(case.tracking_code)}
    notify_reporter(case, PetitionEvent.NOTICE, body)
    return notice


@transaction.atomic
def record_delivery(actor, case: Case, *, notice_id: int, delivered_on: date, now: datetime | None = None) -> Notice:
    """The day the petitioner received a notice sent by post (送达): their own time to ask for
    review or re-examination counts from it."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_record_for_petitioner)
    notice = petition.notices.filter(pk=notice_id).first() if isinstance(notice_id, int) else None
    if notice is None:
        raise CaseError(_("Unknown notice."), status=404, field="notice_id")
    if not isinstance(delivered_on, date):
        raise CaseError(_("Give the day the petitioner received it."), status=422, field="delivered_on")
    if delivered_on < notice.sent_on or delivered_on > local_date(now):
        raise CaseError(_("The day of receipt must lie between the day it was sent and today."), status=422,
                        field="delivered_on")
    if petition.requests.exists() and notice.kind == ANSWER_NOTICE[petition.level]:
        raise CaseError(_("A review of this answer was already asked for; its day of receipt stays."))
    notice.delivered_on = delivered_on
    notice.save(update_fields=["delivered_on"])
    case_services.do_record_event(case, actor, PetitionEvent.NOTICE_DELIVERED, now=now,
                                  data={"notice": notice.pk, "delivered_on": delivered_on.isoformat()})
    return notice


# ---------------------------------------------------------------------------- routing and acceptance


def _last_route_from(case: Case) -> str | None:
    event = case.events.filter(action=PetitionEvent.PETITION_ROUTE).order_by("-at", "-id").first()
    return event.data.get("from_office") if event else None


def _deciding_offices(petition: Petition) -> set[int]:
    """The bodies that decided the matter at the levels below this one: a review or a
    re-examination is decided a level up, never by them."""
    offices, parent = set(), petition.parent
    while parent is not None:
        if parent.case.office_id:
            offices.add(parent.case.office_id)
        parent = parent.parent
    return offices


@transaction.atomic
def route_petition(actor, case: Case, *, office_code: str, route_kind: str = RouteKind.TRANSFERRED, note: str = "",
                   sent_on: date | None = None, delivery: str = Delivery.ONLINE,
                   now: datetime | None = None) -> Case:
    """The petition office sends the matter to the competent body (转送, or 交办 with a report
    back; 第二十二条) and tells the petitioner where it went. The body has 15 days to say
    whether it accepts (第二十三条) and 5 working days to object that it is not competent; a
    review or re-examination keeps its own 30 days."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_route)
    if case.status != Status.SUBMITTED:
        raise CaseError(_("Only a petition waiting to be accepted can be routed."))
    if petition.routed_at is not None:
        # Its clock must not start again: the body accepts, declines, or objects within 5 working days.
        raise CaseError(_("This petition was already routed to %(office)s, which accepts it, declines it or objects "
                          "that it is not competent.") % {"office": case.office.name if case.office_id else "—"})
    check_choice(route_kind, RouteKind, "route_kind")
    note = _words(petition, note, "note", _("Note"), 1000, required=False)
    office = Office.objects.filter(code=office_code, is_active=True).first() if office_code else None
    if office is None:
        raise CaseError(_("Unknown or inactive office."), status=422, field="office")
    if office.pk == case.office_id:
        raise CaseError(_("The petition is already with this body."), status=422, field="office")
    if office.pk in _deciding_offices(petition):
        raise CaseError(_("A review or re-examination is decided by the body a level up, not by a body that "
                          "decided the matter before (信访工作条例 第三十五条、第三十六条)."), status=422,
                        field="office")
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    calendar = _calendar(now)
    due = case_services.deadline_of(case, "accept_due_at")
    if petition.level == Level.ORIGINAL:
        due = statutory.body_deadline(now, statutory.ACCEPTANCE_NOTICE, calendar)
        # The limit to route is kept on the record, with whether it was met (第二十二条): the
        # case's own time to accept now counts from the routing.
        if petition.routed_at is None:
            petition.route_due_at = case.accept_due_at
            petition.routed_in_time = now <= case.accept_due_at
    case_services.do_route_for_acceptance(actor, case, office=office, action=PetitionEvent.PETITION_ROUTE,
                                          accept_due_at=due, note=note, data={"route_kind": route_kind}, public=True,
                                          now=now)
    petition.route_kind, petition.routed_at = route_kind, now
    objection = statutory.body_deadline(now, statutory.OBJECTION, calendar)
    petition.objection_due_at, petition.objection_estimated = objection.at, objection.estimated
    petition.save(update_fields=["route_kind", "routed_at", "objection_due_at", "objection_estimated", "route_due_at",
                                 "routed_in_time", "updated_at"])
    # The notice comes from the petition office that routed it.
    sender = actor.office or office
    content = notices.receipt(_facts(petition, sender), to_office=office.name, route_kind=route_kind,
                              today=local_date(now))
    _issue(actor, petition, NoticeKind.RECEIPT, content, sent_on=sent_on, delivery=delivery, now=now,
           office=sender)
    return case


@transaction.atomic
def object_to_petition(actor, case: Case, *, reason: str, now: datetime | None = None) -> Case:
    """The body a petition was sent to objects, within 5 working days, that it is not competent
    (第二十三条), with the reason; the matter goes back to the office that routed it, which has
    15 days from the objection to route it anew."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_handle)
    if case.status != Status.SUBMITTED or petition.routed_at is None:
        raise CaseError(_("Only a petition routed to your body and not yet accepted can be objected to."))
    reason = _words(petition, reason, "reason", _("Reason"), 1000)
    if now > petition.objection_due_at:
        raise CaseError(
            _("An objection must be made within 5 working days of receiving the matter (信访工作条例 第二十三条); "
              "that time ended on %(date)s.") % {"date": chinese_date(local_date(petition.objection_due_at))},
            status=422, field="reason")
    back_to = Office.objects.filter(code=_last_route_from(case)).first() or _centre_for(case)
    due = statutory.body_deadline(now, statutory.ROUTE, _calendar(now))
    if petition.level != Level.ORIGINAL:
        due = case_services.deadline_of(case, "accept_due_at")
    case_services.do_route_for_acceptance(actor, case, office=back_to, action=PetitionEvent.PETITION_OBJECTION,
                                          accept_due_at=due, note=reason, now=now)
    # Routed anew within 15 days of the objection: that limit is kept when it is routed again.
    petition.route_kind, petition.routed_at, petition.objection_due_at = "", None, None
    petition.route_due_at = petition.routed_in_time = None
    petition.save(update_fields=["route_kind", "routed_at", "objection_due_at", "route_due_at", "routed_in_time",
                                 "updated_at"])
    return case


def recount_objection_limits(days) -> None:
    """The calendar changed on ``days`` (``Module.recompute_deadlines``): count again the time to
    object (5 working days) of petitions waiting for their body's decision that those days can
    move or that were estimates. The core counts the case's own deadlines."""
    first = start_of_day(min(days))
    waiting = (Petition.objects.filter(case__status=Status.SUBMITTED, routed_at__isnull=False)
               .filter(Q(objection_due_at__gte=first) | Q(objection_estimated=True)).select_related("case"))
    for petition in waiting:
        objection = statutory.body_deadline(petition.routed_at, statutory.OBJECTION, _calendar(petition.routed_at))
        if (objection.at, objection.estimated) == (petition.objection_due_at, petition.objection_estimated):
            continue
        before = petition.objection_due_at
        Petition.objects.filter(pk=petition.pk).update(objection_due_at=objection.at,
                                                       objection_estimated=objection.estimated)
        case_services.do_record_event(petition.case, None, Action.RECOUNT, data={"deadlines": {"objection_due_at": {
            "from": before.isoformat(), "to": objection.at.isoformat(), "estimated": objection.estimated}}})


def _centre_for(case: Case) -> Office:
    """Where a matter with no known sender goes back to: the service centre above its place."""
    office = case_services.centre_office_for(case.region)
    if office is None:
        raise CaseError(_("No petition office covers this place; route the petition to another body instead."))
    return office


def _handling_due(petition: Petition, accepted: datetime) -> Deadline:
    """The answer is due 60 days after acceptance, plus an approved extension (第三十四条); a
    review or re-examination answers 30 days after it was asked (第三十五条、第三十六条),
    hearing days not counted."""
    case = petition.case
    if petition.level == Level.ORIGINAL:
        return statutory.handling_deadline(accepted, _calendar(accepted), extension_days=petition.extension_days)
    asked = case.submitted_at
    if petition.level == Level.REEXAMINATION:
        hearings = list(petition.hearings.values_list("starts_on", "ends_on"))
        return statutory.reexamination_deadline(asked, _calendar(asked), hearings)
    return statutory.body_deadline(asked, ANSWER_RULES[petition.level], _calendar(asked))


@transaction.atomic
def accept_petition(actor, case: Case, *, note: str = "", sent_on: date | None = None,
                    delivery: str = Delivery.ONLINE, now: datetime | None = None) -> Case:
    """The competent body accepts the matter (受理, 第二十三条) and tells the petitioner by when it
    will answer; the handling clock starts. The first body to accept keeps the matter to the
    end (首办责任)."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_handle)
    if case.status != Status.SUBMITTED:
        raise CaseError(_("Only a petition waiting to be accepted can be accepted."))
    if petition.routed_at is None:
        raise CaseError(_("Route the petition to the competent body first."))
    note = _words(petition, note, "note", _("Note"), 1000, required=False)
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    due = _handling_due(petition, now)
    case_services.do_accept_into_handling(actor, case, action=PetitionEvent.PETITION_ACCEPT, handle_due_at=due,
                                          note=note, now=now, data={"office": case.office.code})
    if petition.first_office_id is None:
        petition.first_office = case.office
        petition.save(update_fields=["first_office", "updated_at"])
    _issue(actor, petition, NoticeKind.ACCEPTANCE, notices.acceptance(_facts(petition), due=local_date(due.at),
                                                                    estimated=due.estimated),
           sent_on=sent_on, delivery=delivery, now=now)
    return case


@transaction.atomic
def decline_petition(actor, case: Case, *, reason: str, where_to_go: str = "", sent_on: date | None = None,
                     delivery: str = Delivery.ONLINE, now: datetime | None = None) -> Case:
    """Not accepted (不予受理), by the body it was sent to or by the petition office, with the
    reason and where the petitioner may turn instead (a court, arbitration, administrative
    reconsideration, another body); the notice is the answer, and the case closes."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_record_for_petitioner)
    if case.status != Status.SUBMITTED:
        raise CaseError(_("Only a petition waiting to be accepted can be declined."))
    reason = _notice_words(petition, reason, "reason", _("Reason"), 1000)
    where_to_go = _notice_words(petition, where_to_go, "where_to_go", _("Where to turn instead"), 500, required=False)
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    notice = _issue(actor, petition, NoticeKind.NON_ACCEPTANCE,
                    notices.non_acceptance(_facts(petition), reason=reason, where_to_go=where_to_go),
                    sent_on=sent_on, delivery=delivery, now=now)
    with translation.override(settings.LANGUAGE_CODE):
        reply = _("Not accepted (written notice No. %(number)s). Reason: %(reason)s") % {
            "number": notice.number, "reason": reason}
        if where_to_go:
            reply += "\n" + _("You may turn to: %(where)s") % {"where": where_to_go}
    case_services.do_reject_case(actor, case, reply=reply[:2000], action=PetitionEvent.PETITION_NOT_ACCEPTED, now=now,
                                 data={"notice": notice.pk})
    return case


# ---------------------------------------------------------------------------- extension


@transaction.atomic
def request_petition_extension(actor, case: Case, *, days: int, reason: str, now: datetime | None = None):
    """The body asks for more time (第三十四条): calendar days, at most 30 in all, with the reason
    the petitioner will be told. A supervisor decides."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_handle)
    if petition.level != Level.ORIGINAL:
        raise CaseError(_("The time limit of a review or re-examination cannot be extended (信访工作条例 "
                          "第三十五条、第三十六条)."))
    left = statutory.EXTENSION_MAX.days - petition.extension_days
    if not isinstance(days, int) or not 1 <= days <= left:
        raise CaseError(_("An extension is at most 30 days in all (信访工作条例 第三十四条); %(left)s days remain.")
                        % {"left": left}, status=422, field="days")
    reason = _words(petition, reason, "reason", _("Reason"), 500)
    case_services.check_right(actor, Action.REQUEST_EXTENSION, case)
    return case_services.do_request_extension(actor, case, amount=days, unit=ClockUnit.CALENDAR_DAYS, reason=reason,
                                              now=now)


@transaction.atomic
def approve_petition_extension(actor, case: Case, *, request_id: int, note: str = "", sent_on: date | None = None,
                               delivery: str = Delivery.ONLINE, now: datetime | None = None) -> Case:
    """A supervisor approves an extension: the answer is due that many days later, and the
    petitioner is told why in writing (延期办理告知书, 第三十四条)."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_approve)
    request = case.extension_requests.filter(pk=request_id).first() if isinstance(request_id, int) else None
    if request is None:
        raise CaseError(_("Unknown extension request."), status=404, field="request_id")
    if request.status != ExtensionStatus.PENDING:
        raise CaseError(_("This extension request has already been decided."))
    if petition.extension_days + request.amount > statutory.EXTENSION_MAX.days:
        raise CaseError(_("An extension is at most 30 days in all (信访工作条例 第三十四条); %(left)s days remain.")
                        % {"left": statutory.EXTENSION_MAX.days - petition.extension_days}, status=422,
                        field="request_id")
    note = _words(petition, note, "note", _("Note"), 500, required=False)
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    case_services.check_right(actor, Action.APPROVE_EXTENSION, case)
    petition.extension_days += request.amount
    # The 60 days and every extension are one period from acceptance (第三十四条), which ends on
    # a working day.
    moved_to = statutory.handling_deadline(case.accepted_at, _calendar(case.accepted_at),
                                           extension_days=petition.extension_days) \
        if petition.level == Level.ORIGINAL else None
    case = case_services.do_approve_extension(actor, case, request_id=request.pk, note=note, moved_to=moved_to,
                                              now=now)
    petition.save(update_fields=["extension_days", "updated_at"])
    petition.case = case
    content = notices.extension(_facts(petition), accepted_on=local_date(case.accepted_at), days=request.amount,
                                reason=request.reason, due=local_date(case.handle_due_at),
                                estimated=case_services.deadline_of(case, "handle_due_at").estimated)
    _issue(actor, petition, NoticeKind.EXTENSION, content, sent_on=sent_on, delivery=delivery, now=now)
    return case


# ---------------------------------------------------------------------------- answer


@dataclass
class AnswerText:
    """What a written answer says beyond the request (第三十一条、第三十二条)."""

    decision: str
    findings: str
    basis: str


@transaction.atomic
def answer_petition(actor, case: Case, text: AnswerText, *, sent_on: date | None = None,
                    delivery: str = Delivery.ONLINE, now: datetime | None = None) -> Notice:
    """The written answer (信访事项处理意见书, or the review or re-examination decision): the
    request, the facts and reasons, the decision and its basis, and what the petitioner may do
    next. The case is resolved with it; the petitioner reads it on the tracking page."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_handle)
    if case.status != Status.IN_PROGRESS:
        raise CaseError(_("Only a petition being handled can be answered."))
    if text.decision not in DECISIONS_OF_LEVEL[petition.level]:
        raise CaseError(_("%(value)s is not one of the allowed values.") % {"value": text.decision or "''"},
                        status=422, field="decision")
    findings = _notice_words(petition, text.findings, "findings", _("Facts and reasons"), 5000)
    basis = _notice_words(petition, text.basis, "basis", _("Legal basis"), 2000)
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    kind = ANSWER_NOTICE[petition.level]
    earlier = ""
    if petition.parent_id:
        before = petition.parent.notices.filter(kind=ANSWER_NOTICE[petition.parent.level]).order_by("-id").first()
        if before is not None:
            earlier = (f"{before.office.name}于{chinese_date(before.sent_on)}作出{before.content.get('title', '')}"
                       f"（{before.number}）。")
    content = notices.answer(kind, _facts(petition), decision=text.decision, findings=findings, basis=basis,
                             earlier=earlier)
    notice = _issue(actor, petition, kind, content, sent_on=sent_on, delivery=delivery, now=now,
                    decision=text.decision)
    petition.decision = text.decision
    petition.answered_on_time = case.handle_due_at is None or now <= case.handle_due_at
    petition.save(update_fields=["decision", "answered_on_time", "updated_at"])
    with translation.override(settings.LANGUAGE_CODE):
        reply = "\n".join([
            _("%(title)s No. %(number)s: %(decision)s") % {
                "title": content["title"], "number": notice.number,
                "decision": notices.DECISION_SENTENCES[text.decision]},
            findings, *content["closing"],
        ])
    case_services.check_right(actor, Action.RESOLVE, case)
    case_services.do_resolve_case(actor, case, reply=reply[:2000], now=now)
    return notice


def review_asked(petition: Petition) -> bool:
    """Whether a review (or re-examination) of this petition's decision was asked for and is not
    out of the way (a request not accepted leaves room for a new one)."""
    return petition.requests.exclude(case__status=Status.CLOSED, case__resolved_at__isnull=True).exists()


def answer_of(petition: Petition) -> Notice | None:
    """The written answer of this petition at its level, the latest if reopened and answered again."""
    return petition.notices.filter(kind=ANSWER_NOTICE[petition.level]).order_by("-id").first()


def request_window(petition: Petition) -> tuple[date | None, statutory.Rule | None]:
    """The last day the petitioner may ask for review (or re-examination) of this petition's
    answer, and the rule; (None, rule) while the answer has not reached them; (None, None) when
    nothing more can be asked."""
    last, rule, _estimated = request_window_estimated(petition)
    return last, rule


def request_window_estimated(petition: Petition) -> tuple[date | None, statutory.Rule | None, bool]:
    """``request_window`` and whether its last day is an estimate (a day no official calendar
    covers yet)."""
    rule = WINDOWS.get(petition.level)
    if rule is None:
        return None, None, False
    answer = answer_of(petition)
    if answer is None or answer.delivered_on is None:
        return None, rule, False
    calendar = _calendar(start_of_day(answer.delivered_on))
    last, estimated = statutory.petitioner_window(answer.delivered_on, rule, calendar)
    return last, rule, estimated


# ---------------------------------------------------------------------------- review and re-examination


@transaction.atomic
def request_review(actor, case: Case, *, reason: str, asked_on: date | None = None, by_petitioner: bool = False,
                   now: datetime | None = None) -> Case:
    """The petitioner asks for review (复查) of an answer, or for re-examination (复核) of a
    review decision, within 30 days of receiving it (第三十五条、第三十六条). A new petition one
    level up opens, linked to the decision it is about, with the petitioners and the protection
    of the first, and its own 30 days to answer. ``by_petitioner`` is the petitioner's own
    request on the tracking page (no user; the view checked the rating code); otherwise a
    member of staff records what the petitioner handed in, and on which day they asked."""
    now = now or timezone.now()
    right = None if by_petitioner else access.can_record_for_petitioner
    case, petition = _locked(actor, case, right)
    if petition.level == Level.REEXAMINATION:
        raise CaseError(_("A re-examination decision is final: the same request on the same facts and reasons is not "
                          "accepted again (信访工作条例 第三十六条)."))
    answer = answer_of(petition)
    if answer is None or case.status not in (Status.RESOLVED, Status.CLOSED) or not petition.decision:
        raise CaseError(_("A review can only be asked for once the petition has been answered in writing."))
    if review_asked(petition):
        raise CaseError(_("A review of this decision has already been asked for."))
    reason = check_text(reason, "reason", _("Reason"), 5000)
    asked_on = local_date(now) if by_petitioner or asked_on is None else asked_on
    if not isinstance(asked_on, date) or asked_on > local_date(now):
        raise CaseError(_("Give the day the petitioner asked, not a day in the future."), status=422, field="asked_on")
    if asked_on < answer.sent_on:
        raise CaseError(_("A request cannot be made before the decision it is about was sent (%(date)s).")
                        % {"date": chinese_date(answer.sent_on)}, status=422, field="asked_on")
    rule = WINDOWS[petition.level]
    # A decision sent by post whose day of receipt is not recorded yet leaves the window open, in
    # the petitioner's favour; staff record that day (``record_delivery``).
    if answer.delivered_on is not None:
        calendar = _calendar(start_of_day(answer.delivered_on))
        what = _("review") if petition.level == Level.ORIGINAL else _("re-examination")
        if asked_on < answer.delivered_on:
            raise CaseError(
                _("This request is early: a %(what)s is asked for once the written decision has reached the "
                  "petitioner, which it did on %(date)s; the request is dated before that.") % {
                    "what": what, "date": chinese_date(answer.delivered_on)},
                status=422, field="asked_on")
        if not statutory.within_window(asked_on, answer.delivered_on, rule, calendar):
            last = statutory.petitioner_window_end(answer.delivered_on, rule, calendar)
            raise CaseError(
                _("A %(what)s must be asked for within 30 days of receiving the written decision (信访工作条例 "
                  "%(article)s); that time ended on %(date)s.") % {
                    "what": what, "article": rule.article, "date": chinese_date(last)},
                status=422, field="asked_on")
    level = NEXT_LEVEL[petition.level]
    reporter = case.reporter
    petitioners = [NewPetitioner(p.name, p.phone, p.address, p.is_representative)
                   for p in petition.petitioners.all()]
    data = NewCase(
        kind=PETITION, category_code=case.category.code, text=reason, lat=case.lat,
        lng=case.lng, address=case.address, region_code=case.region.code,
        channel=Channel.WEB if by_petitioner else Channel.LETTER,
        reporter_name=reporter.name if reporter else "", reporter_phone=reporter.phone if reporter else "",
        reporter_email=reporter.email if reporter else "", confidential=case.confidential,
        about_office_code=case.about_office.code if case.about_office_id else "",
        reports_wrongdoing=case.reports_wrongdoing, kept_from_office_about=case.kept_from_office_about,
        deadline_rule=statutory_rule(case.category, case.priority),
    )
    # The request counts from the day the petitioner made it, 30 days for the answer.
    received = min(now, start_of_day(asked_on) + (now - start_of_day(local_date(now))))
    # Opened by no one: whoever recorded the request does not see the review for having done so
    # (it may be the body whose decision is reviewed). A review of demo data is demo data: no
    # made-up petitioner is ever told anything.
    review, _created = case_services.do_create_case(None, data, now=received, synthetic=case.is_synthetic)
    facts = PetitionFacts(form=PetitionForm.ONLINE if by_petitioner else petition.form, request=data.text,
                          about_official=petition.about_official, group_size=petition.group_size,
                          petitioners=petitioners)
    new = _new_record(review, facts, now, level=level, parent=petition)
    new.case = review
    due = statutory.body_deadline(received, ANSWER_RULES[level], _calendar(received))
    case_services.do_set_deadline(review, stage="accept", due=due, now=now)
    action = PetitionEvent.REVIEW_REQUESTED if level == Level.REVIEW else PetitionEvent.REEXAMINATION_REQUESTED
    case_services.do_record_event(case, actor, action, public=True, now=now,
                                  data={"request": review.pk, "code": review.tracking_code,
                                          "asked_on": asked_on.isoformat()})
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Your request %(code)s was received and goes to the body a level up, which answers by %(date)s; "
                 "rating code %(rating)s.") % {"code": tracking.display(review.tracking_code),
                                               "date": chinese_date(local_date(due.at)),
                                               "rating": tracking.rating_code(review.tracking_code)}
    notify_reporter(review, Action.SUBMIT, body)
    return review


@transaction.atomic
def record_hearing(actor, case: Case, *, starts_on: date, ends_on: date, place: str, note: str = "",
                   now: datetime | None = None) -> Hearing:
    """A hearing of a re-examination (听证): its days do not count towards the 30 days (第三十六条),
    so the answer's deadline moves on by the days it adds."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_handle)
    if petition.level != Level.REEXAMINATION:
        raise CaseError(_("Only a re-examination holds hearings whose time is not counted."))
    if case.status not in (Status.SUBMITTED, Status.IN_PROGRESS):
        raise CaseError(_("The re-examination has already been answered."))
    if not isinstance(starts_on, date) or not isinstance(ends_on, date):
        raise CaseError(_("Give the hearing's first and last day."), status=422, field="starts_on")
    if ends_on < starts_on:
        raise CaseError(_("A hearing cannot end before it starts."), status=422, field="ends_on")
    if starts_on < local_date(case.submitted_at):
        raise CaseError(_("A hearing cannot be before the request."), status=422, field="starts_on")
    if (ends_on - starts_on).days > 30:
        raise CaseError(_("A hearing lasts at most 31 days."), status=422, field="ends_on")
    due = case.due_at or case.handle_due_at
    if due is not None and starts_on > local_date(due):
        raise CaseError(_("A hearing is held before the re-examination is due (%(date)s).")
                        % {"date": chinese_date(local_date(due))}, status=422, field="starts_on")
    if petition.hearings.filter(starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise CaseError(_("A hearing is already recorded on these days."), status=422, field="starts_on")
    place = check_text(place, "place", _("Place"), 200)
    note = _words(petition, note, "note", _("Note"), 2000, required=False)
    hearing = Hearing.objects.create(petition=petition, starts_on=starts_on, ends_on=ends_on, place=place, note=note,
                                     recorded_by=actor, created_at=now)
    due = _handling_due(petition, now)
    stage = "accept" if case.status == Status.SUBMITTED else "handle"
    case_services.do_set_deadline(case, stage=stage, due=due, now=now)
    case_services.do_record_event(case, actor, PetitionEvent.HEARING, public=True, now=now,
                                  data={"hearing": hearing.pk, "starts_on": starts_on.isoformat(),
                                          "ends_on": ends_on.isoformat(), "due_at": due.at.isoformat()})
    return hearing


def chain_root(petition: Petition) -> Petition:
    while petition.parent_id:
        petition = petition.parent
    return petition


def chain(petition: Petition) -> list[Petition]:
    """The matter's chain from the first petition to its last review, in order."""
    items, current = [], chain_root(petition)
    while current is not None:
        items.append(current)
        current = current.requests.order_by("id").last()
    return items


def concluded_decision(petition: Petition) -> Notice | None:
    """The re-examination decision that concluded the matter ``petition`` belongs to, if any."""
    for item in chain(petition):
        if item.level == Level.REEXAMINATION and item.decision:
            return answer_of(item)
    return None


@transaction.atomic
def answer_as_concluded(actor, case: Case, *, earlier_code: str, note: str = "", sent_on: date | None = None,
                        delivery: str = Delivery.ONLINE, now: datetime | None = None) -> Notice:
    """A new petition on a matter already concluded after re-examination: staff link it to that
    matter and answer with a notice citing the decision; it is not accepted again (第三十六条).
    The link is between the matters; nothing is counted against anyone."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_record_for_petitioner)
    if case.status != Status.SUBMITTED:
        raise CaseError(_("Only a petition waiting to be accepted can be answered this way."))
    code = tracking.normalise(earlier_code or "")
    earlier_case = access.petition_cases(actor).filter(tracking_code=code).first() if code else None
    if earlier_case is None or earlier_case.pk == case.pk:
        raise CaseError(_("No petition you may see has this tracking code."), status=422, field="earlier_code")
    decision = concluded_decision(ensure_petition(earlier_case))
    if decision is None:
        raise CaseError(_("That matter has not been concluded by a re-examination decision; this petition must be "
                          "handled."), status=422, field="earlier_code")
    note = _notice_words(petition, note, "note", _("Note"), 1000, required=False)
    sent_on, delivery = _sending(sent_on, delivery, now, case)
    petition.earlier_matter = decision.petition
    petition.save(update_fields=["earlier_matter", "updated_at"])
    case_services.do_record_event(case, actor, PetitionEvent.EARLIER_MATTER, now=now,
                                  data={"earlier": earlier_case.pk, "decision": decision.number})
    content = notices.concluded(_facts(petition, actor.office), earlier_office=decision.office.name,
                                earlier_number=decision.number, earlier_on=decision.sent_on, note=note)
    notice = _issue(actor, petition, NoticeKind.CONCLUDED, content, sent_on=sent_on, delivery=delivery, now=now,
                    office=actor.office or case.office)
    with translation.override(settings.LANGUAGE_CODE):
        reply = _("Not accepted again: the same request on the same facts and reasons was concluded by the "
                  "re-examination decision No. %(number)s (written notice No. %(notice)s).") % {
            "number": decision.number, "notice": notice.number}
    case_services.do_reject_case(actor, case, reply=reply, action=PetitionEvent.PETITION_NOT_ACCEPTED, now=now,
                                 data={"notice": notice.pk, "concluded_by": decision.number})
    return notice


# ---------------------------------------------------------------------------- leaders and first-handler


@transaction.atomic
def assign_leader(actor, case: Case, *, leader_id: int, now: datetime | None = None) -> Petition:
    """A leader takes personal charge of a petition (领导包案), or a supervisor names the leader:
    it shows on the leader's workbench and in the statistics."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, None)
    leader = User.objects.filter(pk=leader_id, is_active=True).first() if isinstance(leader_id, int) else None
    if leader is None or not access.is_leader_for(leader, case):
        raise CaseError(_("Choose a leader whose scope reaches this petition."), status=422, field="leader")
    if not access.can_name_leader(actor, case, leader):
        raise _forbidden()
    if not case.is_open:
        raise CaseError(_("This petition is closed."))
    if petition.leader_id == leader.pk:
        raise CaseError(_("This leader is already in charge of the petition."), status=422, field="leader")
    petition.leader, petition.leader_since = leader, now
    petition.save(update_fields=["leader", "leader_since", "updated_at"])
    case_services.do_record_event(case, actor, PetitionEvent.LEADER, now=now,
                                  data={"leader": leader.username, "name": str(leader)})
    if leader.pk != actor.pk:
        notify_user(leader, case, PetitionEvent.LEADER)
    return petition


@transaction.atomic
def transfer_petition(actor, case: Case, *, office_code: str, reason: str, now: datetime | None = None) -> Case:
    """A supervisor approves moving an accepted petition to another body (首办责任: the body that
    accepted it keeps it otherwise); it waits there to be taken up, its deadline running on."""
    now = now or timezone.now()
    case, petition = _locked(actor, case, access.can_approve)
    if case.status not in (Status.DISPATCHED, Status.IN_PROGRESS):
        raise CaseError(_("Only a petition being handled can be transferred."))
    reason = _words(petition, reason, "reason", _("Reason"), 500)
    office = Office.objects.filter(code=office_code, is_active=True).first() if office_code else None
    if office is None:
        raise CaseError(_("Unknown or inactive office."), status=422, field="office")
    if office.pk == case.office_id:
        raise CaseError(_("The petition is already with this body."), status=422, field="office")
    if office.pk in _deciding_offices(petition):
        raise CaseError(_("A review or re-examination is decided by the body a level up, not by a body that "
                          "decided the matter before (信访工作条例 第三十五条、第三十六条)."), status=422,
                        field="office")
    case_services.do_hand_over_case(actor, case, office=office, action=PetitionEvent.PETITION_TRANSFER, note=reason,
                                    now=now, data={"approved_by": actor.username})
    return case


# ---------------------------------------------------------------------------- reception days


def _slot_times(day: ReceptionDay) -> list[datetime]:
    slots, moment = [], day.starts_at
    while moment + timedelta(minutes=day.slot_minutes) <= day.ends_at:
        slots.append(moment)
        moment += timedelta(minutes=day.slot_minutes)
    return slots


def slots_of(day: ReceptionDay) -> list[dict]:
    """Each slot of a reception day with the places still free."""
    taken: dict[datetime, int] = {}
    for slot_at in day.bookings.filter(status=BookingStatus.BOOKED).values_list("slot_at", flat=True):
        taken[slot_at] = taken.get(slot_at, 0) + 1
    return [{"at": slot, "free": max(0, day.per_slot - taken.get(slot, 0))} for slot in _slot_times(day)]


@transaction.atomic
def plan_reception_day(actor, *, leader_id: int, region_code: str, place: str, starts_at: datetime, ends_at: datetime,
                       slot_minutes: int = 30, per_slot: int = 2, topic: str = "",
                       now: datetime | None = None) -> ReceptionDay:
    """Put a leader reception day (领导接访日) on the public calendar: which leader receives
    petitioners for which region, where and when, in slots."""
    from anju.geo.models import Region

    now = now or timezone.now()
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        raise CaseError(_("Unknown region code."), status=422, field="region")
    if not access.can_plan_reception(actor, region):
        raise CaseError(_("You may not plan reception days for this region."), status=403)
    leader = User.objects.filter(pk=leader_id, is_active=True).first() if isinstance(leader_id, int) else None
    if leader is None or not access.is_leader(leader):
        raise CaseError(_("Choose a leader."), status=422, field="leader")
    place = check_text(place, "place", _("Place"), 200)
    topic = check_text(topic, "topic", pgettext("reception day", "Topic"), 200, required=False)
    for name, value in (("starts_at", starts_at), ("ends_at", ends_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise CaseError(_("Give a date and time with its time zone."), status=422, field=name)
    if starts_at <= now:
        raise CaseError(_("A reception day must lie in the future."), status=422, field="starts_at")
    if ends_at <= starts_at or starts_at.astimezone(LOCAL).date() != ends_at.astimezone(LOCAL).date():
        raise CaseError(_("A reception ends later on the same day."), status=422, field="ends_at")
    if starts_at > now + timedelta(days=366):
        raise CaseError(_("A reception day lies within a year."), status=422, field="starts_at")
    if not isinstance(slot_minutes, int) or not 10 <= slot_minutes <= 240:
        raise CaseError(_("Minutes per slot must be a whole number from 10 to 240."), status=422,
                        field="slot_minutes")
    if not isinstance(per_slot, int) or not 1 <= per_slot <= 50:
        raise CaseError(_("Petitions per slot must be a whole number from 1 to 50."), status=422, field="per_slot")
    if ends_at - starts_at < timedelta(minutes=slot_minutes):
        raise CaseError(_("The reception is shorter than one slot."), status=422, field="ends_at")
    return ReceptionDay.objects.create(leader=leader, region=region, place=place, starts_at=starts_at,
                                       ends_at=ends_at, slot_minutes=slot_minutes, per_slot=per_slot, topic=topic,
                                       created_by=actor, created_at=now)


@transaction.atomic
def cancel_reception_day(actor, day: ReceptionDay, *, reason: str, now: datetime | None = None) -> ReceptionDay:
    """Take a reception day off the calendar; every petitioner booked is told, with the reason."""
    now = now or timezone.now()
    day = ReceptionDay.objects.select_for_update().select_related("region", "leader").get(pk=day.pk)
    if not access.can_plan_reception(actor, day.region):
        raise CaseError(_("You may not plan reception days for this region."), status=403)
    if day.status == ReceptionStatus.CANCELLED:
        raise CaseError(_("This reception day is already cancelled."))
    reason = check_text(reason, "reason", _("Reason"), 500)
    day.status = ReceptionStatus.CANCELLED
    day.save(update_fields=["status"])
    for booking in day.bookings.filter(status=BookingStatus.BOOKED).select_related("petition__case"):
        booking.status = BookingStatus.CANCELLED
        booking.save(update_fields=["status"])
        case = booking.petition.case
        case_services.do_record_event(case, actor, PetitionEvent.RECEPTION_BOOKED, public=True, now=now, note=reason,
                                      data={"booking": booking.pk, "cancelled": True})
        with translation.override(settings.LANGUAGE_CODE):
            body = _("The leader reception of %(date)s for your petition %(code)s is cancelled: %(reason)s. You may "
                     "book another day.") % {"date": chinese_date(local_date(booking.slot_at)),
                                            "code": tracking.display(case.tracking_code), "reason": reason}
        notify_reporter(case, PetitionEvent.RECEPTION_BOOKED, body)
    return day


def may_meet(case: Case, day: ReceptionDay) -> bool:
    """Whether a petition may be booked with a day's leader: a report of wrongdoing is never
    taken to a leader of the body it is about (第三十条)."""
    return not (case.kept_from_office_about and case.about_office_id in people_access.offices_of(day.leader))


@transaction.atomic
def book_reception(actor, case: Case, *, day_id: int, slot_at: datetime, by_petitioner: bool = False,
                   now: datetime | None = None) -> Booking:
    """Book a petition into a slot of a reception day: by the petitioner on the public pages
    (``by_petitioner``; the view checked the rating code) or at the counter. Each slot takes
    ``per_slot`` petitions; a petition is booked once per day."""
    now = now or timezone.now()
    right = None if by_petitioner else access.can_record_for_petitioner
    case, petition = _locked(actor, case, right)
    if case.status == Status.MERGED:
        raise CaseError(_("This petition was merged into another; book for that one."))
    day = ReceptionDay.objects.select_for_update().filter(pk=day_id).first() if isinstance(day_id, int) else None
    if day is None or day.status != ReceptionStatus.PLANNED:
        raise CaseError(_("Unknown reception day."), status=422, field="day")
    if not isinstance(slot_at, datetime) or slot_at not in _slot_times(day):
        raise CaseError(_("Choose one of the day's slots."), status=422, field="slot_at")
    if slot_at <= now:
        raise CaseError(_("This slot has already begun."), status=422, field="slot_at")
    if not may_meet(case, day):
        raise CaseError(_("A report of wrongdoing is not taken to a leader of the body it is about; choose another "
                          "day."), status=422, field="day")
    if day.bookings.filter(petition=petition, status=BookingStatus.BOOKED).exists():
        raise CaseError(_("This petition is already booked on that day."), status=422, field="day")
    if day.bookings.filter(slot_at=slot_at, status=BookingStatus.BOOKED).count() >= day.per_slot:
        raise CaseError(_("This slot is full; choose another."), status=422, field="slot_at")
    booking = Booking.objects.create(day=day, slot_at=slot_at, petition=petition,
                                     via=BookedVia.PUBLIC if by_petitioner else BookedVia.COUNTER, booked_at=now,
                                     booked_by=None if by_petitioner else actor)
    local = slot_at.astimezone(LOCAL)
    case_services.do_record_event(
        case, None if by_petitioner else actor, PetitionEvent.RECEPTION_BOOKED, public=True, now=now,
        data={"booking": booking.pk, "slot_at": slot_at.isoformat(), "place": day.place, "leader": str(day.leader)})
    with translation.override(settings.LANGUAGE_CODE):
        body = _("Your petition %(code)s is booked for the leader reception on %(date)s at %(time)s, %(place)s.") % {
            "code": tracking.display(case.tracking_code), "date": chinese_date(local.date()),
            "time": local.strftime("%H:%M"), "place": day.place}
    notify_reporter(case, PetitionEvent.RECEPTION_BOOKED, body)
    return booking


@transaction.atomic
def cancel_booking(actor, booking: Booking, *, by_petitioner: bool = False, now: datetime | None = None) -> Booking:
    """The petitioner (or the counter) cancels a booking; the place is free again."""
    now = now or timezone.now()
    right = None if by_petitioner else access.can_record_for_petitioner
    case, _petition = _locked(actor, booking.petition.case, right)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise CaseError(_("This booking is no longer open."))
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    case_services.do_record_event(case, None if by_petitioner else actor, PetitionEvent.RECEPTION_BOOKED, public=True,
                                  now=now, data={"booking": booking.pk, "cancelled": True})
    return booking


def _may_record_reception(user, booking: Booking, case: Case) -> bool:
    return user.pk == booking.day.leader_id or access.can_record_for_petitioner(user, case) or access.can_approve(
        user, case)


@transaction.atomic
def record_reception(actor, booking: Booking, *, summary: str, take_charge: bool = False,
                     now: datetime | None = None) -> Booking:
    """The leader received the petitioner: what was said goes on the petition's timeline (for
    staff); the leader may take personal charge of the matter there and then (领导包案)."""
    now = now or timezone.now()
    booking = Booking.objects.select_related("day", "day__leader", "petition__case").get(pk=booking.pk)
    case = booking.petition.case
    if not _may_record_reception(actor, booking, case):
        raise _forbidden()
    case, petition = _locked(actor, case, None)
    booking = Booking.objects.select_for_update().select_related("day", "day__leader").get(pk=booking.pk)
    if booking.status != BookingStatus.BOOKED:
        raise CaseError(_("This booking is no longer open."))
    if booking.slot_at > now + timedelta(hours=12):
        raise CaseError(_("A reception is recorded on its day."), status=422, field="booking")
    summary = _words(petition, summary, "summary", _("What was said"), 5000)
    booking.status, booking.summary, booking.received_at, booking.received_by = (
        BookingStatus.RECEIVED, summary, now, actor)
    booking.save(update_fields=["status", "summary", "received_at", "received_by"])
    case_services.do_record_event(case, actor, PetitionEvent.RECEPTION, note=summary, public=True, now=now,
                                  data={"booking": booking.pk, "leader": str(booking.day.leader)})
    if take_charge and petition.leader_id != booking.day.leader_id and case.is_open:
        if not access.is_leader_for(booking.day.leader, case):
            raise CaseError(_("Choose a leader whose scope reaches this petition."), status=422, field="take_charge")
        petition.leader, petition.leader_since = booking.day.leader, now
        petition.save(update_fields=["leader", "leader_since", "updated_at"])
        case_services.do_record_event(case, actor, PetitionEvent.LEADER, now=now,
                                      data={"leader": booking.day.leader.username, "name": str(booking.day.leader),
                                              "booking": booking.pk})
    return booking


# ---------------------------------------------------------------------------- personal data


def reveal_petitioner(actor, case: Case, *, petitioner_id: int, reason: str = "") -> Petitioner:
    """A petitioner's full details for ``actor`` (the core's ``check_reveal``: the one rule, logged).
    The body the petition is about is always refused."""
    petition = ensure_petition(case)
    person = petition.petitioners.filter(pk=petitioner_id).first() if isinstance(petitioner_id, int) else None
    if person is None:
        raise CaseError(_("Unknown petitioner."), status=404, field="petitioner_id")
    case_services.check_reveal(actor, case, subject=f"petitioner {person.pk}", reason=reason,
                               refusal=_("You may not see who petitioned."))
    return person


def log_notice_print(actor, notice: Notice) -> None:
    """A notice printed or downloaded names the petitioners in full: logged like a reveal, and
    only for those who may see them."""
    case_services.check_reveal(actor, notice.petition.case, subject=f"notice {notice.pk}", reason="print",
                               refusal=_("You may not see who petitioned, so you may not print this notice."))


def masked_petitioner(person: Petitioner) -> dict:
    """A petitioner as lists and pages show them: name and phone masked, the address cut to its
    first four characters."""
    address = person.address
    return {"id": person.pk, "name": mask_name(person.name), "phone": mask_phone(person.phone),
            "address": mask_address(address),
            "is_representative": person.is_representative}


def masked_addressee(content: dict) -> str:
    """The addressee line of a notice with the names masked, for the tracking page."""
    names = [mask_name(n) for n in content.get("petitioners", [])]
    return notices.addressee(names, content.get("group_size", 1))
