"""The module registry validates and labels what modules declare, and refuses clashes."""

import pytest
from django.utils import translation

from anju.cases import modules
from anju.cases.choices import Action


@pytest.fixture
def registered():
    """Register throw-away modules, and take them out again afterwards."""
    labels = []

    def register(label, **declared):
        labels.append(label)
        modules.register(modules.Module(app_label=label, **declared))

    yield register
    for label in labels:
        modules.unregister(label)


@translation.override("en")
def test_it_labels_the_core_s_and_the_modules_kinds_and_events():
    assert modules.kind_label("complaint") == "Complaint (投诉)"
    assert modules.kind_label("dispute") == "Dispute (矛盾纠纷)"
    assert modules.event_label("accept") == "Accepted"
    assert modules.event_label("party") == "Party recorded"
    assert modules.kind_label("no_such_kind") == "no_such_kind"
    assert not modules.is_kind("no_such_kind") and not modules.is_event("no_such_event")


def test_a_registered_module_adds_its_kind_event_and_sweep_and_is_removed_again(registered):
    registered("example", kinds=[modules.CaseKind("example", "Example", grid_workers_reach=False)],
               events=[modules.EventCode("example_done", "Done")],
               sweeps=[modules.Sweep("example(s)", lambda now: 7)])
    assert "example" in modules.kind_codes() and modules.is_event("example_done")
    assert "example" not in modules.grid_worker_kinds()
    assert [sweep(None) for sweep in modules.sweeps() if sweep.noun == "example(s)"] == [7]
    modules.unregister("example")
    assert not modules.is_kind("example") and not modules.is_event("example_done")


def test_a_module_publishes_a_service_that_others_find_by_name_and_do_without(registered):
    assert modules.provided("example.answer") is None
    registered("example", provides={"example.answer": lambda: 42, "example.path": "anju.lib.chinese.chinese_date"})
    assert modules.provided("example.answer")() == 42
    from anju.lib.chinese import chinese_date
    assert modules.provided("example.path") is chinese_date
    with pytest.raises(modules.RegistryError):
        registered("other", provides={"example.answer": lambda: 0})
    modules.unregister("example")
    assert modules.provided("example.answer") is None


@pytest.mark.parametrize("declared", [
    {"kinds": [modules.CaseKind("complaint", "Taken by the core")]},
    {"kinds": [modules.CaseKind("dispute", "Taken by a module")]},
    {"kinds": [modules.CaseKind("x" * 21, "Too long for the column")]},
    {"kinds": [modules.CaseKind("example", "Example", module_actions=frozenset({"fly"}))]},
    {"events": [modules.EventCode(Action.ACCEPT, "Taken by the core")]},
    {"events": [modules.EventCode("petition_route", "Taken by a module")]},
    {"events": [modules.EventCode("y" * 31, "Too long for the column")]},
])
def test_it_refuses_what_clashes_with_the_core_or_another_module(registered, declared):
    with pytest.raises(modules.RegistryError):
        registered("clashing", **declared)
    assert not modules.is_kind("example")


@translation.override("en")
def test_the_core_refuses_the_actions_a_module_takes_itself():
    class Dispute:
        kind = "dispute"

    assert modules.module_refusal(Dispute(), Action.RESOLVE).startswith("A dispute is resolved")
    assert modules.module_refusal(Dispute(), Action.START) is None


def test_a_change_of_the_calendar_reaches_every_module_that_stores_deadlines(registered, db,
                                                                            django_capture_on_commit_callbacks):
    from datetime import date

    from anju.cases.models import CalendarOverride

    told = []
    registered("example", recompute_deadlines=told.append)
    with django_capture_on_commit_callbacks(execute=True):
        override = CalendarOverride.objects.create(date=date(2027, 2, 6), is_workday=False, note="春节")
    with django_capture_on_commit_callbacks(execute=True):
        override.date = date(2027, 2, 7)
        override.save()
    with django_capture_on_commit_callbacks(execute=True):
        override.delete()
    assert told == [[date(2027, 2, 6)], [date(2027, 2, 6), date(2027, 2, 7)], [date(2027, 2, 7)]]
