"""Steps of a petition's life shared by the petition tests: each step calls the services as a
user would, at the moment given (``now=``). The page and API tests use the real clock and pass
``now=None``."""

from datetime import datetime

from anju.cases.services import NewCase
from anju.conftest import at
from anju.petitions import services
from anju.petitions.choices import Decision, Delivery, PetitionForm

PETITIONERS = [
    services.NewPetitioner("王秀英", "13800005678", "土城社区5组8号", is_representative=True),
    services.NewPetitioner("赵德明", "13900004321", "土城社区5组10号"),
]
# 2026-11-02 is a Monday.
MONDAY = at(2026, 11, 2, 9)


def register(people, *, now: datetime | None = MONDAY, category="petition.land", about="", official="",
             wrongdoing=False, petitioners=None, text="征地补偿款至今未足额发放", request="请求足额发放征地补偿款",
             form=PetitionForm.VISIT, group_size=2, actor=None):
    petitioners = list(PETITIONERS if petitioners is None else petitioners)
    case, _created = services.register_petition(
        actor or people.dispatcher,
        NewCase(kind="petition", category_code=category, text=text, lat=31.905, lng=108.605,
                about_office_code=about, reports_wrongdoing=wrongdoing),
        services.PetitionFacts(form=form, request=request, about_official=official, group_size=group_size,
                               petitioners=[services.NewPetitioner(**vars(p)) for p in petitioners]),
        now=now,
    )
    return case


def routed(people, *, to="gc", now=MONDAY, **kwargs):
    """Registered and routed (转送) to 葛城街道办事处 at ``now``."""
    case = register(people, now=now, **kwargs)
    services.route_petition(people.dispatcher, case, office_code=to, now=now)
    case.refresh_from_db()
    return case


def accepted(people, *, now=MONDAY, handler=None, **kwargs):
    case = routed(people, now=now, **kwargs)
    services.accept_petition(handler or people.handler, case, now=now)
    case.refresh_from_db()
    return case


def answered(people, *, now=MONDAY, answered_at=None, handler=None, decision=Decision.NOT_SUPPORT,
             delivery=Delivery.IN_PERSON, **kwargs):
    """Accepted at ``now`` and answered in writing at ``answered_at`` (the same moment by default)."""
    case = accepted(people, now=now, handler=handler, **kwargs)
    services.answer_petition(handler or people.handler, case, answer_text(decision),
                             delivery=delivery, now=answered_at or now)
    case.refresh_from_db()
    return case


def answer_text(decision=Decision.NOT_SUPPORT, **changes):
    fields = {"decision": decision, "findings": "经核查，补偿款已按批复标准足额发放至村集体账户。",
              "basis": "《中华人民共和国土地管理法》第四十八条"}
    fields.update(changes)
    return services.AnswerText(**fields)


def accept(people, case, now=None):
    """Accept a case of any kind the way its kind requires (for tests of other modules that need
    an accepted petition among other cases): a petition is routed to 葛城街道办事处 by the
    dispatcher and accepted there; any other case is accepted by the dispatcher."""
    from anju.cases import services as case_services

    if case.kind != "petition":
        return case_services.accept_case(people.dispatcher, case, now=now)
    services.route_petition(people.dispatcher, case, office_code="gc", now=now)
    return services.accept_petition(people.handler, case, now=now)
